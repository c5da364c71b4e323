"""Shared fixtures: one emulator process per test session, reset before every test.

The emulator is the project's real HTTP server (tests/emulator); nothing is mocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

import authing_resign

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests" / "data" / "bulk-500.json"
KEY_ID = "emulator-access-key-id"
SECRET = "emulator-access-key-secret"


class Emulator:
    """A running `authing-emulator` and its control API."""

    def __init__(self, proc: "subprocess.Popen[str]", url: str) -> None:
        self.proc = proc
        self.url = url

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}/__emulator/{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def reset(self) -> None:
        self.control("POST", "reset")

    def seed(self, users: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return list(self.control("POST", "users", users)["users"])

    def users(self) -> List[Dict[str, Any]]:
        return list(self.control("GET", "users"))

    def user(self, user_id: str) -> Dict[str, Any]:
        return next(u for u in self.users() if u["userId"] == user_id)

    def fault(self, kind: str, times: int = 1, route: str = "/api/v3/resign-user-batch", **extra: Any) -> int:
        return int(self.control("POST", "faults", {"route": route, "kind": kind, "times": times, **extra})["id"])

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def journal(self, path: Optional[str] = None) -> List[Dict[str, Any]]:
        entries = list(self.control("GET", "journal"))
        return [e for e in entries if path is None or e["path"] == path]

    def settings(self, **patch: Any) -> Dict[str, Any]:
        return dict(self.control("PATCH", "settings", patch))


def _emulator_bin() -> Path:
    env = os.environ.get("AUTHING_EMULATOR_BIN")
    path = Path(env) if env else ROOT / "target" / "debug" / "authing-emulator"
    if not path.exists():
        pytest.exit(f"emulator binary not found at {path}: run `make emulator-bin`", returncode=2)
    return path


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    proc = subprocess.Popen(
        [str(_emulator_bin()), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        prefix = "authing-emulator listening on "
        if not first.startswith(prefix):
            raise RuntimeError(f"unexpected emulator banner: {first!r}")
        yield Emulator(proc, first[len(prefix):])
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> None:
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").reset()


def make_client(emulator: Emulator, **kw: Any) -> authing_resign.ManagementClient:
    return authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url, **kw)


def make_async_client(emulator: Emulator, **kw: Any) -> authing_resign.AsyncManagementClient:
    return authing_resign.AsyncManagementClient(KEY_ID, SECRET, emulator.url, **kw)


@pytest.fixture(params=["signature", "token"])
def auth(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(emulator: Emulator) -> authing_resign.ManagementClient:
    return make_client(emulator)


def load_scenario() -> Dict[str, Any]:
    return dict(json.loads(SCENARIO.read_text()))
