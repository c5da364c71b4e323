# core targets (owned by the core work); add to LANGUAGE_TESTS with +=
# The core's unit and integration tests run in test-rust (cargo test --workspace).

EXAMPLE_BIN := $(CARGO_TARGET_DIR)/debug/examples/resign_user_batch

.PHONY: example-core test-core-example bench-core bench-journal
LANGUAGE_TESTS += test-core-example

## example-core: build the resign_user_batch example
example-core:
	$(CARGO) build -p authing-resign --example resign_user_batch

## test-core-example: the example against the emulator binary (a success and a typed failure)
test-core-example: emulator-bin example-core
	core/examples/run_against_emulator.sh $(EMULATOR_BIN) $(EXAMPLE_BIN)

## bench-core: prepare a 50-id request (criterion), then end-to-end calls/s against
## the in-process emulator (release build; not part of make test)
bench-core:
	$(CARGO) bench -p authing-resign --bench prepare
	$(CARGO) bench -p authing-resign --bench e2e

## bench-journal: what the write-ahead journal costs at concurrency 16, 100,000 users, and per job,
## against the in-process emulator (release build; not part of make test)
bench-journal:
	$(CARGO) bench -p authing-resign --bench journal
