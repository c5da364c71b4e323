"""The host process exits cleanly while the SDK's threads are calling into Python.

Before the exit gate (src/gil.rs), about 1 process in 12 died at exit after using
AsyncManagementClient (SIGSEGV, or "Fatal Python error: PyGILState_Release"): a runtime
thread delivering a result took the GIL back after the interpreter had started
finalizing. Each case runs tests/exit_child.py in fresh interpreters against the emulator.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

import pytest

from conftest import Emulator

CHILD = Path(__file__).with_name("exit_child.py")


def run_child(mode: str, emulator: Emulator, ids: List[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, str(CHILD), mode, emulator.url, ",".join(ids)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONFAULTHANDLER": ""},
    )


def assert_clean_exits(mode: str, runs: int, emulator: Emulator, ids: List[str]) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda _: run_child(mode, emulator, ids), range(runs)))
    bad = [p for p in done if p.returncode != 0 or "Fatal Python error" in p.stderr]
    assert not bad, (
        f"{len(bad)} of {runs} processes did not exit cleanly; first: "
        f"exit {bad[0].returncode}, stderr:\n{bad[0].stderr[-2000:]}"
    )


@pytest.fixture
def ids(emulator: Emulator) -> List[str]:
    return [u["userId"] for u in emulator.seed([{"username": f"exit{i:02d}"} for i in range(50)])]


def test_exit_after_async_calls_never_crashes(emulator: Emulator, ids: List[str]) -> None:
    # Measured on the unfixed binding: 9 crashes in these 60 runs (debug build), 1 in 12
    # (release, quiet machine), 3 in 120 (release, loaded machine). The handler cases
    # below crashed in 3 of 8 (logging) and 8 of 8 (on_progress) runs.
    assert_clean_exits("calls", 60, emulator, ids)


@pytest.mark.parametrize("mode", ["fallback", "closed"])
def test_exit_with_results_on_their_way(emulator: Emulator, ids: List[str], mode: str) -> None:
    # fallback: results delivered from the blocking pool (a loop without add_reader);
    # closed: a loop closed under calls in flight, their results arriving at exit.
    assert_clean_exits(mode, 24, emulator, ids)


@pytest.mark.parametrize("mode", ["logging", "progress"])
def test_exit_while_a_handler_runs_on_an_sdk_thread(emulator: Emulator, ids: List[str], mode: str) -> None:
    # The handler (or on_progress) keeps releasing and retaking the GIL on a runtime
    # thread while the main thread exits: the exit waits for it to return.
    assert_clean_exits(mode, 8, emulator, ids)


def test_exit_after_blocking_calls_from_several_threads(emulator: Emulator, ids: List[str]) -> None:
    # Each thread's runtime and pools are dropped in its thread-local destructors, the
    # main thread's at exit(), after the interpreter has finalized: none may touch
    # Python, panic or wait.
    assert_clean_exits("threads", 12, emulator, ids)
