# node targets (owned by the node work); add to LANGUAGE_TESTS with +=
