"""Retries on 429 and 5xx, seen through the emulator's faults and journal."""

from __future__ import annotations

import pytest

from authing_resign import ApiError, AuthingError
from conftest import Emulator, make_client

BATCH = "/api/v3/resign-user-batch"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_http_5xx_is_retried(emulator: Emulator, status: int) -> None:
    (user,) = emulator.seed([{"username": "r1"}])
    emulator.fault("http_status", times=2, status=status)
    resp = make_client(emulator).resign_user_batch([user["userId"]])
    assert resp.data.success
    statuses = [e["httpStatus"] for e in emulator.journal(BATCH)]
    assert statuses == [status, status, 200]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_envelope_failures_are_retried(emulator: Emulator, status: int) -> None:
    (user,) = emulator.seed([{"username": "r2"}])
    emulator.fault("envelope_status", times=1, status=status, retryAfter="0")
    resp = make_client(emulator).resign_user_batch([user["userId"]])
    assert resp.data.success
    codes = [e["statusCode"] for e in emulator.journal(BATCH)]
    assert codes == [status, 200]


def test_retries_exhausted_raise_the_last_failure(emulator: Emulator) -> None:
    emulator.fault("envelope_status", times=0, status=429)
    with pytest.raises(ApiError) as info:
        make_client(emulator, max_retries=2).resign_user_batch(["someone"])
    assert info.value.status_code == 429 and info.value.is_retryable
    assert len(emulator.journal(BATCH)) == 3


def test_rate_limit_is_absorbed(emulator: Emulator, auth: str) -> None:
    users = emulator.seed([{"username": f"rl{i}"} for i in range(6)])
    emulator.settings(rateLimit={"rps": 2, "retryAfterSecs": 1})
    client = make_client(emulator, auth=auth, max_retries=6)
    for u in users:
        assert client.resign_user_batch([u["userId"]]).data.success
    throttled = [e for e in emulator.journal(BATCH) if e["statusCode"] == 429]
    assert throttled, "the rate limit should have answered 429 at least once"


def test_not_retried_when_disabled(emulator: Emulator) -> None:
    emulator.fault("http_status", times=1, status=503)
    with pytest.raises(AuthingError) as info:
        make_client(emulator, max_retries=0).resign_user_batch(["x"])
    assert info.value.is_retryable
    assert len(emulator.journal(BATCH)) == 1
