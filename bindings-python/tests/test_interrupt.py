"""Ctrl-C during a blocking resign_users cancels the job and raises promptly."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from conftest import Emulator, make_client

BATCH = "/api/v3/resign-user-batch"


@pytest.fixture(autouse=True)
def sigint_raises_keyboard_interrupt() -> Iterator[None]:
    """Make SIGINT raise KeyboardInterrupt even when the test runner was started with
    SIGINT ignored (a background job, some CI shells), where Python installs no handler."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_keyboard_interrupt_cancels_resign_users(emulator: Emulator) -> None:
    emulator.seed([{"email": f"k{i}@example.com"} for i in range(100)])
    emulator.fault("delay", times=0, delayMs=400)
    client = make_client(emulator)
    ids = [f"k{i}@example.com" for i in range(100)]
    # 20 chunks, one at a time, 0.4 s each: about 8 s if nothing stops it.
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.resign_users(ids, "email", chunk_size=5, concurrency=1)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - started
    assert elapsed < 6.0, f"KeyboardInterrupt took {elapsed:.1f}s to surface"
    sent = len(emulator.journal(BATCH))
    time.sleep(1.0)
    # Nothing more is sent after the interrupt.
    assert len(emulator.journal(BATCH)) == sent
    assert sent < 20


def test_keyboard_interrupt_during_single_call(emulator: Emulator) -> None:
    emulator.fault("delay", times=1, delayMs=5000)
    client = make_client(emulator, timeout=30.0)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.resign_user_batch(["someone"])
    finally:
        timer.cancel()
    assert time.monotonic() - started < 3.0


def test_keyboard_interrupt_carries_the_partial_report(emulator: Emulator) -> None:
    users = [f"kr{i}@example.com" for i in range(40)]
    emulator.seed([{"email": e} for e in users])
    emulator.fault("delay", times=0, delayMs=150)
    client = make_client(emulator)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            client.resign_users(users, "email", chunk_size=5, concurrency=1)
    finally:
        timer.cancel()
    report = info.value.report  # type: ignore[attr-defined]
    resigned = {u.user_id for u in report.users if u.outcome == "resigned"}
    at_server = {u["email"] for u in emulator.users() if u["status"] == "Resigned"}
    assert resigned and resigned == at_server, "every user the server resigned is in the report"
    assert report.stopped_early.code == "cancelled"


def test_a_raising_on_progress_carries_the_partial_report(emulator: Emulator) -> None:
    users = [f"pr{i}@example.com" for i in range(30)]
    emulator.seed([{"email": e} for e in users])

    def boom(done: int, total: int) -> None:
        raise ValueError("stop here")

    with pytest.raises(ValueError) as info:
        make_client(emulator).resign_users(users, "email", chunk_size=5, concurrency=1, on_progress=boom)
    report = info.value.report  # type: ignore[attr-defined]
    resigned = {u.user_id for u in report.users if u.outcome == "resigned"}
    at_server = {u["email"] for u in emulator.users() if u["status"] == "Resigned"}
    assert resigned == at_server and len(resigned) >= 5
