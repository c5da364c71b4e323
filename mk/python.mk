# python targets (owned by the python work); add to LANGUAGE_TESTS with +=
