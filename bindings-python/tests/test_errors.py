"""Every exception class, raised for real, with its structured fields; hierarchy; pickling."""

from __future__ import annotations

import builtins
import pickle
import socket

import pytest

import authing_resign
from authing_resign import (
    ApiError,
    AuthingError,
    AuthingCancelledError,
    ConfigError,
    DecodeError,
    InvalidArgumentError,
    TimeoutError,
    TransportError,
)
from conftest import KEY_ID, SECRET, Emulator, make_client


def roundtrip(e: BaseException) -> BaseException:
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e)
    assert str(back) == str(e)
    assert vars(back) == vars(e)
    return back


def test_hierarchy() -> None:
    assert issubclass(InvalidArgumentError, AuthingError) and issubclass(InvalidArgumentError, ValueError)
    assert issubclass(ConfigError, AuthingError) and issubclass(ConfigError, ValueError)
    assert issubclass(TimeoutError, AuthingError) and issubclass(TimeoutError, builtins.TimeoutError)
    assert issubclass(TransportError, AuthingError) and issubclass(TransportError, ConnectionError)
    for cls in (ApiError, DecodeError, AuthingCancelledError):
        assert issubclass(cls, AuthingError)
    assert authing_resign.errors.AuthingCancelledError.code == "cancelled"


def test_classes_declare_the_cores_fields() -> None:
    # Every core error code has its class here, with exactly the core's fields (in order).
    by_code = {cls.code: cls for cls in AuthingError.__subclasses__()}
    core = authing_resign._native.error_fields()
    assert set(core) == set(by_code)
    for code, fields in core.items():
        assert by_code[code]._fields == fields, code
    # Hand-made instances take exactly those keywords.
    e = ApiError("x", status_code=500, request_id="r")
    assert (e.status_code, e.api_code, e.request_id, e.http_status) == (500, None, "r", 0)
    with pytest.raises(TypeError):
        ApiError("x", statusCode=500)


def test_invalid_argument_fields(client: authing_resign.ManagementClient, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user_batch(["ok-id", "  "])
    e = info.value
    assert (e.code, e.field, e.index) == ("invalid_argument", "user_ids", 1)
    assert "`user_ids[1]`" in str(e)
    assert "whitespace" in e.reason
    assert e.is_retryable is False
    roundtrip(e)

    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user_batch([f"id{i}" for i in range(51)])
    assert info.value.field == "user_ids" and info.value.index is None
    assert "resign_users" in info.value.reason

    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user_batch(["a"], user_id_type="mail")
    assert info.value.field == "user_id_type"
    for allowed in ("user_id", "external_id", "phone", "email", "username", "identity", "sync_relation", "custom_field"):
        assert allowed in info.value.reason

    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user_batch(["no-colon"], user_id_type="identity")
    assert info.value.index == 0 and "<extIdpId>:<userIdInIdp>" in info.value.reason
    # All of that was caught locally.
    assert emulator.journal() == []


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"host": "ftp://example.com"}, "host"),
        ({"host": "http://example.com"}, "host"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"connect_timeout": 0.0}, "connect_timeout"),
        ({"auth": "password"}, "auth"),
        ({"max_retries": -1}, "max_retries"),
        ({"ca_cert": "/nonexistent/ca.pem"}, "ca_cert"),
    ],
)
def test_config_error_fields(kwargs: dict, option: str) -> None:
    with pytest.raises(ConfigError) as info:
        authing_resign.ManagementClient(KEY_ID, SECRET, **kwargs)
    assert info.value.option == option
    assert info.value.reason
    assert info.value.code == "config"
    roundtrip(info.value)


