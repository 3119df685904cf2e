// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/tunnel against pipes of 4 KiB and 64 KiB and reads of /dev/zero,
 * measured in one run: throughput at several chunk sizes, round-trip
 * latency through the peer's echo against a pipe ping-pong, throughput
 * with several readers or writers, with how often those slept in vain, and
 * what a 1-byte call costs above one to /dev/zero or /dev/null. Every
 * figure is the median of RUNS runs. The tunnel and what it is compared
 * with are measured in turns, one run each per round, and a ratio is the
 * median of the ratios within the rounds. Not a pass/fail test: it prints
 * tables and, given a directory, writes throughput.csv, latency.csv,
 * scaling.csv, wakeups.csv and calls.csv there. Needs the proc_tunnel_peer
 * module.
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
#define RATIO_COLUMNS "k2u_per_pipe,u2k_per_pipe"
#define WAKEUPS_COLUMNS "threads,tunnel_k2u_calls,tunnel_k2u_waited,tunnel_k2u_rewaits,tunnel_u2k_calls,tunnel_u2k_waited,tunnel_u2k_rewaits,pipe_4k_calls,pipe_4k_waited,pipe_4k_rewaits"

/* Bytes that the last rate() moved. */
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

/* The median of the RUNS values at @runs, which it leaves as they were. */
static double median_of_runs(const double *runs)
{
	double sorted[RUNS];

	memcpy(sorted, runs, sizeof(sorted));
	qsort(sorted, RUNS, sizeof(sorted[0]), cmp_double);
	return sorted[RUNS / 2];
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

/* One of the channels a throughput comparison measures in turns. */
struct channel {
	int fd;
	bool reading;
	/* Whether the peer's thread is the other end, whose sleeps count too. */
	bool peer;
	/* Bytes per second, per round. */
	double runs[RUNS];
	/* How often both ends slept, and the bytes moved meanwhile. */
	long sleeps;
	size_t bytes;
};

static long channel_sleeps(const struct channel *c)
{
	return own_sleeps() + (c->peer ? peer_sleeps() : 0);
}

/*
 * RUNS rounds in which each of the @n channels is measured once, starting
 * with another one each round: the host's speed drifts over a run of the
 * benchmark, and this way the drift touches all channels alike, so that
 * their ratios within a round are steadier than their rates.
 */
static void rates_in_turns(struct channel *c, int n, size_t chunk)
{
	int r, i;

	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < n; i++) {
			struct channel *ch = &c[(r + i) % n];
			long before = channel_sleeps(ch);

			moved = 0;
			ch->runs[r] = rate(ch->fd, chunk, ch->reading);
			ch->sleeps += channel_sleeps(ch) - before;
			ch->bytes += moved;
		}
	}
}

static double median_rate(const struct channel *c)
{
	return median_of_runs(c->runs);
}

/* The median over the RUNS rounds of @a's figure against @b's. */
static double median_ratio(const double *a, const double *b)
{
	double ratios[RUNS];
	int r;

	for (r = 0; r < RUNS; r++)
		ratios[r] = b[r] ? a[r] / b[r] : 0;
	return median_of_runs(ratios);
}

/*
 * How often both ends went to sleep per KiB moved: each sleep is a wake-up
 * and two context switches, the cost a fast channel avoids.
 */
