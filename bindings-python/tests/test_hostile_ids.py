"""Hostile ids through the Python binding (Hypothesis): arbitrary Unicode built from the
pieces in tests/data/hostile-ids.json plus lone surrogates, sent to the emulator. For
every id: refused before anything is sent with an ``InvalidArgumentError`` naming its
index, or received byte-identical under a signature the emulator verified. Never sent
altered.
"""

from __future__ import annotations

import json
import re
from typing import Dict, List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import authing_resign
from authing_resign import InvalidArgumentError
from conftest import make_client
from emulator_proc import ROOT, Emulator

DATA = json.loads((ROOT / "tests" / "data" / "hostile-ids.json").read_text())
LONE = [chr(int(h, 16)) for h in DATA["lone_surrogates"]]
PIECES = [p for cat in DATA["pieces"].values() for p in cat] + LONE
LONE_RE = re.compile("[\ud800-\udfff]")
TYPES = [t.value for t in authing_resign.UserIdType]
ROUTE = "/api/v3/resign-user-batch"


@st.composite
def hostile_id(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(PIECES), max_size=DATA["max_pieces"]))
    text = "".join(pieces)
    if text and draw(st.integers(0, 19)) == 0:
        text = text * (DATA["long_repeat"] // len(text) + 1)
    return text


SEEN: Dict[str, int] = {"lone": 0, "invalid": 0, "received": 0}


def check(emulator: Emulator, ids: List[str], id_type: str) -> None:
    emulator.reset()
    emulator.settings(unknownIds="ignore")
    client = make_client(emulator)
    try:
        client.resign_user_batch(ids, id_type)
        error = None
    except InvalidArgumentError as e:
        error = e
    sent = emulator.journal(ROUTE)
    if error is not None:
        assert sent == [], "refused, yet sent"
        if not ids or len(ids) > DATA["batch_max"]:
            assert error.index is None
            return
        assert error.field == "user_ids", error
        # The dry-run plan judges each id on its own without sending: its first
        # invalid id is the one the error names (a lone surrogate is refused earlier,
        # while the ids are read, so it is named even after an id the core refuses).
        lone = next((i for i, x in enumerate(ids) if LONE_RE.search(x)), None)
        if lone is not None:
            assert error.index == lone, error
            assert "surrogate" in error.reason
            SEEN["lone"] += 1
            return
        plan = client.resign_users(ids, id_type, dry_run=True)
        first = next(i for i, u in enumerate(plan.users) if u.outcome == "invalid")
        assert error.index == first, error
        SEEN["invalid"] += 1
        return
    assert not any(LONE_RE.search(x) for x in ids)
    assert len(sent) == 1
    assert sent[0]["auth"] == "signature"
    assert sent[0]["statusCode"] == 200, "the emulator verified the signature and took the batch"
    assert sent[0]["body"]["userIds"] == ids, "received byte-identical, in order"
    SEEN["received"] += 1


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(ids=st.lists(hostile_id(), max_size=DATA["batch_max"] + 2), id_type=st.sampled_from(TYPES))
def test_hostile_batches_refused_by_index_or_received_unaltered(emulator: Emulator, ids: List[str], id_type: str) -> None:
    check(emulator, ids, id_type)


@settings(max_examples=70, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(user_id=hostile_id())
def test_hostile_single_ids_refused_or_received_unaltered(emulator: Emulator, user_id: str) -> None:
    check(emulator, [user_id], "username")


def test_every_fate_occurred() -> None:
    # Runs after the two properties (file order): a run that never sent or never
    # refused would prove nothing.
    print("hostile ids:", SEEN)
    assert all(n > 0 for n in SEEN.values()), SEEN
