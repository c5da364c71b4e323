# emulator targets (owned by the emulator work)
CONFORMANCE_NODE := tests/conformance/node

.PHONY: emulator-bin openssl-cli conformance conformance-node conformance-python signature-vectors bench-emulator

## emulator-bin: the emulator binary the language suites start as a subprocess
emulator-bin:
	$(CARGO) build -p authing-emulator --bin authing-emulator

## openssl-cli: the fault matrix's TLS rows (pytest, node --test, Kotlin) make a throwaway
## self-signed certificate for an HTTPS emulator with it; from apt when missing
openssl-cli:
	@command -v openssl >/dev/null || $(APT_INSTALL) openssl \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) openssl; }

# npm ci writes node_modules/.package-lock.json: reinstall only when the lock changes.
$(CONFORMANCE_NODE)/node_modules/.package-lock.json: $(CONFORMANCE_NODE)/package-lock.json
	cd $(CONFORMANCE_NODE) && npm ci --no-audit --no-fund
	touch $@

## conformance: the official SDKs, unmodified, against the emulator binary
conformance: conformance-node conformance-python

conformance-node: emulator-bin $(CONFORMANCE_NODE)/node_modules/.package-lock.json
	cd $(CONFORMANCE_NODE) && AUTHING_EMULATOR_BIN=$(EMULATOR_BIN) timeout 300 node --test conformance.test.js

conformance-python: emulator-bin venv
	AUTHING_EMULATOR_BIN=$(EMULATOR_BIN) $(VPY) -m pytest -q -p no:cacheprovider --timeout 120 tests/conformance/python

LANGUAGE_TESTS += conformance

## signature-vectors: regenerate tests/data/signature-vectors.json with the official Node SDK
signature-vectors: $(CONFORMANCE_NODE)/node_modules/.package-lock.json
	node $(CONFORMANCE_NODE)/make-signature-vectors.js $(ROOT)/tests/data/signature-vectors.json

## bench-emulator: requests/s of signed resign-user-batch (50 ids) at concurrency 1 and 16
bench-emulator:
	$(CARGO) bench -p authing-emulator --bench resign_batch
