#!/bin/sh
# After a failed or timed-out CI run (.ci/run): the processes it started that are still there,
# found by the mark .ci/run put in their environment ($ZBK_CI_RUN), are listed with what they
# wait on, then stopped. A test that hangs (say, on a wedged zfs-fuse) must not keep CI
# waiting for output that never ends: a daemon or a process stuck in a FUSE call holds CI's
# pipe open. zfs-fuse (which holds nothing of CI's) is stopped only when something else
# outlives SIGTERM: a process stuck on its mounts ends only once it has died. Linux only
# (/proc), as CI is.
set -u
mark="ZBK_CI_RUN=${ZBK_CI_RUN:?}"

say() { printf 'ci-leftovers: %s\n' "$*" >&2; }

# This script and its ancestors carry the mark too: they are not leftovers.
mine=" $$ "
p=$$
while [ "$p" -gt 1 ]; do
	p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || break
	[ -n "$p" ] || break
	mine="$mine$p "
done

# Sets $found to the marked pids. No command substitution here: a subshell would carry the
# mark too. The pipeline's own tr and grep are children of this shell, and left out.
marked() {
	found=""
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		case "$mine" in *" $pid "*) continue ;; esac
		ppid=""
		while read -r key value; do
			if [ "$key" = PPid: ]; then ppid=$value; fi
		done 2>/dev/null <"$d/status"
		[ "$ppid" != "$$" ] || continue
		# The environment is NUL-separated: one variable a line.
		if tr '\0' '\n' 2>/dev/null <"$d/environ" | grep -qxF "$mark"; then found="$found $pid"; fi
	done
}

# Sets $rest to the pids of $found that are not zfs-fuse.
besides_zfs_fuse() {
	rest=""
	for pid in $found; do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = zfs-fuse ] || rest="$rest $pid"
	done
}

marked
[ -n "$found" ] || exit 0
say "processes of this CI run still there:"
# shellcheck disable=SC2086 # one pid a word
ps -o pid,ppid,stat,wchan:24,etime,args -p "$(echo $found | tr ' ' ',')" >&2 || true
besides_zfs_fuse
# shellcheck disable=SC2086
[ -z "$rest" ] || kill -TERM $rest 2>/dev/null || true
sleep 5
marked
besides_zfs_fuse
[ -n "$rest" ] || exit 0
say "still there after SIGTERM:$rest; killing zfs-fuse (a process stuck on its mounts waits for it), then them"
pkill -KILL -x zfs-fuse 2>/dev/null || true
sleep 1
# shellcheck disable=SC2086 # one pid a word
kill -KILL $rest 2>/dev/null || true
exit 0
