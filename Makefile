# zbk — see README.md. Targets: build test demo lint bench install uninstall clean.
PREFIX   ?= /usr/local
DESTDIR  ?=
NODE     ?= $(shell command -v node)
PERIODIC_NAME ?= 410.zbk

BIN = node_modules/.bin
TEST_POOL_PREFIX = zbkt_

.PHONY: all build bundle test demo lint bench install uninstall clean prepare clean-test-pools

all: build

prepare:
	@sh scripts/prepare.sh

dist/cli.js: $(shell find src -name '*.ts') tsconfig.json tsconfig.build.json package-lock.json
	$(BIN)/tsc -p tsconfig.build.json
	@touch $@

build: prepare dist/cli.js

# One file for the installed tool: no node_modules on the box, fast start.
bundle: prepare
	$(BIN)/esbuild src/cli.ts --bundle --minify --platform=node --target=node20 --format=esm \
		--banner:js="import{createRequire as __zbkRequire}from'module';const require=__zbkRequire(import.meta.url);" \
		--outfile=build/zbk.mjs --log-level=warning

# A killed run leaves pools behind (zfs-fuse remembers them): clear ours first.
clean-test-pools:
	@zpool list -H -o name 2>/dev/null | grep '^$(TEST_POOL_PREFIX)' | while read -r p; do zpool destroy -f "$$p" || true; done

# One test at a time: zfs-fuse can deadlock when several processes create and mount
# datasets at once (seen here: `zfs create` stuck in D state), and a stuck zfs-fuse
# takes every later test with it.
test: build clean-test-pools
	$(BIN)/tsc -p . --noEmit
	$(BIN)/ava --serial --concurrency=1

lint: prepare
	$(BIN)/tsc -p . --noEmit
	shellcheck -s sh rc.d/zbk periodic/daily/* scripts/*.sh .ci/run
	mandoc -Tlint -W warning man/*.[0-9]

demo: build
	sh scripts/demo.sh

bench: build bundle
	node --import=tsx bench/run.ts

install: bundle
	sh scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(NODE)" "$(PERIODIC_NAME)"

uninstall:
	sh scripts/install.sh --uninstall "$(DESTDIR)" "$(PREFIX)" "$(NODE)" "$(PERIODIC_NAME)"

clean:
	rm -rf dist build
