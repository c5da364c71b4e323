"""`make bench-wire`: each client's rate as a percentage of wrk's, on one release emulator.

Every client makes the same call wrk makes: POST /api/v3/resign-user-batch with the same
50 user ids, token-authenticated, at concurrency 1 and 16, for WIRE_SECS seconds (default
5) after a warm-up. For each it prints calls/s, the percentage of wrk's rate in the same
run and the client process's CPU time per call (user + sys: getrusage of the child for
wrk and the CLI, the client's own figure over its measured window otherwise) and, for
clients that count them, context switches per call (thread hand-offs). The per-call
rows run WIRE_PASSES times (default 3), wrk first in every pass, and a summary gives each
row's median and range of % of wrk. Then the CLI's bulk job over 100,000 and 1,000,000
ids: rate from the report, CPU per call and peak RSS (ru_maxrss of the child); then the
Python and Node bindings' `resign_users` over as many ids, with the report written to a
file: rate and peak RSS. Numbers, not assertions: this machine is shared.

    python3 wire.py --emulator BIN --wrk-script resign.lua [--cli BIN] [--rust BIN]
        [--python PY --python-script FILE] [--node-script FILE] [--kotlin 'java -cp ... MainKt'] [--only NAMES]

Only the standard library: it runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

KEY_ID = "emulator-access-key-id"
SECRET = "emulator-access-key-secret"
SECS = float(os.environ.get("WIRE_SECS", "5"))
# Passes over the per-call rows: wrk's own rate at one connection moves by a third
# between runs on these machines, and every percentage moves with it.
PASSES = max(1, int(os.environ.get("WIRE_PASSES", "3")))
IDS = [f"62a1b2c3d4e5f6071820{i:04d}" for i in range(50)]


class Row(NamedTuple):
    """One client's figures in one pass."""
    rate: float
    pct: Optional[float]
    cpu: float
    ctx: Optional[float]


def summary(rows: Dict[Tuple[str, int], List[Row]]) -> None:
    """Each row over the passes: the median and range of its % of wrk (each pass against
    that pass's wrk, run just before it), and the medians of CPU and switches per call."""
    print(f"\nover {PASSES} passes (each % against the same pass's wrk):")
    print(f"{'client':<38} {'conc':>4} {'median %':>9} {'range %':>11} {'calls/s':>9} "
          f"{'CPU µs/call':>12} {'ctx sw/call':>11}")
    for (name, width), rs in sorted(rows.items(), key=lambda kv: kv[0][1]):
        pcts = [r.pct for r in rs if r.pct is not None]
        pct = f"{statistics.median(pcts):8.1f}%" if pcts else f"{'-':>9}"
        spread = f"{min(pcts):5.0f}-{max(pcts):<5.0f}" if pcts else f"{'-':>11}"
        ctxs = [r.ctx for r in rs if r.ctx is not None]
        ctx = f"{statistics.median(ctxs):11.2f}" if ctxs else f"{'-':>11}"
        print(f"{name:<38} {width:>4} {pct} {spread:>11} {statistics.median([r.rate for r in rs]):>9.0f} "
              f"{statistics.median([r.cpu for r in rs]) * 1e6:>12.1f} {ctx}", flush=True)


