"""How asyncio results reach their futures (src/completions.rs, src/awaitable.rs).

Every case runs on three kinds of loop: asyncio's default (results queued per loop and
delivered by the loop's own reader), a loop without ``add_reader`` (as Windows'
ProactorEventLoop: the fallback through ``call_soon_threadsafe``), and uvloop. Results
are matched to their calls through the emulator's journal: each call sends its own id,
and the request id it gets back (on a result or on an ApiError) must be that of the
request that carried that id.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import threading
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

import pytest

from authing_resign import ApiError, AsyncManagementClient, _native
from conftest import Emulator, make_async_client

BATCH = "/api/v3/resign-user-batch"
UNKNOWN = "unknown-"


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, as Windows' ProactorEventLoop."""

    def add_reader(self, *args: Any) -> None:  # type: ignore[override]
        raise NotImplementedError


def uvloop_factory() -> asyncio.AbstractEventLoop:
    import uvloop

    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


LOOPS: Dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "queue": asyncio.new_event_loop,
    "fallback": NoReaderLoop,
    "uvloop": uvloop_factory,
}


@pytest.fixture(params=list(LOOPS))
def new_loop(request: pytest.FixtureRequest) -> Callable[[], asyncio.AbstractEventLoop]:
    if request.param == "uvloop":
        pytest.importorskip("uvloop")  # no uvloop on Windows
    return LOOPS[str(request.param)]


