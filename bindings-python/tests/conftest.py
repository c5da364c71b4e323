"""Shared fixtures: one emulator process per test session, reset before every test.

The emulator is the project's real HTTP server (tests/emulator); nothing is mocked.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator

import pytest

import authing_resign
from emulator_proc import KEY_ID, ROOT, SECRET, Emulator, start

__all__ = ["KEY_ID", "SECRET", "Emulator", "make_client", "make_async_client", "load_scenario"]

SCENARIO = ROOT / "tests" / "data" / "bulk-500.json"


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    try:
        emu = start()
    except FileNotFoundError as e:
        pytest.exit(str(e), returncode=2)
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> None:
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").reset()


def make_client(emulator: Emulator, **kw: Any) -> authing_resign.ManagementClient:
    return authing_resign.ManagementClient(KEY_ID, SECRET, emulator.url, **kw)


def make_async_client(emulator: Emulator, **kw: Any) -> authing_resign.AsyncManagementClient:
    return authing_resign.AsyncManagementClient(KEY_ID, SECRET, emulator.url, **kw)


@pytest.fixture(params=list(authing_resign._native.AUTH_SCHEMES))
def auth(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(emulator: Emulator) -> authing_resign.ManagementClient:
    return make_client(emulator)


def load_scenario() -> Dict[str, Any]:
    return dict(json.loads(SCENARIO.read_text()))
