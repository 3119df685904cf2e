// SPDX-License-Identifier: GPL-2.0
/*
 * Runs in the test VM (ci/guest-tests.sh), on a kernel with fault injection:
 * loads a module again and again, the first time with the first fault point
 * of the load failing (an allocation with failslab, a user copy with
 * fail_usercopy), then the second, and so on through /proc/thread-self/fail-nth,
 * until a load passes every point without a fault. Each load must either
 * succeed, and the module then unload, or fail with an error; the kernel log
 * and kmemleak tell the rest.
 *
 *	fail-nth-load MODULE.ko MODULE_NAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_POINTS 5000

static int fail_nth = -1;

static int set_fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fail_nth, buf, len, 0) == len ? 0 : -1;
}

/*
 * Whether the fault set up last was injected: fail-nth reads 0 then. When
 * the load left exactly one point to go, the copy of this read is the point
 * that fails: the load met no fault.
 */
static int fault_injected(void)
{
	char buf[16] = "";

	if (pread(fail_nth, buf, sizeof(buf) - 1, 0) <= 0)
		return errno == EFAULT ? 0 : -1;
	return atoi(buf) == 0;
}

int main(int argc, char **argv)
{
	unsigned int n, loaded = 0, failed = 0, bad = 0, enomem = 0;
	int module, ret, err, injected;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MODULE.ko MODULE_NAME\n", argv[0]);
		return 2;
	}
	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth < 0) {
		perror("/proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
		return 1;
	}
	for (n = 1; n <= MAX_POINTS; n++) {
		module = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (module < 0) {
			perror(argv[1]);
			return 1;
		}
		if (set_fail_nth(n)) {
			perror("fail-nth");
			return 1;
		}
		ret = syscall(SYS_finit_module, module, "", 0);
		err = errno;
		injected = fault_injected();
		set_fail_nth(0);
		close(module);
		if (ret == 0) {
			loaded++;
			if (syscall(SYS_delete_module, argv[2], O_NONBLOCK)) {
				fprintf(stderr, "fault %u: the module loaded but does not unload: %s\n",
					n, strerror(errno));
				return 1;
			}
		} else {
			failed++;
			enomem += err == ENOMEM;
			/* A failed allocation or copy says so; anything else is suspect. */
			if (err != ENOMEM && err != EFAULT) {
				fprintf(stderr, "fault %u: load failed with %s\n", n, strerror(err));
				bad++;
			}
		}
		if (injected != 1)
			break;
	}
	printf("%u fault points in a load: %u loads failed (%u ENOMEM), %u loaded anyway, %u with an unexpected error\n",
	       n - 1, failed, enomem, loaded - (injected != 1), bad);
	if (n > MAX_POINTS) {
		fprintf(stderr, "more than %d fault points: gave up\n", MAX_POINTS);
		return 1;
	}
	/* The last load met no fault: it must have worked. */
	if (injected != 0 || ret != 0) {
		fprintf(stderr, "the load without a fault failed\n");
		return 1;
	}
	return bad ? 1 : 0;
}
