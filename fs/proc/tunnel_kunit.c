// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the kernel interface of /proc/tunnel, called as any C code
 * would call it. They run before user space and leave both buffers empty.
 */
#include <kunit/test.h>
#include <linux/hrtimer.h>
#include <linux/completion.h>
#include <linux/limits.h>
#include <linux/proc_fs.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "internal.h"

static int tunnel_kunit_init(struct kunit *test)
{
	proc_tunnel_kunit_reset();
	return 0;
}

static void tunnel_kunit_exit(struct kunit *test)
{
	proc_tunnel_kunit_reset();
}

static void tunnel_empty_at_start(struct kunit *test)
{
	char byte;

	KUNIT_EXPECT_EQ(test, tunnel_user(), 0);
	KUNIT_EXPECT_EQ(test, tunnel_avail(), TUNNEL_SIZE);
	KUNIT_EXPECT_EQ(test, tunnel_read(&byte, 1), 0);
}

static void tunnel_bad_arguments(struct kunit *test)
{
	char buf[4] = "abc";

	KUNIT_EXPECT_EQ(test, tunnel_write(buf, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, INT_MIN), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_write(NULL, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_read(buf, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_read(buf, INT_MIN), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_read(NULL, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_write(NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, tunnel_read(NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, tunnel_user(), 0);
}

static void tunnel_wait_arguments(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tunnel_wait_pending(0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_wait_pending(-1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_wait_pending(1, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tunnel_wait_avail(-1), -EINVAL);
	/* Nothing pending: neither a check nor a short wait finds anything. */
	KUNIT_EXPECT_EQ(test, tunnel_wait_pending(1, 0), 0);
	KUNIT_EXPECT_EQ(test, tunnel_wait_pending(INT_MAX, 1), 0);
	/* All of the empty kernel-to-user buffer is room. */
	KUNIT_EXPECT_EQ(test, tunnel_wait_avail(0), TUNNEL_SIZE);
}

static void tunnel_counts_beyond_capacity(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, TUNNEL_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Only the capacity's worth of @loc is looked at, whatever @count says. */
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, INT_MAX), TUNNEL_SIZE);
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, INT_MAX), 0);
	KUNIT_EXPECT_EQ(test, tunnel_user(), TUNNEL_SIZE);
	KUNIT_EXPECT_EQ(test, tunnel_read(buf, INT_MAX), 0);
}

static void tunnel_write_fills_to_capacity(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, TUNNEL_SIZE + 100, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, 100), 100);
	KUNIT_EXPECT_EQ(test, tunnel_user(), 100);
	KUNIT_EXPECT_EQ(test, tunnel_avail(), TUNNEL_SIZE - 100);
	/* A short count when the buffer fills, then nothing. */
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, TUNNEL_SIZE), TUNNEL_SIZE - 100);
	KUNIT_EXPECT_EQ(test, tunnel_user(), TUNNEL_SIZE);
	KUNIT_EXPECT_EQ(test, tunnel_avail(), 0);
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, 1), 0);
	KUNIT_EXPECT_EQ(test, tunnel_write(buf, INT_MAX), 0);
}

static void tunnel_user_plus_avail_is_capacity(struct kunit *test)
{
	char buf[61] = { 0 };
	int i;

	for (i = 0; i < 2 * TUNNEL_SIZE / (int)sizeof(buf); i++) {
		tunnel_write(buf, sizeof(buf));
		KUNIT_EXPECT_EQ(test, tunnel_user() + tunnel_avail(),
				TUNNEL_SIZE);
	}
	KUNIT_EXPECT_EQ(test, tunnel_avail(), 0);
}

static void tunnel_calls_with_spinlock_held(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	unsigned long flags;
	char buf[8] = "atomic!";
	int written, used, taken;

	spin_lock_irqsave(&lock, flags);
	written = tunnel_write(buf, sizeof(buf));
	used = tunnel_user();
	taken = tunnel_read(buf, sizeof(buf));
	spin_unlock_irqrestore(&lock, flags);

	KUNIT_EXPECT_EQ(test, written, (int)sizeof(buf));
	KUNIT_EXPECT_EQ(test, used, (int)sizeof(buf));
	KUNIT_EXPECT_EQ(test, taken, 0);
}

struct tunnel_timer_call {
	struct hrtimer timer;
	struct completion done;
	int written, used, avail;
};

static enum hrtimer_restart tunnel_timer_fn(struct hrtimer *timer)
{
	struct tunnel_timer_call *call =
		container_of(timer, struct tunnel_timer_call, timer);
	static const char msg[] = "from hard irq";

	call->written = tunnel_write(msg, sizeof(msg));
	call->used = tunnel_user();
	call->avail = tunnel_avail();
	complete(&call->done);
	return HRTIMER_NORESTART;
}

static void tunnel_calls_from_hrtimer(struct kunit *test)
{
	/*
	 * Not HRTIMER_MODE_REL_HARD: the tunnel takes spinlock_t locks, which
	 * raw hard irq context (and lockdep's check of it) does not allow. The
	 * callback still runs in hard irq context unless PREEMPT_RT is set.
	 */
	const enum hrtimer_mode mode = HRTIMER_MODE_REL;
	struct tunnel_timer_call *call;

	call = kunit_kzalloc(test, sizeof(*call), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, call);
	init_completion(&call->done);
	hrtimer_setup(&call->timer, tunnel_timer_fn, CLOCK_MONOTONIC, mode);
	hrtimer_start(&call->timer, ms_to_ktime(1), mode);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&call->done, 5 * HZ),
			0);
	hrtimer_cancel(&call->timer);

	KUNIT_EXPECT_EQ(test, call->written, (int)sizeof("from hard irq"));
	KUNIT_EXPECT_EQ(test, call->used, call->written);
	KUNIT_EXPECT_EQ(test, call->avail, TUNNEL_SIZE - call->written);
}

static struct kunit_case tunnel_test_cases[] = {
	KUNIT_CASE(tunnel_empty_at_start),
	KUNIT_CASE(tunnel_bad_arguments),
	KUNIT_CASE(tunnel_wait_arguments),
	KUNIT_CASE(tunnel_counts_beyond_capacity),
	KUNIT_CASE(tunnel_write_fills_to_capacity),
	KUNIT_CASE(tunnel_user_plus_avail_is_capacity),
	KUNIT_CASE(tunnel_calls_with_spinlock_held),
	KUNIT_CASE(tunnel_calls_from_hrtimer),
	{}
};

static struct kunit_suite tunnel_test_suite = {
	.name = "proc_tunnel_api",
	.init = tunnel_kunit_init,
	.exit = tunnel_kunit_exit,
	.test_cases = tunnel_test_cases,
};

kunit_test_suite(tunnel_test_suite);

MODULE_DESCRIPTION("KUnit tests of the /proc/tunnel kernel interface");
MODULE_LICENSE("GPL");
