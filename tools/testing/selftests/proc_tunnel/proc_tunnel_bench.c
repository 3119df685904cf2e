// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/tunnel against pipes of 4 KiB and 64 KiB and reads of /dev/zero,
 * measured in one run: throughput at several chunk sizes, round-trip
 * latency through the peer's echo against a pipe ping-pong, and throughput
 * with several readers or writers. Every figure is the median of RUNS runs.
 * Not a pass/fail test: it prints tables and, given a directory, writes
 * throughput.csv, latency.csv and scaling.csv there. Needs the
 * proc_tunnel_peer module.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "proc_tunnel_peer.h"

#define SECONDS 0.4
#define RUNS 5
#define MAX_THREADS 4
#define MAX_ROUND_TRIPS 100000
#define SCALING_CHUNK 512

static const size_t sizes[] = { 1, 64, 512, 4096 };
static const size_t latency_sizes[] = { 1, 64 };
static const int thread_counts[] = { 1, 2, 4 };

#define THROUGHPUT_COLUMNS "chunk,tunnel_k2u,tunnel_u2k,pipe_4k,pipe_64k,dev_zero,capacity"
#define SLEEPS_COLUMNS "sleeps_k2u,sleeps_u2k,sleeps_pipe_4k,sleeps_pipe_64k"

/* Bytes that rate() moved since the last count_sleeps(). */
static size_t moved;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bytes per second moved by read() or write() of @chunk bytes on @fd. */
static double rate(int fd, size_t chunk, bool reading)
{
	static char buf[65536];
	double start = now(), elapsed;
	size_t bytes = 0;

	do {
		ssize_t ret = reading ? read(fd, buf, chunk) : write(fd, buf, chunk);

		if (ret < 0)
			return 0;
		bytes += ret;
		moved += ret;
		elapsed = now() - start;
	} while (elapsed < SECONDS);
	return bytes / elapsed;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *values, size_t n)
{
	qsort(values, n, sizeof(values[0]), cmp_double);
	return values[n / 2];
}

static double median_rate(int fd, size_t chunk, bool reading)
{
	double runs[RUNS];
	int i;

	for (i = 0; i < RUNS; i++)
		runs[i] = rate(fd, chunk, reading);
	return median(runs, RUNS);
}

/* Voluntary context switches of the peer's thread; 0 when it has none. */
static long peer_sleeps(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *entry;
	long sleeps = 0;

	while (proc && (entry = readdir(proc))) {
		char path[300], line[128] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%s/comm", entry->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
		if (strcmp(line, "proc_tunnel_peer\n"))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", entry->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			sscanf(line, "voluntary_ctxt_switches: %ld", &sleeps);
		if (f)
			fclose(f);
	}
	if (proc)
		closedir(proc);
	return sleeps;
}

/* Voluntary context switches of this process, all its threads. */
static long own_sleeps(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_nvcsw;
}

/*
 * How often the two ends went to sleep per KiB moved: each sleep is a
 * wake-up and two context switches, the cost a fast channel avoids. Called
 * with true before a measurement, false after it.
 */
static double count_sleeps(bool start)
{
	static long before;
	long sleeps = own_sleeps() + peer_sleeps();

	if (start) {
		before = sleeps;
		moved = 0;
		return 0;
	}
	return moved ? (sleeps - before) * 1024.0 / moved : 0;
}

struct pipe_writer {
	int fd;
	size_t chunk;
	bool stop;
};

static void *write_pipe(void *arg)
{
	struct pipe_writer *w = arg;
	static char buf[65536];

	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED) &&
	       write(w->fd, buf, w->chunk) > 0)
		;
	return NULL;
}

/* A pipe of @capacity bytes between a writer thread and this reader. */
static double pipe_rate(int capacity, size_t chunk, double *sleeps)
{
	struct pipe_writer w = { .chunk = chunk };
	pthread_t thread;
	int fds[2];
	double r;

	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, capacity) < 0)
		return 0;
	w.fd = fds[1];
	pthread_create(&thread, NULL, write_pipe, &w);
	count_sleeps(true);
	r = median_rate(fds[0], chunk, true);
	*sleeps = count_sleeps(false);
	__atomic_store_n(&w.stop, true, __ATOMIC_RELAXED);
	close(fds[0]);
	pthread_join(thread, NULL);
	close(fds[1]);
	return r;
}

