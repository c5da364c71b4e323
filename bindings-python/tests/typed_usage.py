"""A typed usage example: `mypy --strict` must accept it (checked by `make test-python`)."""

from __future__ import annotations

import asyncio
from typing import Dict, List, Optional

from authing_resign import (
    ApiError,
    AsyncManagementClient,
    BulkReport,
    ManagementClient,
    Outcome,
    ResignUserResponse,
    TimeoutError,
    UserIdType,
)


def offboard(client: ManagementClient, emails: List[str]) -> Optional[str]:
    try:
        resp: ResignUserResponse = client.resign_user_batch(emails, user_id_type=UserIdType.EMAIL)
    except ApiError as e:
        code: Optional[int] = e.api_code
        return f"{e.status_code} {code} {e.request_id}"
    except TimeoutError as t:  # not in __all__, still an explicit export for type checkers
        phase: str = t.phase
        return phase
    success: bool = resp.data.success
    return None if success else resp.message


def bulk(client: ManagementClient, ids: List[str]) -> int:
    def progress(done: int, total: int) -> None:
        print(f"{done}/{total}")

    report: BulkReport = client.resign_users(ids, "email", concurrency=4, chunk_size=50, on_progress=progress)
    failed = [u.user_id for u in report.users if u.outcome == Outcome.FAILED]
    print(report.to_json(indent=2), report.totals.resigned, report.stopped_early)
    return len(failed)


def verify(ids: List[str]) -> Dict[str, Optional[str]]:
    client = ManagementClient("id", "secret", max_response_bytes=64 * 1024)
    report: BulkReport = client.resign_users(ids, "email", verify=True)
    unsure = [u.verify_note for u in report.users if u.verified is False]
    audit = client.resign_users(ids, "email", verify_only=True)
    lookups: int = report.lookup_calls + audit.lookup_calls
    print(unsure, lookups, audit.verify_only)
    return {u.user_id: u.status for u in audit.users}


async def bulk_async(host: str, ids: List[str]) -> BulkReport:
    async with AsyncManagementClient("id", "secret", host, auth="token") as client:
        one = await client.resign_user(ids[0], UserIdType.USER_ID)
        assert one.status_code == 200
        return await client.resign_users(ids[1:], deadline=30.0, verify=True)


if __name__ == "__main__":
    asyncio.run(bulk_async("http://127.0.0.1:1", ["a", "b"]))
