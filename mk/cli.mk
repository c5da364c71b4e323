# cli targets (owned by the cli work); add to LANGUAGE_TESTS with +=