static double tunnel_rate(const char *mode, size_t chunk, bool reading,
			  double *sleeps)
{
	int fd = open(TUNNEL_PATH, reading ? O_RDONLY : O_WRONLY);
	double r;

	peer_mode("off");
	drain_tunnel();
	if (fd < 0 || peer_mode(mode))
		return 0;
	count_sleeps(true);
	r = median_rate(fd, chunk, reading);
	*sleeps = count_sleeps(false);
	peer_mode("off");
	close(fd);
	return r;
}

/* Reads or writes exactly @len bytes; false on an error or end of file. */
static bool transfer_all(int fd, char *buf, size_t len, bool reading)
{
	while (len) {
		ssize_t ret = reading ? read(fd, buf, len) : write(fd, buf, len);

		if (ret <= 0)
			return false;
		buf += ret;
		len -= ret;
	}
	return true;
}

/*
 * Round trips of @len bytes, written to @out and read back from @in, for
 * SECONDS: their median and 99th percentile in microseconds, per run; the
 * medians of the runs go to @p50 and @p99.
 */
static void round_trips(int out, int in, size_t len, double *p50, double *p99)
{
	static double rtt[MAX_ROUND_TRIPS];
	double run_p50[RUNS], run_p99[RUNS];
	char buf[64] = "";
	int r;

	for (r = 0; r < RUNS; r++) {
		double start = now(), t = start;
		size_t n = 0;

		while (t - start < SECONDS && n < MAX_ROUND_TRIPS) {
			double sent = t;

			if (!transfer_all(out, buf, len, false) ||
			    !transfer_all(in, buf, len, true))
				break;
			t = now();
			rtt[n++] = (t - sent) * 1e6;
		}
		if (!n) {
			run_p50[r] = 0;
			run_p99[r] = 0;
			continue;
		}
		qsort(rtt, n, sizeof(rtt[0]), cmp_double);
		run_p50[r] = rtt[n / 2];
		run_p99[r] = rtt[n * 99 / 100];
	}
	*p50 = median(run_p50, RUNS);
	*p99 = median(run_p99, RUNS);
}

struct pipe_echo {
	int in, out;
	size_t len;
};

static void *echo_pipe(void *arg)
{
	struct pipe_echo *e = arg;
	char buf[64];

	while (transfer_all(e->in, buf, e->len, true) &&
	       transfer_all(e->out, buf, e->len, false))
		;
	return NULL;
}

/* Ping-pong of @len bytes through two pipes of @capacity and a thread. */
static void pipe_latency(int capacity, size_t len, double *p50, double *p99)
{
	int there[2], back[2];
	struct pipe_echo e = { .len = len };
	pthread_t thread;

	*p50 = 0;
	*p99 = 0;
	if (pipe(there) || pipe(back))
		return;
	fcntl(there[1], F_SETPIPE_SZ, capacity);
	fcntl(back[1], F_SETPIPE_SZ, capacity);
	e.in = there[0];
	e.out = back[1];
	pthread_create(&thread, NULL, echo_pipe, &e);
	round_trips(there[1], back[0], len, p50, p99);
	close(there[1]);
	pthread_join(thread, NULL);
	close(there[0]);
	close(back[0]);
	close(back[1]);
}

/* Round trips of @len bytes through /proc/tunnel and the peer's echo. */
static void tunnel_latency(size_t len, double *p50, double *p99)
{
	int fd = open(TUNNEL_PATH, O_RDWR);

	*p50 = 0;
	*p99 = 0;
	peer_mode("off");
	drain_tunnel();
	if (fd < 0 || peer_mode("echo"))
		return;
	round_trips(fd, fd, len, p50, p99);
	peer_mode("off");
	close(fd);
}

