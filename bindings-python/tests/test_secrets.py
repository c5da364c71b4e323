"""The secret never shows in repr, str, exceptions or log records; logging is wired."""

from __future__ import annotations

import logging
import pickle

import pytest

import authing_resign
from authing_resign import AuthingError
from conftest import KEY_ID, SECRET, Emulator

BAD_SECRET = "bad-secret-do-not-print-8e1f"


def _failures(emulator: Emulator, auth: str) -> list:
    errors = []
    bad = authing_resign.ManagementClient(KEY_ID, BAD_SECRET, emulator.url, auth=auth, max_retries=0)
    for call in (lambda: bad.resign_user_batch(["x"]), lambda: bad.resign_user("x")):
        try:
            call()
        except AuthingError as e:
            errors.append(e)
    return errors


def test_repr_never_shows_the_secret(emulator: Emulator) -> None:
    for cls in (authing_resign.ManagementClient, authing_resign.AsyncManagementClient):
        c = cls(KEY_ID, SECRET, emulator.url)
        assert SECRET not in repr(c) and SECRET not in str(c)
        assert KEY_ID in repr(c)
    with pytest.raises(TypeError):
        pickle.dumps(authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url))


def test_errors_and_logs_never_show_secrets(emulator: Emulator, auth: str, caplog: pytest.LogCaptureFixture) -> None:
    (user,) = emulator.seed([{"username": "sec"}])
    with caplog.at_level(logging.DEBUG, logger="authing_resign"):
        ok = authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url, auth=auth)
        ok.resign_user_batch([user["userId"]])
        errors = _failures(emulator, auth)
    assert errors, "the bad secret must fail"
    records = [r for r in caplog.records if r.name == "authing_resign"]
    assert records, "the core's tracing events should reach the authing_resign logger"
    texts = [r.getMessage() for r in records] + [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [repr(vars(e)) for e in errors]
    for text in texts:
        for secret in (SECRET, BAD_SECRET):
            assert secret not in text
        assert "eyJ" not in text, "a JWT leaked"


def test_no_log_records_when_logger_is_quiet(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    (user,) = emulator.seed([{"username": "quiet"}])
    with caplog.at_level(logging.ERROR, logger="authing_resign"):
        authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url).resign_user_batch([user["userId"]])
    assert [r for r in caplog.records if r.name == "authing_resign" and r.levelno < logging.ERROR] == []


def test_logger_level_set_after_client_creation_applies(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    client = authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url, max_retries=0)
    logger = logging.getLogger("authing_resign")
    old = logger.level
    try:
        logger.setLevel(logging.DEBUG)
        with caplog.at_level(logging.DEBUG, logger="authing_resign"):
            with pytest.raises(authing_resign.ApiError) as info:
                client.resign_user_batch(["000000000000000000000000"])
        rec = [r for r in caplog.records if r.name == "authing_resign"]
        assert rec and any(str(info.value.request_id) in r.getMessage() for r in rec)
    finally:
        logger.setLevel(old)
