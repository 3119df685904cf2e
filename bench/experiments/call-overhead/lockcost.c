// SPDX-License-Identifier: GPL-2.0
/* Experiment only: what a 1-byte write costs with each way of guarding a buffer. */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

static DEFINE_SPINLOCK(lock);
static DEFINE_MUTEX(writer);
static char buf[64];
static unsigned long head, wanted = ~0UL;
static struct dentry *dir;

static ssize_t w_none(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	return n;
}

static ssize_t w_irq(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	long r;

	n = min(n, sizeof(buf));
	spin_lock_irq_disable(&lock);
	r = copy_from_user_nofault(buf, u, n);
	head += n;
	spin_unlock_irq_enable(&lock);
	return r ? -EFAULT : n;
}

static ssize_t w_irqsave(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	unsigned long flags;
	long r;

	n = min(n, sizeof(buf));
	spin_lock_irqsave(&lock, flags);
	r = copy_from_user_nofault(buf, u, n);
	head += n;
	spin_unlock_irqrestore(&lock, flags);
	return r ? -EFAULT : n;
}

static ssize_t w_plain(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	long r;

	n = min(n, sizeof(buf));
	spin_lock(&lock);
	r = copy_from_user_nofault(buf, u, n);
	head += n;
	spin_unlock(&lock);
	return r ? -EFAULT : n;
}

static ssize_t w_mutex(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	unsigned long r;

	n = min(n, sizeof(buf));
	mutex_lock(&writer);
	r = copy_from_user(buf, u, n);
	smp_store_release(&head, head + n);
	smp_mb();
	if (READ_ONCE(wanted) <= n)
		pr_info("never\n");
	mutex_unlock(&writer);
	return r ? -EFAULT : n;
}

#define FOPS(name) static const struct file_operations fops_##name = { .write = w_##name }
FOPS(none);
FOPS(irq);
FOPS(irqsave);
FOPS(plain);
FOPS(mutex);

static const struct proc_ops pops_none = { .proc_write = w_none };
static const struct proc_ops pops_none_perm = {
	.proc_flags = PROC_ENTRY_PERMANENT, .proc_write = w_none };
static const struct proc_ops pops_irq_perm = {
	.proc_flags = PROC_ENTRY_PERMANENT, .proc_write = w_irq };

static int __init lockcost_init(void)
{
	proc_create("lockcost_none", 0200, NULL, &pops_none);
	proc_create("lockcost_none_perm", 0200, NULL, &pops_none_perm);
	proc_create("lockcost_irq_perm", 0200, NULL, &pops_irq_perm);
	dir = debugfs_create_dir("lockcost", NULL);
	debugfs_create_file_unsafe("none", 0200, dir, NULL, &fops_none);
	debugfs_create_file_unsafe("irq", 0200, dir, NULL, &fops_irq);
	debugfs_create_file_unsafe("irqsave", 0200, dir, NULL, &fops_irqsave);
	debugfs_create_file_unsafe("plain", 0200, dir, NULL, &fops_plain);
	debugfs_create_file_unsafe("mutex", 0200, dir, NULL, &fops_mutex);
	return 0;
}

static void __exit lockcost_exit(void)
{
	debugfs_remove(dir);
}

module_init(lockcost_init);
module_exit(lockcost_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("experiment: cost of guarding a 1-byte write");