def http(url: str, method: str = "GET", body: object = None, headers: Optional[Dict[str, str]] = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read()
    return json.loads(text) if text else None


class Emulator:
    def __init__(self, binary: str) -> None:
        # --unknown-ids ignore: the bulk jobs send ids nobody seeded (the client's work is
        # the same; the emulator need not hold a million users).
        self.proc = subprocess.Popen([binary, "--port", "0", "--unknown-ids", "ignore"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", first)
        if not m:
            self.proc.kill()
            raise SystemExit(f"emulator did not start: {first!r}")
        self.url = m.group(1)

    def control(self, method: str, path: str, body: object = None) -> object:
        return http(f"{self.url}/__emulator/{path}", method, body)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def run_child(cmd: List[str], env: Dict[str, str]) -> Tuple[str, float, int]:
    """Runs a client to completion; its stdout, CPU seconds (user + sys) and peak RSS (KiB)."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, env={**os.environ, **env})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}: {text[-2000:]}")
    return text, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def wrk(emu: Emulator, script: str, body: str, token: str, userpool: str, width: int) -> Tuple[float, float]:
    threads = "1" if width == 1 else "2"
    env = {"WIRE_BODY": body, "WIRE_TOKEN": token, "WIRE_USERPOOL": userpool}
    cmd = ["wrk", "-t", threads, "-c", str(width), "-d", f"{SECS:g}s", "-s", script, emu.url]
    text, cpu, _ = run_child(cmd, env)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in text or "Socket errors" in text:
        raise RuntimeError(f"wrk saw errors:\n{text}")
    calls = rate * SECS
    return rate, cpu / calls


def client(cmd: List[str], env: Optional[Dict[str, str]] = None) -> Tuple[float, float, Optional[float]]:
    """calls/s, CPU seconds per call and, from clients that count them (`ctx`), context
    switches per call (every thread of the client). `env` is added to the client's."""
    text, _, _ = run_child(cmd, {"AUTHING_ACCESS_KEY_ID": KEY_ID, "AUTHING_ACCESS_KEY_SECRET": SECRET,
                                 **(env or {})})
    r = json.loads(text.strip().splitlines()[-1])
    calls = max(r["calls"], 1)
    ctx = r["ctx"] / calls if "ctx" in r else None
    return r["calls"] / r["secs"], r["cpu_secs"] / calls, ctx


# What cli_job needs from a report, printed by a child process.
READ_REPORT = ("import json, sys; r = json.load(open(sys.argv[1])); "
               "print(json.dumps({k: r[k] for k in ('totals', 'http_calls', 'elapsed_ms')}))")


def cli_job(emu: Emulator, cli: str, users: int, width: int, work: Path) -> Tuple[float, float, int, float]:
    """The CLI over `users` fresh ids: calls/s from the report, CPU per call, peak RSS (MiB), report MB."""
    ids = work / f"ids-{users}.txt"
    if not ids.exists():
        ids.write_text("".join(f"wire{i:07d}@example.com\n" for i in range(users)))
    report = work / f"report-{users}-{width}.json"
    for stale in (report, Path(f"{report}.journal")):
        stale.unlink(missing_ok=True)
    cmd = [cli, "--file", str(ids), "--id-type", "email", "--host", emu.url, "--auth", "token",
           "--concurrency", str(width), "--max-users", str(users), "--yes", "--quiet", "--report", str(report)]
    _, cpu, rss_kib = run_child(cmd, {"AUTHING_ACCESS_KEY_ID": KEY_ID, "AUTHING_ACCESS_KEY_SECRET": SECRET})
    size_mb = report.stat().st_size / 1e6
    # Read in a child: a million users' report takes ~700 MB as Python objects, and a
    # process started from a driver that big inherits its peak in ru_maxrss (exec
    # records the old image's high-water mark), which would inflate every later row.
    text, _, _ = run_child([sys.executable, "-c", READ_REPORT, str(report)], {})
    r = json.loads(text)
    assert r["totals"]["resigned"] == users, r["totals"]
    calls = r["http_calls"]
    rate = calls / (r["elapsed_ms"] / 1000)
    for done in (report, Path(f"{report}.journal")):
        done.unlink(missing_ok=True)
    emu.control("DELETE", "journal")
    return rate, cpu / calls, rss_kib // 1024, size_mb


def profile(emu: Emulator, rust: str, ids: str, out: str) -> None:
    """Instruction counts per call of the Rust client's request path (load-independent)."""
    calls = int(os.environ.get("WIRE_CALLS", "2000"))
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", rust, emu.url, "1", "0", ids]
    env = {"AUTHING_ACCESS_KEY_ID": KEY_ID, "AUTHING_ACCESS_KEY_SECRET": SECRET, "WIRE_CALLS": str(calls)}
    subprocess.run(cmd, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for inclusive in ("no", "yes"):
        text = subprocess.run(["callgrind_annotate", f"--inclusive={inclusive}", out],
                              check=True, capture_output=True, text=True).stdout
        total = int(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))  # type: ignore[union-attr]
        if inclusive == "no":
            print(f"callgrind: {calls} sequential calls, {total:,} instructions in all, "
                  f"{total / calls:,.0f} per call (start-up included)")
        print(f"top entries, {'inclusive' if inclusive == 'yes' else 'exclusive (self)'}:")
        rows = [ln for ln in text.splitlines() if re.match(r"\s*[\d,]+ \(\s*[\d.]+%\)\s+\S", ln)
                and "PROGRAM TOTALS" not in ln]
        for ln in rows[:25]:
            print("  " + ln.strip()[:150])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--wrk-script", required=True)
    ap.add_argument("--cli")
    ap.add_argument("--rust")
    ap.add_argument("--python", help="interpreter with authing_resign installed")
    ap.add_argument("--python-script")
    ap.add_argument("--node-script")
    ap.add_argument("--kotlin")
    ap.add_argument("--python-bulk", help="bindings-python/bench/bulk_memory.py (run with --python)")
    ap.add_argument("--node-bulk", help="bindings-node/bench/bulk-memory.mjs")
    ap.add_argument("--profile", metavar="OUT",
                    help="instead: the Rust client's WIRE_CALLS (default 2000) sequential calls under callgrind, "
                         "its output file OUT, then the top entries (exclusive and inclusive)")
    ap.add_argument("--only", default=os.environ.get("WIRE_ONLY", ""),
                    help="comma-separated subset of wrk,rust,python,asyncio,node,kotlin,cli,bulk")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    want = lambda name: not only or name in only  # noqa: E731

    emu = Emulator(a.emulator)
    try:
        emu.control("POST", "users", [{"userId": i, "username": f"wire{n}"} for n, i in enumerate(IDS)])
        tok = http(f"{emu.url}/api/v3/get-management-token", "POST",
                   {"accessKeyId": KEY_ID, "accessKeySecret": SECRET})["data"]["access_token"]  # type: ignore[index]
        userpool = emu.control("GET", "settings")["userpoolId"]  # type: ignore[index]
        body = json.dumps({"userIds": IDS})
        # The exact request wrk repeats must succeed.
        check = http(f"{emu.url}/api/v3/resign-user-batch", "POST", {"userIds": IDS},
                     {"authorization": f"Bearer {tok}", "x-authing-userpool-id": userpool})
        assert check["statusCode"] == 200, check  # type: ignore[index]
        ids = ",".join(IDS)
        if a.profile:
            profile(emu, a.rust, ids, a.profile)
            return
        print(f"bench-wire: 50-id token-authenticated resign-user-batch, release emulator {emu.url}, "
              f"{SECS:g} s per run, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"{'client':<34} {'conc':>4} {'calls/s':>9} {'% of wrk':>9} {'CPU µs/call':>12} {'ctx sw/call':>11}")
        rows: Dict[Tuple[str, int], List[Row]] = {}
        base: Dict[int, float] = {}

        def line(name: str, width: int, rate: float, cpu: float, ctx: Optional[float] = None) -> None:
            pct = 100 * rate / base[width] if width in base else None
            rows.setdefault((name, width), []).append(Row(rate, pct, cpu, ctx))
            shown = f"{pct:8.0f}%" if pct is not None else "        -"
            switches = f"{ctx:11.2f}" if ctx is not None else f"{'-':>11}"
            print(f"{name:<34} {width:>4} {rate:>9.0f} {shown} {cpu * 1e6:>12.1f} {switches}", flush=True)
            emu.control("DELETE", "journal")

        for n in range(PASSES):
            if PASSES > 1:
                print(f"pass {n + 1} of {PASSES}, load average {os.getloadavg()[0]:.1f}", flush=True)
            for width in (1, 16):
                if want("wrk"):
                    rate, cpu = wrk(emu, a.wrk_script, body, tok, userpool, width)  # type: ignore[arg-type]
                    base[width] = rate
                    line(f"wrk (-t{1 if width == 1 else 2})", width, rate, cpu)
                common = [emu.url, str(width), f"{SECS:g}", ids]
                if a.rust and want("rust"):
                    line("Rust core (wire_client)", width, *client([a.rust, *common]))
                    line("Rust core, current-thread runtime", width,
                         *client([a.rust, *common], {"WIRE_RUNTIME": "current_thread"}))
                    # Each call handed to a runtime thread and its answer back: the shape of
                    # the Node and Kotlin bindings, without their engines' own work.
                    line("Rust core, handed to a runtime thread", width,
                         *client([a.rust, *common], {"WIRE_RUNTIME": "handoff"}))
                if a.python and want("python"):
                    line(f"Python sync, {width} thread(s)", width,
                         *client([a.python, a.python_script, "sync", *common]))
                if a.python and want("asyncio"):
                    line(f"Python asyncio, {width} task(s)", width,
                         *client([a.python, a.python_script, "asyncio", *common]))
                if a.node_script and want("node"):
                    line(f"Node, {width} promise(s)", width, *client(["node", a.node_script, *common]))
                if a.kotlin and want("kotlin"):
                    line(f"Kotlin, {width} coroutine(s)", width, *client([*shlex.split(a.kotlin), *common]))
        if PASSES > 1 and rows:
            summary(rows)
        if a.cli and want("cli"):
            print(f"\n{'CLI bulk job (journal on)':<34} {'conc':>4} {'calls/s':>9} {'% of wrk':>9} "
                  f"{'CPU µs/call':>12} {'peak RSS':>9} {'report':>9}")
            with tempfile.TemporaryDirectory(prefix="bench-wire-") as tmp:
                for users, width in ((100_000, 1), (100_000, 16), (1_000_000, 16)):
                    if want("wrk"):
                        # wrk again just before the job: the last pass's figure can be
                        # minutes old, and wrk's own rate moves by a third between runs.
                        base[width], wrk_cpu = wrk(emu, a.wrk_script, body, tok, userpool, width)  # type: ignore[arg-type]
                        print(f"{f'wrk (-t{1 if width == 1 else 2}), just before':<34} {width:>4} "
                              f"{base[width]:>9.0f} {100:8.0f}% {wrk_cpu * 1e6:>12.1f}", flush=True)
                    rate, cpu, rss, size = cli_job(emu, a.cli, users, width, Path(tmp))
                    pct = f"{100 * rate / base[width]:8.0f}%" if width in base else "        -"
                    print(f"{f'{users:,} ids':<34} {width:>4} {rate:>9.0f} {pct} {cpu * 1e6:>12.1f} "
                          f"{rss:>6} MB {size:>6.0f} MB", flush=True)
        bulk = [(name, cmd) for name, cmd in (
            ("Python resign_users", [a.python, a.python_bulk] if a.python and a.python_bulk else None),
            ("Node resignUsers", ["node", a.node_bulk] if a.node_bulk else None),
        ) if cmd]
        if bulk and want("bulk"):
            print(f"\n{'binding bulk job (no journal)':<34} {'conc':>4} {'calls/s':>9} {'peak RSS':>9} {'report':>9}")
            for name, cmd in bulk:
                for users in (100_000, 1_000_000):
                    text, _, _ = run_child([*cmd, emu.url, str(users)],
                                           {"AUTHING_ACCESS_KEY_ID": KEY_ID, "AUTHING_ACCESS_KEY_SECRET": SECRET})
                    r = json.loads(text.strip().splitlines()[-1])
                    print(f"{f'{name}, {users:,} ids':<34} {16:>4} {r['calls'] / r['secs']:>9.0f} "
                          f"{r['peak_rss_mib']:>6.0f} MB {r['report_mb']:>6.0f} MB", flush=True)
                    emu.control("DELETE", "journal")
    finally:
        emu.stop()


if __name__ == "__main__":
    sys.exit(main())
