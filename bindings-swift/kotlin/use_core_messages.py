#!/usr/bin/env python3
"""Makes Kotlin's `AuthingException.message` the core's message.

uniffi's Kotlin gives every error variant a `message` listing its fields
(`field=userIds, index=3, reason=...`); Swift and every other language show the core's
`Display` message instead. The Rust enum exports `Display`, which uniffi turns into
`toString()`; this points each variant's `message` getter at it. It refuses to run (exit
1) when the generated code is not shaped as expected, so a uniffi upgrade cannot skip it
silently.

Usage: use_core_messages.py <directory with the generated Kotlin>
"""
import pathlib
import re
import sys

VARIANTS = 11  # the variants of AuthingError (bindings-swift/src/errors.rs)


def main(root: str) -> int:
    path = pathlib.Path(root) / "authing" / "resign" / "authing_resign.kt"
    text = path.read_text(encoding="utf-8")
    start = text.find("sealed class AuthingException")
    end = text.find("\npublic object FfiConverterTypeAuthingError", start)
    if start < 0 or end < 0:
        print(f"{path}: AuthingException not found", file=sys.stderr)
        return 1
    body = text[start:end]
    if "override fun toString(): String" not in body:
        print(f"{path}: AuthingException has no Display toString()", file=sys.stderr)
        return 1
    getter = re.compile(r'(override val message\s*\n\s*get\(\) = )"[^\n]*"')
    body, n = getter.subn(r"\1toString()", body)
    if n != VARIANTS:
        print(f"{path}: {n} message getters, expected {VARIANTS}", file=sys.stderr)
        return 1
    path.write_text(text[:start] + body + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
