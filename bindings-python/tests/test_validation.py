"""Wrong Python types are TypeErrors naming the argument; nothing reaches the network."""

from __future__ import annotations

import asyncio
import re
import types
from typing import Any

import pytest

import authing_resign
from authing_resign import InvalidArgumentError, UserIdType
from conftest import KEY_ID, SECRET, Emulator, make_async_client


@pytest.mark.parametrize(
    ("user_ids", "needle"),
    [
        ("6229ffa0000000000000000a", "not a single str"),
        (b"raw-bytes", "not a single bytes"),
        (42, "not int"),
        (None, "not NoneType"),
        (["ok", None], "user_ids[1] must be str, not NoneType"),
        (["ok", 7], "user_ids[1] must be str, not int"),
        (iter(["a", 1.5]), "user_ids[1] must be str, not float"),
        ({"a": 1, "b": 2}, "not a mapping (dict)"),
        (types.MappingProxyType({"a": 1}), "not a mapping (mappingproxy)"),
        ({"a", "b"}, "not a set"),
        (frozenset(["a"]), "not a frozenset"),
    ],
)
def test_user_ids_type_errors(client: authing_resign.ManagementClient, emulator: Emulator, user_ids: Any, needle: str) -> None:
    pattern = re.escape(needle)
    with pytest.raises(TypeError, match=pattern):
        client.resign_user_batch(user_ids)
    if not hasattr(user_ids, "__next__"):  # an iterator is spent by the first call
        with pytest.raises(TypeError, match=pattern):
            client.resign_users(user_ids)
    assert emulator.journal() == []


def test_other_type_errors(client: authing_resign.ManagementClient, emulator: Emulator) -> None:
    with pytest.raises(TypeError, match="user_id_type"):
        client.resign_user_batch(["a"], user_id_type=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="user_id must be str"):
        client.resign_user(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="on_progress"):
        client.resign_users(["a"], on_progress=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="headers"):
        authing_resign.ManagementClient(KEY_ID, SECRET, headers=["x"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        authing_resign.ManagementClient(KEY_ID, SECRET, timeout="10")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        authing_resign.ManagementClient(None, SECRET)  # type: ignore[arg-type]
    assert emulator.journal() == []


def test_bulk_option_values(client: authing_resign.ManagementClient) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_users(["a"], concurrency=0)
    assert info.value.field == "concurrency"
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_users(["a"], chunk_size=-3)
    assert info.value.field == "chunk_size"
    with pytest.raises(InvalidArgumentError):
        client.resign_users(["a"], chunk_size=51)
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_users(["a"], deadline=-1)
    assert info.value.field == "deadline"


def test_async_validation_raises_before_awaiting(emulator: Emulator) -> None:
    client = make_async_client(emulator)
    with pytest.raises(TypeError):
        client.resign_user_batch("single-string")

    async def empty() -> None:
        await client.resign_user_batch([])

    with pytest.raises(InvalidArgumentError):
        asyncio.run(empty())
    assert emulator.journal() == []


def test_report_to_json_indent_is_bounded(client: authing_resign.ManagementClient) -> None:
    report = client.resign_users(["a", "b"], dry_run=True)
    assert report.to_json(indent=16).startswith("{\n" + " " * 16 + '"')
    assert report.to_json(indent=0).startswith("{\n")
    for bad in (17, 10**9, -1):
        with pytest.raises(InvalidArgumentError) as info:
            report.to_json(indent=bad)
        assert info.value.field == "indent" and "between 0 and 16" in info.value.reason


def test_user_id_type_enum_matches_the_core() -> None:
    """The enum is written out for type checkers; the core's list is the source of truth."""
    from authing_resign import _native

    assert [t.value for t in UserIdType] == list(_native.USER_ID_TYPES)


@pytest.mark.parametrize("bad", ["x\ud800", "x\udc00", "\udfffa", "a\udc00\ud800b"])
def test_a_lone_surrogate_is_refused_by_index_before_sending(emulator: Emulator, bad: str) -> None:
    # A str can hold a lone surrogate; UTF-8 cannot. It is never sent as U+FFFD (which
    # would resign another user): an InvalidArgumentError names the position instead.
    client = authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url)
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user_batch(["a@example.com", bad], "email")
    assert (info.value.field, info.value.index) == ("user_ids", 1)
    assert "surrogate" in info.value.reason
    with pytest.raises(InvalidArgumentError) as single:
        client.resign_user(bad)
    assert (single.value.field, single.value.index) == ("user_id", None)
    with pytest.raises(InvalidArgumentError):
        client.resign_users(["a@example.com", "b@example.com", bad], "email", dry_run=True)
    assert emulator.journal("/api/v3/resign-user-batch") == []
