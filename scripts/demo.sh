#!/bin/sh
# zbk's night on an embedded default: a pool on a sparse file, a sample source tree with a
# disk image and small files, `zbk init`, a month of history, three nights of `zbk run`
# with changes between them, then what an admin looks at. Leaves the pool to explore.
#
# The nights it simulates (with --now) are the last ones at 03:00 UTC that are already past,
# whatever the hour it runs at: a night still to come would be a snapshot from the future,
# which zbk refuses. ZBK_DEMO_POOL and ZBK_DEMO_DIR name the pool and its directory.
set -eu
cd "$(dirname "$0")/.."

POOL=${ZBK_DEMO_POOL:-zbkdemo}
DIR=${ZBK_DEMO_DIR:-/var/tmp/zbkdemo}
ZBK="node $(pwd)/dist/cli.js --config $DIR/zbk.toml"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|node $(pwd)/dist/cli.js --config $DIR/zbk.toml|zbk|"; "$@"; }
# An instant as ISO 8601 UTC, from epoch seconds (GNU date, else BSD date).
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
# The last 03:00 UTC that is past (read once: a demo that runs across 03:00 stays consistent).
NOW=$(date -u +%s)
LAST_NIGHT=$(((NOW - 3 * 3600) / 86400 * 86400 + 3 * 3600))
# The night N nights before the last one; and noon of the day before night N.
night() { iso $((LAST_NIGHT - $1 * 86400)); }
noon_before() { iso $((LAST_NIGHT - $1 * 86400 - 15 * 3600)); }

step "a pool on a sparse file: $DIR/disk (2 GiB, a few MiB on disk)"
if zpool list -H -o name "$POOL" >/dev/null 2>&1; then
	if zpool status "$POOL" | grep -q "$DIR/disk"; then
		run zpool destroy -f "$POOL"
	else
		echo "a pool $POOL exists and is not the demo's; set ZBK_DEMO_POOL to another name" >&2
		exit 1
	fi
fi
rm -rf "$DIR"
mkdir -p "$DIR/source/etc" "$DIR/source/var/www" "$DIR/source/vm"
truncate -s 2G "$DIR/disk"
run zpool create -m "$DIR/mnt" "$POOL" "$DIR/disk"

step "a sample host: a 64 MiB disk image and a few hundred small files"
dd if=/dev/urandom of="$DIR/source/vm/disk.img" bs=1M count=64 status=none
cp -R /etc/default /etc/ssh "$DIR/source/etc/" 2>/dev/null || true
i=0
while [ $i -lt 300 ]; do
	printf 'page %d\n%s\n' "$i" "$(date -u)" > "$DIR/source/var/www/page$i.html"
	i=$((i + 1))
done

cat > "$DIR/zbk.toml" <<TOML
# The demo's config: one host pulled from a local path (ssh and rsync:// work the same way).
[zbk]
timezone = "UTC"
state_dir = "$DIR/state"

[retention.demo]
daily = 7
weekly = 4
monthly = 6

[[job]]
name = "demo-host"
dataset = "$POOL/backup/demo-host"
source = "$DIR/source/"
retention = "demo"
recordsize = "16K"
exclude = ["/tmp/"]
TOML
printf '$ cat %s\n' "$DIR/zbk.toml"
cat "$DIR/zbk.toml"

step "zbk init: the dataset, with backup-friendly properties"
run $ZBK configtest
run $ZBK init

step "a month of history: one snapshot a night, as if zbk had run since then"
n=33
while [ $n -ge 3 ]; do
	$ZBK snapshot --job demo-host --now "$(night $n)" >/dev/null
	n=$((n - 1))
done
echo "31 snapshots, from $(night 33) to $(night 3)"

step "three nights of zbk run, with changes between them"
for n in 2 1 0; do
	if [ $n -lt 2 ]; then
		# the host changed during the day: a few blocks of the image, a new page, a deleted one
		# (stamped with that day's noon: rsync skips a file whose size and mtime did not change)
		dd if=/dev/urandom of="$DIR/source/vm/disk.img" bs=16k count=4 seek=$((n * 97 + 11)) conv=notrunc status=none
		date -u > "$DIR/source/var/www/new-$n.html"
		touch -d "$(noon_before "$n")" "$DIR/source/vm/disk.img" "$DIR/source/var/www/new-$n.html"
		rm -f "$DIR/source/var/www/page$n.html"
	fi
	run $ZBK run --now "$(night $n)"
done

step "what zbk keeps"
run $ZBK list
run $ZBK prune --dry-run
run $ZBK status

step "pool health"
run $ZBK scrub-report "$POOL" || true

cat <<MSG

The pool $POOL is left for you to explore:
  zfs list -r -t all $POOL
  ls $DIR/mnt/backup/demo-host
  node dist/cli.js --config $DIR/zbk.toml prune --dry-run --format json
Remove it with:
  zpool destroy $POOL && rm -rf $DIR
MSG
