"""journal= and resume_from=: a job killed with SIGKILL resumes from its journal, on
the sync and the asyncio client; a record of another place is refused, typed."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time
import typing
from typing import Dict, List, Set

import pytest

import authing_resign
from conftest import KEY_ID, SECRET, Emulator, make_async_client, make_client

BATCH = "/api/v3/resign-user-batch"


def ids(tag: str, n: int) -> List[str]:
    return [f"{tag}{i}@example.com" for i in range(n)]


def recorded_resigned(path: pathlib.Path) -> Set[str]:
    """Users the journal records as resigned (complete lines only, as the core reads it)."""
    calls: Dict[int, List[str]] = {}
    done: Set[str] = set()
    text = path.read_text() if path.exists() else ""
    for line in text.split("\n")[:-1]:
        rec = json.loads(line)
        if rec["rec"] == "header":
            calls = {}
        elif rec["rec"] == "sent":
            calls[rec["call"]] = rec["user_ids"]
        elif rec["rec"] == "result" and rec["outcome"] == "resigned":
            done.update(calls[rec["call"]])
        elif rec["rec"] == "earlier":
            done.update(u["user_id"] for u in rec["users"])
    return done


def sent_ids(emulator: Emulator) -> List[str]:
    return [i for e in emulator.journal(BATCH) for i in e["body"]["userIds"]]


CHILD = textwrap.dedent(
    """
    import sys, authing_resign
    url, key, secret, journal = sys.argv[1:5]
    ids = sys.argv[5:]
    client = authing_resign.ManagementClient(key, secret, url)
    client.resign_users(ids, "email", chunk_size=5, concurrency=2, journal=journal)
    """
)


def test_sigkill_then_resume_from_the_journal(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    users = ids("kill", 80)
    emulator.seed([{"email": e} for e in users])
    emulator.fault("delay", times=0, delayMs=60)
    journal = tmp_path / "job.journal"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, emulator.url, KEY_ID, SECRET, str(journal), *users],
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 60
        while len(emulator.journal(BATCH)) < 6 and child.poll() is None:
            assert time.monotonic() < deadline, "the child sent nothing"
            time.sleep(0.01)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    before = recorded_resigned(journal)
    assert before, "some users were recorded before the kill"
    at_server = {u["email"] for u in emulator.users() if u["status"] == "Resigned"}
    assert before <= at_server
    emulator.clear_faults()
    sent_before = len(sent_ids(emulator))

    client = make_client(emulator)
    report = client.resign_users(users, "email", journal=journal, resume_from=journal)
    assert report.totals.resigned == 80
    again = set(sent_ids(emulator)[sent_before:])
    assert not again & before, "a user recorded as resigned was sent again"
    assert {u.user_id for u in report.users if u.earlier_run} == before
    assert all(u.to_dict().get("earlier_run") for u in report.users if u.earlier_run)
    assert {u["email"] for u in emulator.users() if u["status"] == "Resigned"} == set(users)


def test_asyncio_client_journals_and_resumes(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    users = ids("aio", 12)
    emulator.seed([{"email": e} for e in users])
    journal = tmp_path / "aio.journal"

    async def main() -> None:
        client = make_async_client(emulator)
        first = await client.resign_users(users[:5], "email", journal=str(journal))
        assert first.totals.resigned == 5
        second = await client.resign_users(
            users, "email", journal=tmp_path / "second.journal", resume_from=journal
        )
        assert [u.earlier_run for u in second.users] == [True] * 5 + [False] * 7

    asyncio.run(main())
    assert len(sent_ids(emulator)) == 12


def test_another_place_or_an_existing_journal_is_refused(
    emulator: Emulator, tmp_path: pathlib.Path
) -> None:
    users = ids("place", 3)
    emulator.seed([{"email": e} for e in users])
    journal = tmp_path / "j.journal"
    make_client(emulator).resign_users(users, "email", journal=journal)
    other = make_client(emulator, tenant_id="t1")
    with pytest.raises(authing_resign.ResumeMismatchError) as info:
        other.resign_users(users, "email", resume_from=journal)
    e = info.value
    assert (e.code, e.field, e.earlier, e.now) == ("resume_mismatch", "tenant_id", "(none)", "t1")
    with pytest.raises(authing_resign.ResumeMismatchError) as info:
        other.resign_users(users, "username", resume_from=journal, resume_force=True)
    assert (info.value.field, info.value.now) == ("user_id_type", "username")
    forced = other.resign_users(users, "email", resume_from=journal, resume_force=True)
    assert all(u.earlier_run for u in forced.users)
    with pytest.raises(authing_resign.JournalError) as jinfo:
        make_client(emulator).resign_users(users, "email", journal=journal)
    assert jinfo.value.code == "journal" and "never overwritten" in jinfo.value.reason
    assert isinstance(jinfo.value, OSError)


def test_resume_field_is_typed_as_the_core_lists_it() -> None:
    from authing_resign.errors import ResumeField

    assert typing.get_args(ResumeField) == authing_resign._native.RESUME_FIELDS
