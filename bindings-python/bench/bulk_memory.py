"""Memory of a bulk job in Python (for `make bench-wire`): one
`ManagementClient.resign_users` over USERS fresh email ids (concurrency 16, token
scheme), then `report.write_json(file)`. Prints one JSON line: users, HTTP calls,
seconds of the job, the process's peak RSS (VmHWM on Linux, MiB: the ids, the job and the
report together) and the size of the report file (MB).

The emulator is started by the caller, release build, with `--unknown-ids ignore` (nobody
needs seeding):

    target/release/authing-emulator --port 0 --unknown-ids ignore
    AUTHING_ACCESS_KEY_ID=emulator-access-key-id AUTHING_ACCESS_KEY_SECRET=emulator-access-key-secret \
        python bulk_memory.py URL USERS
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import authing_resign


def peak_rss_mib() -> float:
    """This process's peak RSS. On Linux from VmHWM, the high-water mark of this image
    alone: `ru_maxrss` also counts the parent's memory when it started us through vfork
    (`exec` records the old image's peak), e.g. 700 MB from the bench-wire driver."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    url, users = sys.argv[1], int(sys.argv[2])
    key, secret = os.environ["AUTHING_ACCESS_KEY_ID"], os.environ["AUTHING_ACCESS_KEY_SECRET"]
    client = authing_resign.ManagementClient(key, secret, url, auth="token")
    # Fresh ids per run (the pid), so an emulator that is not reset still sees new users.
    ids = [f"pymem{os.getpid()}-{i:07d}@example.com" for i in range(users)]
    started = time.perf_counter()
    report = client.resign_users(ids, "email", concurrency=16)
    secs = time.perf_counter() - started
    assert report.totals.resigned == users, report.totals
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "report.json"
        report.write_json(path)
        size_mb = path.stat().st_size / 1e6
    peak_mib = peak_rss_mib()
    print(json.dumps({"users": users, "calls": report.http_calls, "secs": round(secs, 3),
                      "peak_rss_mib": round(peak_mib, 1), "report_mb": round(size_mb, 1)}))


if __name__ == "__main__":
    main()
