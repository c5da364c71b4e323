# fuzz targets (owned by the adversarial-testing work): cargo-fuzz in fuzz/, its own
# workspace with its own target/ (the main build is untouched). See fuzz/README.md.
#   make fuzz         every target for FUZZ_SECS seconds (default 600), built with FUZZ_SANITIZER
#                     (default none, see fuzz/README.md); new inputs go to fuzz/corpus/<target>
#   make fuzz-smoke   build every target, replay the committed corpus, fuzz each FUZZ_SMOKE_SECS (20 s);
#                     new inputs go to a scratch directory, so the tree stays clean. Part of make test.
# FUZZ_TARGETS=<names> runs only those. FUZZ_RUNS=<n> stops each target after n
# executions instead (FUZZ_SECS still caps it), so a run's size does not depend on the load.

FUZZ_DIR := $(ROOT)/fuzz
FUZZ_SECS ?= 600
FUZZ_RUNS ?=
FUZZ_SMOKE_SECS ?= 20
FUZZ_TARGETS ?= $(sort $(basename $(notdir $(wildcard $(FUZZ_DIR)/fuzz_targets/*.rs))))
# Nightly when the machine has it; stable with RUSTC_BOOTSTRAP=1 otherwise (the ASan
# runtime ships with stable too).
FUZZ_NIGHTLY := $(shell rustup toolchain list 2>/dev/null | grep -q '^nightly' && echo +nightly)
# The long run's sanitizer: none by default. The targets are safe Rust, where
# AddressSanitizer adds little to the panics and assertions, and it cut the executions
# per CPU second 5.8-8.5 times (fuzz/README.md has the figures). The smoke run keeps it.
# Each sanitizer builds into its own target dir, so neither run rebuilds the other's.
FUZZ_SANITIZER ?= none
fuzz_target_dir = $(FUZZ_DIR)/target$(if $(filter address,$(1)),,/$(1:none=nosan))
cargo_fuzz = cd $(FUZZ_DIR) && CARGO_TARGET_DIR=$(call fuzz_target_dir,$(1)) \
	$(if $(FUZZ_NIGHTLY),,RUSTC_BOOTSTRAP=1) $(CARGO) $(FUZZ_NIGHTLY) fuzz
CARGO_FUZZ := $(call cargo_fuzz,address)
CARGO_FUZZ_LONG := $(call cargo_fuzz,$(FUZZ_SANITIZER))
# -a: debug assertions and overflow checks on, so an overflow is a crash, not a wrap.
FUZZ_BUILD_FLAGS := -a
FUZZ_LONG_FLAGS := -a --sanitizer $(FUZZ_SANITIZER)
# Inputs up to 64 KiB (huge CSV fields, long bodies); 2 GiB of memory at most.
FUZZ_RUN_FLAGS := -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1

.PHONY: fuzz fuzz-smoke fuzz-build cargo-fuzz
LANGUAGE_TESTS += fuzz-smoke

## cargo-fuzz: installed from crates.io when missing
cargo-fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked

## fuzz-build: every fuzz target
fuzz-build: cargo-fuzz
	$(CARGO_FUZZ) build $(FUZZ_BUILD_FLAGS)

## fuzz: the long run, FUZZ_SECS per target
fuzz: cargo-fuzz
	$(CARGO_FUZZ_LONG) build $(FUZZ_LONG_FLAGS)
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		$(CARGO_FUZZ_LONG) run $(FUZZ_LONG_FLAGS) $$t corpus/$$t -- \
			$(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_SECS) $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS)) \
			|| exit 1; \
	done

## fuzz-smoke: replay the committed corpus and fuzz each target briefly
fuzz-smoke: fuzz-build
	scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $$scratch/$$t $(FUZZ_DIR)/corpus/$$t; \
		$(CARGO_FUZZ) run $(FUZZ_BUILD_FLAGS) $$t $$scratch/$$t corpus/$$t -- \
			$(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_SMOKE_SECS) 2>$$scratch/$$t.log \
			|| { tail -60 $$scratch/$$t.log; exit 1; }; \
		grep -h '^stat::number_of_executed_units' $$scratch/$$t.log | sed "s/^/$$t: /"; \
	done
