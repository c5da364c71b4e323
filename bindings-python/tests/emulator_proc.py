"""Start the project's emulator binary as a subprocess and drive its control API.

Used by the pytest suite (conftest.py) and the benchmark (bench/bench.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
KEY_ID = "emulator-access-key-id"
SECRET = "emulator-access-key-secret"
BANNER = "authing-emulator listening on "


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

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def emulator_bin() -> Path:
    """`$AUTHING_EMULATOR_BIN`, else target/debug/authing-emulator (`make emulator-bin`)."""
    env = os.environ.get("AUTHING_EMULATOR_BIN")
    return Path(env) if env else ROOT / "target" / "debug" / "authing-emulator"


def start(*flags: str) -> Emulator:
    """Starts the emulator on a free loopback port and waits for its banner line."""
    path = emulator_bin()
    if not path.exists():
        raise FileNotFoundError(f"emulator binary not found at {path}: run `make emulator-bin`")
    proc = subprocess.Popen(
        [str(path), "--host", "127.0.0.1", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if not first.startswith(BANNER):
        proc.kill()
        raise RuntimeError(f"unexpected emulator banner: {first!r}")
    return Emulator(proc, first[len(BANNER):])
