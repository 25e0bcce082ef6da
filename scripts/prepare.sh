#!/bin/sh
# Makes a fresh machine ready for zbk's tests and demo, as root: installs what is missing
# (zfs-fuse, rsync, openssh-server, shellcheck, mandoc, faketime for the demo at any hour, and bmake to run the Makefile as
# FreeBSD's make does, on Debian; node modules everywhere)
# and starts the zfs-fuse daemon. On FreeBSD the system's ZFS is used as it is.
set -eu
cd "$(dirname "$0")/.."

say() { printf 'prepare: %s\n' "$*" >&2; }

debian_packages() {
	missing=""
	command -v zfs-fuse >/dev/null 2>&1 || missing="$missing zfs-fuse"
	command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
	[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
	command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
	command -v mandoc >/dev/null 2>&1 || missing="$missing mandoc"
	command -v bmake >/dev/null 2>&1 || missing="$missing bmake"
	command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
	[ -z "$missing" ] && return 0
	say "installing$missing"
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

start_zfs_fuse() {
	if zpool list >/dev/null 2>&1; then return 0; fi
	say "starting the zfs-fuse daemon"
	# A zfs-fuse that was killed leaves its FUSE mounts (dead endpoints) and maybe its
	# pid file behind; the new daemon could mount nothing over them.
	awk '$3 == "fuse.zfs" || $2 == "/zfs-kstat" { print $2 }' /proc/mounts | while read -r m; do
		umount -l "$m" || true
	done
	if [ -f /var/run/zfs-fuse.pid ] && ! kill -0 "$(cat /var/run/zfs-fuse.pid)" 2>/dev/null; then
		rm -f /var/run/zfs-fuse.pid
	fi
	zfs-fuse
	i=0
	until zpool list >/dev/null 2>&1; do
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then say "zfs-fuse did not come up"; exit 1; fi
		sleep 0.2
	done
}

case "$(uname -s)" in
Linux)
	[ "$(id -u)" -eq 0 ] || { say "run as root (apt-get, zfs-fuse and pools need it)"; exit 1; }
	debian_packages
	start_zfs_fuse
	;;
FreeBSD)
	kldstat -q -m zfs || kldload zfs
	;;
esac

if [ ! -f node_modules/.package-lock.json ] || [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
	say "npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi
