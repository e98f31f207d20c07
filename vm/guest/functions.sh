# klpcheck's guest-side step runner, in the manner of the kernel selftests' functions.sh: each
# command is logged to /dev/kmsg as "% ...", the kernel log is cleared per scenario and read per
# step, and every result goes to ttyS1 (fd 3) as one line per fact:
#   @boot RELEASE | @begin ID | @error ID WHAT | @step I RC ERROR-TEXT | @log LINE | @sysfs PATCH/FILE MODE VALUE
#   @probe KEY LINE | @end ID | @dirty ID WHAT | @done
# vm/protocol.ts parses exactly this. Busybox ash: POSIX sh only.

out() { echo "$*" >&3; }
klog() { echo "$*" > /dev/kmsg; }

# loop_until: up to $1 tenths of a second for the condition in the rest.
loop_until() {
  n=$1; shift
  while [ "$n" -gt 0 ]; do
    if eval "$@"; then return 0; fi
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}

in_transition() { grep -qs 1 /sys/kernel/livepatch/*/transition; }

# The case runs only if its index is at least the boot's first case (a reboot resumes after a dirty case).
case_begin() {
  case_id=$1; case_no=$2
  [ "$case_no" -ge "$first" ] || return 1
  cd "/cases/$case_id" || { out "@dirty $case_id no module folder"; return 1; }
  out "@begin $case_id"
  # The block-point core and the stand-ins are there before the first step, as vmlinux is.
  for m in $3; do /kmod/insmod "test_modules/$m.ko" || out "@error $case_id cannot load $m"; done
  dmesg -c > /dev/null
  rm -f /tmp/task.*
  return 0
}

# Every step: the action (setting rc and err), then the wait, then the observation.
step() {
  index=$1; settle=$2; shift 2
  rc=0; err=
  "$@"
  case "$settle" in
    done) loop_until 150 '! in_transition' ;;
  esac
  # Deferred messages (the transition work prints after clearing the transition).
  sleep 0.1
  out "@step $index $rc $err"
  dmesg -c | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/@log /' >&3
  for d in /sys/kernel/livepatch/*; do
    [ -d "$d" ] || continue
    p=${d##*/}
    for f in "$d"/* "$d"/*/patched; do
      [ -f "$f" ] || continue
      v=$(cat "$f" 2>/dev/null)
      out "@sysfs $p/${f#$d/} $(stat -c %A "$f") $v"
    done
    # Each func's directory, <object>/<function,sympos> (klp_init_func's kobject name).
    for f in "$d"/*/*; do
      [ -d "$f" ] || continue
      out "@sysfs $p/${f#$d/} $(stat -c %A "$f") "
    done
  done
  case_probes
}

# probe KEY COMMAND: the command's first line names the version of KEY that ran (vm/cgen/contract.ts).
probe() {
  l=$(timeout 5 sh -c "$2" 2>/dev/null | head -n 1)
  out "@probe $1 $l"
}

a_none() { :; }

# test-ftrace.sh's cleanup_tracing, before the next load, write or removal: once the traced
# function's module is gone the filter is empty and the tracer would trace every function.
untrace() {
  t=/sys/kernel/debug/tracing
  [ "$(cat $t/current_tracer 2>/dev/null)" = nop ] && return
  echo nop > $t/current_tracer
  echo > $t/set_ftrace_filter
}

a_insmod() {
  untrace
  mod=$1; logerr=$2; shift 2
  klog "% insmod test_modules/$mod.ko$([ $# -gt 0 ] && echo " $*")"
  # a_insmod_pids's list, its task names made PIDs (the log above keeps the names).
  if [ -n "$pparam" ]; then
    n=$#
    for a in "$@"; do
      # $pparam is a pattern of the parameter's spellings (klp[-_]pids: parameq takes a '-' for a '_').
      case "$a" in $pparam=*) pids_of "${a#*=}"; a="${a%%=*}=$pids" ;; esac
      set -- "$@" "$a"
    done
    shift "$n"
  fi
  err=$(/kmod/insmod "test_modules/$mod.ko" "$@" 2>&1) || rc=1
  [ "$rc" -eq 0 ] || [ "$logerr" != y ] || klog "$err"
  err=$(echo "$err" | head -n 1)
}

# a_insmod_pids PARAM ,TASKS, MOD LOGERR NAME=VALUE...: test-syscall.sh's load, whose PARAM (a pattern of its
# spellings) lists the PIDs of processes that call getpid without end: a_insmod, with PARAM's values made PIDs by pids_of.
a_insmod_pids() {
  pparam=$1; ptasks=$2; shift 2
  a_insmod "$@"
  pparam=
}

# pids_of LIST: the PIDs for a_insmod_pids's list, in $pids (no subshell: the loops must be this shell's children).
# Entry by entry, empty ones kept (param_array refuses them): each of the model's TASKS runs /klp/getpid-loop (its PID
# in /tmp/hammer.TASK, one loop per task), a number goes as it is, and another name gets 99999, above pid_max (32768
# here): no process calls getpid with it.
pids_of() {
  rest=$1; pids=; sep=
  while :; do
    t=${rest%%,*}
    case "$ptasks:$t" in
      *",$t,"*:?*)
        [ -f "/tmp/hammer.$t" ] || { /klp/getpid-loop & echo $! > "/tmp/hammer.$t"; }
        t=$(cat "/tmp/hammer.$t") ;;
      *:|*:*[!0-9]*) [ -z "$t" ] || t=99999 ;;
    esac
    pids="$pids$sep$t"; sep=,
    case "$rest" in *,*) rest=${rest#*,} ;; *) break ;; esac
  done
}

# Stops every getpid loop a_insmod_pids started (test-syscall.sh kills them before the disable).
stop_hammers() {
  for h in /tmp/hammer.*; do
    [ -f "$h" ] || continue
    kill "$(cat "$h")" 2>/dev/null
    wait "$(cat "$h")" 2>/dev/null
  done
  rm -f /tmp/hammer.*
}

# a_npids KMOD MOD: test-syscall.sh's wait until /sys/kernel/KMOD/npids reads 0 (15 s at most), its log of what it
# reads, and the end of the getpid loops.
a_npids() {
  npids_file=/sys/kernel/$1/npids
  loop_until 150 'grep -qs "^0$" "$npids_file"'
  klog "$2: Remaining not livepatched processes: $(cat "$npids_file" 2>/dev/null)"
  stop_hammers
}

a_rmmod() {
  untrace
  klog "% rmmod $1"
  err=$(/kmod/rmmod "$1" 2>&1) || rc=1
  err=$(echo "$err" | head -n 1)
}

# a_write VALUE PATH: functions.sh's `echo VALUE > PATH` with its error text kept.
a_write() {
  untrace
  klog "% echo $1 > $2"
  err=$( (echo "$1" > "$2") 2>&1) || rc=1
  err=$(echo "$err" | head -n 1)
}

# set_ftrace_enabled of functions.sh, written through /proc (busybox sysctl words its errors otherwise).
a_ftrace() {
  if err=$( (echo "$1" > /proc/sys/kernel/ftrace_enabled) 2>&1); then
    klog "livepatch: kernel.ftrace_enabled = $(cat /proc/sys/kernel/ftrace_enabled)"
  else
    rc=1
    klog "livepatch: sysctl: setting key \"kernel.ftrace_enabled\": ${err##*: }"
  fi
}

# grep 'live patched' in each probe command's output, into the log.
a_grep_patched() {
  for c in "$@"; do timeout 5 sh -c "$c" 2>/dev/null | grep 'live patched' > /dev/kmsg; done
}

# The function tracer on one function (test-ftrace.sh's trace_function).
a_trace() {
  t=/sys/kernel/debug/tracing
  echo "$1" > $t/set_ftrace_filter && echo function > $t/current_tracer || { rc=1; err="cannot trace $1"; }
}

# a_block TASK KEY COMMAND: TASK runs the probe COMMAND and sleeps inside the function KEY
# (klpcheck_core's block point). A function that is not there cannot be entered: EAGAIN, as the model says.
a_block() {
  bkey=$2
  echo "$bkey" > /proc/klpcheck/arm
  sh -c "$3" > "/tmp/out.$1" 2>&1 &
  pid=$!
  # (loop_until evaluates its condition in its own frame: globals only)
  if loop_until 100 'grep -qs "^$bkey " /proc/klpcheck/sleeping || ! kill -0 $pid 2>/dev/null' && kill -0 $pid 2>/dev/null; then
    echo "$pid $bkey" > "/tmp/task.$1"
  else
    rc=1; err="Resource temporarily unavailable"
  fi
}

a_unblock() {
  [ -f "/tmp/task.$1" ] || { rc=1; err="$1 is not asleep"; return; }
  read -r pid key < "/tmp/task.$1"
  echo "$key" > /proc/klpcheck/release
  wait "$pid"
  rm -f "/tmp/task.$1"
}

a_sleep() { sleep "$1"; }

# Leaves the VM as the case found it: sleepers woken, patches disabled newest first, modules removed.
# $1: patches (kernel spelling) newest first; $2: every module of the case, in removal order.
case_end() {
  for t in /tmp/task.*; do
    [ -f "$t" ] || continue
    read -r pid key < "$t"
    echo "$key" > /proc/klpcheck/release 2>/dev/null
    wait "$pid"
  done
  rm -f /tmp/task.*
  stop_hammers
  loop_until 50 '! in_transition'
  for p in $1; do
    if [ "$(cat /sys/kernel/livepatch/$p/enabled 2>/dev/null)" = 1 ]; then
      echo 0 > "/sys/kernel/livepatch/$p/enabled" 2>/dev/null
      loop_until 50 '! in_transition'
    fi
  done
  for m in $2; do grep -q "^$m " /proc/modules && /kmod/rmmod "$m" 2>/dev/null; done
  left=$(ls /sys/kernel/livepatch)
  for m in $2; do grep -q "^$m " /proc/modules && left="$left $m"; done
  untrace
  echo 1 > /proc/sys/kernel/ftrace_enabled
  out "@end $case_id"
  if [ -n "$(echo $left)" ]; then
    out "@dirty $case_id$(echo " $left")"
    out "@done"
    poweroff -f
  fi
}
