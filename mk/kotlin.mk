# Swift and Kotlin targets (owned by the uniffi work): bindings-swift/, crate authing-resign-ffi.
#   make kotlin        build the cdylib, generate Kotlin, compile it with kotlinc into the JVM jar
#                      (build/kotlin/authing-resign-jvm.jar, native library inside), run the JVM tests
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

.PHONY: kotlin kotlin-lib-jar swift swift-chroot test-kotlin test-swift bench-kotlin uniffi-lib uniffi-bindgen kotlin-toolchain kotlin-jar
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

# The JVM library for server-side Kotlin: the generated bindings, patched by
# kotlin/patch_generated.py (error messages pointed at the core's; the threads waking
# coroutines kept attached to the JVM; one call status per thread reused instead of a JNA
# Structure built per call; strings without a surrogate encoded by the JVM's UTF-8
# encoder; resignUserBatch/resignUser through the direct path, kotlin/lib/DirectCalls.kt),
# and the hand-written kotlin/lib/
# (BulkJob.await(), the direct calls) compiled by kotlinc, with
# the Linux x86-64 cdylib inside (JNA loads it from the classpath, <os>-<arch>/lib*.so).
# The tests and the benchmark are compiled against this jar and run with it, nothing else.
KOTLIN_LIB_JAR := $(UNIFFI_DIR)/build/kotlin/authing-resign-jvm.jar
KOTLIN_NATIVE := $(UNIFFI_DIR)/build/kotlin/native

## kotlin-lib-jar: build/kotlin/authing-resign-jvm.jar (bindings + native library)
kotlin-lib-jar: kotlin-toolchain uniffi-lib uniffi-bindgen
	rm -rf $(KOTLIN_GEN) $(KOTLIN_NATIVE) && mkdir -p $(dir $(KOTLIN_LIB_JAR)) $(KOTLIN_NATIVE)/linux-x86-64
	$(UNIFFI_BINDGEN) generate --no-format --language kotlin --out-dir $(KOTLIN_GEN) $(UNIFFI_LIB)
	$(PYTHON) $(UNIFFI_DIR)/kotlin/patch_generated.py $(KOTLIN_GEN)
	timeout --kill-after=10 $(KOTLIN_TEST_TIMEOUT) $(KOTLINC) -nowarn -cp $(KOTLIN_CP) -d $(KOTLIN_LIB_JAR) \
		$(KOTLIN_GEN) $(UNIFFI_DIR)/kotlin/lib
	cp $(UNIFFI_LIB) $(KOTLIN_NATIVE)/linux-x86-64/
	jar --update --file $(KOTLIN_LIB_JAR) -C $(KOTLIN_NATIVE) .

# Tests + benchmark in one jar (kotlinc is slow to start: compile once).
kotlin-jar: kotlin-lib-jar emulator-bin
	timeout --kill-after=10 $(KOTLIN_TEST_TIMEOUT) $(KOTLINC) -nowarn -cp $(KOTLIN_LIB_JAR):$(KOTLIN_CP) \
		-d $(KOTLIN_JAR) $(UNIFFI_DIR)/kotlin/tests $(UNIFFI_DIR)/kotlin/bench

# No jna.library.path: the library must load from the jar, as it does for a user.
KOTLIN_JAVA := timeout --kill-after=10 $(KOTLIN_TEST_TIMEOUT) java \
	-cp $(KOTLIN_JAR):$(KOTLIN_LIB_JAR):$(KOTLIN_CP)

kotlin: kotlin-jar
	$(KOTLIN_JAVA) authing.resign.tests.RunnerKt $(EMULATOR_BIN) $(ROOT)/tests/data $(KOTLIN_TEST_FILTER)

bench-kotlin: kotlin-jar
	$(KOTLIN_JAVA) authing.resign.bench.BenchKt $(EMULATOR_BIN)

test-kotlin: kotlin openssl-cli

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
	$(UNIFFI_DIR)/swift/run-tests.sh $(SWIFT_CHROOT) $(ROOT) $(CARGO_TARGET_DIR) $(EMULATOR_BIN)
