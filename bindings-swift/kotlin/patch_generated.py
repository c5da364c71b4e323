#!/usr/bin/env python3
"""Applies every patch to uniffi's generated Kotlin, in order: the one list that the JVM
jar (mk/kotlin.mk) and the Android module (android/build-android.sh) both run, so a new
patch is added here only. Each patch is its own module (its docstring says why it
exists) and refuses (exit 1) a generated file not shaped as it expects; the first refusal
stops the rest.

Usage: patch_generated.py <directory with the generated Kotlin>
"""
import sys

import direct_calls
import fast_utf8
import keep_callback_threads
import reuse_call_status
import use_core_messages

PATCHES = (use_core_messages, keep_callback_threads, reuse_call_status, fast_utf8, direct_calls)


def main(root: str) -> int:
    for patch in PATCHES:
        if patch.main(root) != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
