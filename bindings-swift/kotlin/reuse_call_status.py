#!/usr/bin/env python3
"""Reuses one call-status structure per thread instead of building one per FFI call.

Every synchronous FFI call in uniffi's Kotlin (allocating and freeing the buffers that
carry arguments and results, cloning the object handle, completing a future) goes through
`uniffiRustCallWithError`, which builds a fresh `UniffiRustCallStatus`: two JNA
`Structure`s (the status and its embedded error buffer), each costing reflection over its
fields, a `malloc` and a `Cleaner` registration that the `JNA Cleaner` thread and the GC
later undo. A `resignUserBatch` call made five of them. This keeps one idle status per
thread and lends it out: a call nested on the same thread (a callback into Kotlin that
calls Rust again) finds the slot empty and builds its own, as before. The status is reset
(success code, empty error buffer) before it goes back, so what Rust reads in is exactly a
fresh status's content; JNA writes the structure to native memory before each call and
reads it back after, as it does for a new one. An error buffer is lifted (copied into
Kotlin objects and freed) before the status is reset.

It refuses to run (exit 1) when the generated code is not shaped as expected, so a uniffi
upgrade cannot skip it silently.

Usage: reuse_call_status.py <directory with the generated Kotlin>
"""
import sys

from replace_once import replace_once

ORIGINAL = """\
private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    var status = UniffiRustCallStatus()
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
}
"""

REUSING = """\
// kotlin/reuse_call_status.py: the idle call status of each thread (null while lent out).
private val uniffiIdleCallStatus = ThreadLocal<UniffiRustCallStatus?>()

private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    // kotlin/reuse_call_status.py: borrow this thread's status; a nested call builds its own.
    val status = uniffiIdleCallStatus.get()?.also { uniffiIdleCallStatus.set(null) } ?: UniffiRustCallStatus()
    try {
        val return_value = callback(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    } finally {
        // Back to what a new status holds, then idle again.
        status.code = UNIFFI_CALL_SUCCESS
        status.error_buf.capacity = 0
        status.error_buf.len = 0
        status.error_buf.data = null
        uniffiIdleCallStatus.set(status)
    }
}
"""


def main(root: str) -> int:
    return replace_once(root, ORIGINAL, REUSING, "uniffi's uniffiRustCallWithError", also=(("UniffiRustCallStatus()", 2),))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
