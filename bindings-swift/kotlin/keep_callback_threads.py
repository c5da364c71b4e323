#!/usr/bin/env python3
"""Keeps the Rust threads that wake Kotlin coroutines attached to the JVM.

A call's Rust future completes on a tokio worker, which wakes the suspended coroutine
through uniffi's continuation callback (a JNA `Callback`). JNA attaches a native thread
to the JVM for each such callback and, by default, detaches it when the callback
returns: a `java.lang.Thread` is created and torn down on every call. This gives the
callback a `CallbackThreadInitializer` that leaves the thread attached (as a daemon, so it
never keeps the JVM alive); JNA detaches it when the thread exits. It refuses to run
(exit 1) when the generated code is not shaped as expected, so a uniffi upgrade cannot
skip it silently.

Usage: keep_callback_threads.py <directory with the generated Kotlin>
"""
import pathlib
import sys

OBJECT = (
    "internal object uniffiRustFutureContinuationCallbackImpl: "
    "UniffiRustFutureContinuationCallback {\n"
)
INIT = (
    "    init {\n"
    "        // kotlin/keep_callback_threads.py: attach a waking tokio thread once, not per call.\n"
    "        com.sun.jna.Native.setCallbackThreadInitializer(\n"
    "            this, com.sun.jna.CallbackThreadInitializer(true, false, \"authing-resign\"),\n"
    "        )\n"
    "    }\n"
)


def main(root: str) -> int:
    path = pathlib.Path(root) / "authing" / "resign" / "authing_resign.kt"
    text = path.read_text(encoding="utf-8")
    if text.count(OBJECT) != 1:
        print(f"{path}: uniffi's continuation callback object not found", file=sys.stderr)
        return 1
    path.write_text(text.replace(OBJECT, OBJECT + INIT), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
