#!/usr/bin/env python3
"""Encodes strings without surrogates with the JVM's own UTF-8 encoder.

uniffi lowers every Kotlin string (each of a batch's 50 user ids) through a new
`CharsetEncoder` set to report malformed input, encoding into a fresh buffer: the
encoder's allocation and its generic loop were ~3 % of the process's CPU per
`resignUserBatch` at concurrency 1 (`perf`, release library). Only a surrogate can be
malformed in UTF-16, so a string without one is encoded by `String.toByteArray(UTF_8)`
(a copy for ASCII), which gives the same bytes; a string with any surrogate still takes
uniffi's reporting encoder, so a lone surrogate is refused exactly as before.

It refuses to run (exit 1) when the generated code is not shaped as expected, so a uniffi
upgrade cannot skip it silently.

Usage: fast_utf8.py <directory with the generated Kotlin>
"""
import sys

from replace_once import replace_once

ORIGINAL = """\
    fun toUtf8(value: String): ByteBuffer {
        // Make sure we don't have invalid UTF-16, check for lone surrogates.
        return Charsets.UTF_8.newEncoder().run {
"""

FAST = """\
    fun toUtf8(value: String): ByteBuffer {
        // kotlin/fast_utf8.py: no surrogate, nothing malformed: the JVM's encoder, same bytes.
        if (value.none { it.isSurrogate() }) return ByteBuffer.wrap(value.toByteArray(Charsets.UTF_8))
        // Make sure we don't have invalid UTF-16, check for lone surrogates.
        return Charsets.UTF_8.newEncoder().run {
"""


def main(root: str) -> int:
    return replace_once(root, ORIGINAL, FAST, "uniffi's FfiConverterString.toUtf8", also=(("toUtf8(", 3),))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
