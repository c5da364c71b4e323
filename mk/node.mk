# node targets (owned by the node work): the `authing-resign` npm package in bindings-node/.
#   make node          npm ci + debug build of the addon (what the tests use)
#   make test-node     tsc check + node --test suite against the emulator binary
#   make node-release  release build in the platform package layout of the napi CLI
#   make bench-node    ours vs the official authing-node-sdk, figures printed
#   make node-pack-check  pack the release layout as `npm publish` would, install, load it
NODE_DIR := $(ROOT)/bindings-node
NPM ?= npm
# The napi CLI always passes --target, so its artifacts live in their own tree.
NAPI_BUILD := cd $(NODE_DIR) && npx napi build --platform --no-const-enum --js native.js --dts native.d.ts

.PHONY: node node-deps test-node node-release bench-node node-pack-check
LANGUAGE_TESTS += test-node

## node-deps: node_modules from the committed lock (npm ci), redone only when the lock changes
node-deps: $(NODE_DIR)/node_modules/.ci-stamp
$(NODE_DIR)/node_modules/.ci-stamp: $(NODE_DIR)/package-lock.json $(NODE_DIR)/package.json
	cd $(NODE_DIR) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

## node: debug build of the addon, the generated loader (native.js) and declarations (native.d.ts)
node: node-deps
	$(NAPI_BUILD)

## test-node: type-check a typed usage file, then run the node:test suite against the emulator
test-node: node emulator-bin openssl-cli
	cd $(NODE_DIR) && npx tsc --noEmit -p test/tsconfig.json
	cd $(NODE_DIR) && AUTHING_EMULATOR_BIN=$(EMULATOR_BIN) node test/run.mjs

## node-release: release build; `napi create-npm-dirs` lays out npm/<platform>/ packages
node-release: node-deps
	$(NAPI_BUILD) --release --strip
	@# `napi artifacts` wants every configured target (the release workflow builds them
	@# on their own runners); here only this machine's addon exists: put it in its
	@# platform package.
	cd $(NODE_DIR) && npx napi create-npm-dirs && for f in authing-resign.*.node; do \
		platform=$${f#authing-resign.}; cp "$$f" "npm/$${platform%.node}/"; done

## node-pack-check: the published packages (root + platform) install from their tarballs
## and load with require and import; not part of `make test` (it needs a release build)
node-pack-check: node-release
	$(NODE_DIR)/scripts/pack-check.sh

## bench-node: benchmark against the official SDK on the same (release-built) emulator; prints the ratios
bench-node: node-release
	$(CARGO) build --release -p authing-emulator --bin authing-emulator
	cd $(NODE_DIR) && AUTHING_EMULATOR_BIN=$(CARGO_TARGET_DIR)/release/authing-emulator node --expose-gc bench/bench.mjs
