// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test of /proc/tunnel through the peer's stress mode: writer
 * threads send tagged records, which the peer echoes, while two kernel
 * threads and an hrtimer of the peer queue records of their own; reader
 * threads take them all. For a fixed time, while another thread interrupts
 * the user threads with signals, some calls use unmapped buffers and some
 * reads go to pages that are not present yet, which the tunnel must fault
 * in and try again. Every record must arrive exactly once, whole and in
 * each writer's order. Time-bounded and seeded:
 *
 *	proc_tunnel_stress [seconds [seed]]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "proc_tunnel_peer.h"

#define WRITERS 3
#define READERS 2
/* The peer's kernel writers, numbered from 0x100: two threads, a timer. */
#define KERNEL_WRITERS 3
#define FIRST_KERNEL_WRITER 0x100
#define ALL_WRITERS (WRITERS + KERNEL_WRITERS)
#define MAX_RECORDS 4194304 /* per writer: 64 MiB of records */
#define BAD_CALL_EVERY 64
#define ABSENT_PAGES_EVERY 8

/* Aligned, so that page boundaries in an array of them fall between records. */
struct record {
	alignas(16) uint32_t writer;
	uint32_t seq, check, pad;
};

static uint32_t check_of(uint32_t writer, uint32_t seq)
{
	return (writer + 1) * 2654435761u ^ seq * 40503u;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Set to false, with atomics, to stop the writers and then the readers. */
static bool writing = true, reading = true;
static char *unmapped;
static uint8_t *seen[ALL_WRITERS];
/* Records sent by each writer: the user ones, then the kernel ones. */
static uint32_t written[ALL_WRITERS];
static uint64_t seed;
static pthread_t threads[WRITERS + READERS];
/* Counted with atomics: the figures the test prints. */
static uint64_t received, interrupted, faults_injected, signals_sent;
static uint64_t absent_pages;
static uint64_t lost, duplicated, reordered, corrupt, torn, wrong_errors;

static void count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void on_signal(int sig)
{
}

static void *writer(void *arg)
{
	uint32_t id = (uintptr_t)arg, seq = 0;
	uint64_t state = seed * 31 + id + 1;
	int fd = open(TUNNEL_PATH, O_WRONLY);
	struct record batch[16];
	unsigned long calls = 0;

	while (fd >= 0 && __atomic_load_n(&writing, __ATOMIC_RELAXED) &&
	       seq + 16 <= MAX_RECORDS) {
		int n = 1 + next_random(&state) % 16, i;
		ssize_t ret;

		if (++calls % BAD_CALL_EVERY == 0) {
			if (write(fd, unmapped, n * sizeof(batch[0])) != -1 ||
			    (errno != EFAULT && errno != EINTR))
				count(&wrong_errors, 1);
			count(&faults_injected, 1);
		}
		for (i = 0; i < n; i++)
			batch[i] = (struct record){ id, seq + i, check_of(id, seq + i), 0 };
		/*
		 * Up to PIPE_BUF bytes a write is atomic: all of it or, on a
		 * signal, none.
		 */
		do {
			ret = write(fd, batch, n * sizeof(batch[0]));
			if (ret < 0 && errno == EINTR)
				count(&interrupted, 1);
		} while (ret < 0 && errno == EINTR &&
			 __atomic_load_n(&writing, __ATOMIC_RELAXED));
		if (ret <= 0)
			break;
		if (ret % sizeof(batch[0]))
			count(&torn, 1);
		seq += ret / sizeof(batch[0]);
		__atomic_store_n(&written[id], seq, __ATOMIC_RELEASE);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* The index in seen[] and written[] of the writer numbered @writer. */
static int writer_index(uint32_t writer)
{
	if (writer < WRITERS)
		return writer;
	if (writer - FIRST_KERNEL_WRITER < KERNEL_WRITERS)
		return WRITERS + writer - FIRST_KERNEL_WRITER;
	return -1;
}

static void take(struct record *r, uint32_t *last)
{
	int i = writer_index(r->writer);

	if (i < 0 || r->seq >= MAX_RECORDS || r->check != check_of(r->writer, r->seq)) {
		count(&corrupt, 1);
		return;
	}
	if (__atomic_fetch_or(&seen[i][r->seq / 8], 1 << r->seq % 8,
			      __ATOMIC_RELAXED) & 1 << r->seq % 8)
		count(&duplicated, 1);
	/* One reader sees a writer's records in the order they were written. */
	if (last[i] != UINT32_MAX && r->seq <= last[i])
		count(&reordered, 1);
	last[i] = r->seq;
	count(&received, 1);
}

static void *reader(void *arg)
{
	static __thread struct record buf[64];
	uint64_t state = seed * 17 + (uintptr_t)arg + 100;
	int fd = open(TUNNEL_PATH, O_RDONLY);
	uint32_t last[ALL_WRITERS];
	unsigned long calls = 0;

	memset(last, 0xff, sizeof(last));
	while (fd >= 0 && __atomic_load_n(&reading, __ATOMIC_RELAXED)) {
		size_t len = (1 + next_random(&state) % 64) * sizeof(buf[0]);
		struct record *to = buf, *fresh = MAP_FAILED;
		ssize_t ret, i;

		if (++calls % BAD_CALL_EVERY == 0) {
			ret = read(fd, unmapped, len);
			if (ret > 0)
				count(&wrong_errors, 1);
			if (ret < 0 && errno != EFAULT && errno != EINTR)
				count(&wrong_errors, 1);
			count(&faults_injected, 1);
		}
		/*
		 * A fresh mapping has no page until one is touched: the copy under
		 * the ring's lock fails, and the read faults the page in and tries
		 * again.
		 */
		if (calls % ABSENT_PAGES_EVERY == 0) {
			fresh = mmap(NULL, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (fresh != MAP_FAILED) {
				to = fresh;
				count(&absent_pages, 1);
			}
		}
		ret = read(fd, to, len);
		if (ret < 0) {
			if (errno == EINTR)
				count(&interrupted, 1);
			else
				count(&wrong_errors, 1);
		}
		/* Writers and the peer move whole records, so reads return them. */
		if (ret > 0 && ret % sizeof(buf[0]))
			count(&torn, 1);
		for (i = 0; i < ret / (ssize_t)sizeof(buf[0]); i++)
			take(&to[i], last);
		if (fresh != MAP_FAILED)
			munmap(fresh, len);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static uint64_t total_written(void)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < ALL_WRITERS; i++)
		sum += __atomic_load_n(&written[i], __ATOMIC_ACQUIRE);
	return sum;
}

/*
 * Stops the peer's kernel writers and takes how many records each queued;
 * 0 when all three were found.
 */
static int stop_kernel_writers(void)
{
	char buf[256] = "";
	unsigned int writer, records;
	int fd, i, found = 0, len;
	char *line;

	if (write_file(PEER_DIR "records", "stop"))
		return -1;
	fd = open(PEER_DIR "records", O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = 0;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%x %u", &writer, &records) != 2)
			return -1;
		i = writer_index(writer);
		if (i < WRITERS || found & 1 << i)
			return -1;
		__atomic_store_n(&written[i], records, __ATOMIC_RELEASE);
		found |= 1 << i;
	}
	return found == ((1 << ALL_WRITERS) - 1) - ((1 << WRITERS) - 1) ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5;
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t state, records = 0;
	int idle_writers = 0;
	double start, elapsed;
	int i;

	seed = argc > 2 && strtoull(argv[2], NULL, 0) ? strtoull(argv[2], NULL, 0) :
							  (uint64_t)time(NULL);
	state = seed | 1;
	ksft_print_header();
	ksft_set_plan(1);
	if (geteuid())
		ksft_exit_skip("needs root\n");
	if (access(PEER_DIR "mode", W_OK))
		ksft_exit_skip("no %s: load proc_tunnel_peer\n", PEER_DIR);
	unmapped = mmap(NULL, 65536, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < ALL_WRITERS; i++)
		seen[i] = calloc(MAX_RECORDS / 8, 1);
	/* No SA_RESTART: a signal makes a blocked call fail with EINTR. */
	if (unmapped == MAP_FAILED || !seen[ALL_WRITERS - 1] || sigaction(SIGUSR1, &sa, NULL))
		ksft_exit_fail_msg("setup: %s\n", strerror(errno));
	if (peer_mode("off"))
		ksft_exit_fail_msg("peer off: %s\n", strerror(errno));
	drain_tunnel();
	if (peer_mode("stress"))
		ksft_exit_fail_msg("peer stress mode: %s\n", strerror(errno));
	ksft_print_msg("%d writers, %d readers through the echo peer, %.1f s, seed %llu\n",
		       WRITERS, READERS, seconds, (unsigned long long)seed);
	ksft_print_msg("%d kernel writers: two kernel threads, an hrtimer\n",
		       KERNEL_WRITERS);

	start = now();
	for (i = 0; i < WRITERS; i++)
		pthread_create(&threads[i], NULL, writer, (void *)(uintptr_t)i);
	for (i = 0; i < READERS; i++)
		pthread_create(&threads[WRITERS + i], NULL, reader, (void *)(uintptr_t)i);
	/* Interrupt a random thread about every millisecond. */
	while (now() - start < seconds) {
		pthread_kill(threads[next_random(&state) % (WRITERS + READERS)], SIGUSR1);
		count(&signals_sent, 1);
		usleep(1000);
	}
	__atomic_store_n(&writing, false, __ATOMIC_RELAXED);
	for (i = 0; i < WRITERS; i++) {
		while (pthread_tryjoin_np(threads[i], NULL)) {
			pthread_kill(threads[i], SIGUSR1);
			usleep(1000);
		}
	}
	if (stop_kernel_writers())
		count(&wrong_errors, 1);
	/* Let the readers take what is still on its way, for up to 10 s. */
	while (__atomic_load_n(&received, __ATOMIC_RELAXED) +
	       __atomic_load_n(&corrupt, __ATOMIC_RELAXED) < total_written() &&
	       now() - start < seconds + 10)
		usleep(10000);
	elapsed = now() - start;
	__atomic_store_n(&reading, false, __ATOMIC_RELAXED);
	for (i = WRITERS; i < WRITERS + READERS; i++) {
		while (pthread_tryjoin_np(threads[i], NULL)) {
			pthread_kill(threads[i], SIGUSR1);
			usleep(1000);
		}
	}
	peer_mode("off");

	for (i = 0; i < ALL_WRITERS; i++) {
		uint32_t seq;

		records += written[i];
		for (seq = 0; seq < written[i]; seq++)
			lost += !(seen[i][seq / 8] & 1 << seq % 8);
	}
	ksft_print_msg("moved %llu bytes, %llu records verified, in %.1f s\n",
		       (unsigned long long)(received * sizeof(struct record)),
		       (unsigned long long)received, elapsed);
	ksft_print_msg("records of the kernel threads %u, %u, of the hrtimer %u\n",
		       written[WRITERS], written[WRITERS + 1], written[WRITERS + 2]);
	ksft_print_msg("%llu signals, %llu interrupted, %llu bad buffers, %llu absent pages\n",
		       (unsigned long long)signals_sent,
		       (unsigned long long)interrupted,
		       (unsigned long long)faults_injected,
		       (unsigned long long)absent_pages);
	ksft_print_msg("lost %llu, duplicated %llu, reordered %llu, corrupt %llu\n",
		       (unsigned long long)lost, (unsigned long long)duplicated,
		       (unsigned long long)reordered, (unsigned long long)corrupt);
	ksft_print_msg("torn %llu, wrong errors %llu\n",
		       (unsigned long long)torn, (unsigned long long)wrong_errors);
	/* Every writer, in user space and in the kernel, must have sent some. */
	for (i = 0; i < ALL_WRITERS; i++)
		idle_writers += !written[i];
	if (idle_writers)
		ksft_print_msg("%d writers sent nothing\n", idle_writers);
	ksft_test_result(records > 0 && !idle_writers && absent_pages && !lost && !duplicated &&
			 !reordered && !corrupt && !torn && !wrong_errors,
			 "echo_stress\n");
	ksft_finished();
}