static double sleeps_per_kib(const struct channel *c)
{
	return c->bytes ? c->sleeps * 1024.0 / c->bytes : 0;
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

/* Makes @fds a pipe of @capacity bytes; on failure, both are -1. */
static int open_pipe_of(int fds[2], int capacity)
{
	if (!pipe(fds)) {
		if (fcntl(fds[1], F_SETPIPE_SZ, capacity) >= 0)
			return 0;
		close(fds[0]);
		close(fds[1]);
	}
	fds[0] = -1;
	fds[1] = -1;
	return -1;
}

/* A pipe of some capacity that a thread keeps full. */
struct filled_pipe {
	struct pipe_writer w;
	pthread_t thread;
	int fds[2];
};

/*
 * Starts a thread that writes @chunk bytes at a time to a new pipe of
 * @capacity bytes; returns the pipe's read end, -1 on failure.
 */
static int open_filled_pipe(struct filled_pipe *p, int capacity, size_t chunk)
{
	if (open_pipe_of(p->fds, capacity))
		return -1;
	p->w = (struct pipe_writer){ .fd = p->fds[1], .chunk = chunk };
	pthread_create(&p->thread, NULL, write_pipe, &p->w);
	return p->fds[0];
}

static void close_filled_pipe(struct filled_pipe *p)
{
	if (p->fds[0] < 0)
		return;
	__atomic_store_n(&p->w.stop, true, __ATOMIC_RELAXED);
	/* A writer blocked on the full pipe fails with EPIPE. */
	close(p->fds[0]);
	pthread_join(p->thread, NULL);
	close(p->fds[1]);
}

static void *drain_pipe(void *arg)
{
	static char buf[65536];
	const int *fd = arg;

	while (read(*fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

/* A pipe of some capacity that a thread keeps empty. */
struct drained_pipe {
	pthread_t thread;
	int fds[2];
};

/*
 * Starts a thread that reads all it can at a time from a new pipe of
 * @capacity bytes; returns the pipe's write end, -1 on failure.
 */
static int open_drained_pipe(struct drained_pipe *p, int capacity)
{
	if (open_pipe_of(p->fds, capacity))
		return -1;
	pthread_create(&p->thread, NULL, drain_pipe, &p->fds[0]);
	return p->fds[1];
}

static void close_drained_pipe(struct drained_pipe *p)
{
	if (p->fds[1] < 0)
		return;
	/* The reader reads end of file and returns. */
	close(p->fds[1]);
	pthread_join(p->thread, NULL);
	close(p->fds[0]);
}

/* Opens the tunnel with the peer in @mode; -1 on failure. */
static int open_tunnel_with_peer(const char *mode, int flags)
{
	int fd = open(TUNNEL_PATH, flags);

	peer_mode("off");
	drain_tunnel();
	if (fd >= 0 && peer_mode(mode)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void close_tunnel_with_peer(int fd)
{
	peer_mode("off");
	if (fd >= 0)
		close(fd);
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
 * SECONDS: their median and 99th percentile in microseconds.
 */
static void round_trips(int out, int in, size_t len, double *p50, double *p99)
{
	static double rtt[MAX_ROUND_TRIPS];
	double start = now(), t = start;
	char buf[64] = "";
	size_t n = 0;

	while (t - start < SECONDS && n < MAX_ROUND_TRIPS) {
		double sent = t;

		if (!transfer_all(out, buf, len, false) ||
		    !transfer_all(in, buf, len, true))
			break;
		t = now();
		rtt[n++] = (t - sent) * 1e6;
	}
	*p50 = 0;
	*p99 = 0;
	if (!n)
		return;
	qsort(rtt, n, sizeof(rtt[0]), cmp_double);
	*p50 = rtt[n / 2];
	*p99 = rtt[n * 99 / 100];
}

/* Where round trips go out and come back in, and what their runs gave. */
struct echo {
	int out, in;
	double p50[RUNS], p99[RUNS];
};

/* A thread that sends back what comes through one pipe through another. */
struct pipe_echo {
	int in, out;
	size_t len;
	int there[2], back[2];
	pthread_t thread;
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

/* Two pipes of @capacity and a thread that echoes @len bytes at a time. */
static void open_pipe_echo(struct pipe_echo *e, struct echo *c, int capacity,
			   size_t len)
{
	c->out = -1;
	c->in = -1;
	if (open_pipe_of(e->there, capacity))
		return;
	if (open_pipe_of(e->back, capacity)) {
		close(e->there[0]);
		close(e->there[1]);
		e->there[0] = -1;
		return;
	}
	e->in = e->there[0];
	e->out = e->back[1];
	e->len = len;
	pthread_create(&e->thread, NULL, echo_pipe, e);
	c->out = e->there[1];
	c->in = e->back[0];
}

static void close_pipe_echo(struct pipe_echo *e)
{
	if (e->there[0] < 0)
		return;
	/* The echo thread reads end of file and returns. */
	close(e->there[1]);
	pthread_join(e->thread, NULL);
	close(e->there[0]);
	close(e->back[0]);
	close(e->back[1]);
}

/*
 * RUNS rounds in which each of the @n echoes is measured once, starting
 * with another one each round, as rates_in_turns() does.
 */
static void round_trips_in_turns(struct echo *c, int n, size_t len)
{
	int r, i;

	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < n; i++) {
			struct echo *e = &c[(r + i) % n];

			round_trips(e->out, e->in, len, &e->p50[r], &e->p99[r]);
		}
	}
}

/* How the calls of a pass went, when its sleeps are counted. */
struct waits {
	long calls;
	/* Calls that slept at least once. */
	long waited;
	/* Sleeps after the first in a call: wake-ups that found nothing to do. */
	long rewaits;
};

struct worker {
	int fd;
	bool reading;
	double start;
	size_t bytes;
	/* NULL in the timed passes: counting costs two system calls a call. */
	struct waits *waits;
};

static void *transfer_for_a_while(void *arg)
{
	static __thread char buf[SCALING_CHUNK];
	struct worker *w = arg;

	while (now() - w->start < SECONDS) {
		long before = w->waits ? sleeps_of_this_thread() : 0;
		ssize_t ret = w->reading ? read(w->fd, buf, sizeof(buf)) :
					   write(w->fd, buf, sizeof(buf));
		long slept;

		if (ret <= 0)
			break;
		w->bytes += ret;
		if (!w->waits)
			continue;
		slept = sleeps_of_this_thread() - before;
		w->waits->calls++;
		if (slept > 0) {
			w->waits->waited++;
			w->waits->rewaits += slept - 1;
		}
	}
	return NULL;
}

/*
 * @threads threads that each read() or write() SCALING_CHUNK bytes on their
 * own descriptor of @fds for SECONDS; returns the bytes per second they
 * moved together. With @waits, each call's sleeps are counted into it.
 */
static double threads_pass(const int *fds, int threads, bool reading,
			   struct waits *waits)
{
	struct worker w[MAX_THREADS];
	pthread_t thread[MAX_THREADS];
	struct waits counted[MAX_THREADS] = {};
	double start = now();
	size_t bytes = 0;
	int i;

	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ fds[i], reading, start, 0,
					waits ? &counted[i] : NULL };
		pthread_create(&thread[i], NULL, transfer_for_a_while, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(thread[i], NULL);
		bytes += w[i].bytes;
		if (waits) {
			waits->calls += counted[i].calls;
			waits->waited += counted[i].waited;
			waits->rewaits += counted[i].rewaits;
		}
	}
	return bytes / (now() - start);
}

/*
 * The median of RUNS timed passes, then one more pass that counts the
 * sleeps into @waits.
 */
static double threads_rate(const int *fds, int threads, bool reading,
			   struct waits *waits)
{
	double runs[RUNS];
	int r;

	for (r = 0; r < RUNS; r++)
		runs[r] = threads_pass(fds, threads, reading, NULL);
	*waits = (struct waits){};
	threads_pass(fds, threads, reading, waits);
	return median_of_runs(runs);
}

static double tunnel_threads_rate(const char *mode, int threads, bool reading,
				  struct waits *waits)
{
	int fds[MAX_THREADS] = { -1, -1, -1, -1 }, i;
	double r = 0;

	peer_mode("off");
	drain_tunnel();
	for (i = 0; i < threads; i++)
		fds[i] = open(TUNNEL_PATH, reading ? O_RDONLY : O_WRONLY);
	if (!peer_mode(mode))
		r = threads_rate(fds, threads, reading, waits);
	peer_mode("off");
	for (i = 0; i < threads; i++)
		close(fds[i]);
	return r;
}

/* @threads readers of a 4 KiB pipe that one thread fills. */
static double pipe_threads_rate(int threads, struct waits *waits)
{
	struct pipe_writer w = { .chunk = SCALING_CHUNK };
	int fds[2], readers[MAX_THREADS], i;
	pthread_t thread;
	double r;

	if (open_pipe_of(fds, 4096))
		return 0;
	for (i = 0; i < threads; i++)
		readers[i] = fds[0];
	w.fd = fds[1];
	pthread_create(&thread, NULL, write_pipe, &w);
	r = threads_rate(readers, threads, true, waits);
	__atomic_store_n(&w.stop, true, __ATOMIC_RELAXED);
	close(fds[0]);
	pthread_join(thread, NULL);
	close(fds[1]);
	return r;
}

/* The figures of one chunk size. */
struct throughput {
	double k2u, u2k, pipe_4k, pipe_64k, zero;
	/* Ratios to the pipe of the tunnel's capacity, and to /dev/zero. */
	double k2u_per_pipe, u2k_per_pipe, k2u_per_zero;
	/* Sleeps per KiB: k2u, u2k, pipe 4 KiB, pipe 64 KiB. */
	double sleeps[4];
};

/*
 * Kernel->user in turns with both pipes and /dev/zero, the peer streaming;
 * then user->kernel in turns with the pipe of the same capacity, the peer
 * swallowing. The producers of the channels not being read sleep on a full
 * pipe or tunnel meanwhile.
 */
static void measure_throughput(size_t chunk, long capacity, int zero,
			       struct throughput *t)
{
	struct filled_pipe pipe_4k, pipe_64k;
	struct channel k2u[4] = {
		{ .fd = open_tunnel_with_peer("source", O_RDONLY), .reading = true,
		  .peer = true },
		{ .fd = open_filled_pipe(&pipe_4k, 4096, chunk), .reading = true },
		{ .fd = open_filled_pipe(&pipe_64k, 65536, chunk), .reading = true },
		{ .fd = zero, .reading = true },
	};
	struct channel *same = capacity > 4096 ? &k2u[2] : &k2u[1];
	struct channel u2k[2];

	rates_in_turns(k2u, ARRAY_SIZE(k2u), chunk);
	close_tunnel_with_peer(k2u[0].fd);
	u2k[0] = (struct channel){ .fd = open_tunnel_with_peer("sink", O_WRONLY),
				   .peer = true };
	u2k[1] = (struct channel){ .fd = same->fd, .reading = true };
	rates_in_turns(u2k, ARRAY_SIZE(u2k), chunk);
	close_tunnel_with_peer(u2k[0].fd);
	close_filled_pipe(&pipe_4k);
	close_filled_pipe(&pipe_64k);

	t->k2u = median_rate(&k2u[0]);
	t->u2k = median_rate(&u2k[0]);
	t->pipe_4k = median_rate(&k2u[1]);
	t->pipe_64k = median_rate(&k2u[2]);
	t->zero = median_rate(&k2u[3]);
	t->k2u_per_pipe = median_ratio(k2u[0].runs, same->runs);
	t->u2k_per_pipe = median_ratio(u2k[0].runs, u2k[1].runs);
	t->k2u_per_zero = median_ratio(k2u[0].runs, k2u[3].runs);
	t->sleeps[0] = sleeps_per_kib(&k2u[0]);
	t->sleeps[1] = sleeps_per_kib(&u2k[0]);
	t->sleeps[2] = sleeps_per_kib(&k2u[1]);
	t->sleeps[3] = sleeps_per_kib(&k2u[2]);
}

/* Nanoseconds per call of a channel that rate() measured with 1-byte calls. */
static double ns_per_call(const struct channel *c)
{
	double rate = median_rate(c);

	return rate ? 1e9 / rate : 0;
}

/* One-byte calls of the tunnel and a pipe, and of the files that set the floor. */
struct call_costs {
	double tunnel_read, pipe_read, zero_read;
	double tunnel_write, pipe_write, null_write;
};

/*
 * One-byte reads of the tunnel, the peer streaming, in turns with reads of
 * a pipe of the tunnel's @capacity, which a thread fills a byte at a time,
 * and of /dev/zero; then 1-byte writes to the tunnel, the peer swallowing,
 * in turns with writes to such a pipe, which a thread drains, and to
 * /dev/null. /dev/zero clears a byte and /dev/null does nothing, so their
 * calls are the floor under any 1-byte read or write: the system call, the
 * file lookup and the VFS.
 */
static void measure_calls(long capacity, int zero, int null,
			  struct call_costs *c)
{
	struct filled_pipe filled;
	struct drained_pipe drained;
	struct channel reads[3] = {
		{ .fd = open_tunnel_with_peer("source", O_RDONLY), .reading = true,
		  .peer = true },
		{ .fd = open_filled_pipe(&filled, capacity, 1), .reading = true },
		{ .fd = zero, .reading = true },
	};
	struct channel writes[3];

	rates_in_turns(reads, ARRAY_SIZE(reads), 1);
	close_tunnel_with_peer(reads[0].fd);
	close_filled_pipe(&filled);
	writes[0] = (struct channel){ .fd = open_tunnel_with_peer("sink", O_WRONLY),
				      .peer = true };
	writes[1] = (struct channel){ .fd = open_drained_pipe(&drained, capacity) };
	writes[2] = (struct channel){ .fd = null };
	rates_in_turns(writes, ARRAY_SIZE(writes), 1);
	close_tunnel_with_peer(writes[0].fd);
	close_drained_pipe(&drained);

	c->tunnel_read = ns_per_call(&reads[0]);
	c->pipe_read = ns_per_call(&reads[1]);
	c->zero_read = ns_per_call(&reads[2]);
	c->tunnel_write = ns_per_call(&writes[0]);
	c->pipe_write = ns_per_call(&writes[1]);
	c->null_write = ns_per_call(&writes[2]);
}

/*
 * Round trips of @len bytes through the tunnel and the peer's echo, in turns
 * with ping-pongs through pipes of 4 KiB and 64 KiB; returns the tunnel's
 * median against the 4 KiB pipe's, and fills @c with the runs of each.
 */
static double measure_latency(size_t len, struct echo c[3])
{
	struct pipe_echo pipe_4k, pipe_64k;
	int fd = open_tunnel_with_peer("echo", O_RDWR);
	double ratio;

	c[0] = (struct echo){ .out = fd, .in = fd };
	open_pipe_echo(&pipe_4k, &c[1], 4096, len);
	open_pipe_echo(&pipe_64k, &c[2], 65536, len);
	round_trips_in_turns(c, 3, len);
	ratio = median_ratio(c[0].p50, c[1].p50);
	close_tunnel_with_peer(fd);
	close_pipe_echo(&pipe_4k);
	close_pipe_echo(&pipe_64k);
	return ratio;
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
	int null = open("/dev/null", O_WRONLY);
	struct throughput figures[ARRAY_SIZE(sizes)];
	struct call_costs calls;
	struct waits waits[ARRAY_SIZE(thread_counts)][3];
	long capacity;
	FILE *csv;
	unsigned int i;

	signal(SIGPIPE, SIG_IGN);
	if (access(PEER_DIR "mode", W_OK)) {
		fprintf(stderr, "no %s: load proc_tunnel_peer\n", PEER_DIR "mode");
		return KSFT_SKIP;
	}
	/* They are the floor that the tables measure against. */
	if (zero < 0 || null < 0) {
		perror("open /dev/zero or /dev/null");
		return KSFT_SKIP;
	}
	peer_mode("off");
	/* The room of the kernel-to-user buffer when empty. */
	capacity = peer_number("avail");
	printf("tunnel capacity: %ld bytes; ratios are to the pipe of that capacity,\n"
	       "each the median of the ratios of %d rounds that measure both in turns\n\n",
	       capacity, RUNS);

	printf("throughput, MB/s\n");
	printf("%6s %10s %10s %10s %10s %10s %8s %8s %8s\n", "chunk", "k2u",
	       "u2k", "pipe4k", "pipe64k", "/dev/zero", "k2u/pipe",
	       "u2k/pipe", "k2u/zero");
	csv = open_csv(dir, "throughput.csv",
		       THROUGHPUT_COLUMNS "," SLEEPS_COLUMNS "," RATIO_COLUMNS);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct throughput *t = &figures[i];

		measure_throughput(sizes[i], capacity, zero, t);
		printf("%6zu %10.2f %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f %8.3f\n",
		       sizes[i], t->k2u / 1e6, t->u2k / 1e6, t->pipe_4k / 1e6,
		       t->pipe_64k / 1e6, t->zero / 1e6, t->k2u_per_pipe,
		       t->u2k_per_pipe, t->k2u_per_zero);
		if (!csv)
			continue;
		fprintf(csv, "%zu,%.0f,%.0f,%.0f,%.0f,%.0f,%ld,", sizes[i], t->k2u,
			t->u2k, t->pipe_4k, t->pipe_64k, t->zero, capacity);
		fprintf(csv, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", t->sleeps[0],
			t->sleeps[1], t->sleeps[2], t->sleeps[3], t->k2u_per_pipe,
			t->u2k_per_pipe);
	}
	if (csv)
		fclose(csv);

	printf("\nsleeps of both ends per KiB moved (voluntary context switches)\n");
	printf("%6s %10s %10s %10s %10s\n", "chunk", "k2u", "u2k", "pipe4k",
	       "pipe64k");
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		printf("%6zu %10.3f %10.3f %10.3f %10.3f\n", sizes[i],
		       figures[i].sleeps[0], figures[i].sleeps[1],
		       figures[i].sleeps[2], figures[i].sleeps[3]);

	printf("\nround trip through echo, microseconds (median / p99)\n");
	printf("%6s %17s %17s %17s %10s\n", "bytes", "tunnel", "pipe4k",
	       "pipe64k", "tunnel/p4k");
	csv = open_csv(dir, "latency.csv",
		       "bytes,tunnel_p50,tunnel_p99,pipe_4k_p50,pipe_4k_p99,pipe_64k_p50,pipe_64k_p99,tunnel_per_pipe_4k");
	for (i = 0; i < ARRAY_SIZE(latency_sizes); i++) {
		size_t len = latency_sizes[i];
		struct echo c[3];
		double ratio = measure_latency(len, c);
		double t50 = median_of_runs(c[0].p50), t99 = median_of_runs(c[0].p99);
		double p50 = median_of_runs(c[1].p50), p99 = median_of_runs(c[1].p99);
		double q50 = median_of_runs(c[2].p50), q99 = median_of_runs(c[2].p99);

		printf("%6zu %8.1f / %6.1f %8.1f / %6.1f %8.1f / %6.1f %10.2f\n",
		       len, t50, t99, p50, p99, q50, q99, ratio);
		if (csv)
			fprintf(csv, "%zu,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.3f\n", len,
				t50, t99, p50, p99, q50, q99, ratio);
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
			double k2u = tunnel_threads_rate("source", n, true, &waits[i][0]);
			double u2k = tunnel_threads_rate("sink", n, false, &waits[i][1]);
			double p4k = pipe_threads_rate(n, &waits[i][2]);

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

	printf("\nsleeps in the same calls, counted in a pass of their own: calls that\n"
	       "slept, %%, and sleeps after the first per 100 calls that slept, which\n"
	       "are wake-ups that found nothing to do (for the pipe, sleeps on its mutex too)\n");
	printf("%7s %16s %16s %16s\n", "threads", "k2u", "u2k", "pipe4k");
	csv = open_csv(dir, "wakeups.csv", WAKEUPS_COLUMNS);
	for (i = 0; i < ARRAY_SIZE(thread_counts); i++) {
		int j;

		printf("%7d", thread_counts[i]);
		if (csv)
			fprintf(csv, "%d", thread_counts[i]);
		for (j = 0; j < 3; j++) {
			struct waits *c = &waits[i][j];

			printf(" %7.1f / %6.1f", c->calls ? 100.0 * c->waited / c->calls : 0,
			       c->waited ? 100.0 * c->rewaits / c->waited : 0);
			if (csv)
				fprintf(csv, ",%ld,%ld,%ld", c->calls, c->waited, c->rewaits);
		}
		printf("\n");
		if (csv)
			fprintf(csv, "\n");
	}
	if (csv)
		fclose(csv);

	printf("\n1-byte calls, ns each, and above the floor: the same call on a file\n"
	       "that does next to nothing (reads: /dev/zero, writes: /dev/null);\n"
	       "the pipe has the tunnel's capacity, and a thread at its other end\n");
	printf("%-20s %8s %8s\n", "call", "ns", "above");
	measure_calls(capacity, zero, null, &calls);
	printf("%-20s %8.0f\n", "read /dev/zero", calls.zero_read);
	printf("%-20s %8.0f %8.0f\n", "read tunnel (k2u)", calls.tunnel_read,
	       calls.tunnel_read - calls.zero_read);
	printf("%-20s %8.0f %8.0f\n", "read pipe", calls.pipe_read,
	       calls.pipe_read - calls.zero_read);
	printf("%-20s %8.0f\n", "write /dev/null", calls.null_write);
	printf("%-20s %8.0f %8.0f\n", "write tunnel (u2k)", calls.tunnel_write,
	       calls.tunnel_write - calls.null_write);
	printf("%-20s %8.0f %8.0f\n", "write pipe", calls.pipe_write,
	       calls.pipe_write - calls.null_write);
	csv = open_csv(dir, "calls.csv",
		       "tunnel_read,pipe_read,dev_zero_read,tunnel_write,pipe_write,dev_null_write,capacity");
	if (csv) {
		fprintf(csv, "%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%ld\n",
			calls.tunnel_read, calls.pipe_read, calls.zero_read,
			calls.tunnel_write, calls.pipe_write, calls.null_write,
			capacity);
		fclose(csv);
	}
	return 0;
}
