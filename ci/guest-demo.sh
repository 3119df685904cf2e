#!/bin/sh
# Runs inside the VM: a short look at /proc/tunnel.
set -x
uname -r
ls -l /proc/tunnel
# user -> kernel: queued for kernel code to take with tunnel_read()
printf 'hello, kernel\n' >/proc/tunnel
# kernel -> user: nothing queued yet, so a non-blocking read says so
dd if=/proc/tunnel iflag=nonblock bs=64 count=1 2>&1 | head -n 1
# a blocking read waits until kernel code calls tunnel_write()
timeout 2 cat /proc/tunnel
echo "cat exit status: $? (124: timed out waiting, as a pipe would)"
# no seeking on a stream
dd if=/proc/tunnel skip=1 bs=1 count=1 iflag=nonblock 2>&1 | head -n 1
grep -h -A8 '^# Subtest: proc_tunnel' /sys/kernel/debug/kunit/proc_tunnel*/results 2>/dev/null ||
	{ mount -t debugfs none /sys/kernel/debug && cat /sys/kernel/debug/kunit/proc_tunnel*/results; }
