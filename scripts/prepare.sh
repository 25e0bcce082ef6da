#!/bin/sh
# Makes a fresh machine ready for zbk's tests and demo, as root: installs what is missing
# (zfs-fuse, rsync, openssh-server, shellcheck, mandoc, faketime for the demo at any hour, and bmake to run the Makefile as
# FreeBSD's make does, on Debian; node modules everywhere)
# and starts the zfs-fuse daemon (scripts/zfs-fuse.sh: one that does not answer is restarted). On FreeBSD the system's ZFS is used as it is.
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

case "$(uname -s)" in
Linux)
	[ "$(id -u)" -eq 0 ] || { say "run as root (apt-get, zfs-fuse and pools need it)"; exit 1; }
	debian_packages
	sh scripts/zfs-fuse.sh
	;;
FreeBSD)
	kldstat -q -m zfs || kldload zfs
	;;
esac

if [ ! -f node_modules/.package-lock.json ] || [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
	say "npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi
