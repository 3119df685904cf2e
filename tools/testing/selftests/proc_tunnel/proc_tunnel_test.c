// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of /proc/tunnel as user space sees it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define TUNNEL_PATH "/proc/tunnel"

/* Opens the tunnel, or marks the test skipped and returns -1. */
static int open_tunnel(struct __test_metadata *_metadata, int flags)
{
	int fd;

	if (geteuid())
		SKIP(return -1, "needs root");
	fd = open(TUNNEL_PATH, flags);
	if (fd < 0 && errno == ENOENT)
		SKIP(return -1, TUNNEL_PATH " is missing: is CONFIG_PROC_TUNNEL set?");
	EXPECT_LE(0, fd) TH_LOG("open(%s): %s", TUNNEL_PATH, strerror(errno));
	return fd;
}

TEST(entry_is_root_only)
{
	struct stat st;

	if (stat(TUNNEL_PATH, &st) && errno == ENOENT)
		SKIP(return, TUNNEL_PATH " is missing: is CONFIG_PROC_TUNNEL set?");
	ASSERT_EQ(0, stat(TUNNEL_PATH, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
}

TEST(root_opens_for_reading_and_writing)
{
	int flags[] = { O_RDONLY, O_WRONLY, O_RDWR };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		int fd = open_tunnel(_metadata, flags[i]);

		if (fd < 0)
			return;
		EXPECT_EQ(0, close(fd));
	}
}

TEST(other_users_cannot_open)
{
	pid_t pid;
	int status;

	if (geteuid())
		SKIP(return, "needs root to become another user");
	if (access(TUNNEL_PATH, F_OK))
		SKIP(return, TUNNEL_PATH " is missing: is CONFIG_PROC_TUNNEL set?");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(TUNNEL_PATH, O_RDONLY) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(nonblocking_read_of_empty_tunnel_is_eagain)
{
	char buf[16];
	int fd = open_tunnel(_metadata, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return;

	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST(zero_length_read_returns_zero)
{
	char buf[1];
	int fd = open_tunnel(_metadata, O_RDONLY);

	if (fd < 0)
		return;

	/* Would block forever if a zero-length read waited for data. */
	EXPECT_EQ(0, read(fd, buf, 0));
	close(fd);
}

TEST(not_seekable)
{
	char buf[1];
	int fd = open_tunnel(_metadata, O_RDWR | O_NONBLOCK);

	if (fd < 0)
		return;

	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(fd, buf, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pwrite(fd, buf, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST(wrong_access_mode_is_ebadf)
{
	char buf[1] = { 0 };
	int rd = open_tunnel(_metadata, O_RDONLY | O_NONBLOCK);
	int wr = open_tunnel(_metadata, O_WRONLY | O_NONBLOCK);

	if (rd < 0 || wr < 0)
		return;
	EXPECT_EQ(-1, write(rd, buf, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, read(wr, buf, 1));
	EXPECT_EQ(EBADF, errno);
	close(rd);
	close(wr);
}

TEST(poll_of_empty_tunnel)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };

	pfd.fd = open_tunnel(_metadata, O_RDWR | O_NONBLOCK);
	if (pfd.fd < 0)
		return;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_FALSE(pfd.revents & POLLIN);
	EXPECT_TRUE(pfd.revents & POLLOUT);
	close(pfd.fd);
}

TEST_HARNESS_MAIN
