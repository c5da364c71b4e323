# Benchmarks near the wire (issue 15); none of this is part of `make test`.
#   make bench-wire        release emulator; wrk, then the Rust core (also handing each call
#                          to a runtime thread, the bindings' shape), Python (16 threads and
#                          16 asyncio tasks), Node and Kotlin clients making the same 50-id
#                          token call at concurrency 1 and 16, each as % of wrk with CPU time
#                          per call; then the CLI's bulk job (100,000 and 1,000,000 ids):
#                          rate, CPU per call, peak RSS
#   make bench-wire-core   the same for wrk, the Rust core and the CLI only (no bindings built)
#   make profile-wire      callgrind instruction counts of the Rust client's request path
# WIRE_SECS=<s> sets the length of each run (default 5); WIRE_PASSES=<n> the passes over the
# per-call rows, summarized as median and range (default 3); WIRE_ONLY=wrk,rust,... a subset.

WIRE_DIR := $(ROOT)/bench/wire
WIRE_REL := $(CARGO_TARGET_DIR)/release
WIRE_DRIVER := $(PYTHON) $(WIRE_DIR)/wire.py --emulator $(WIRE_REL)/authing-emulator \
	--wrk-script $(WIRE_DIR)/resign.lua --cli $(WIRE_REL)/authing-resign \
	--rust $(WIRE_REL)/examples/wire_client
WIRE_KOTLIN := java -Djna.library.path=$(WIRE_REL) -cp $(KOTLIN_JAR):$(KOTLIN_LIB_JAR):$(KOTLIN_CP) \
	authing.resign.bench.WireKt

.PHONY: bench-wire bench-wire-core wire-tools wire-rust wire-python wire-kotlin profile-wire

## wire-tools: wrk, linux-perf and valgrind from apt, each only when missing
wire-tools:
	@for t in wrk:wrk perf:linux-perf valgrind:valgrind; do \
		command -v $${t%%:*} >/dev/null || $(APT_INSTALL) $${t#*:} \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) $${t#*:}; }; \
	done

## wire-rust: release emulator, CLI and the Rust wire client (one cargo invocation, one feature set)
wire-rust:
	$(CARGO) build --release -p authing-emulator -p authing-resign-cli --bins --example wire_client

## wire-python: the release binding in .venv (`make python` puts the debug build back)
wire-python: venv
	cd $(PY_BINDING) && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/maturin develop --release --quiet

## wire-kotlin: the JVM jar (bindings and bench) and the release cdylib it loads instead of the debug one
wire-kotlin: kotlin-jar
	$(CARGO) build --release -p authing-resign-ffi

bench-wire: wire-tools wire-rust wire-python node-release wire-kotlin
	$(WIRE_DRIVER) --python $(VPY) --python-script $(PY_BINDING)/bench/wire.py \
		--node-script $(NODE_DIR)/bench/wire.mjs --kotlin "$(WIRE_KOTLIN)" \
		--python-bulk $(PY_BINDING)/bench/bulk_memory.py --node-bulk $(NODE_DIR)/bench/bulk-memory.mjs

# (A variable: a comma inside $(or ...) would separate its arguments.)
WIRE_CORE_CLIENTS := wrk,rust,cli
bench-wire-core: wire-tools wire-rust
	$(WIRE_DRIVER) --only $(or $(WIRE_ONLY),$(WIRE_CORE_CLIENTS))

## profile-wire: callgrind over WIRE_CALLS (default 2000) sequential calls of the Rust client
## against the release emulator: instructions per call and the top entries, exclusive and
## inclusive (instruction counts do not depend on the machine's load); output kept in
## target/callgrind.wire.out for callgrind_annotate / kcachegrind
profile-wire: wire-tools wire-rust
	$(WIRE_DRIVER) --profile $(CARGO_TARGET_DIR)/callgrind.wire.out
