"""BulkReport.write_json (the report streamed to a file) and the report's lines read
from the compact form the binding keeps: the same as to_json / users, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import pytest

from authing_resign import BulkReport, InvalidArgumentError, ManagementClient, UserOutcome
from conftest import Emulator, make_client


def mixed_report(emulator: Emulator, client: ManagementClient) -> BulkReport:
    """Resigned, failed (unknown user), duplicate and invalid lines, over two chunks."""
    emulator.seed([{"email": f"w{i}@example.com"} for i in range(5)])
    ids = [f"w{i}@example.com" for i in range(5)] + ["w0@example.com", " bad", "", "nobody@example.com", "w3@example.com"]
    report = client.resign_users(ids, "email", chunk_size=3, concurrency=2)
    outcomes = {u.outcome for u in report.users}
    assert {"resigned", "duplicate", "invalid"} <= outcomes, outcomes
    return report


@pytest.mark.parametrize("indent", [None, 0, 2, 16])
def test_write_json_is_to_json_byte_for_byte(emulator: Emulator, client: ManagementClient, tmp_path: Path,
                                             indent: Optional[int]) -> None:
    report = mixed_report(emulator, client)
    as_str, as_pathlike = tmp_path / "a.json", tmp_path / "b.json"
    assert report.write_json(str(as_str), indent) is None
    report.write_json(as_pathlike, indent=indent)
    expected = report.to_json(indent).encode()
    assert as_str.read_bytes() == expected == as_pathlike.read_bytes()
    assert json.loads(expected) == report.to_dict()
    # Nothing left beside the report (it is written to a temporary file, then renamed).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_write_json_replaces_an_existing_file(emulator: Emulator, client: ManagementClient, tmp_path: Path) -> None:
    report = mixed_report(emulator, client)
    path = tmp_path / "r.json"
    path.write_text("x" * 100_000)
    report.write_json(path)
    assert path.read_text() == report.to_json()


def test_write_json_to_a_pipe_writes_in_place_and_keeps_the_pipe(client: ManagementClient, tmp_path: Path) -> None:
    """A device or pipe (`/dev/stdout`) is written, never renamed over: as root, a rename
    would have replaced `/dev/null` itself with a regular file."""
    import stat
    import threading

    report = client.resign_users(["a", "b", "a"], dry_run=True)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: List[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    report.write_json(fifo, indent=2)
    reader.join(timeout=10)
    assert got == [report.to_json(indent=2).encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_write_json_dry_run_and_empty_reports(client: ManagementClient, tmp_path: Path) -> None:
    for ids in ([], [f"d{i}" for i in range(120)]):
        report = client.resign_users(ids, dry_run=True, chunk_size=40)
        report.write_json(tmp_path / "r.json", indent=2)
        assert (tmp_path / "r.json").read_text() == report.to_json(indent=2)


def test_write_json_bad_indent_raises_as_to_json_and_writes_nothing(client: ManagementClient, tmp_path: Path) -> None:
    report = client.resign_users(["a", "b"], dry_run=True)
    path = tmp_path / "r.json"
    path.write_text("earlier")
    for bad in (17, 10**9, -1):
        with pytest.raises(InvalidArgumentError) as from_to_json:
            report.to_json(indent=bad)
        with pytest.raises(InvalidArgumentError) as from_write:
            report.write_json(path, indent=bad)
        assert from_write.value.field == "indent" and "between 0 and 16" in from_write.value.reason
        assert str(from_write.value) == str(from_to_json.value)
    assert path.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_write_json_unwritable_path_raises_oserror_naming_it(client: ManagementClient, tmp_path: Path) -> None:
    report = client.resign_users(["a", "b"], dry_run=True)
    missing = tmp_path / "no-such-dir" / "r.json"
    with pytest.raises(FileNotFoundError) as info:
        report.write_json(missing)
    assert info.value.filename == str(missing) and str(missing) in str(info.value)
    # A directory where the file should go: the rename over it fails; nothing is left.
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep").write_text("k")
    with pytest.raises(OSError) as info2:
        report.write_json(str(taken))
    assert info2.value.filename == str(taken) and info2.value.errno is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (taken / "keep").read_text() == "k"


def test_write_json_refuses_a_path_of_the_wrong_type(client: ManagementClient) -> None:
    report = client.resign_users(["a"], dry_run=True)
    for bad in (42, None):
        with pytest.raises(TypeError):
            report.write_json(bad)  # type: ignore[arg-type]


def test_write_json_from_threads_at_once(emulator: Emulator, client: ManagementClient, tmp_path: Path) -> None:
    """The GIL is released while writing: several threads write the same report to the
    same path at once; every write completes and the file is whole."""
    from concurrent.futures import ThreadPoolExecutor

    report = mixed_report(emulator, client)
    path = tmp_path / "r.json"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: report.write_json(path, 2), range(32)))
    assert path.read_text() == report.to_json(2)
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_users_and_to_dict_from_the_compact_lines(emulator: Emulator, client: ManagementClient) -> None:
    report = mixed_report(emulator, client)
    d = report.to_dict()
    users = report.users
    assert isinstance(users, tuple) and all(isinstance(u, UserOutcome) for u in users)
    assert users is report.users
    assert [u.to_dict() for u in users] == d["users"]
    assert len(report) == len(users) == len(d["users"]) == 10
    assert report.chunks == d["chunks"] and report.totals.to_dict() == d["totals"]
    # user(i): one line, equal to users[i], negative from the end as for the tuple.
    lines: List[UserOutcome] = [report.user(i) for i in range(len(report))]
    assert lines == list(users)
    assert report.user(-1) == users[-1] and report.user(-10) == users[0]
    for bad in (10, -11, 2**62):
        with pytest.raises(IndexError):
            report.user(bad)
    failed = [u for u in users if u.outcome == "failed"]
    assert failed and failed[0].error is not None and failed[0].request_id


def test_the_report_on_a_callback_exception_writes_too(emulator: Emulator, tmp_path: Path) -> None:
    emulator.seed([{"email": f"c{i}@example.com"} for i in range(40)])

    def boom(done: int, total: int) -> None:
        raise LookupError("stop")

    with pytest.raises(LookupError) as info:
        make_client(emulator).resign_users([f"c{i}@example.com" for i in range(40)], "email", chunk_size=10,
                                           concurrency=1, on_progress=boom)
    report = info.value.report  # type: ignore[attr-defined]
    assert isinstance(report, BulkReport)
    report.write_json(os.fspath(tmp_path / "r.json"))
    assert (tmp_path / "r.json").read_text() == report.to_json()
    assert report.totals.resigned >= 1 and report.totals.not_attempted >= 1
