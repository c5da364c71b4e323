# authing-resign — every build and test step. Two entry points matter:
#   make demo   the main job (resign a list of leavers against the emulator)
#   make test   everything CI runs
# Each part of the project keeps its own targets in mk/<part>.mk.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ROOT := $(abspath .)
export CARGO_TARGET_DIR ?= $(ROOT)/target
CARGO ?= cargo
PYTHON ?= python3
VENV := $(ROOT)/.venv
VPY := $(VENV)/bin/python
EMULATOR_BIN := $(CARGO_TARGET_DIR)/debug/authing-emulator
# apt-get needs root: plain as root (CI, fresh machines), through sudo otherwise.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Directories of published packages (crates, PyPI, npm, the Android AAR); each has copies
# of LICENSE-MIT and LICENSE-APACHE. The Swift package is the repository root.
LICENSED_PACKAGES := core cli tests/emulator bindings-python bindings-node bindings-swift/android

.PHONY: all test demo lint fmt build-rust test-rust venv
all: test

include mk/emulator.mk
include mk/core.mk
include mk/cli.mk
include mk/python.mk
include mk/node.mk
include mk/kotlin.mk
include mk/fuzz.mk
include mk/bench.mk

## lint: formatting and clippy over the whole workspace (one feature set), the lean CLI,
## the release workflows (actionlint, which runs shellcheck on their scripts) and the
## shell scripts
lint: venv
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(MAKE) --no-print-directory lint-cli-lean
	@command -v shellcheck >/dev/null || $(SUDO) apt-get install -y --no-install-recommends shellcheck \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends shellcheck; }
	$(VENV)/bin/actionlint .github/workflows/*.yml
	shellcheck bindings-swift/build-env.sh bindings-swift/swift/*.sh bindings-swift/swift/linux/*.sh bindings-swift/android/*.sh
	@# Each published package carries the licenses; its copies must match the root's.
	for d in $(LICENSED_PACKAGES); do cmp LICENSE-MIT $$d/LICENSE-MIT && cmp LICENSE-APACHE $$d/LICENSE-APACHE; done

fmt:
	$(CARGO) fmt --all

## build-rust: every Rust binary the language suites start (the emulator, the CLI)
build-rust:
	$(CARGO) build --workspace --bins

## test-rust: unit and integration tests of core, emulator and CLI
test-rust:
	$(CARGO) test --workspace

## venv: the project's Python virtualenv (tests, official SDK for conformance, maturin)
venv: $(VENV)/.ready
$(VENV)/.ready: tests/requirements-dev.txt
	@# Debian's own python3 ships venv separately (python3-venv); install it when missing.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		$(SUDO) apt-get install -y --no-install-recommends python3-venv \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends python3-venv; }; \
		$(PYTHON) -m venv $(VENV); }
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r tests/requirements-dev.txt
	touch $@

test: lint test-rust $(LANGUAGE_TESTS)
	@echo "make test: all suites passed"
