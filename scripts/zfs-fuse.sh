#!/bin/sh
# Debian's zfs-fuse for zbk's tests, as root: `sh scripts/zfs-fuse.sh` starts the daemon unless
# one answers; `sh scripts/zfs-fuse.sh restart` replaces one that is wedged. zfs-fuse now and
# then deadlocks (seen here: `zpool create` never returning, every later command waiting on
# it); a wedged daemon must cost one failed test, not a suite and a CI run that never end.
set -eu

say() { printf 'zfs-fuse.sh: %s\n' "$*" >&2; }

# zpool list within ZFS_FUSE_WAIT seconds (60): a daemon that does not answer in that time is
# taken for wedged.
wait_s=${ZFS_FUSE_WAIT:-60}
case "$wait_s" in '' | *[!0-9]*) say "ZFS_FUSE_WAIT: a number of seconds, not '$wait_s'"; exit 64 ;; esac
answers() { timeout -k 5 "$wait_s" zpool list >/dev/null 2>&1; }

stop() {
	pkill -KILL -x zfs-fuse 2>/dev/null || true
	i=0
	while pgrep -x zfs-fuse >/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then say "zfs-fuse did not die"; exit 1; fi
		sleep 0.2
	done
	# Commands that were waiting on the dead daemon go now (a FUSE file operation ends with an error).
	pkill -KILL -x zpool 2>/dev/null || true
	pkill -KILL -x zfs 2>/dev/null || true
}

start() {
	# A zfs-fuse that was killed leaves its FUSE mounts (dead endpoints) and maybe its
	# pid file behind; the new daemon could mount nothing over them.
	# Deepest first: a lazy unmount of a parent takes its children with it.
	awk '$3 == "fuse.zfs" || $2 == "/zfs-kstat" { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" || true
	done
	if [ -f /var/run/zfs-fuse.pid ] && ! kill -0 "$(cat /var/run/zfs-fuse.pid)" 2>/dev/null; then
		rm -f /var/run/zfs-fuse.pid
	fi
	# Nothing of the caller's but /dev/null: zfs-fuse keeps the descriptors it inherits, and a
	# daemon holding a pipe of CI's open would keep CI waiting for the end of its output long
	# after the tests ended. perl (Debian's perl-base is essential) closes the others.
	perl -e 'use POSIX (); POSIX::close($_) for 3 .. 1023; exec { $ARGV[0] } @ARGV or die "zfs-fuse: $!\n"' \
		zfs-fuse </dev/null >/dev/null 2>&1
	i=0
	until zpool list >/dev/null 2>&1; do
		i=$((i + 1))
		if [ "$i" -gt 150 ]; then say "zfs-fuse did not come up"; exit 1; fi
		sleep 0.2
	done
	# The pools come back imported but with nothing mounted: mount what was mounted before
	# (every dataset with canmount=on and a mountpoint), so that a test bed built before the
	# restart can be read again.
	zfs mount -a || say "zfs mount -a failed: some datasets stay unmounted"
}

case "${1:-start}" in
start)
	if pgrep -x zfs-fuse >/dev/null; then
		answers && exit 0
		say "zfs-fuse does not answer (zpool list took over $wait_s s): restarting it"
		stop
	else
		say "starting the zfs-fuse daemon"
	fi
	start
	;;
restart)
	say "restarting zfs-fuse"
	stop
	start
	;;
*)
	say "usage: zfs-fuse.sh [start|restart]"
	exit 64
	;;
esac
