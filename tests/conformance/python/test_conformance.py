"""Conformance: the official `authing` 5.1.0 Python SDK (management-token scheme),
unmodified, against the authing-emulator binary."""

import json
import urllib.request

import pytest
from authing import ManagementClient
from authing.AuthingException import AuthingException

KEY_ID = "emulator-access-key-id"
SECRET = "emulator-access-key-secret"


def control(url, route, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{url}/__emulator/{route}", data=data, method="POST" if data else "GET")
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def test_create_resign_and_read_back(emulator_url):
    client = ManagementClient(access_key_id=KEY_ID, access_key_secret=SECRET, host=emulator_url)
    created = client.create_users_batch(
        list=[
            {"username": "py-alice", "email": "py-alice@example.com"},
            {"username": "py-bob", "phone": "13900000001"},
            {"username": "py-carol", "externalId": "py-ext-carol"},
        ]
    )
    assert created["statusCode"] == 200, created
    ids = [u["userId"] for u in created["data"]]

    resigned = client.resign_user_batch(user_ids=ids[:2], user_id_type="user_id")
    assert resigned["statusCode"] == 200, resigned
    assert resigned["data"] == {"success": True}
    by_external = client.resign_user_batch(user_ids=["py-ext-carol"], user_id_type="external_id")
    assert by_external["statusCode"] == 200, by_external

    batch = client.get_user_batch(user_ids=ids, user_id_type="user_id")
    assert batch["statusCode"] == 200, batch
    assert [u["userId"] for u in batch["data"]] == ids
    assert all(u["status"] == "Resigned" and u["workStatus"] == "Closed" for u in batch["data"])
    one = client.get_user(user_id="py-bob", user_id_type="username")
    assert one["data"]["status"] == "Resigned"

    journal = [e for e in control(emulator_url, "journal") if e["path"].startswith("/api/v3/")]
    assert journal[0]["path"] == "/api/v3/get-management-token"
    assert journal[0]["body"]["accessKeySecret"] == "***"
    later = journal[1:]
    assert later and all(e["auth"] == "token" and e["statusCode"] == 200 for e in later)
    assert all(e["headers"]["authorization"] == "Bearer ***" for e in later)


def test_unknown_id_is_2004(emulator_url):
    client = ManagementClient(access_key_id=KEY_ID, access_key_secret=SECRET, host=emulator_url)
    res = client.resign_user_batch(user_ids=["no-such-user"])
    assert (res["statusCode"], res["apiCode"]) == (404, 2004)


def test_wrong_secret_is_refused(emulator_url):
    # The token scheme fails at the token exchange: the SDK raises with statusCode 401.
    client = ManagementClient(access_key_id=KEY_ID, access_key_secret="wrong-secret", host=emulator_url)
    with pytest.raises(AuthingException) as info:
        client.resign_user_batch(user_ids=["anyone"])
    assert info.value.statusCode == 401
