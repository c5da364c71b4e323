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
fresh status's content. JNA does not copy the structure to native memory before each
call and back after (`setAutoSynch(false)`; each copy walked its fields by reflection,
through a JNI upcall from JNA's native dispatch): Rust writes the status only to report
a failure, so the code byte in native memory is read after the call, and the whole
structure only when it is not success. An error buffer is lifted (copied into Kotlin
objects and freed) before the status is reset, in the Kotlin fields and native memory.

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
    // JNA does not copy it to and from native memory around each call (reflection over
    // its fields): its native memory holds a success status, and Rust writes it only to
    // report a failure, which its first byte (the code) tells.
    val status = uniffiIdleCallStatus.get()?.also { uniffiIdleCallStatus.set(null) }
        ?: UniffiRustCallStatus().also { it.setAutoSynch(false); it.write() }
    try {
        val return_value = callback(status)
        if (status.pointer.getByte(0) != UNIFFI_CALL_SUCCESS) {
            status.read()
            uniffiCheckCallStatus(errorHandler, status)
        }
        return return_value
    } finally {
        if (status.pointer.getByte(0) != UNIFFI_CALL_SUCCESS) {
            // Back to what a new status holds (the error, if any, was lifted and freed).
            status.code = UNIFFI_CALL_SUCCESS
            status.error_buf.capacity = 0
            status.error_buf.len = 0
            status.error_buf.data = null
            status.write()
        }
        uniffiIdleCallStatus.set(status)
    }
}
"""


def main(root: str) -> int:
    return replace_once(root, ORIGINAL, REUSING, "uniffi's uniffiRustCallWithError", also=(("UniffiRustCallStatus()", 2),))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
