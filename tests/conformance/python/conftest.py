"""Starts the authing-emulator binary once for the conformance session."""

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(os.environ.get("AUTHING_EMULATOR_BIN", ROOT / "target" / "debug" / "authing-emulator"))


@pytest.fixture(scope="session")
def emulator_url():
    proc = subprocess.Popen([str(BIN), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        match = re.fullmatch(r"authing-emulator listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, f"unexpected first line: {first!r}"
        yield match.group(1)
    finally:
        proc.kill()
        proc.wait(timeout=10)
