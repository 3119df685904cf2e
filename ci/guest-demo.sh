#!/bin/sh
# Runs inside the VM: a short look at /proc/tunnel, with the kernel-side
# peer module ($1) for the kernel's end.
peer=/sys/kernel/debug/proc_tunnel/peer
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
insmod "$1"
set -x
uname -r
ls -l /proc/tunnel
# kernel -> user: the peer queues bytes with tunnel_write()
printf 'hello from the kernel\n' >$peer/inject
cat $peer/user $peer/avail
dd if=/proc/tunnel bs=4096 count=1 status=none
# user -> kernel: the peer takes them with tunnel_read()
printf 'hello from user space\n' >/proc/tunnel
cat $peer/pending
cat $peer/drain
# nothing queued: a non-blocking read says so, a blocking one waits
dd if=/proc/tunnel iflag=nonblock bs=64 count=1 status=none
timeout 1 cat /proc/tunnel; echo "cat: exit status $? (124: still waiting)"
# echo mode: a kernel thread sends back what user space writes
echo echo >$peer/mode
head -c 1048576 /dev/urandom >/tmp/data
(cat /tmp/data >/proc/tunnel &)
head -c 1048576 /proc/tunnel | cmp - /tmp/data && echo "1 MiB round trip: identical"
echo off >$peer/mode
