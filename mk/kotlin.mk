# kotlin targets (owned by the kotlin work); add to LANGUAGE_TESTS with +=
