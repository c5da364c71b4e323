"""The fault matrix (tests/data/fault-matrix.json) through the Python binding: the same
rows, set-ups and expected results as the Rust, Node and Kotlin runners."""

from __future__ import annotations

import email.utils
import json
import ssl
import subprocess
import threading
import time
import urllib.request
from typing import Any, Dict, Iterator, Optional

import pytest

import authing_resign
from authing_resign import AuthingError
from emulator_proc import ROOT, Emulator, start

MATRIX = json.loads((ROOT / "tests" / "data" / "fault-matrix.json").read_text())
ROWS = [r for r in MATRIX["rows"] if "python" not in r.get("notExpressible", {})]
BATCH = "/api/v3/resign-user-batch"
TOKEN = "/api/v3/get-management-token"


@pytest.fixture(scope="module")
def https_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """A second emulator serving HTTPS with a self-signed certificate nobody trusts."""
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    emu = start("--tls-cert", str(cert), "--tls-key", str(key))
    try:
        yield emu
    finally:
        emu.stop()


def unverified_get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10, context=ssl._create_unverified_context()) as resp:
        return json.loads(resp.read())


def fault_body(fault: Dict[str, Any]) -> Dict[str, Any]:
    fault = dict(fault)
    secs = fault.pop("retryAfterInSecsAsDate", None)
    if secs is not None:
        fault["retryAfter"] = email.utils.formatdate(time.time() + secs, usegmt=True)
    return fault


def within(expect: Dict[str, Any], key: str, actual: int, name: str) -> None:
    if key in expect:
        lo, hi = expect[key]
        assert lo <= actual <= hi, f"{name}: {key} = {actual}, expected {lo}..{hi}"


@pytest.mark.parametrize("row", ROWS, ids=[r["name"][:60] for r in ROWS])
def test_fault_matrix_row(emulator: Emulator, https_emulator: Emulator, row: Dict[str, Any]) -> None:
    name, call, expect = row["name"], row["call"], row["expect"]
    tls = call.get("tls") == "untrusted"
    target = https_emulator if tls else emulator
    emulator.reset()
    if "settings" in row:
        emulator.settings(**row["settings"])
    started = time.monotonic()
    for fault in row.get("faults", []):
        emulator.control("POST", "faults", fault_body(fault))
    ids = [f"m{i}@example.com" for i in range(call["users"])]
    if ids and not tls:
        emulator.seed([{"email": e} for e in ids])
    ids += [f"ghost{i}@example.com" for i in range(call["unknown"])]
    stats_before = unverified_get(f"{target.url}/__emulator/stats")["connections"] if tls else 0
    client = authing_resign.ManagementClient(
        "emulator-access-key-id", "emulator-access-key-secret", target.url,
        timeout=call["timeoutMs"] / 1000, auth=call["auth"], max_retries=call["maxRetries"],
    )
    error: Optional[AuthingError] = None
    report = None
    if call["kind"] == "batch":
        try:
            client.resign_user_batch(ids, "email")
        except AuthingError as e:
            error = e
    else:
        patch = row.get("afterFirstChunk")
        fired = threading.Event()

        def on_progress(done: int, total: int) -> None:
            if patch is not None and not fired.is_set():
                fired.set()
                emulator.settings(**patch)

        report = client.resign_users(
            ids, "email", chunk_size=call["chunkSize"], concurrency=call["concurrency"],
            on_progress=on_progress,
        )
    elapsed_ms = (time.monotonic() - started) * 1000

    if tls:
        # Each control GET opens its own connection: the second one counts itself.
        after = unverified_get(f"{target.url}/__emulator/stats")["connections"]
        within(expect, "connections", after - stats_before - 1, name)
    journal = target.journal() if not tls else unverified_get(f"{target.url}/__emulator/journal")
    within(expect, "httpCalls", sum(e["path"] == BATCH for e in journal), name)
    within(expect, "tokenCalls", sum(e["path"] == TOKEN for e in journal), name)
    if "minElapsedMs" in expect:
        assert elapsed_ms >= expect["minElapsedMs"], f"{name}: {elapsed_ms:.0f} ms"
    if "maxElapsedMs" in expect:
        assert elapsed_ms <= expect["maxElapsedMs"], f"{name}: {elapsed_ms:.0f} ms"
    if report is not None:
        totals = report.totals
        for outcome, count in expect.get("totals", {}).items():
            assert getattr(totals, outcome) == count, f"{name}: {totals}"
        if "stoppedEarly" in expect:
            stopped = report.stopped_early.code if report.stopped_early is not None else None
            assert stopped == expect["stoppedEarly"], name
        return
    assert (error.code if error else None) == expect["error"], f"{name}: {error!r}"
    if "statusCode" in expect:
        # An ApiError's envelope statusCode; a DecodeError's HTTP status.
        status = getattr(error, "status_code", None) or getattr(error, "http_status", None)
        assert status == expect["statusCode"], f"{name}: {error!r}"
    if "apiCode" in expect:
        assert getattr(error, "api_code", None) == expect["apiCode"], f"{name}: {error!r}"


def test_matrix_has_the_rows_the_issue_asks_for() -> None:
    assert len(MATRIX["rows"]) >= 20
