# zbk — see README.md. Targets: build bundle dist install uninstall lint test unit integration
# unit-as-nobody unit-build demo bench clean.
# For GNU make and for BSD make (bmake, FreeBSD's make) alike: `!=` runs a command, and no
# GNU-only function is used. Only test and demo prepare the machine (packages, node modules,
# zfs-fuse); build, bundle, dist, install and lint use what is there and change nothing else.
PREFIX    ?= /usr/local
LOCALBASE ?= /usr/local
DESTDIR   ?=
# node(1) for the installed zbk; empty: the one on PATH.
NODE      ?=
PERIODIC_NAME ?= 410.zbk
DBDIR     ?= /var/db/zbk
ESBUILD   ?= node_modules/.bin/esbuild

BIN = node_modules/.bin
TEST_POOL_PREFIX = zbkt_
SOURCES != find src -name '*.ts'
# The test files (ava's patterns) that need root, ZFS (zfs-fuse), sshd, rsync --daemon, a network
# namespace, or that run make in the source tree. Every other test is a unit test: pure, or on
# zfs's recorded answers (test/helpers/replay.ts), and runs as any user, with no zfs installed.
INTEGRATION_TESTS = test/integration/*.test.ts test/freebsd/bmake.test.ts test/freebsd/install.test.ts \
	test/freebsd/packaging-targets.test.ts test/freebsd/periodic.test.ts test/freebsd/port.test.ts test/freebsd/prefix.test.ts
# make unit runs them compiled to JavaScript once (test/unit-build.mjs, into build/unit/): a
# TypeScript loader in each of ava's processes cost half a second a file.
UNIT_TESTS = 'build/unit/test/**/*.test.js' '!build/unit/test/team/**' $$(for p in ${INTEGRATION_TESTS}; do echo "!build/unit/$$p"; done | sed 's/\.ts$$/.js/')
# The user and the PATH that unit-as-nobody runs the unit tests with: no root, no zfs, no zpool.
NOBODY_UID ?= 65534
NOBODY_PATH = /usr/local/bin:/usr/bin:/bin

.PHONY: all build bundle dist test unit unit-build integration unit-as-nobody check-team demo lint bench install uninstall clean prepare clean-test-pools

all: build

prepare:
	@sh scripts/prepare.sh

dist/cli.js: ${SOURCES} tsconfig.json tsconfig.build.json package-lock.json
	${BIN}/tsc -p tsconfig.build.json
	@touch $@

build: dist/cli.js

# One program for the installed tool: no node_modules on the box, fast start. esbuild
# bundles it as CommonJS (a script V8 can cache; node's modules are required only when
# used), code-cache.mjs makes it zbk.js with its V8 code cache zbk.js.cache, and zbk.cjs,
# the entry point, runs the two (scripts/zbk-loader.cjs; zbk.mjs imports it). The metafile
# lists the packages it holds; their licenses go with it (THIRD-PARTY-NOTICES). The shims
# load yargs' help layout only when help is shown, and keep yargs from looking for a
# package.json. Its own recipe is a prerequisite too: a changed recipe makes another bundle.
BUNDLE_SHIMS = scripts/shim-assert.mjs scripts/shim-child-process.cjs scripts/shim-cliui.mjs scripts/shim-crypto.mjs \
		scripts/shim-escalade-sync.mjs scripts/shim-string-width.mjs
build/zbk.mjs: ${SOURCES} package-lock.json Makefile scripts/bundled-licenses.mjs scripts/code-cache.mjs \
		scripts/zbk-loader.cjs scripts/zbk-entry.mjs ${BUNDLE_SHIMS}
	${ESBUILD} src/cli.ts --bundle --minify --platform=node --target=node20 --format=cjs \
		--define:import.meta.url=__zbkUrl --alias:cliui=./scripts/shim-cliui.mjs \
		--alias:escalade/sync=./scripts/shim-escalade-sync.mjs --alias:string-width=./scripts/shim-string-width.mjs \
		--alias:assert=./scripts/shim-assert.mjs --alias:node:child_process=./scripts/shim-child-process.cjs \
		--alias:node:crypto=./scripts/shim-crypto.mjs \
		--outfile=build/zbk.bundle.cjs --metafile=build/zbk.meta.json --log-level=warning
	node scripts/code-cache.mjs build/zbk.bundle.cjs build/zbk.js
	node scripts/bundled-licenses.mjs --notices build/zbk.meta.json >build/THIRD-PARTY-NOTICES
	cp scripts/zbk-loader.cjs build/zbk.cjs
	cp scripts/zbk-entry.mjs $@

bundle: build/zbk.mjs

# The release tarball the port fetches: the sources with the runtime node modules.
dist:
	sh scripts/dist.sh

# A killed run leaves pools behind (zfs-fuse remembers them): clear ours first.
clean-test-pools:
	@zpool list -H -o name 2>/dev/null | grep '^${TEST_POOL_PREFIX}' | while read -r p; do zpool destroy -f "$$p" || true; done

# Everything, as CI runs it (as root): the unit tests as nobody where setpriv(1) is (Linux) and
# nobody can read the tree (a clone under /root cannot be), which proves they need no root and
# no ZFS, then the integration tests.
test: prepare
	@${MAKE} build clean-test-pools
	${BIN}/tsc -p . --noEmit
	@if command -v setpriv >/dev/null && setpriv --reuid=${NOBODY_UID} --regid=${NOBODY_UID} --clear-groups \
			test -r "$$(pwd)/package.json" -a -x "$$(pwd)/node_modules/.bin"; then \
		${MAKE} unit-as-nobody; \
	else \
		echo "make test: nobody cannot read $$(pwd) (or no setpriv): the unit tests run as $$(id -un)"; \
		${MAKE} unit; \
	fi
	@${MAKE} integration

# The files side by side (ava's --serial would run one file at a time); a test that changes what
# the others of its file share (process.env, stdout) is test.serial, which ava runs alone.
unit: build unit-build
	${BIN}/ava --config test/ava.unit.config.mjs ${UNIT_TESTS}

unit-build:
	node test/unit-build.mjs

# One test at a time: zfs-fuse can deadlock when several processes create and mount
# datasets at once (seen here: `zfs create` stuck in D state), and a stuck zfs-fuse
# takes every later test with it.
integration: build
	${BIN}/ava --serial --concurrency=1 ${INTEGRATION_TESTS}

# `make unit` as root would hide a unit test that needs root or zfs: run them as nobody
# (setpriv(1), util-linux), on a PATH without the sbin directories, after root has built dist/
# (nobody cannot write it). The source tree must be readable by nobody.
unit-as-nobody: build unit-build
	setpriv --reuid=${NOBODY_UID} --regid=${NOBODY_UID} --clear-groups \
		env -i HOME=/tmp PATH=${NOBODY_PATH} LC_ALL=C ${BIN}/ava --config test/ava.unit.config.mjs ${UNIT_TESTS}

# The team's checks against real outputs kept beside the repository (ZBK_TEAM_DIR, default
# ../shared); a clone alone has no such folder, so this is not part of `make test`.
check-team: prepare
	@${MAKE} build
	${BIN}/ava --config test/team/ava.config.mjs --serial

# Type-check, Biome's lint (biome.jsonc: its recommended rules, those the code departs from switched
# off with a reason; warnings fail too), shellcheck and mandoc. No network: all of it is installed.
lint:
	${BIN}/tsc -p . --noEmit
	${BIN}/biome lint --error-on-warnings
	shellcheck -s sh rc.d/zbk periodic/daily/* sbin/zbk.in libexec/zbk-receive scripts/*.sh .ci/run
	mandoc -Tlint -W warning man/*.[0-9]

demo: prepare
	@${MAKE} build
	sh scripts/demo.sh

bench: build bundle
	node --import=tsx bench/run.ts

install: build/zbk.mjs
	sh scripts/install.sh "${DESTDIR}" "${PREFIX}" "${LOCALBASE}" "${NODE}" "${PERIODIC_NAME}" "${DBDIR}"

uninstall:
	sh scripts/install.sh --uninstall "${DESTDIR}" "${PREFIX}" "${LOCALBASE}" "${NODE}" "${PERIODIC_NAME}" "${DBDIR}"

clean:
	rm -rf dist build
