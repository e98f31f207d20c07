#!/bin/sh
# /init of klpcheck's VM (written by vm/initramfs.ts): set up as the selftests' setup_config does
# (facts: real-kernel.md "Guest set-up"), run the batch, power off. Results go to ttyS1 only.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
echo 'file kernel/livepatch/* +p' > /sys/kernel/debug/dynamic_debug/control
echo 'func klp_try_switch_task -p' > /sys/kernel/debug/dynamic_debug/control
echo 1 > /proc/sys/kernel/ftrace_enabled
exec 3>/dev/ttyS1
. /functions.sh
out "@boot $(uname -r)"
first=0
for a in $(cat /proc/cmdline); do case "$a" in klpcheck.first=*) first="${a#klpcheck.first=}" ;; esac; done
. /batch.sh
out "@done"
poweroff -f
