"""The Python client of `make bench-wire`: the same token-authenticated 50-id
resign_user_batch call as wrk, from N threads (blocking client) or N asyncio tasks
(AsyncManagementClient), for SECONDS after a warm-up. Prints one JSON line: calls,
seconds, the process's CPU time (user + sys, getrusage) and its context switches (every
thread, voluntary + involuntary) over the measured window.

    AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
        python wire.py sync|asyncio URL CONCURRENCY SECONDS ID1,ID2,...
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import threading
import time
from typing import List

import authing_resign


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def switches() -> int:
    """Context switches of the whole process so far (every thread, both kinds)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_nvcsw + r.ru_nivcsw


def run_sync(client: authing_resign.ManagementClient, ids: List[str], n: int, secs: float) -> int:
    stop = threading.Event()
    counts = [0] * n

    def worker(k: int) -> None:
        while not stop.is_set():
            resp = client.resign_user_batch(ids)
            assert resp.status_code == 200, resp
            counts[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    time.sleep(secs)
    stop.set()
    total = sum(counts)
    for t in threads:
        t.join()
    return total


async def run_async(client: authing_resign.AsyncManagementClient, ids: List[str], n: int, secs: float) -> int:
    deadline = time.perf_counter() + secs
    counts = [0] * n

    async def worker(k: int) -> None:
        while time.perf_counter() < deadline:
            resp = await client.resign_user_batch(ids)
            assert resp.status_code == 200, resp
            counts[k] += 1

    await asyncio.gather(*(worker(k) for k in range(n)))
    return sum(counts)


def main() -> None:
    mode, url, n, secs, id_list = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    ids = id_list.split(",")
    key, secret = os.environ["AUTHING_ACCESS_KEY_ID"], os.environ["AUTHING_ACCESS_KEY_SECRET"]
    if mode == "sync":
        client = authing_resign.ManagementClient(key, secret, url, auth="token")
        run_sync(client, ids, n, 0.5)  # warm-up: token, connections
        c0, s0, t0 = cpu(), switches(), time.perf_counter()
        calls = run_sync(client, ids, n, secs)
    else:
        aclient = authing_resign.AsyncManagementClient(key, secret, url, auth="token")

        async def both() -> int:
            await run_async(aclient, ids, n, 0.5)
            nonlocal c0, s0, t0
            c0, s0, t0 = cpu(), switches(), time.perf_counter()
            return await run_async(aclient, ids, n, secs)

        c0, s0, t0 = 0.0, 0, 0.0
        calls = asyncio.run(both())
    elapsed, used, ctx = time.perf_counter() - t0, cpu() - c0, switches() - s0
    print(json.dumps({"calls": calls, "secs": round(elapsed, 4), "cpu_secs": round(used, 4), "ctx": ctx}))


if __name__ == "__main__":
    main()
