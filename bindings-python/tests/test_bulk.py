"""resign_users: the shared 500-id scenario, progress, dry run, reports."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import warnings
from typing import List, Tuple

import pytest

from authing_resign import BulkReport, ManagementClient, Outcome
from conftest import Emulator, load_scenario, make_async_client, make_client


def test_shared_scenario_500_ids(emulator: Emulator, client: ManagementClient) -> None:
    sc = load_scenario()
    emulator.seed(sc["seedUsers"])
    progress: List[Tuple[int, int]] = []

    report = client.resign_users(
        sc["input"], sc["userIdType"], concurrency=4, chunk_size=50,
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert isinstance(report, BulkReport)
    assert len(report) == len(report.users) == 500
    assert [u.user_id for u in report.users] == sc["input"]
    assert [u.outcome for u in report.users] == sc["expected"]
    assert report.totals.to_dict() == sc["expectedTotals"]
    assert report.user_id_type == sc["userIdType"]
    assert report.stopped_early is None and not report.all_resigned
    for u in report.users:
        if u.outcome == Outcome.FAILED:
            assert u.error is not None
            assert (u.error.status_code, u.error.api_code) == (sc["failedStatusCode"], sc["failedApiCode"])
            assert u.request_id
        elif u.outcome == Outcome.RESIGNED:
            assert u.error is None and u.request_id
        else:
            assert u.error is not None
    resigned = {u.user_id for u in report.users if u.outcome == "resigned"}
    assert {x["email"] for x in emulator.users() if x["status"] == "Resigned"} == resigned
    # Progress: monotonic, ends at (500, 500).
    assert progress and progress[-1] == (500, 500)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert report.http_calls == len(emulator.journal("/api/v3/resign-user-batch"))


def test_report_serializes(emulator: Emulator, client: ManagementClient) -> None:
    emulator.seed([{"email": "s1@example.com"}])
    report = client.resign_users(["s1@example.com", "s1@example.com", " bad"], "email")
    d = report.to_dict()
    assert d == json.loads(report.to_json()) == json.loads(report.to_json(indent=2))
    assert [u["outcome"] for u in d["users"]] == ["resigned", "duplicate", "invalid"]
    assert d["totals"] == {"resigned": 1, "failed": 0, "unknown": 0, "invalid": 1, "duplicate": 1, "not_attempted": 0}
    r = repr(report)
    assert "BulkReport(" in r and "users=3" in r and "resigned=1" in r
    assert "UserOutcome(user_id='s1@example.com', outcome='resigned'" in repr(report.users[0])
    assert report.users[0] is report.users[0]
    assert [u.to_dict() for u in report.users] == d["users"]
    assert report.totals.to_dict() == d["totals"]


def test_dry_run_sends_nothing(emulator: Emulator, client: ManagementClient) -> None:
    ids = [f"d{i}@example.com" for i in range(120)]
    report = client.resign_users(ids, "email", dry_run=True, chunk_size=40)
    assert report.dry_run
    assert [len(c) for c in report.chunks] == [40, 40, 40]
    assert report.totals.not_attempted == 120
    assert emulator.journal() == []


def test_progress_callback_exception_cancels_and_propagates(emulator: Emulator) -> None:
    emulator.seed([{"email": f"p{i}@example.com"} for i in range(200)])
    client = make_client(emulator)
    calls = []

    def boom(done: int, total: int) -> None:
        calls.append(done)
        raise LookupError("stop here")

    with pytest.raises(LookupError, match="stop here"):
        client.resign_users([f"p{i}@example.com" for i in range(200)], "email", chunk_size=10, concurrency=1, on_progress=boom)
    sent = len(emulator.journal("/api/v3/resign-user-batch"))
    assert 1 <= sent < 20, f"the job should stop soon after the callback raised, sent {sent} of 20 chunks"


def test_deadline_leaves_the_rest_not_attempted(emulator: Emulator, client: ManagementClient) -> None:
    emulator.seed([{"email": f"t{i}@example.com"} for i in range(100)])
    emulator.fault("delay", times=0, delayMs=300)
    report = client.resign_users([f"t{i}@example.com" for i in range(100)], "email", chunk_size=10, concurrency=1, deadline=0.5)
    assert report.totals.not_attempted > 0
    assert report.stopped_early is not None and report.stopped_early.code == "timeout"


def test_auth_failure_stops_early(emulator: Emulator) -> None:
    from conftest import KEY_ID
    bad = ManagementClient(KEY_ID, "not-the-secret", emulator.url)
    report = bad.resign_users([f"x{i}" for i in range(120)], chunk_size=50, concurrency=1)
    assert report.stopped_early is not None and report.stopped_early.status_code in (401, 403)
    assert report.totals.resigned == 0
    assert report.totals.failed + report.totals.not_attempted == 120


def test_async_progress_callback_exception_propagates(emulator: Emulator) -> None:
    import asyncio

    from conftest import make_async_client

    emulator.seed([{"email": f"q{i}@example.com"} for i in range(100)])

    def boom(done: int, total: int) -> None:
        raise KeyError("from the callback")

    async def main() -> None:
        client = make_async_client(emulator)
        await client.resign_users([f"q{i}@example.com" for i in range(100)], "email", chunk_size=10, concurrency=1, on_progress=boom)

    with pytest.raises(KeyError, match="from the callback"):
        asyncio.run(main())
    assert len(emulator.journal("/api/v3/resign-user-batch")) < 10


def test_async_def_progress_callback_is_refused_up_front(emulator: Emulator, client: ManagementClient) -> None:
    async def progress(done: int, total: int) -> None:
        pass

    with pytest.raises(TypeError, match="async callbacks are not supported"):
        client.resign_users(["a@example.com"], "email", on_progress=progress)
    with pytest.raises(TypeError, match="async callbacks are not supported"):
        client.resign_users(["a@example.com"], "email", on_progress=functools.partial(progress, 0))
    assert emulator.journal() == []

    async def main() -> None:
        ac = make_async_client(emulator)
        await ac.resign_users(["a@example.com"], "email", on_progress=progress)

    with pytest.raises(TypeError, match="async callbacks are not supported"):
        asyncio.run(main())
    assert emulator.journal() == []


class _AsyncCall:
    """A callable object whose __call__ is async: not detectable before the first call."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, done: int, total: int) -> None:
        self.calls += 1  # never runs: nothing awaits the coroutine


def test_awaitable_from_progress_callback_stops_the_job(emulator: Emulator, client: ManagementClient) -> None:
    emulator.seed([{"email": f"w{i}@example.com"} for i in range(100)])
    ids = [f"w{i}@example.com" for i in range(100)]
    callback = _AsyncCall()
    with warnings.catch_warnings():
        # A coroutine left unawaited would warn when collected; the SDK closes it.
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(TypeError, match="async callbacks are not supported"):
            client.resign_users(ids, "email", chunk_size=10, concurrency=1, on_progress=callback)
        gc.collect()
    assert callback.calls == 0
    assert 1 <= len(emulator.journal("/api/v3/resign-user-batch")) < 10

    async def main() -> None:
        ac = make_async_client(emulator)
        await ac.resign_users(ids, "email", chunk_size=10, concurrency=1, on_progress=_AsyncCall())

    emulator.reset()
    emulator.seed([{"email": f"w{i}@example.com"} for i in range(100)])
    with pytest.raises(TypeError, match="async callbacks are not supported"):
        asyncio.run(main())
