# cli targets (owned by the cli work): the authing-resign tool, its demo and the bulk benchmark.
# The CLI's tests (cli/tests) and the core's bulk tests (core/tests/bulk*.rs) run in test-rust.

CLI_BIN := $(CARGO_TARGET_DIR)/debug/authing-resign

.PHONY: cli-bin test-cli bench-bulk man lint-cli-lean

## cli-bin: the authing-resign binary (debug)
cli-bin:
	$(CARGO) build -p authing-resign-cli --bin authing-resign

## man: the man page, generated from the clap definition, to target/man/authing-resign.1
man: cli-bin
	mkdir -p $(CARGO_TARGET_DIR)/man
	$(CLI_BIN) man > $(CARGO_TARGET_DIR)/man/authing-resign.1
	@echo "wrote $(CARGO_TARGET_DIR)/man/authing-resign.1 (man -l it)"

## lint-cli-lean: the CLI without its default `emulator` feature still compiles, lint-clean
lint-cli-lean:
	$(CARGO) clippy -p authing-resign-cli --no-default-features -- -D warnings

## demo: resign the example leavers against an in-process emulator. The list holds
## malformed rows, a duplicate and an unknown user on purpose, so the tool exits 1
## ("some users not resigned"); any other exit status fails the target.
demo: cli-bin
	$(CLI_BIN) --emulator --file examples/leavers.csv --id-type email --yes || test $$? -eq 1

## test-cli: the CLI's own tests and the core's bulk tests
test-cli:
	$(CARGO) test -p authing-resign-cli
	$(CARGO) test -p authing-resign --test bulk --test bulk_stop --test bulk_props

## bench-bulk: 10,000 users against the in-process emulator at concurrency 1, 4 and 16 (release build)
bench-bulk:
	$(CARGO) run --release -p authing-resign-cli --example bulk_bench
