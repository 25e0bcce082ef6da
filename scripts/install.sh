#!/bin/sh
# Installs zbk as FreeBSD lays out a package (make install), or removes exactly what it
# installed (make uninstall).  Never touches the admin's zbk.toml or zbk's state.
#
# usage: sh scripts/install.sh [--uninstall] DESTDIR PREFIX LOCALBASE NODE PERIODIC_NAME DBDIR
#   DESTDIR        staging root, usually empty
#   PREFIX         where zbk goes: /usr/local
#   LOCALBASE      where other packages are (rsync, the openzfs port): /usr/local
#   NODE           node(1)'s absolute path, written into sbin/zbk (NODE= at run time
#                  overrides); empty: the node on PATH
#   PERIODIC_NAME  the daily periodic(8) script's name, e.g. 410.zbk
#   DBDIR          zbk's state directory, created mode 700: /var/db/zbk
#
# Installs under DESTDIR/PREFIX (ports/sysutils/zbk/pkg-plist lists the same files; a test
# holds them to each other):
#   libexec/zbk/zbk.cjs                     the entry point: runs zbk.js with its code cache
#   libexec/zbk/zbk.mjs                     the same, as a module (imports zbk.cjs)
#   libexec/zbk/zbk.js                      the bundle (`make bundle` builds these four)
#   libexec/zbk/zbk.js.cache                V8's code cache of zbk.js, used only if it matches
#   libexec/zbk/THIRD-PARTY-NOTICES         the licenses of the packages in the bundle
#   libexec/zbk/zbk-receive                 forced command for a replication target's authorized_keys
#   sbin/zbk                                sh wrapper: exec node on zbk.cjs
#   etc/rc.d/zbk                            rc.d script
#   etc/periodic/daily/PERIODIC_NAME        periodic script
#   share/man/man8/zbk.8, share/man/man5/zbk.toml.5
#   etc/zbk.toml.sample                     the admin copies it to zbk.toml
#   etc/syslog.d/zbk.conf.sample            the admin enables the log file by copying
#   etc/newsyslog.conf.d/zbk.conf.sample      these two without .sample (see zbk(8))
# with %%PREFIX%%, %%LOCALBASE%% and %%NODE%% filled in, and /usr/local in the documents
# turned into PREFIX or LOCALBASE (scripts/doc-paths.sed); and creates DESTDIR/DBDIR,
# which uninstall leaves alone.
set -eu
umask 022
cd "$(dirname "$0")/.."

usage() {
	echo "usage: sh scripts/install.sh [--uninstall] DESTDIR PREFIX LOCALBASE NODE PERIODIC_NAME DBDIR" >&2
	exit 64
}
die() {
	echo "install.sh: $*" >&2
	exit 1
}

action=install
if [ "${1-}" = "--uninstall" ]; then
	action=uninstall
	shift
fi
[ $# -eq 6 ] || usage
destdir=$1
prefix=${2:-/usr/local}
localbase=${3:-/usr/local}
node=$4
periodic_name=${5:-410.zbk}
dbdir=${6:-/var/db/zbk}

for dir in "$prefix" "$localbase" "$dbdir"; do
	case $dir in
	/*) ;;
	*) die "PREFIX, LOCALBASE and DBDIR must be absolute paths, not '$dir'" ;;
	esac
	case $dir in
	*[!A-Za-z0-9_./+-]*) die "'$dir' holds a character this script does not handle" ;;
	esac
done
case $periodic_name in
'' | */* | .*) die "PERIODIC_NAME must be a file name such as 410.zbk, not '$periodic_name'" ;;
esac
root=$destdir$prefix

# layout ACTION: calls ACTION HOW MODE SOURCE DEST for every installed file; DEST is
# under PREFIX.  HOW is copy, subst (%%...%% filled in) or doc (subst after doc-paths.sed).
layout() {
	$1 copy  0644 build/zbk.cjs                  libexec/zbk/zbk.cjs
	$1 copy  0644 build/zbk.mjs                  libexec/zbk/zbk.mjs
	$1 copy  0644 build/zbk.js                   libexec/zbk/zbk.js
	$1 copy  0644 build/zbk.js.cache             libexec/zbk/zbk.js.cache
	$1 copy  0644 build/THIRD-PARTY-NOTICES      libexec/zbk/THIRD-PARTY-NOTICES
	$1 copy  0555 libexec/zbk-receive            libexec/zbk/zbk-receive
	$1 subst 0555 sbin/zbk.in                    sbin/zbk
	$1 subst 0555 rc.d/zbk                       etc/rc.d/zbk
	$1 subst 0555 periodic/daily/410.zbk         "etc/periodic/daily/$periodic_name"
	$1 doc   0444 man/zbk.8                      share/man/man8/zbk.8
	$1 doc   0444 man/zbk.toml.5                 share/man/man5/zbk.toml.5
	$1 doc   0644 etc/zbk.toml.sample            etc/zbk.toml.sample
	$1 copy  0644 etc/syslog.d/zbk.conf          etc/syslog.d/zbk.conf.sample
	$1 copy  0644 etc/newsyslog.conf.d/zbk.conf  etc/newsyslog.conf.d/zbk.conf.sample
}

subst() {
	sed -e "s|%%PREFIX%%|$prefix|g" -e "s|%%LOCALBASE%%|$localbase|g" -e "s|%%NODE%%|$node|g" "$@"
}

install_file() {
	how=$1 mode=$2 src=$3 dest=$root/$4
	mkdir -p "${dest%/*}"
	rm -f "$dest"
	case $how in
	copy) install -m "$mode" "$src" "$dest" ;;
	subst) subst "$src" >"$dest" ;;
	doc) sed -f scripts/doc-paths.sed "$src" | subst >"$dest" ;;
	esac
	chmod "$mode" "$dest"
	echo "installed $dest"
}

remove_file() {
	dest=$root/$4
	if [ -e "$dest" ] || [ -L "$dest" ]; then
		rm -f "$dest"
		echo "removed $dest"
	fi
}

case $action in
install)
	[ -n "$node" ] || node=$(command -v node) || die "no node(1) on PATH: give its absolute path (make install NODE=/usr/local/bin/node)"
	case $node in
	/*) [ -x "$node" ] || echo "install.sh: warning: $node is not executable here" >&2 ;;
	*) die "NODE must be an absolute path, not '$node'" ;;
	esac
	case $node in
	*[!A-Za-z0-9_./+-]*) die "NODE '$node' holds a character this script does not handle" ;;
	esac
	for built in build/zbk.cjs build/zbk.mjs build/zbk.js build/zbk.js.cache build/THIRD-PARTY-NOTICES; do
		[ -f "$built" ] || die "$built is missing: run make bundle (make install does)"
	done
	layout install_file
	# State: created once, then the admin's (uninstall keeps it, install leaves its mode).
	if [ ! -d "$destdir$dbdir" ]; then
		install -d -m 0700 "$destdir$dbdir"
		echo "installed $destdir$dbdir/"
	fi
	;;
uninstall)
	layout remove_file
	# Only zbk's own directory; the shared ones (sbin, etc/rc.d, ...) stay.
	rmdir "$root/libexec/zbk" 2>/dev/null || true
	;;
esac
