"""verify and verify_only (issue 11) on both clients: the core reads users back with
GET /api/v3/get-user-batch and settles each line by the status the emulator shows."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, List

import pytest

from authing_resign import BulkReport, InvalidArgumentError, Outcome
from conftest import Emulator, make_async_client, make_client

BATCH = "/api/v3/resign-user-batch"
LOOKUP = "/api/v3/get-user-batch"
TOKEN = "/api/v3/get-management-token"

Run = Callable[..., BulkReport]


@pytest.fixture(params=["sync", "asyncio"])
def run(request: pytest.FixtureRequest, emulator: Emulator, auth: str) -> Run:
    """`resign_users(ids, **options)` on the blocking or the asyncio client (no retries,
    so a lost answer is lost once), under each auth scheme."""
    if request.param == "sync":
        return lambda ids, **kw: make_client(emulator, auth=auth, max_retries=0).resign_users(ids, **kw)

    def run_async(ids: List[str], **kw: Any) -> BulkReport:
        async def main() -> BulkReport:
            async with make_async_client(emulator, auth=auth, max_retries=0) as client:
                return await client.resign_users(ids, **kw)

        return asyncio.run(main())

    return run_async


def seed(emulator: Emulator, n: int) -> List[str]:
    return [u["userId"] for u in emulator.seed([{"username": f"v{i}"} for i in range(n)])]


def test_verify_turns_an_unknown_user_into_resigned_verified(emulator: Emulator, run: Run) -> None:
    ids = seed(emulator, 3)
    # The server resigns, then drops the connection: without verify, nobody knows.
    emulator.fault("act_then_drop", times=0)
    lost = run(ids[:1])
    assert [u.outcome for u in lost.users] == [Outcome.UNKNOWN]
    assert lost.users[0].verified is None and lost.lookup_calls == 0

    report = run(ids, verify=True)
    assert report.totals.resigned == 3 and report.totals.unknown == 0, report.totals
    for u in report.users:
        assert (u.outcome, u.verified, u.status, u.error) == (Outcome.RESIGNED, True, "Resigned", None)
        assert u.verify_note is not None and "answer was lost" in u.verify_note, u
    assert report.lookup_calls == 1 == len(emulator.journal(LOOKUP))
    line = report.to_dict()["users"][0]
    assert (line["verified"], line["status"]) == (True, "Resigned")
    assert [u.to_dict() for u in report.users] == report.to_dict()["users"]
    assert "verified=True, status='Resigned'" in repr(report.users[0])


def test_a_resigned_user_seen_with_another_status_ends_failed(emulator: Emulator, run: Run) -> None:
    ids = seed(emulator, 2)
    reactivated = []

    def reactivate(done: int, total: int) -> None:
        # After the call succeeded and before the lookup, someone re-activates user 1
        # (the control API replaces a user posted under its own userId).
        if not reactivated:
            reactivated.append(emulator.seed([{"userId": ids[1], "username": "v1", "status": "Activated"}]))

    report = run(ids, verify=True, on_progress=reactivate)
    assert reactivated and emulator.user(ids[1])["status"] == "Activated"
    first, second = report.users
    assert (first.outcome, first.verified, first.status) == (Outcome.RESIGNED, True, "Resigned")
    assert (second.outcome, second.verified, second.status) == (Outcome.FAILED, True, "Activated")
    assert second.error is not None and second.error.code == "not_resigned"
    assert "Activated" in second.error.message, second.error
    assert (report.totals.resigned, report.totals.failed) == (1, 1)
    assert report.to_dict()["users"][1]["error"]["code"] == "not_resigned"


def test_a_user_the_lookup_does_not_return_stays_as_it_was_not_verified(emulator: Emulator, run: Run) -> None:
    # Under `ignore`, an id nobody has is "resigned" by the batch but never found after:
    # that is "not verified", never "failed".
    emulator.settings(unknownIds="ignore")
    ids = seed(emulator, 1) + ["ghost-user"]
    report = run(ids, verify=True)
    real, ghost = report.users
    assert (real.outcome, real.verified) == (Outcome.RESIGNED, True)
    assert (ghost.outcome, ghost.verified, ghost.status, ghost.error) == (Outcome.RESIGNED, False, None, None)
    assert ghost.verify_note is not None and "did not return" in ghost.verify_note
    assert report.to_dict()["users"][1]["verified"] is False


def test_verify_only_reports_statuses_and_resigns_nobody(emulator: Emulator, run: Run) -> None:
    ids = seed(emulator, 2)
    run(ids[:1])
    emulator.control("DELETE", "journal")

    report = run([ids[0], ids[1], "nobody", ids[1], " "], verify_only=True)
    assert report.verify_only and report.http_calls == 0 and report.lookup_calls == 1
    assert emulator.journal(BATCH) == [], "nobody resigned"
    assert {e["path"] for e in emulator.journal()} - {TOKEN} == {LOOKUP}
    assert emulator.user(ids[1])["status"] == "Activated"
    seen = [(u.outcome, u.verified, u.status) for u in report.users]
    assert seen == [
        (Outcome.NOT_ATTEMPTED, True, "Resigned"),
        (Outcome.NOT_ATTEMPTED, True, "Activated"),
        (Outcome.NOT_ATTEMPTED, False, None),
        (Outcome.DUPLICATE, None, None),
        (Outcome.INVALID, None, None),
    ]
    assert report.users[2].verify_note
    assert report.to_dict()["verify_only"] is True


def test_verify_only_and_dry_run_do_not_mix(emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        make_client(emulator).resign_users(["a"], verify_only=True, dry_run=True)
    assert info.value.field == "verify_only"
    assert emulator.journal() == []
