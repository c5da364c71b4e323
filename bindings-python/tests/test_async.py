"""asyncio client: same behaviour as coroutines, many calls under gather, async with."""

from __future__ import annotations

import asyncio

import pytest

from authing_resign import ApiError, AsyncManagementClient, BulkReport, ResignUserResponse
from conftest import Emulator, make_async_client


def test_async_batch_with_each_auth_scheme(emulator: Emulator, auth: str) -> None:
    users = emulator.seed([{"username": "a1"}, {"username": "a2"}])

    async def main() -> ResignUserResponse:
        async with make_async_client(emulator, auth=auth) as client:
            assert isinstance(client, AsyncManagementClient)
            return await client.resign_user_batch([u["userId"] for u in users], "user_id")

    resp = asyncio.run(main())
    assert resp.status_code == 200 and resp.data.success
    assert {emulator.user(u["userId"])["status"] for u in users} == {"Resigned"}


def test_async_gather_many_calls(emulator: Emulator, auth: str) -> None:
    users = emulator.seed([{"username": f"g{i:02d}"} for i in range(40)])

    async def main() -> list:
        client = make_async_client(emulator, auth=auth)
        calls = [client.resign_user(u["username"], "username") for u in users]
        return list(await asyncio.gather(*calls))

    results = asyncio.run(main())
    assert len(results) == 40 and all(r.data.success for r in results)
    assert len(emulator.journal("/api/v3/resign-user")) == 40
    if auth == "token":
        # One token fetch serves every concurrent caller.
        assert len(emulator.journal("/api/v3/get-management-token")) == 1


def test_async_error_is_raised_with_fields(emulator: Emulator) -> None:
    async def main() -> None:
        await make_async_client(emulator).resign_user_batch(["000000000000000000000000"])

    with pytest.raises(ApiError) as info:
        asyncio.run(main())
    assert info.value.status_code == 404
    assert info.value.api_code == 2004
    assert info.value.request_id


def test_async_resign_users_and_progress(emulator: Emulator) -> None:
    emulator.seed([{"email": f"u{i}@example.com"} for i in range(120)])
    seen = []

    async def main() -> BulkReport:
        client = make_async_client(emulator)
        ids = [f"u{i}@example.com" for i in range(120)]
        return await client.resign_users(ids, "email", chunk_size=25, on_progress=lambda d, t: seen.append((d, t)))

    report = asyncio.run(main())
    assert report.totals.resigned == 120 and report.all_resigned
    assert seen and seen[-1] == (120, 120)


def test_async_close(emulator: Emulator) -> None:
    async def main() -> None:
        client = make_async_client(emulator)
        await client.aclose()
        client.resign_user_batch(["x"])

    with pytest.raises(RuntimeError, match="closed"):
        asyncio.run(main())


def test_async_task_cancellation_drops_the_call(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "slow"}])
    emulator.fault("delay", delayMs=2000)

    async def main() -> None:
        client = make_async_client(emulator)
        task = asyncio.ensure_future(client.resign_user_batch([user["userId"]]))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
