"""Benchmark: authing_resign vs the official authing 5.1.0 SDK, against one emulator.

(a) 2,000 sequential resign_user_batch calls, (b) 10,000 users: resign_users vs a loop
of official calls over 50-id chunks, (c) import time and RSS across 100,000 calls.
Prints figures and ratios; asserts nothing (speed is reported, not tested).

    make bench-python          # release build of the binding, then this script
    BENCH_RSS_CALLS=20000 ...  # shorter RSS run
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import authing  # noqa: E402  (the official SDK)

import authing_resign  # noqa: E402
from emulator_proc import KEY_ID, SECRET, Emulator, start  # noqa: E402

SEQ_CALLS = int(os.environ.get("BENCH_SEQ_CALLS", "2000"))
BULK_USERS = int(os.environ.get("BENCH_BULK_USERS", "10000"))
RSS_CALLS = int(os.environ.get("BENCH_RSS_CALLS", "100000"))


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def seed_emails(emu: Emulator, prefix: str, n: int) -> List[str]:
    emails = [f"{prefix}{i:05d}@example.com" for i in range(n)]
    for i in range(0, n, 2000):
        emu.seed([{"email": e} for e in emails[i:i + 2000]])
    return emails


def sequential(emu: Emulator) -> None:
    emu.reset()
    ids = [u["userId"] for u in emu.seed([{"username": f"seq{i}"} for i in range(50)])]
    official = authing.ManagementClient(KEY_ID, SECRET, emu.url)
    ours_sig = authing_resign.ManagementClient(KEY_ID, SECRET, emu.url)
    ours_tok = authing_resign.ManagementClient(KEY_ID, SECRET, emu.url, auth="token")

    def run(client: object) -> float:
        call = client.resign_user_batch  # type: ignore[attr-defined]
        call([ids[0]])  # warm-up: token fetch, connection
        return timed(lambda: [call([ids[i % 50]]) for i in range(SEQ_CALLS)])

    t_off = run(official)
    emu.control("DELETE", "journal")
    t_sig = run(ours_sig)
    emu.control("DELETE", "journal")
    t_tok = run(ours_tok)
    print(f"(a) {SEQ_CALLS} sequential resign_user_batch calls")
    print(f"    official authing 5.1.0 (token):  {t_off:7.2f} s  {SEQ_CALLS / t_off:8.0f} calls/s")
    print(f"    authing_resign (signature):      {t_sig:7.2f} s  {SEQ_CALLS / t_sig:8.0f} calls/s  ({t_off / t_sig:.1f}x faster)")
    print(f"    authing_resign (token):          {t_tok:7.2f} s  {SEQ_CALLS / t_tok:8.0f} calls/s  ({t_off / t_tok:.1f}x faster)")


def bulk(emu: Emulator) -> None:
    emu.reset()
    emails = seed_emails(emu, "bulk", BULK_USERS)
    official = authing.ManagementClient(KEY_ID, SECRET, emu.url)

    def official_loop() -> None:
        for i in range(0, len(emails), 50):
            resp = official.resign_user_batch(emails[i:i + 50], user_id_type="email")
            assert resp["statusCode"] == 200, resp

    t_off = timed(official_loop)
    emu.reset()
    seed_emails(emu, "bulk", BULK_USERS)
    ours = authing_resign.ManagementClient(KEY_ID, SECRET, emu.url)
    report = None

    def ours_bulk() -> None:
        nonlocal report
        report = ours.resign_users(emails, "email")

    t_ours = timed(ours_bulk)
    assert report is not None and report.all_resigned, report
    print(f"(b) {BULK_USERS} users")
    print(f"    official loop over 50-id chunks: {t_off:7.2f} s  {BULK_USERS / t_off:8.0f} users/s")
    print(f"    resign_users (concurrency 4):    {t_ours:7.2f} s  {BULK_USERS / t_ours:8.0f} users/s  "
          f"({t_off / t_ours:.1f}x faster, {report.http_calls} calls)")


def import_time(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(7)]
    return statistics.median(runs)


RSS_SCRIPT = """
import sys, urllib.request
import authing_resign
sys.path.insert(0, {tests!r})
from emulator_proc import KEY_ID, SECRET

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

url, calls = sys.argv[1], int(sys.argv[2])
client = authing_resign.ManagementClient(KEY_ID, SECRET, url)
uid = sys.argv[3]
for _ in range(1000):
    client.resign_user_batch([uid])
before = rss_mb()
for i in range(calls):
    client.resign_user_batch([uid])
    if i % 10000 == 9999:  # keep the emulator's journal small
        urllib.request.urlopen(urllib.request.Request(url + "/__emulator/journal", method="DELETE")).read()
print(before, rss_mb())
"""


def memory(emu: Emulator) -> None:
    emu.reset()
    (user,) = emu.seed([{"username": "rss"}])
    tests = str(Path(__file__).resolve().parents[1] / "tests")
    started = time.perf_counter()
    out = subprocess.check_output(
        [sys.executable, "-c", RSS_SCRIPT.format(tests=tests), emu.url, str(RSS_CALLS), user["userId"]], text=True
    )
    elapsed = time.perf_counter() - started
    before, after = (float(x) for x in out.split())
    t_ours, t_off = import_time("authing_resign"), import_time("authing")
    print("(c) import time and memory")
    print(f"    import authing_resign: {t_ours * 1000:6.1f} ms   import authing: {t_off * 1000:6.1f} ms  "
          f"({t_off / t_ours:.1f}x)")
    print(f"    RSS after 1,000 calls: {before:.1f} MB; after {RSS_CALLS:,} more: {after:.1f} MB "
          f"(growth {after - before:+.1f} MB; {RSS_CALLS / elapsed:.0f} calls/s)")


def main() -> None:
    emu = start()
    try:
        print(f"emulator {emu.url}; authing_resign {authing_resign.__version__}; authing {authing.__version__}; "
              f"python {sys.version.split()[0]}")
        sequential(emu)
        bulk(emu)
        memory(emu)
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