def run(new_loop: Callable[[], asyncio.AbstractEventLoop], coro: Any) -> Any:
    loop = new_loop()
    errors: List[Dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        result = loop.run_until_complete(coro)
    finally:
        loop.close()
    # Nothing went to the loop's exception handler (a result set on a done future, an
    # exception raised by a delivery callback).
    assert errors == []
    return result


def seed_ids(emulator: Emulator, n: int, prefix: str) -> List[str]:
    """n ids, one call each: three in four are users, every fourth is unknown (404)."""
    users = emulator.seed([{"username": f"{prefix}{k:03d}"} for k in range(n)])
    return [u["userId"] if k % 4 != 3 else f"{UNKNOWN}{prefix}{k:03d}" for k, u in enumerate(users)]


async def call(client: AsyncManagementClient, user_id: str) -> Tuple[str, str, str]:
    """(id sent, "ok" or "404", request id of the answer)."""
    try:
        resp = await client.resign_user_batch([user_id])
        return user_id, "ok", resp.request_id
    except ApiError as e:
        assert e.status_code == 404, e
        return user_id, "404", str(e.request_id)


def assert_own_results(emulator: Emulator, results: Sequence[Tuple[str, str, str]]) -> None:
    sent = {e["requestId"]: e["body"]["userIds"] for e in emulator.journal(BATCH)}
    for user_id, kind, request_id in results:
        assert sent[request_id] == [user_id], f"{user_id} got the answer to {sent.get(request_id)}"
        assert kind == ("404" if user_id.startswith(UNKNOWN) else "ok")


def test_64_concurrent_tasks_each_get_their_own_result(
    emulator: Emulator, new_loop: Callable[[], asyncio.AbstractEventLoop]
) -> None:
    ids = seed_ids(emulator, 64, "c")

    async def main() -> List[Tuple[str, str, str]]:
        client = make_async_client(emulator, auth="token")
        return list(await asyncio.gather(*(call(client, i) for i in ids)))

    results = run(new_loop, main())
    assert [r[0] for r in results] == ids
    assert_own_results(emulator, results)


def test_one_wake_socket_per_loop(emulator: Emulator) -> None:
    ids = seed_ids(emulator, 32, "w")

    async def main() -> Tuple[int, int, int]:
        loop = asyncio.get_running_loop()
        selector = loop._selector  # type: ignore[attr-defined]
        before = len(selector.get_map())
        client = make_async_client(emulator)
        await call(client, ids[0])
        after_one = len(selector.get_map())
        await asyncio.gather(*(call(client, i) for i in ids[1:]))
        return before, after_one, len(selector.get_map())

    before, after_one, after_all = run(asyncio.new_event_loop, main())
    assert (after_one, after_all) == (before + 1, before + 1)


def test_the_fallback_registers_no_reader(emulator: Emulator) -> None:
    ids = seed_ids(emulator, 8, "f")

    async def main() -> Tuple[int, int]:
        selector = asyncio.get_running_loop()._selector  # type: ignore[attr-defined]
        before = len(selector.get_map())
        client = make_async_client(emulator)
        assert_own_results(emulator, await asyncio.gather(*(call(client, i) for i in ids)))
        return before, len(selector.get_map())

    before, after = run(NoReaderLoop, main())
    assert after == before


def test_cancelled_tasks_while_others_complete(
    emulator: Emulator, new_loop: Callable[[], asyncio.AbstractEventLoop]
) -> None:
    ids = seed_ids(emulator, 48, "x")
    rng = random.Random(15)

    async def main() -> Tuple[List[Tuple[str, str, str]], int]:
        client = make_async_client(emulator)
        done: List[Tuple[str, str, str]] = []
        cancelled = 0
        # Cancellations at random moments, some while the call's result is on its way
        # (the result is then dropped, never set on the cancelled future).
        for _ in range(4):
            tasks = [asyncio.ensure_future(call(client, i)) for i in ids]
            await asyncio.sleep(rng.uniform(0, 0.004))
            victims = set(rng.sample(range(len(ids)), len(ids) // 2))
            for k in victims:
                tasks[k].cancel()
            for k, task in enumerate(tasks):
                try:
                    done.append(await task)
                except asyncio.CancelledError:
                    assert k in victims
                    cancelled += 1
        return done, cancelled

    done, cancelled = run(new_loop, main())
    assert len(done) + cancelled == 4 * len(ids) and len(done) >= 4 * len(ids) // 2
    assert_own_results(emulator, done)


def test_two_loops_in_two_threads_at_once(
    emulator: Emulator, new_loop: Callable[[], asyncio.AbstractEventLoop]
) -> None:
    ids = seed_ids(emulator, 64, "t")
    client = make_async_client(emulator, auth="token")
    both = threading.Barrier(2)
    results: Dict[int, List[Tuple[str, str, str]]] = {}
    failures: List[BaseException] = []

    async def main(mine: List[str]) -> List[Tuple[str, str, str]]:
        both.wait()
        out: List[Tuple[str, str, str]] = []
        for _ in range(3):
            out += await asyncio.gather(*(call(client, i) for i in mine))
        return out

    def thread(k: int) -> None:
        try:
            results[k] = run(new_loop, main(ids[k::2]))
        except BaseException as e:  # noqa: B902 - reported below
            failures.append(e)

    threads = [threading.Thread(target=thread, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert [r[0] for r in results[0]] == ids[0::2] * 3
    assert [r[0] for r in results[1]] == ids[1::2] * 3
    assert_own_results(emulator, results[0] + results[1])


def unix_sockets() -> int:
    """How many Unix-domain sockets this process has open (the wake socket pairs)."""
    with open("/proc/net/unix") as f:
        inodes = {line.split()[6] for line in f.readlines()[1:] if len(line.split()) > 6}
    mine = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            mine += 1
    return mine


@pytest.mark.skipif(not os.path.exists("/proc/net/unix"), reason="counts sockets through /proc")
def test_loop_closed_with_calls_in_flight(
    emulator: Emulator, new_loop: Callable[[], asyncio.AbstractEventLoop]
) -> None:
    ids = seed_ids(emulator, 16, "z")
    client = make_async_client(emulator)

    async def warm_up() -> None:
        await call(client, ids[0])

    run(new_loop, warm_up())
    gc.collect()
    baseline = unix_sockets()
    emulator.fault("delay", times=0, delayMs=300)
    loop = new_loop()
    tasks = [loop.create_task(call(client, i)) for i in ids]
    loop.run_until_complete(asyncio.sleep(0.1))
    assert not any(t.done() for t in tasks)
    loop.close()  # the calls are still waiting for the emulator
    # Their results arrive for a closed loop: dropped, and the loop's wake socket pair
    # is closed once the last of them is in (no crash, no hang, nothing kept).
    del tasks, loop
    deadline = time.monotonic() + 10
    while True:
        # A future dropped on a Rust thread (the result of a call of the closed loop)
        # holds its loop until pyo3 runs the deferred decref, at the next call into
        # the native module: make one.
        _native.error_fields()
        gc.collect()
        if unix_sockets() <= baseline or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert unix_sockets() <= baseline
    emulator.clear_faults()

    async def again() -> List[Tuple[str, str, str]]:
        return list(await asyncio.gather(*(call(client, i) for i in ids[1:])))

    assert_own_results(emulator, run(new_loop, again()))