def test_python_names_in_fields(client: authing_resign.ManagementClient, emulator: Emulator) -> None:
    # The core names things by wire name (userId) or builder name (root_certificate_pem,
    # tls); a Python caller must see the keyword argument it passed.
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_user("  ")
    assert info.value.field == "user_id" and "`user_id`" in str(info.value)
    with pytest.raises(InvalidArgumentError) as info:
        client.resign_users(["a"], user_id_type="mail")
    assert info.value.field == "user_id_type"
    assert emulator.journal() == []
    for pem in (b"no certificate here", b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"):
        with pytest.raises(ConfigError) as cinfo:
            authing_resign.ManagementClient(KEY_ID, SECRET, ca_cert=pem)
        assert cinfo.value.option == "ca_cert", cinfo.value
        assert "`ca_cert`" in str(cinfo.value)


def test_timeout_error_not_in_star_import() -> None:
    # `from authing_resign import *` must not shadow the builtin TimeoutError...
    for module in ("authing_resign", "authing_resign.errors"):
        ns: dict = {}
        exec(f"from {module} import *", ns)
        assert "TimeoutError" not in ns and "ApiError" in ns
    # ...but it stays importable by name from both places.
    assert authing_resign.TimeoutError is authing_resign.errors.TimeoutError is TimeoutError


def test_config_error_empty_key() -> None:
    with pytest.raises(ConfigError) as info:
        authing_resign.ManagementClient("", SECRET)
    assert info.value.option


def test_api_error_unknown_user(client: authing_resign.ManagementClient) -> None:
    with pytest.raises(ApiError) as info:
        client.resign_user_batch(["000000000000000000000000"])
    e = info.value
    assert (e.status_code, e.api_code, e.http_status) == (404, 2004, 200)
    assert e.message and e.request_id and e.request_id in str(e)
    assert e.is_retryable is False and e.is_auth is False
    back = roundtrip(e)
    assert isinstance(back, ApiError) and back.request_id == e.request_id


def test_api_error_bad_secret_is_auth(emulator: Emulator, auth: str) -> None:
    bad = authing_resign.ManagementClient(KEY_ID, "wrong-secret-value", emulator.url, auth=auth)
    with pytest.raises(ApiError) as info:
        bad.resign_user_batch(["x"])
    assert info.value.is_auth is True
    assert info.value.status_code in (401, 403)
    if auth == "signature":
        assert info.value.api_code == 1300


def test_timeout_error(emulator: Emulator) -> None:
    emulator.fault("delay", delayMs=3000)
    client = make_client(emulator, timeout=0.3, max_retries=0)
    with pytest.raises(TimeoutError) as info:
        client.resign_user_batch(["x"])
    assert info.value.phase == "attempt"
    assert info.value.is_retryable is True
    assert isinstance(info.value, builtins.TimeoutError)
    roundtrip(info.value)


def test_transport_error_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on that port any more.
    client = authing_resign.ManagementClient(KEY_ID, SECRET, f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(TransportError) as info:
        client.resign_user_batch(["x"])
    assert isinstance(info.value, ConnectionError)
    assert info.value.message and info.value.code == "transport"
    roundtrip(info.value)


def test_transport_error_dropped_connection(emulator: Emulator) -> None:
    emulator.fault("drop", times=0)
    with pytest.raises(TransportError):
        make_client(emulator, max_retries=1).resign_user_batch(["x"])


def test_decode_error_non_json(emulator: Emulator) -> None:
    emulator.fault("non_json")
    with pytest.raises(DecodeError) as info:
        make_client(emulator, max_retries=0).resign_user_batch(["x"])
    e = info.value
    assert e.http_status == 200 and e.reason and e.snippet
    roundtrip(e)


def test_cancelled_error_pickles() -> None:
    e = AuthingCancelledError("cancelled")
    assert e.code == "cancelled"
    roundtrip(e)


def test_the_package_exports_every_exception_class() -> None:
    import authing_resign
    from authing_resign import errors

    assert set(errors.__all__) <= set(authing_resign.__all__)
    for name in errors.__all__:
        assert getattr(authing_resign, name) is getattr(errors, name)
