/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the proc_tunnel programs: writing a control file,
 * the debugfs controls of the proc_tunnel_peer module, and counting how
 * often a thread slept. Include after defining _GNU_SOURCE.
 */
#ifndef PROC_TUNNEL_PEER_H
#define PROC_TUNNEL_PEER_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define TUNNEL_PATH "/proc/tunnel"
#define PEER_DIR "/sys/kernel/debug/proc_tunnel/peer/"

/* Writes @len bytes of @buf to the file at @path in one write(). */
static inline int write_buf(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t ret;

	if (fd < 0)
		return -1;
	ret = write(fd, buf, len);
	close(fd);
	return ret == (ssize_t)len ? 0 : -1;
}

static inline int write_file(const char *path, const char *text)
{
	return write_buf(path, text, strlen(text));
}

static inline int peer_mode(const char *mode)
{
	return write_file(PEER_DIR "mode", mode);
}

/* The number in the peer's file @name: user, avail or pending; -1 without it. */
static inline long peer_number(const char *name)
{
	char path[128], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), PEER_DIR "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strtol(buf, NULL, 10);
}

/* Empties both directions, so that nothing left earlier is read as new. */
static inline void drain_tunnel(void)
{
	static char buf[65536];
	int fd = open(TUNNEL_PATH, O_RDONLY | O_NONBLOCK);
	int drain = open(PEER_DIR "drain", O_RDONLY);

	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	while (drain >= 0 && read(drain, buf, sizeof(buf)) > 0)
		;
	if (fd >= 0)
		close(fd);
	if (drain >= 0)
		close(drain);
}

/* How often the calling thread has slept: its voluntary context switches. */
static inline long sleeps_of_this_thread(void)
{
	struct rusage usage;

	getrusage(RUSAGE_THREAD, &usage);
	return usage.ru_nvcsw;
}

#endif /* PROC_TUNNEL_PEER_H */
