"""Client options the core owns: max_response_bytes (issue 11) and the auth scheme names."""

from __future__ import annotations

from typing import Any

import pytest

import authing_resign
from authing_resign import ConfigError, DecodeError, Outcome, _native
from conftest import KEY_ID, SECRET, Emulator, make_client


def test_an_answer_over_max_response_bytes_is_a_decode_error_naming_the_cap(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "big"}])
    client = make_client(emulator, max_response_bytes=2048, max_retries=0)
    emulator.fault("huge_body", sizeBytes=8 * 1024 * 1024)
    with pytest.raises(DecodeError) as info:
        client.resign_user_batch([user["userId"]])
    assert "2048-byte cap" in info.value.reason and "max_response_bytes" in info.value.reason
    assert len(info.value.snippet) <= 2048
    # In a job, a 2xx answer too large to read may have been acted on: `unknown`.
    emulator.fault("huge_body", sizeBytes=8 * 1024 * 1024)
    report = client.resign_users([user["userId"]])
    (line,) = report.users
    assert line.outcome == Outcome.UNKNOWN and line.error is not None
    assert line.error.code == "decode" and "2048-byte cap" in line.error.message
    # The same client reads a normal answer (a new connection: the cut one is not reused).
    assert client.resign_user_batch([user["userId"]]).data.success


def test_the_token_exchange_is_capped_too(emulator: Emulator) -> None:
    (user,) = emulator.seed([{"username": "tok"}])
    client = make_client(emulator, auth="token", max_response_bytes=4096, max_retries=0)
    emulator.fault("huge_body", route="/api/v3/get-management-token", sizeBytes=8 * 1024 * 1024)
    with pytest.raises(DecodeError) as info:
        client.resign_user_batch([user["userId"]])
    assert "4096-byte cap" in info.value.reason
    assert emulator.journal("/api/v3/resign-user-batch") == [], "nothing sent without a token"


@pytest.mark.parametrize("bad", [0, 1023, 2**30 + 1, 2**40, 2**70, -1, -(2**70)])
def test_a_bad_max_response_bytes_is_the_core_config_error(bad: int) -> None:
    for cls in (authing_resign.ManagementClient, authing_resign.AsyncManagementClient):
        with pytest.raises(ConfigError) as info:
            cls(KEY_ID, SECRET, max_response_bytes=bad)
        assert info.value.option == "max_response_bytes"
        assert str(bad) in info.value.reason


@pytest.mark.parametrize(
    "name, bad",
    [
        ("access_key_id", ""),
        ("access_key_secret", ""),
        ("host", "ftp://x"),
        ("timeout", -1),
        ("connect_timeout", -1),
        ("auth", "bogus"),
        ("max_retries", -1),
        ("ca_cert", b"not a pem"),
        ("proxy", "::bad"),
        ("headers", {"bad name": "v"}),
        ("tenant_id", "\n"),
    ],
)
def test_a_rejected_option_is_named_as_the_keyword_passed(name: str, bad: Any) -> None:
    arguments: dict[str, Any] = {"access_key_id": KEY_ID, "access_key_secret": SECRET, name: bad}
    with pytest.raises(ConfigError) as info:
        authing_resign.ManagementClient(**arguments)
    assert info.value.option == name
    assert f"`{name}`" in str(info.value)


@pytest.mark.parametrize("bad", ["1MB", 1.5, [1024]])
def test_max_response_bytes_must_be_an_int(bad: Any) -> None:
    with pytest.raises(TypeError, match="max_response_bytes"):
        authing_resign.ManagementClient(KEY_ID, SECRET, max_response_bytes=bad)


def test_auth_scheme_names_come_from_the_core(emulator: Emulator) -> None:
    default = authing_resign.ManagementClient(KEY_ID, SECRET)
    assert f"auth='{_native.DEFAULT_AUTH_SCHEME}'" in repr(default)
    assert _native.DEFAULT_AUTH_SCHEME in _native.AUTH_SCHEMES and len(_native.AUTH_SCHEMES) >= 2
    for scheme in _native.AUTH_SCHEMES:
        client = make_client(emulator, auth=scheme.upper())
        assert f"auth='{scheme}'" in repr(client)
    with pytest.raises(ConfigError) as info:
        authing_resign.ManagementClient(KEY_ID, SECRET, auth="kerberos")
    assert info.value.option == "auth"
    for scheme in _native.AUTH_SCHEMES:
        assert repr(scheme) in info.value.reason or f'"{scheme}"' in info.value.reason
