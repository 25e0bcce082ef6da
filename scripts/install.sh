#!/bin/sh
# Installs zbk as FreeBSD lays out a package (make install), or removes exactly what it
# installed (make uninstall).  Never touches the admin's zbk.toml or zbk's state.
#
# usage: sh scripts/install.sh [--uninstall] DESTDIR PREFIX NODE PERIODIC_NAME
#   DESTDIR        staging root, usually empty
#   PREFIX         /usr/local
#   NODE           node(1)'s absolute path, written into sbin/zbk (NODE= at run time overrides)
#   PERIODIC_NAME  the daily periodic(8) script's name, e.g. 410.zbk
#
# Installs under DESTDIR/PREFIX (keep in step with ports/sysutils/zbk/pkg-plist):
#   libexec/zbk/zbk.mjs                     the bundle (`make bundle` builds it)
#   sbin/zbk                                sh wrapper: exec node on the bundle
#   etc/rc.d/zbk                            rc.d script, %%PREFIX%% replaced
#   etc/periodic/daily/PERIODIC_NAME        periodic script, %%PREFIX%% replaced
#   share/man/man8/zbk.8, share/man/man5/zbk.toml.5
#   etc/zbk.toml.sample, etc/syslog.d/zbk.conf.sample, etc/newsyslog.conf.d/zbk.conf.sample
# and creates DESTDIR/var/db/zbk (mode 700), which uninstall leaves alone.
set -eu
umask 022
cd "$(dirname "$0")/.."

usage() {
	echo "usage: sh scripts/install.sh [--uninstall] DESTDIR PREFIX NODE PERIODIC_NAME" >&2
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
[ $# -eq 4 ] || usage
destdir=$1
prefix=${2:-/usr/local}
node=$3
periodic_name=${4:-410.zbk}

case $prefix in
/*) ;;
*) die "PREFIX must be an absolute path, not '$prefix'" ;;
esac
case $prefix in
*'|'* | *' '*) die "PREFIX '$prefix' holds a character this script does not handle" ;;
esac
case $periodic_name in
'' | */* | .*) die "PERIODIC_NAME must be a file name such as 410.zbk, not '$periodic_name'" ;;
esac
root=$destdir$prefix

# layout ACTION: calls ACTION HOW MODE SOURCE DEST for every installed file; DEST is
# under PREFIX.  HOW is copy, subst (copy with %%PREFIX%% replaced) or wrapper.
layout() {
	$1 copy    0644 build/zbk.mjs                libexec/zbk/zbk.mjs
	$1 wrapper 0555 -                            sbin/zbk
	$1 subst   0555 rc.d/zbk                     etc/rc.d/zbk
	$1 subst   0555 periodic/daily/410.zbk       "etc/periodic/daily/$periodic_name"
	$1 copy    0444 man/zbk.8                    share/man/man8/zbk.8
	$1 copy    0444 man/zbk.toml.5               share/man/man5/zbk.toml.5
	$1 copy    0644 etc/zbk.toml.sample          etc/zbk.toml.sample
	$1 copy    0644 etc/syslog.d/zbk.conf        etc/syslog.d/zbk.conf.sample
	$1 copy    0644 etc/newsyslog.conf.d/zbk.conf etc/newsyslog.conf.d/zbk.conf.sample
}

# The wrapper finds the bundle from its own real path, so a staged tree (DESTDIR)
# runs as the installed one does.
write_wrapper() {
	cat <<EOF
#!/bin/sh
# zbk(8): runs zbk, bundled in ../libexec/zbk/zbk.mjs, with node(1).
# NODE=/path/to/node in the environment runs it with another node.
self=\$(realpath "\$0") || exit
exec "\${NODE:-$node}" "\${self%/*}/../libexec/zbk/zbk.mjs" "\$@"
EOF
}

install_file() {
	how=$1 mode=$2 src=$3 dest=$root/$4
	mkdir -p "${dest%/*}"
	rm -f "$dest"
	case $how in
	copy) install -m "$mode" "$src" "$dest" ;;
	subst)
		sed "s|%%PREFIX%%|$prefix|g" "$src" >"$dest"
		chmod "$mode" "$dest"
		;;
	wrapper)
		write_wrapper >"$dest"
		chmod "$mode" "$dest"
		;;
	esac
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
	case $node in
	/*) [ -x "$node" ] || echo "install.sh: warning: $node is not executable here" >&2 ;;
	'') die "no node(1): give its absolute path (make install NODE=/usr/local/bin/node)" ;;
	*) die "NODE must be an absolute path, not '$node'" ;;
	esac
	[ -f build/zbk.mjs ] || die "build/zbk.mjs is missing: run make bundle (make install does)"
	layout install_file
	# State: created once, then the admin's (uninstall keeps it, install leaves its mode).
	if [ ! -d "$destdir/var/db/zbk" ]; then
		install -d -m 0700 "$destdir/var/db/zbk"
		echo "installed $destdir/var/db/zbk/"
	fi
	;;
uninstall)
	layout remove_file
	# Only zbk's own directory; the shared ones (sbin, etc/rc.d, ...) stay.
	rmdir "$root/libexec/zbk" 2>/dev/null || true
	;;
esac
