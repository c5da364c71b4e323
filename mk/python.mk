# python targets (owned by the python work): the pyo3 binding in bindings-python/.
#   make python        build (debug) and install it into .venv
#   make test-python   pytest against the emulator binary, mypy --strict, stubtest
#   make wheel         release manylinux2014 abi3 wheel (zig), then import it in a clean venv
#   make bench-python  ours vs the official authing 5.1.0 SDK against the emulator

PY_BINDING := $(ROOT)/bindings-python
WHEEL_DIR := $(CARGO_TARGET_DIR)/wheels
WHEEL_SMOKE := $(CARGO_TARGET_DIR)/wheel-smoke-venv

.PHONY: python test-python wheel bench-python
LANGUAGE_TESTS += test-python

python: venv
	cd $(PY_BINDING) && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" \
		$(VENV)/bin/maturin develop --quiet
	$(VPY) -c "import authing_resign._native"

test-python: python emulator-bin
	AUTHING_EMULATOR_BIN=$(EMULATOR_BIN) $(VPY) -m pytest $(PY_BINDING)/tests -q -p no:cacheprovider
	cd $(PY_BINDING) && $(VPY) -m mypy --strict --no-incremental tests/typed_usage.py
	$(VPY) -m mypy.stubtest authing_resign --allowlist $(PY_BINDING)/stubtest-allowlist.txt

wheel: venv
	$(VPY) -m pip install --quiet "ziglang>=0.11"
	cd $(PY_BINDING) && PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/maturin build --release \
		--zig --compatibility manylinux2014 --out $(WHEEL_DIR)
	rm -rf $(WHEEL_SMOKE)
	$(PYTHON) -m venv $(WHEEL_SMOKE)
	$(WHEEL_SMOKE)/bin/python -m pip install --quiet --no-index \
		"$$(ls -t $(WHEEL_DIR)/authing_resign-*.whl | head -1)"
	cd / && $(WHEEL_SMOKE)/bin/python -c "import authing_resign as a; \
		c = a.ManagementClient('id', 'secret'); print('wheel imports:', a.__version__, repr(c))"

## bench-python: release builds of the binding (into .venv) and of the emulator, then the
## benchmark; `make python` puts the debug build back.
bench-python: venv
	cd $(PY_BINDING) && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/maturin develop --release --quiet
	$(CARGO) build --release -p authing-emulator --bin authing-emulator
	AUTHING_EMULATOR_BIN=$(CARGO_TARGET_DIR)/release/authing-emulator $(VPY) $(PY_BINDING)/bench/bench.py
