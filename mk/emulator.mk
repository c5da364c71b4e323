# emulator targets (owned by the emulator work); add to LANGUAGE_TESTS with +=
