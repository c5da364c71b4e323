# core targets (owned by the core work); add to LANGUAGE_TESTS with +=
