"""Migration check: the same script against the official authing 5.1.0 client and ours."""

from __future__ import annotations

import inspect
from typing import Any, Dict

import pytest

import authing_resign
from conftest import KEY_ID, SECRET, Emulator

authing = pytest.importorskip("authing", minversion="5.1.0")


def script(module: Any, host: str, ids: list) -> Dict[str, Any]:
    """What a user's offboarding script does; only the import differs."""
    client = module.ManagementClient(KEY_ID, SECRET, host, 10.0, "zh-CN", False)
    resp = client.resign_user_batch(ids, user_id_type="email")
    return resp if isinstance(resp, dict) else resp.to_dict()


def test_same_response_fields_as_official_sdk(emulator: Emulator) -> None:
    emulator.seed([{"email": "off1@example.com"}, {"email": "ours1@example.com"}])
    official = script(authing, emulator.url, ["off1@example.com"])
    ours = script(authing_resign, emulator.url, ["ours1@example.com"])
    assert official["statusCode"] == ours["statusCode"] == 200
    assert official["message"] == ours["message"]
    assert official["data"] == ours["data"] == {"success": True}
    assert set(ours) == set(official)
    bodies = [e["body"] for e in emulator.journal("/api/v3/resign-user-batch")]
    assert bodies == [
        {"userIds": ["off1@example.com"], "userIdType": "email"},
        {"userIds": ["ours1@example.com"], "userIdType": "email"},
    ]


def test_failure_carries_the_same_fields(emulator: Emulator) -> None:
    official = script(authing, emulator.url, ["nobody@example.com"])
    with pytest.raises(authing_resign.ApiError) as info:
        script(authing_resign, emulator.url, ["nobody@example.com"])
    e = info.value
    assert official["statusCode"] == e.status_code
    assert official.get("apiCode") == e.api_code
    assert official["message"] == e.message
    assert bool(official.get("requestId")) == bool(e.request_id)


def test_constructor_takes_the_official_positional_parameters() -> None:
    """A call passing all of the official client's positional arguments migrates as is
    (the websocket ones are accepted and have no effect here)."""
    official = [p for p in inspect.signature(authing.ManagementClient.__init__).parameters if p != "self"]
    for cls in (authing_resign.ManagementClient, authing_resign.AsyncManagementClient):
        params = inspect.signature(cls).parameters.values()
        positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == official, cls
    client = authing_resign.ManagementClient(
        KEY_ID, SECRET, "http://127.0.0.1:9", 10.0, "zh-CN", False, "wss://events.example", "/events"
    )
    assert "127.0.0.1:9" in repr(client)
