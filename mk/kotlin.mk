# Swift and Kotlin targets (owned by the uniffi work): bindings-swift/, crate authing-resign-ffi.
#   make kotlin        build the cdylib, generate Kotlin, compile it with kotlinc, run the JVM tests
#   make test-kotlin   the same (the LANGUAGE_TESTS entry)
#   make swift         generate Swift sources, header and modulemap into bindings-swift/swift/Sources/
#   make test-swift    make swift, check the generated API and C header, then `swift test` (XCTest)
#                      in a Debian trixie chroot (SWIFT_CHROOT, built once when missing)
#   make bench-kotlin  print throughput/latency of the Kotlin bindings against the emulator
# KOTLIN_TEST_FILTER=<substring> runs only the Kotlin tests whose name contains it.

UNIFFI_DIR := $(ROOT)/bindings-swift
UNIFFI_BINDGEN := $(CARGO_TARGET_DIR)/debug/uniffi-bindgen
UNIFFI_LIB := $(CARGO_TARGET_DIR)/debug/libauthing_resign_ffi.so
KOTLIN_HOME := $(UNIFFI_DIR)/node_modules/kotlin-compiler
KOTLINC := $(KOTLIN_HOME)/bin/kotlinc
KOTLIN_STAMP := $(UNIFFI_DIR)/node_modules/.kotlin-compiler-installed
KOTLIN_GEN := $(UNIFFI_DIR)/kotlin/generated
KOTLIN_JAR := $(UNIFFI_DIR)/build/kotlin/authing-resign-tests.jar
JNA_JAR := /usr/share/java/jna.jar
# uniffi's async Kotlin needs kotlinx-coroutines >= 1.6; the compiler package ships 1.8
# (Debian's libkotlinx-coroutines-java is 1.0, too old).
KOTLIN_CP := $(JNA_JAR):$(KOTLIN_HOME)/lib/kotlinx-coroutines-core-jvm.jar:$(KOTLIN_HOME)/lib/kotlin-stdlib.jar
KOTLIN_TEST_TIMEOUT ?= 600
KOTLIN_TEST_FILTER ?=
APT_INSTALL := $(SUDO) apt-get install -y --no-install-recommends

.PHONY: kotlin swift swift-chroot test-kotlin test-swift bench-kotlin uniffi-lib uniffi-bindgen kotlin-toolchain kotlin-jar
LANGUAGE_TESTS += test-kotlin test-swift

## uniffi-bindgen: the generator binary (its own small crate, so the cdylib never compiles it)
uniffi-bindgen:
	$(CARGO) build -p authing-resign-uniffi-bindgen

## uniffi-lib: the cdylib Swift and Kotlin load
uniffi-lib:
	$(CARGO) build -p authing-resign-ffi

# A JRE and JNA from apt, kotlinc from npm; each installed only when missing.
kotlin-toolchain: $(KOTLIN_STAMP) $(JNA_JAR)
	@command -v java >/dev/null || $(APT_INSTALL) default-jre-headless \
		|| { $(SUDO) apt-get update && $(APT_INSTALL) default-jre-headless; }

$(JNA_JAR):
	$(APT_INSTALL) libjna-java || { $(SUDO) apt-get update && $(APT_INSTALL) libjna-java; }

$(KOTLIN_STAMP): $(UNIFFI_DIR)/package.json $(UNIFFI_DIR)/package-lock.json
	cd $(UNIFFI_DIR) && npm ci --no-audit --no-fund
	touch $@

# Generated bindings + tests + benchmark in one jar (kotlinc is slow to start: compile once).
kotlin-jar: kotlin-toolchain uniffi-lib uniffi-bindgen emulator-bin
	rm -rf $(KOTLIN_GEN) && mkdir -p $(dir $(KOTLIN_JAR))
	$(UNIFFI_BINDGEN) generate --no-format --language kotlin --out-dir $(KOTLIN_GEN) $(UNIFFI_LIB)
	timeout --kill-after=10 $(KOTLIN_TEST_TIMEOUT) $(KOTLINC) -nowarn -cp $(KOTLIN_CP) -d $(KOTLIN_JAR) \
		$(KOTLIN_GEN) $(UNIFFI_DIR)/kotlin/tests $(UNIFFI_DIR)/kotlin/bench

KOTLIN_JAVA := timeout --kill-after=10 $(KOTLIN_TEST_TIMEOUT) java -Djna.library.path=$(dir $(UNIFFI_LIB)) \
	-cp $(KOTLIN_JAR):$(KOTLIN_CP)

kotlin: kotlin-jar
	$(KOTLIN_JAVA) authing.resign.tests.RunnerKt $(EMULATOR_BIN) $(ROOT)/tests/data $(KOTLIN_TEST_FILTER)

bench-kotlin: kotlin-jar
	$(KOTLIN_JAVA) authing.resign.bench.BenchKt $(EMULATOR_BIN)

test-kotlin: kotlin

swift: uniffi-lib uniffi-bindgen
	$(UNIFFI_DIR)/swift/generate.sh $(UNIFFI_BINDGEN) $(UNIFFI_LIB)

# Swift 6 from Debian trixie (Bookworm has none), in a chroot kept outside the repository
# and reused; building it takes a few minutes once per machine (~2.6 GB).
SWIFT_CHROOT ?= /var/cache/authing-resign/swift-trixie

## swift-chroot: the trixie chroot with swiftlang (no-op when present)
swift-chroot:
	$(UNIFFI_DIR)/swift/linux/swift-chroot.sh ensure $(SWIFT_CHROOT)

test-swift: swift emulator-bin swift-chroot
	$(PYTHON) $(UNIFFI_DIR)/swift/check_generated.py
	$(UNIFFI_DIR)/swift/linux/test-linux.sh $(SWIFT_CHROOT) $(ROOT) $(CARGO_TARGET_DIR) $(EMULATOR_BIN)
