"""The step most patches to uniffi's generated Kotlin share: replace one block of
`authing/resign/authing_resign.kt` that must occur exactly once, or refuse (exit status
1, with a message) so a uniffi upgrade that changes the block cannot skip the patch."""
import pathlib
import sys


def replace_once(root: str, original: str, replacement: str, what: str, also: tuple = ()) -> int:
    """Replaces `original` by `replacement`; 1 (refused) unless `original` occurs once and
    each `(text, n)` of `also` occurs exactly `n` times in the file as generated."""
    path = pathlib.Path(root) / "authing" / "resign" / "authing_resign.kt"
    text = path.read_text(encoding="utf-8")
    if text.count(original) != 1 or any(text.count(t) != n for t, n in also):
        print(f"{path}: {what} not found as expected", file=sys.stderr)
        return 1
    path.write_text(text.replace(original, replacement), encoding="utf-8")
    return 0
