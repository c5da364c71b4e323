#!/usr/bin/env python3
"""Routes `resignUserBatch` and `resignUser` through the direct path (src/direct.rs,
kotlin/lib/DirectCalls.kt) instead of uniffi's async protocol.

uniffi's generated suspend methods make nine JNA downcalls and two upcalls per call
(the handle's clone, a buffer allocation per argument, the method, two polls, complete,
the result buffer's free, the future's free), five of them passing or returning JNA
`Structure`s by value, which JNA builds and reads by reflection; the second poll answers
through a second upcall. The direct path makes two downcalls (the handle's clone, the
start with the arguments in one byte array) plus one to end the call, and one upcall
that carries the outcome's bytes; arguments and outcome are still written and read by
uniffi's generated converters. Cancellation, errors and the surrogate check are as
before: see DirectCalls.kt.

It declares the three C functions in the generated `UniffiLib` (registered with the
library there) and replaces the two method bodies. It refuses to run (exit 1) when the
generated code is not shaped as expected, so a uniffi upgrade cannot skip it silently.

Usage: direct_calls.py <directory with the generated Kotlin>
"""
import sys

from replace_once import replace_once

ANCHOR = "    external fun ffi_authing_resign_ffi_rustbuffer_alloc("

DECLARATIONS = """\
    // kotlin/direct_calls.py: the direct path of the single calls (src/direct.rs).
    external fun authing_resign_direct_resign_user_batch(`client`: Long, `args`: ByteArray, `argsLen`: Long, `done`: Pointer, `token`: Long): Long
    external fun authing_resign_direct_resign_user(`client`: Long, `args`: ByteArray, `argsLen`: Long, `done`: Pointer, `token`: Long): Long
    external fun authing_resign_direct_call_end(`call`: Long): Unit
"""

GENERATED = """\
        return uniffiRustCallAsync(
        callWithHandle { uniffiHandle ->
            UniffiLib.uniffi_authing_resign_ffi_fn_method_managementclient_{method}(
                uniffiHandle,
                
        {converter}.lower(`{ids}`),
        FfiConverterOptionalTypeUserIdType.lower(`userIdType`),
            )
        },
        { future, callback, continuation -> UniffiLib.ffi_authing_resign_ffi_rust_future_poll_rust_buffer(future, callback, continuation) },
        { future, continuation -> UniffiLib.ffi_authing_resign_ffi_rust_future_complete_rust_buffer(future, continuation) },
        { future -> UniffiLib.ffi_authing_resign_ffi_rust_future_free_rust_buffer(future) },
        // lift function
        { FfiConverterTypeResignUserResponse.lift(it) },
        // Error FFI converter
        AuthingException.ErrorHandler,
    )
"""

DIRECT = """\
        // kotlin/direct_calls.py: one downcall starts the call, one upcall ends it (DirectCalls.kt).
        // The arguments are written (and the ids checked) before the handle is cloned.
        val uniffiArgs = uniffiDirectArgs({converter}, `{ids}`, `userIdType`)
        return UniffiDirectCalls.call({ token ->
            callWithHandle { uniffiHandle ->
                UniffiLib.authing_resign_direct_{method}(
                    uniffiHandle, uniffiArgs.array(), uniffiArgs.position().toLong(), UniffiDirectCalls.done, token,
                )
            }
        }, { FfiConverterTypeResignUserResponse.read(it) })
"""

METHODS = (
    ("resign_user_batch", "FfiConverterTypeUserIds", "userIds"),
    ("resign_user", "FfiConverterTypeUserId", "userId"),
)


def fill(template: str, fields: dict) -> str:
    """`template` with each placeholder of `fields` replaced (the Kotlin has braces of its own)."""
    for placeholder, value in fields.items():
        template = template.replace(placeholder, value)
    return template


def main(root: str) -> int:
    if replace_once(root, ANCHOR, DECLARATIONS + ANCHOR, "uniffi's UniffiLib declarations") != 0:
        return 1
    for method, converter, ids in METHODS:
        fields = {"{method}": method, "{converter}": converter, "{ids}": ids}
        if replace_once(root, fill(GENERATED, fields), fill(DIRECT, fields), f"uniffi's {method} method body") != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
