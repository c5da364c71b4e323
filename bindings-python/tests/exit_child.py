"""Child process of test_exit.py: uses AsyncManagementClient, then lets the interpreter
exit while the SDK's own threads are calling into Python.

    python exit_child.py calls|fallback|closed|logging|progress URL ID1,ID2,...

calls:    16 tasks make calls for 0.3 s, then the process exits: the last results
          reach the loop's completion queue from Rust threads as the interpreter exits.
fallback: the same on a loop without add_reader: results are delivered from a Rust
          thread (the blocking pool, through the exit gate).
closed:   a loop is closed (not by asyncio.run: nothing is cancelled) with 16 calls in
          flight, and the process exits while their results arrive.
logging:  a logging handler that keeps giving the GIL up (short sleeps) is running on a
          runtime thread when asyncio.run returns.
progress: the same with an on_progress callback of a bulk job.
threads:  ManagementClient (blocking): 4 threads and the main thread make calls for
          0.3 s, then the main thread leaves without joining them: each thread's own
          runtime and pools are dropped as it exits, the main thread's at process exit.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from typing import List

import authing_resign

KEY_ID = "emulator-access-key-id"
SECRET = "emulator-access-key-secret"
#: How long the handler or callback runs on the SDK's thread after the main thread left.
BUSY_SECONDS = 0.3

entered = threading.Event()


def busy_off_main_thread() -> None:
    """On an SDK thread, the first time: tell the main thread, then keep releasing and
    retaking the GIL for BUSY_SECONDS (what any I/O in a handler does)."""
    if threading.current_thread() is threading.main_thread() or entered.is_set():
        return
    entered.set()
    end = time.monotonic() + BUSY_SECONDS
    while time.monotonic() < end:
        time.sleep(0.001)


class BusyHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        busy_off_main_thread()


async def until_entered() -> None:
    while not entered.is_set():
        await asyncio.sleep(0.005)


async def calls(client: authing_resign.AsyncManagementClient, ids: List[str]) -> None:
    deadline = time.perf_counter() + 0.3

    async def worker() -> None:
        while time.perf_counter() < deadline:
            try:
                await client.resign_user_batch(ids)
            except authing_resign.ApiError:
                pass

    await asyncio.gather(*(worker() for _ in range(16)))


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, as Windows' ProactorEventLoop."""

    def add_reader(self, *args: object) -> None:  # type: ignore[override]
        raise NotImplementedError


def closed_in_flight(url: str, ids: List[str]) -> None:
    client = authing_resign.AsyncManagementClient(KEY_ID, SECRET, url)

    async def one() -> None:
        try:
            await client.resign_user_batch(ids)
        except authing_resign.ApiError:
            pass

    loop = asyncio.new_event_loop()
    tasks = [loop.create_task(one()) for _ in range(16)]
    loop.run_until_complete(asyncio.sleep(0.002))
    loop.close()
    del tasks


async def main(mode: str, url: str, ids: List[str]) -> None:
    client = authing_resign.AsyncManagementClient(KEY_ID, SECRET, url)
    if mode in ("calls", "fallback"):
        await calls(client, ids)
        return
    if mode == "logging":
        logger = logging.getLogger("authing_resign")
        logger.addHandler(BusyHandler())
        logger.setLevel(logging.DEBUG)
        pending = asyncio.ensure_future(client.resign_user_batch(ids))
    else:
        pending = asyncio.ensure_future(
            client.resign_users(ids, chunk_size=1, concurrency=2, on_progress=lambda d, t: busy_off_main_thread())
        )
    await until_entered()
    # Leave with the call still running: asyncio.run cancels it, the interpreter exits.
    assert not pending.done()


def blocking_threads(url: str, ids: List[str]) -> None:
    client = authing_resign.ManagementClient(KEY_ID, SECRET, url, auth="token")
    deadline = time.perf_counter() + 0.3

    def worker() -> None:
        while time.perf_counter() < deadline:
            client.resign_user_batch(ids)

    for _ in range(4):
        threading.Thread(target=worker).start()
    worker()


if __name__ == "__main__":
    if sys.argv[1] == "closed":
        closed_in_flight(sys.argv[2], sys.argv[3].split(","))
    elif sys.argv[1] == "fallback":
        loop = NoReaderLoop()
        loop.run_until_complete(main(sys.argv[1], sys.argv[2], sys.argv[3].split(",")))
        loop.close()
    elif sys.argv[1] == "threads":
        blocking_threads(sys.argv[2], sys.argv[3].split(","))
    else:
        asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3].split(",")))
