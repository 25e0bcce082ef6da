#!/bin/sh
# make dist: the release tarball build/zbk-VERSION.tar.gz that the port fetches.  It holds
# the sources, the files the port installs, and the runtime node modules (those of
# package-lock.json not marked dev: pure JavaScript, with their licenses), so that the port
# builds the bundle with esbuild and no network.  Uses only what is here: no npm.
set -eu
cd "$(dirname "$0")/.."

version=$(node -p 'require("./package.json").version')
name=zbk-$version
stage=build/dist
rm -rf "$stage" "build/$name.tar.gz"
mkdir -p "$stage/$name"

# The tree the port needs, and what a reader of the tarball expects.
cp -R LICENSE README.md Makefile package.json package-lock.json tsconfig.json tsconfig.build.json \
	bin src man etc rc.d periodic sbin libexec scripts "$stage/$name/"

node -e '
const lock = require("./package-lock.json");
for (const [path, entry] of Object.entries(lock.packages)) {
	if (path !== "" && !entry.dev && !entry.devOptional) console.log(path);
}' | while read -r module; do
	[ -f "$module/package.json" ] || { echo "dist.sh: $module is missing: run npm ci" >&2; exit 1; }
	mkdir -p "$stage/$name/${module%/*}"
	cp -R "$module" "$stage/$name/$module"
done

tar -C "$stage" -cf - "$name" | gzip -9n >"build/$name.tar.gz"
rm -rf "$stage"
echo "build/$name.tar.gz"
