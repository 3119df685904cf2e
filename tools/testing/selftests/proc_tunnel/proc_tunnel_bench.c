// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of /proc/tunnel against a pipe of the same capacity, a pipe of
 * the default capacity and reads of /dev/zero, measured in one run. Not a
 * pass/fail test: it prints a table and, with an argument, writes CSV there.
 * Needs the proc_tunnel_peer module (source and sink modes).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"

#define PEER_MODE "/sys/kernel/debug/proc_tunnel/peer/mode"
#define SECONDS 0.4
#define RUNS 3

static const size_t sizes[] = { 1, 64, 512, 4096 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int peer_mode(const char *mode)
{
	int fd = open(PEER_MODE, O_WRONLY);
	bool ok;

	if (fd < 0)
		return -1;
	ok = write(fd, mode, strlen(mode)) == (ssize_t)strlen(mode);
	close(fd);
	return ok ? 0 : -1;
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
		elapsed = now() - start;
	} while (elapsed < SECONDS);
	return bytes / elapsed;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_rate(int fd, size_t chunk, bool reading)
{
	double runs[RUNS];
	int i;

	for (i = 0; i < RUNS; i++)
		runs[i] = rate(fd, chunk, reading);
	qsort(runs, RUNS, sizeof(runs[0]), cmp_double);
	return runs[RUNS / 2];
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
static double pipe_rate(int capacity, size_t chunk)
{
	struct pipe_writer w = { .chunk = chunk };
	pthread_t thread;
	int fds[2];
	double r;

	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, capacity) < 0)
		return 0;
	w.fd = fds[1];
	pthread_create(&thread, NULL, write_pipe, &w);
	r = median_rate(fds[0], chunk, true);
	__atomic_store_n(&w.stop, true, __ATOMIC_RELAXED);
	close(fds[0]);
	pthread_join(thread, NULL);
	close(fds[1]);
	return r;
}

static double tunnel_rate(const char *mode, size_t chunk, bool reading)
{
	int fd = open("/proc/tunnel", reading ? O_RDONLY : O_WRONLY);
	double r;

	if (fd < 0 || peer_mode(mode))
		return 0;
	r = median_rate(fd, chunk, reading);
	peer_mode("off");
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	FILE *csv = argc > 1 ? fopen(argv[1], "w") : NULL;
	int zero = open("/dev/zero", O_RDONLY);
	unsigned int i;

	signal(SIGPIPE, SIG_IGN);
	if (access(PEER_MODE, W_OK)) {
		fprintf(stderr, "no %s: load proc_tunnel_peer\n", PEER_MODE);
		return 4;
	}
	printf("%6s %10s %10s %10s %10s %10s %8s %8s %8s\n", "chunk", "k2u MB/s",
	       "u2k MB/s", "pipe4k", "pipe64k", "/dev/zero", "k2u/p4k",
	       "u2k/p4k", "k2u/zero");
	if (csv)
		fprintf(csv, "chunk,tunnel_k2u,tunnel_u2k,pipe_4k,pipe_64k,dev_zero\n");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t chunk = sizes[i];
		double k2u = tunnel_rate("source", chunk, true);
		double u2k = tunnel_rate("sink", chunk, false);
		double p4k = pipe_rate(4096, chunk);
		double p64k = pipe_rate(65536, chunk);
		double z = median_rate(zero, chunk, true);

		printf("%6zu %10.2f %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f %8.3f\n",
		       chunk, k2u / 1e6, u2k / 1e6, p4k / 1e6, p64k / 1e6, z / 1e6,
		       k2u / p4k, u2k / p4k, k2u / z);
		if (csv)
			fprintf(csv, "%zu,%.0f,%.0f,%.0f,%.0f,%.0f\n", chunk, k2u, u2k,
				p4k, p64k, z);
	}
	if (csv)
		fclose(csv);
	return 0;
}
