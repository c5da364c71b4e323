"""The blocking client runs each call on the calling thread: its own current-thread
runtime and, per client, its own connection pool (src/local.rs). These tests hold that
to what the shared pool gave: one token fetch for every thread, interrupts that leave
the thread usable, threads that exit (or clients that go) without leaving pools behind.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Callable, List

import pytest

import authing_resign
from authing_resign import _native
from conftest import Emulator, make_async_client, make_client

BATCH = "/api/v3/resign-user-batch"
TOKEN = "/api/v3/get-management-token"


def open_sockets() -> int:
    """Sockets this process has open (every thread's connections)."""
    fds = os.listdir("/proc/self/fd")
    count = 0
    for fd in fds:
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            pass  # closed meanwhile (the listdir's own fd)
    return count


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def in_thread(f: Callable[[], None]) -> None:
    """Runs `f` on a new thread and re-raises what it raised."""
    errors: List[BaseException] = []

    def run() -> None:
        try:
            f()
        except BaseException as e:  # noqa: BLE001 - handed to the test's thread
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if errors:
        raise errors[0]


def test_16_threads_share_one_client_and_one_token_fetch(emulator: Emulator) -> None:
    users = emulator.seed([{"username": f"tl{i:02d}"} for i in range(16)])
    # A slow token answer: fifteen threads queue behind the first one's fetch, each on
    # its own runtime while the fetch runs on the first thread's.
    emulator.fault("delay", route=TOKEN, times=1, delayMs=300)
    client = make_client(emulator, auth="token")
    barrier = threading.Barrier(16)
    results: List[bool] = []

    def one(uid: str) -> None:
        barrier.wait()
        for _ in range(3):
            results.append(client.resign_user_batch([uid]).data.success)

    threads = [threading.Thread(target=one, args=(u["userId"],)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 48
    assert len(emulator.journal(TOKEN)) == 1
    batches = emulator.journal(BATCH)
    assert len(batches) == 48
    # Each thread its own connection, kept alive across its three calls.
    assert len({e["connectionId"] for e in batches}) == 16


@pytest.fixture
def sigint_raises_keyboard_interrupt() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt even if the runner was started with it ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("sigint_raises_keyboard_interrupt")
def test_an_interrupted_call_does_not_wedge_the_threads_next_call(emulator: Emulator) -> None:
    users = emulator.seed([{"username": "tl-int"}])
    client = make_client(emulator, auth="token", timeout=30.0)
    client.resign_user_batch([users[0]["userId"]])  # token and connection in place
    emulator.fault("delay", times=1, delayMs=5000)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.resign_user_batch([users[0]["userId"]])
    finally:
        timer.cancel()
    # The dropped call's connection is not handed out again; the next call on this
    # thread (same runtime, same pool) goes through at once.
    started = time.monotonic()
    assert client.resign_user_batch([users[0]["userId"]]).data.success
    assert time.monotonic() - started < 2.0
    assert len(emulator.journal(TOKEN)) == 1


def test_a_thread_that_exits_closes_its_connections(emulator: Emulator) -> None:
    users = emulator.seed([{"username": f"tl-exit{i}"} for i in range(4)])
    client = make_client(emulator, auth="token")
    client.resign_user_batch([users[0]["userId"]])
    before = open_sockets()

    def calls() -> None:
        for u in users:
            assert client.resign_user_batch([u["userId"]]).data.success
        assert open_sockets() > before  # this thread's own connection

    for _ in range(3):
        in_thread(calls)
        # Thread.join returns when the Python thread is done; the runtime and its
        # pools go in the thread's TLS destructors, a moment later.
        assert eventually(lambda: open_sockets() <= before), (open_sockets(), before)
    # Nothing of the dead threads is needed: the token is still the one fetched.
    assert client.resign_user_batch([users[0]["userId"]]).data.success
    assert len(emulator.journal(TOKEN)) == 1


def test_short_lived_clients_leave_nothing_behind_on_a_thread(emulator: Emulator) -> None:
    users = emulator.seed([{"username": "tl-short"}])
    uid = users[0]["userId"]

    def many() -> None:
        before = open_sockets()
        # Each client (and its clone on this thread) loads the root certificates: a
        # quarter of a second in a debug build on a loaded machine, hence 25.
        for _ in range(25):
            client = make_client(emulator)
            assert client.resign_user_batch([uid]).data.success
            del client
            gc.collect()
            # At most the client just dropped, until this thread's next call purges it.
            assert _native._thread_clients() <= 1
        assert eventually(lambda: open_sockets() <= before + 2), (open_sockets(), before)

    in_thread(many)


def test_a_client_closed_while_threads_hold_clones(emulator: Emulator) -> None:
    users = emulator.seed([{"username": "tl-close"}])
    uid = users[0]["userId"]
    client = make_client(emulator)
    other = make_client(emulator)
    used = threading.Event()
    closed = threading.Event()
    seen: List[object] = []

    def worker() -> None:
        client.resign_user_batch([uid])
        seen.append(_native._thread_clients())
        used.set()
        closed.wait(10)
        try:
            client.resign_user_batch([uid])
        except RuntimeError as e:
            seen.append(str(e))
        other.resign_user_batch([uid])  # purges the closed client's clone
        seen.append(_native._thread_clients())

    t = threading.Thread(target=worker)
    t.start()
    assert used.wait(10)
    client.close()
    closed.set()
    t.join()
    assert seen == [1, "the client is closed", 1]


def test_a_blocking_call_from_on_progress_is_refused(emulator: Emulator) -> None:
    emails = [f"tl-p{i}@example.com" for i in range(4)]
    emulator.seed([{"email": e} for e in emails])
    client = make_client(emulator)

    def on_progress(done: int, total: int) -> None:
        client.resign_user_batch([emails[0]], "email")

    # The sync client's job runs on this thread's runtime, the asyncio client's on the
    # shared one: from inside either, block_on would panic; a clear error is raised.
    with pytest.raises(RuntimeError, match="cannot run inside the SDK's own runtime"):
        client.resign_users(emails, "email", chunk_size=2, on_progress=on_progress)

    async def from_async() -> None:
        async with make_async_client(emulator) as a:
            await a.resign_users(emails, "email", chunk_size=2, on_progress=on_progress)

    import asyncio

    with pytest.raises(RuntimeError, match="cannot run inside the SDK's own runtime"):
        asyncio.run(from_async())
    # The thread's runtime is usable again afterwards.
    assert client.resign_user_batch([emails[0]], "email").data.success



class ClosesIdleConnections:
    """A hand-written HTTP/1.1 server that answers each request as Authing does, keeps
    the connection (no `Connection: close`) and then closes it shortly after, the way a
    server's keep-alive timeout does. A thread's pool is only polled while that thread
    is inside a call, so the next call finds the closed connection still pooled."""

    ANSWER = b'{"statusCode":200,"message":"ok","requestId":"r","data":{"success":true}}'

    def __init__(self, linger: float = 0.05) -> None:
        self.linger = linger
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.requests = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer_one, args=(conn,), daemon=True).start()

    def answer_one(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            while len(body) < length:
                body += conn.recv(65536)
            self.requests += 1
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                         + str(len(self.ANSWER)).encode() + b"\r\n\r\n" + self.ANSWER)
            time.sleep(self.linger)  # then the keep-alive timeout: closed, idle

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize(("linger", "pause"), [(0.05, 0.3), (0.005, 0.03)], ids=["50ms", "5ms"])
def test_a_connection_the_server_closed_while_idle_is_not_an_error(linger: float, pause: float) -> None:
    # max_retries=0: only a request that never left the client may be sent again (by the
    # HTTP stack, on a new connection); a stale pooled connection must not fail the call.
    # A call starting within a millisecond of the thread's previous one skips letting
    # the connections settle; these start later, even after a keep-alive of 5 ms.
    server = ClosesIdleConnections(linger)
    try:
        client = authing_resign.ManagementClient("key-id", "key-secret", server.url, max_retries=0)
        for n in range(1, 4):
            assert client.resign_user_batch(["a", "b"]).data.success
            assert server.requests == n
            time.sleep(pause)  # the server has closed the pooled connection by now
    finally:
        server.close()

@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() here")
def test_a_forked_child_builds_its_own_runtime_and_leaves_the_parents_alone(emulator: Emulator) -> None:
    # The child inherits the forking thread's runtime and pooled connection (an epoll
    # instance and a socket it shares with the parent): a hook run at the fork drops them
    # from the child's view unused, and the child's first call makes its own. The hook
    # also reseeds the random generator of the signatures' nonces: with a copy of the
    # parent's, the parent's next call repeated the child's nonce and was refused (401).
    users = emulator.seed([{"username": f"fork{n}"} for n in range(3)])
    ids = [u["userId"] for u in users]
    client = make_client(emulator)
    assert client.resign_user_batch([ids[0]]).data.success
    assert _native._thread_clients() >= 1  # this client's clone, and other tests' not yet purged
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process that has threads; the child makes
        # one call on this thread's (new) runtime and exits.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child reports through its exit status only
        code = 1
        try:
            fresh = _native._thread_clients() == 0
            ok = client.resign_user_batch([ids[1]]).data.success
            code = 0 if fresh and ok and _native._thread_clients() == 1 else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child's call did not finish")
        time.sleep(0.02)
    assert os.waitstatus_to_exitcode(status) == 0, "the child reused the parent's state, or its call failed"
    assert client.resign_user_batch([ids[2]]).data.success
    # The child called on a connection of its own; the parent's pooled one was neither
    # used nor closed by it.
    connections = [r["connectionId"] for r in emulator.journal(BATCH)]
    assert len(connections) == 3 and connections[0] == connections[2] != connections[1], connections
