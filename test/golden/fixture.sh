#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Draft selftest made by klpcheck from a counterexample. Semantics:
# upstream: atomic replace (bool replace, state versions).
# Invariant: no-function-shared-across-slots (no function shared across
# slots), violated after step 8: p3 (slot cumulative) and p4 (slot patch:p4)
# both use vmlinux:f2,0.
# Found by: scenario (klpcheck 0.1.0).
#
# The test modules below do not exist: write them in test_modules/ before
# running this script. The function names are klpcheck's placeholders; use
# real ones. The expected log is what klpcheck's reference implementation
# prints; on today's kernel, which implements upstream's atomic replace, a
# difference means the kernel and the model disagree.
#
# test_klp_p1: livepatch, no-replace (replace=false)
#   vmlinux: f1 (+callbacks that log as test_klp_callbacks_demo)
#   states: 1 (version 2)
#
# test_klp_p2: livepatch, cumulative (replace=true)
#   vmlinux: f1, f2 (+callbacks that log as test_klp_callbacks_demo)
#   states: 1 (version 1)
#
# test_klp_p3: livepatch, cumulative (replace=true)
#   vmlinux: f2 (+callbacks that log as test_klp_callbacks_demo)
#   states: 1 (version 2)
#
# test_klp_p4: livepatch, no-replace (replace=false)
#   vmlinux: f2 (+callbacks that log as test_klp_callbacks_demo)

. $(dirname $0)/functions.sh

MOD_P1=test_klp_p1
MOD_P2=test_klp_p2
MOD_P3=test_klp_p3
MOD_P4=test_klp_p4

setup_config


start_test "klpcheck: no-function-shared-across-slots under upstream"

# 1. insmod test_klp_p1.ko: no-replace (replace=false); state 1 appears
load_lp $MOD_P1
# 2. task0 sleeps in vmlinux:f1 (running test_klp_p1)
# klpcheck: task0 sleeps in vmlinux:f1 -- needs a test module that blocks there; see test_klp_callbacks_busy
# 3. insmod test_klp_p2.ko: cumulative (replace=true) -> -EINVAL
load_failing_mod $MOD_P2
# 4. insmod test_klp_p3.ko: cumulative (replace=true); test_klp_p3 patching
#    waits for task0 (asleep in vmlinux:f1)
load_lp_nowait $MOD_P3
# 5. transition work runs: test_klp_p3 patching still waits for task0
#    (asleep in vmlinux:f1)
# klpcheck: one retry of the transition work (klp_try_complete_transition); the kernel retries on its own
# 6. task0 wakes up and leaves vmlinux:f1
# klpcheck: task0 wakes up -- the blocking test module must let it go (test_klp_callbacks_busy: clear block_transition)
# 7. transition work runs: test_klp_p3 patching complete <- replaces
#    test_klp_p1
# klpcheck: another retry of the transition work
loop_until 'grep -q "^0$" /sys/kernel/livepatch/$MOD_P3/transition' || die "failed to complete transition"
# 8. insmod test_klp_p4.ko: no-replace (replace=false) <- stacks on
#    test_klp_p3 [no-function-shared-across-slots violated here]
load_lp $MOD_P4

# Clean up (not part of the counterexample): leave the machine as it was.
disable_lp $MOD_P4
disable_lp $MOD_P3
unload_lp $MOD_P4
unload_lp $MOD_P3
unload_lp $MOD_P1

check_result "% insmod test_modules/$MOD_P1.ko
livepatch: enabling patch '$MOD_P1'
livepatch: '$MOD_P1': initializing patching transition
$MOD_P1: pre_patch_callback: vmlinux
livepatch: '$MOD_P1': starting patching transition
livepatch: '$MOD_P1': completing patching transition
$MOD_P1: post_patch_callback: vmlinux
livepatch: '$MOD_P1': patching complete
% insmod test_modules/$MOD_P2.ko
livepatch: Livepatch patch ($MOD_P2) is not compatible with the already installed livepatches.
insmod: ERROR: could not insert module test_modules/$MOD_P2.ko: Invalid parameters
% insmod test_modules/$MOD_P3.ko
livepatch: enabling patch '$MOD_P3'
livepatch: '$MOD_P3': initializing patching transition
$MOD_P3: pre_patch_callback: vmlinux
livepatch: '$MOD_P3': starting patching transition
livepatch: '$MOD_P3': completing patching transition
$MOD_P3: post_patch_callback: vmlinux
livepatch: '$MOD_P3': patching complete
% insmod test_modules/$MOD_P4.ko
livepatch: enabling patch '$MOD_P4'
livepatch: '$MOD_P4': initializing patching transition
$MOD_P4: pre_patch_callback: vmlinux
livepatch: '$MOD_P4': starting patching transition
livepatch: '$MOD_P4': completing patching transition
$MOD_P4: post_patch_callback: vmlinux
livepatch: '$MOD_P4': patching complete
% echo 0 > /sys/kernel/livepatch/$MOD_P4/enabled
livepatch: '$MOD_P4': initializing unpatching transition
$MOD_P4: pre_unpatch_callback: vmlinux
livepatch: '$MOD_P4': starting unpatching transition
livepatch: '$MOD_P4': completing unpatching transition
$MOD_P4: post_unpatch_callback: vmlinux
livepatch: '$MOD_P4': unpatching complete
% echo 0 > /sys/kernel/livepatch/$MOD_P3/enabled
livepatch: '$MOD_P3': initializing unpatching transition
$MOD_P3: pre_unpatch_callback: vmlinux
livepatch: '$MOD_P3': starting unpatching transition
livepatch: '$MOD_P3': completing unpatching transition
$MOD_P3: post_unpatch_callback: vmlinux
livepatch: '$MOD_P3': unpatching complete
% rmmod $MOD_P4
% rmmod $MOD_P3
% rmmod $MOD_P1"

exit 0