struct worker {
	int fd;
	bool reading;
	double start;
	size_t bytes;
};

static void *transfer_for_a_while(void *arg)
{
	static __thread char buf[SCALING_CHUNK];
	struct worker *w = arg;

	while (now() - w->start < SECONDS) {
		ssize_t ret = w->reading ? read(w->fd, buf, sizeof(buf)) :
					   write(w->fd, buf, sizeof(buf));

		if (ret <= 0)
			break;
		w->bytes += ret;
	}
	return NULL;
}

/*
 * Bytes per second that @threads threads move together, each with read()
 * or write() of SCALING_CHUNK bytes on its own descriptor of @fds.
 */
static double threads_rate(const int *fds, int threads, bool reading)
{
	double runs[RUNS];
	int r, i;

	for (r = 0; r < RUNS; r++) {
		struct worker w[MAX_THREADS];
		pthread_t thread[MAX_THREADS];
		double start = now();
		size_t bytes = 0;

		for (i = 0; i < threads; i++) {
			w[i] = (struct worker){ fds[i], reading, start, 0 };
			pthread_create(&thread[i], NULL, transfer_for_a_while, &w[i]);
		}
		for (i = 0; i < threads; i++) {
			pthread_join(thread[i], NULL);
			bytes += w[i].bytes;
		}
		runs[r] = bytes / (now() - start);
	}
	return median(runs, RUNS);
}

static double tunnel_threads_rate(const char *mode, int threads, bool reading)
{
	int fds[MAX_THREADS] = { -1, -1, -1, -1 }, i;
	double r = 0;

	peer_mode("off");
	drain_tunnel();
	for (i = 0; i < threads; i++)
		fds[i] = open(TUNNEL_PATH, reading ? O_RDONLY : O_WRONLY);
	if (!peer_mode(mode))
		r = threads_rate(fds, threads, reading);
	peer_mode("off");
	for (i = 0; i < threads; i++)
		close(fds[i]);
	return r;
}

/* @threads readers of a 4 KiB pipe that one thread fills. */
static double pipe_threads_rate(int threads)
{
	struct pipe_writer w = { .chunk = SCALING_CHUNK };
	int fds[2], readers[MAX_THREADS], i;
	pthread_t thread;
	double r;

	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, 4096) < 0)
		return 0;
	for (i = 0; i < threads; i++)
		readers[i] = fds[0];
	w.fd = fds[1];
	pthread_create(&thread, NULL, write_pipe, &w);
	r = threads_rate(readers, threads, true);
	__atomic_store_n(&w.stop, true, __ATOMIC_RELAXED);
	close(fds[0]);
	pthread_join(thread, NULL);
	close(fds[1]);
	return r;
}

