# emulator targets (owned by the emulator work)

## emulator-bin: the emulator binary the language suites start as a subprocess
.PHONY: emulator-bin
emulator-bin:
	$(CARGO) build -p authing-emulator --bin authing-emulator
