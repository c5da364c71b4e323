"""Blocking client: success paths with both auth schemes, results, what goes on the wire."""

from __future__ import annotations

import authing_resign
from authing_resign import ResignUserResponse, UserIdType
from conftest import KEY_ID, SECRET, Emulator, make_client


def test_batch_resigns_users_with_each_auth_scheme(emulator: Emulator, auth: str) -> None:
    users = emulator.seed([{"username": "alice"}, {"username": "bob"}])
    ids = [u["userId"] for u in users]
    client = make_client(emulator, auth=auth)

    resp = client.resign_user_batch(ids)

    assert isinstance(resp, ResignUserResponse)
    assert resp.status_code == 200
    assert resp.data.success is True
    assert resp.message
    for uid in ids:
        assert emulator.user(uid)["status"] == "Resigned"
    calls = emulator.journal("/api/v3/resign-user-batch")
    assert len(calls) == 1
    assert calls[0]["auth"].lower() == ("signature" if auth == "signature" else "token")
    # user_id_type None: the field is left out, as the official SDK does.
    assert calls[0]["body"] == {"userIds": ids}
    assert calls[0]["headers"]["x-authing-sdk-version"] == f"authing-resign-python:{authing_resign.__version__}"


def test_user_id_type_enum_and_plain_string(emulator: Emulator) -> None:
    emulator.seed([{"email": "a@example.com"}, {"email": "b@example.com"}])
    client = make_client(emulator)
    client.resign_user_batch(["a@example.com"], user_id_type=UserIdType.EMAIL)
    client.resign_user_batch(("b@example.com",), "email")
    bodies = [e["body"] for e in emulator.journal("/api/v3/resign-user-batch")]
    assert bodies == [
        {"userIds": ["a@example.com"], "userIdType": "email"},
        {"userIds": ["b@example.com"], "userIdType": "email"},
    ]
    assert {u["status"] for u in emulator.users()} == {"Resigned"}


def test_resign_user_single(emulator: Emulator, auth: str) -> None:
    (user,) = emulator.seed([{"username": "carol"}])
    resp = make_client(emulator, auth=auth).resign_user("carol", user_id_type=UserIdType.USERNAME)
    assert resp.data.success
    assert emulator.user(user["userId"])["status"] == "Resigned"
    (call,) = emulator.journal("/api/v3/resign-user")
    assert call["body"] == {"userId": "carol", "userIdType": "username"}


def test_response_is_frozen_typed_and_has_official_dict_shape(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "dave"}])
    resp = make_client(emulator).resign_user_batch([user["userId"]])
    d = resp.to_dict()
    assert d["statusCode"] == 200
    assert d["data"] == {"success": True}
    assert d["message"] == resp.message
    assert d.get("requestId") == resp.request_id
    assert set(d) <= {"statusCode", "message", "apiCode", "requestId", "data"}
    assert "ResignUserResponse(status_code=200" in repr(resp)
    assert "ResignUserData(success=True)" in repr(resp)
    try:
        resp.status_code = 500  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("response must be immutable")


def test_client_shared_options_reach_the_wire(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "erin"}])
    client = authing_resign.ManagementClient(
        KEY_ID, SECRET, emulator.url, 5.0, "en-US", False,
        tenant_id="tenant-1", headers={"x-custom": "yes"},
    )
    client.resign_user_batch([user["userId"]])
    (call,) = emulator.journal("/api/v3/resign-user-batch")
    assert call["headers"]["x-authing-lang"] == "en-US"
    assert call["headers"]["x-authing-tenant-id"] == "tenant-1"
    assert call["headers"]["x-custom"] == "yes"


def test_context_manager_closes(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "frank"}])
    with make_client(emulator) as client:
        client.resign_user_batch([user["userId"]])
    try:
        client.resign_user_batch([user["userId"]])
    except RuntimeError as e:
        assert "closed" in str(e)
    else:
        raise AssertionError("a closed client must refuse calls")
    assert "<closed>" in repr(client)