static FILE *open_csv(const char *dir, const char *name, const char *header)
{
	char path[4096];
	FILE *csv;

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	csv = fopen(path, "w");
	if (csv)
		fprintf(csv, "%s\n", header);
	return csv;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	int zero = open("/dev/zero", O_RDONLY);
	double sleeps[ARRAY_SIZE(sizes)][4];
	long capacity;
	FILE *csv;
	unsigned int i;

	signal(SIGPIPE, SIG_IGN);
	if (access(PEER_DIR "mode", W_OK)) {
		fprintf(stderr, "no %s: load proc_tunnel_peer\n", PEER_DIR "mode");
		return 4;
	}
	peer_mode("off");
	/* The room of the kernel-to-user buffer when empty. */
	capacity = peer_number("avail");
	printf("tunnel capacity: %ld bytes; ratios are to the pipe of that capacity\n\n",
	       capacity);

	printf("throughput, MB/s\n");
	printf("%6s %10s %10s %10s %10s %10s %8s %8s %8s\n", "chunk", "k2u",
	       "u2k", "pipe4k", "pipe64k", "/dev/zero", "k2u/pipe",
	       "u2k/pipe", "k2u/zero");
	csv = open_csv(dir, "throughput.csv", THROUGHPUT_COLUMNS "," SLEEPS_COLUMNS);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t chunk = sizes[i];
		double k2u = tunnel_rate("source", chunk, true, &sleeps[i][0]);
		double u2k = tunnel_rate("sink", chunk, false, &sleeps[i][1]);
		double p4k = pipe_rate(4096, chunk, &sleeps[i][2]);
		double p64k = pipe_rate(65536, chunk, &sleeps[i][3]);
		double z = median_rate(zero, chunk, true);
		double same = capacity > 4096 ? p64k : p4k;

		printf("%6zu %10.2f %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f %8.3f\n",
		       chunk, k2u / 1e6, u2k / 1e6, p4k / 1e6, p64k / 1e6, z / 1e6,
		       k2u / same, u2k / same, k2u / z);
		if (csv)
			fprintf(csv, "%zu,%.0f,%.0f,%.0f,%.0f,%.0f,%ld,%.3f,%.3f,%.3f,%.3f\n",
				chunk, k2u, u2k, p4k, p64k, z, capacity, sleeps[i][0],
				sleeps[i][1], sleeps[i][2], sleeps[i][3]);
	}
	if (csv)
		fclose(csv);

	printf("\nsleeps of both ends per KiB moved (voluntary context switches)\n");
	printf("%6s %10s %10s %10s %10s\n", "chunk", "k2u", "u2k", "pipe4k",
	       "pipe64k");
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		printf("%6zu %10.3f %10.3f %10.3f %10.3f\n", sizes[i], sleeps[i][0],
		       sleeps[i][1], sleeps[i][2], sleeps[i][3]);

	printf("\nround trip through echo, microseconds (median / p99)\n");
	printf("%6s %17s %17s %17s %10s\n", "bytes", "tunnel", "pipe4k",
	       "pipe64k", "tunnel/p4k");
	csv = open_csv(dir, "latency.csv",
		       "bytes,tunnel_p50,tunnel_p99,pipe_4k_p50,pipe_4k_p99,pipe_64k_p50,pipe_64k_p99");
	for (i = 0; i < ARRAY_SIZE(latency_sizes); i++) {
		size_t len = latency_sizes[i];
		double t50, t99, p50, p99, q50, q99;

		tunnel_latency(len, &t50, &t99);
		pipe_latency(4096, len, &p50, &p99);
		pipe_latency(65536, len, &q50, &q99);
		printf("%6zu %8.1f / %6.1f %8.1f / %6.1f %8.1f / %6.1f %10.2f\n",
		       len, t50, t99, p50, p99, q50, q99, t50 / p50);
		if (csv)
			fprintf(csv, "%zu,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f\n", len, t50,
				t99, p50, p99, q50, q99);
	}
	if (csv)
		fclose(csv);

	printf("\n%d-byte chunks with several readers or writers, MB/s\n",
	       SCALING_CHUNK);
	printf("%7s %10s %10s %10s %8s %8s\n", "threads", "k2u", "u2k",
	       "pipe4k", "k2u/1", "u2k/1");
	csv = open_csv(dir, "scaling.csv", "threads,tunnel_k2u,tunnel_u2k,pipe_4k");
	{
		double k2u_1 = 0, u2k_1 = 0;

		for (i = 0; i < ARRAY_SIZE(thread_counts); i++) {
			int n = thread_counts[i];
			double k2u = tunnel_threads_rate("source", n, true);
			double u2k = tunnel_threads_rate("sink", n, false);
			double p4k = pipe_threads_rate(n);

			if (n == 1) {
				k2u_1 = k2u;
				u2k_1 = u2k;
			}
			printf("%7d %10.2f %10.2f %10.2f %8.2f %8.2f\n", n, k2u / 1e6,
			       u2k / 1e6, p4k / 1e6, k2u / k2u_1, u2k / u2k_1);
			if (csv)
				fprintf(csv, "%d,%.0f,%.0f,%.0f\n", n, k2u, u2k, p4k);
		}
	}
	if (csv)
		fclose(csv);
	return 0;
}
