"""One client shared by 32 threads: the GIL is released while calls wait."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import Emulator, make_client

DELAY_S = 0.4


def test_32_threads_share_one_client(emulator: Emulator, auth: str) -> None:
    users = emulator.seed([{"username": f"th{i:02d}"} for i in range(32)])
    emulator.fault("delay", times=0, delayMs=int(DELAY_S * 1000))
    client = make_client(emulator, auth=auth)
    barrier = threading.Barrier(32)

    def one(uid: str) -> bool:
        barrier.wait()
        return client.resign_user_batch([uid]).data.success

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(one, [u["userId"] for u in users]))
    wall = time.monotonic() - started
    serial = 32 * DELAY_S
    assert all(results)
    assert {emulator.user(u["userId"])["status"] for u in users} == {"Resigned"}
    # Serially this is 12.8 s; with the GIL held it would be too.
    assert wall < serial / 4, f"32 calls took {wall:.2f}s, serial sum {serial:.1f}s"


def test_python_threads_run_while_a_call_waits(emulator: Emulator) -> None:
    emulator.fault("delay", times=1, delayMs=800)
    client = make_client(emulator)
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        # Counted only while the call waits: with the GIL held the spinner could not run.
        before = ticks
        try:
            client.resign_user_batch(["000000000000000000000000"])
        except Exception:
            pass
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert during > 100_000, f"only {during} iterations of another thread ran during an 0.8 s call"
