# python targets (owned by the python work): the pyo3 binding in bindings-python/.
#   make python        build (debug) and install it into .venv
#   make test-python   pytest against the emulator binary, mypy --strict, stubtest
#   make wheel         release manylinux2014 abi3 wheel (zig), then import it in a clean venv
#   make sdist         the sdist, pip-installed (a source build) into a clean venv, imported, tested
#   make bench-python  ours vs the official authing 5.1.0 SDK against the emulator

PY_BINDING := $(ROOT)/bindings-python
WHEEL_DIR := $(CARGO_TARGET_DIR)/wheels
WHEEL_SMOKE := $(CARGO_TARGET_DIR)/wheel-smoke-venv

SDIST_SMOKE := $(CARGO_TARGET_DIR)/sdist-smoke-venv

.PHONY: python test-python wheel sdist bench-python
LANGUAGE_TESTS += test-python sdist

python: venv
	cd $(PY_BINDING) && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" \
		$(VENV)/bin/maturin develop --quiet
	$(VPY) -c "import authing_resign._native"

test-python: python emulator-bin openssl-cli
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

## sdist: build the sdist, install it with pip into a clean venv (pip builds it from source,
## fetching maturin into an isolated build environment, as a user's pip would), import it
## from outside the checkout and run the blocking-client tests against the emulator. The
## build uses the dev profile and this target dir so it stays incremental; a user's pip
## builds it in release.
sdist: venv emulator-bin
	rm -f $(WHEEL_DIR)/authing_resign-*.tar.gz
	cd $(PY_BINDING) && $(VENV)/bin/maturin sdist --out $(WHEEL_DIR)
	tar tzf $(WHEEL_DIR)/authing_resign-*.tar.gz | grep '/LICENSE-MIT$$' >/dev/null
	tar tzf $(WHEEL_DIR)/authing_resign-*.tar.gz | grep '/LICENSE-APACHE$$' >/dev/null
	rm -rf $(SDIST_SMOKE)
	$(PYTHON) -m venv $(SDIST_SMOKE)
	MATURIN_PEP517_ARGS="--profile dev" $(SDIST_SMOKE)/bin/python -m pip install --quiet \
		$(WHEEL_DIR)/authing_resign-*.tar.gz
	cd / && $(SDIST_SMOKE)/bin/python -c "import authing_resign as a, authing_resign._native as n; \
		assert 'site-packages' in a.__file__, a.__file__; print('sdist installs:', a.__version__, n.__file__)"
	$(SDIST_SMOKE)/bin/python -m pip install --quiet pytest==8.4.2 pytest-timeout==2.4.0
	AUTHING_EMULATOR_BIN=$(EMULATOR_BIN) $(SDIST_SMOKE)/bin/python -m pytest -q -p no:cacheprovider \
		$(PY_BINDING)/tests/test_sync.py $(PY_BINDING)/tests/test_errors.py $(PY_BINDING)/tests/test_logging.py

## bench-python: release builds of the binding (into .venv) and of the emulator, then the
## benchmark; `make python` puts the debug build back.
bench-python: venv
	cd $(PY_BINDING) && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/maturin develop --release --quiet
	$(CARGO) build --release -p authing-emulator --bin authing-emulator
	AUTHING_EMULATOR_BIN=$(CARGO_TARGET_DIR)/release/authing-emulator $(VPY) $(PY_BINDING)/bench/bench.py
