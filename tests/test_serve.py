"""`evidence serve --workers N`: N processes, each with its own listening socket on one port, so
the kernel spreads connections across them; SIGTERM stops them all. Linux: read from /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")

LISTEN, ESTABLISHED = "0A", "01"  # /proc/net/tcp's states


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sockets_on(port: int) -> dict[str, str]:
    """Return the inode → state of every IPv4 TCP socket whose local port is `port`."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            found[fields[9]] = fields[3]
    return found


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def listening_workers(parent: int, port: int, seconds: float = 60) -> list[int]:
    """Return the pids of the parent's children listening on the port, once both are (or when
    `seconds` run out): /health answers as soon as the first one is up."""
    deadline = time.monotonic() + seconds
    while True:
        listening = {inode for inode, state in sockets_on(port).items() if state == LISTEN}
        workers = [pid for pid in children(parent) if listening & socket_inodes(pid)]
        if len(workers) >= 2 or time.monotonic() > deadline:
            return workers
        time.sleep(0.2)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    yield from serving(database_url, tmp_path)


def serving(database_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Run `evidence serve --workers 2` until the test is done; yield it and its port."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("evidence")), "serve", "--port", str(port)]
    env = {**os.environ, "EVIDENCE_DATABASE_URL": database_url}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(  # a session of its own: its workers are ended with it below
        [*command, "--workers", "2"], env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail(f"evidence serve did not start: {(tmp_path / 'serve.log').read_text()}")
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group
        process.wait()
        log.close()


def test_each_worker_listens_and_gets_a_share_of_the_connections(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server
    workers = listening_workers(process.pid, port)
    assert len(workers) == 2
    states = sockets_on(port)
    listening = [{i for i in socket_inodes(pid) if states.get(i) == LISTEN} for pid in workers]
    assert all(listening) and not listening[0] & listening[1]  # its own socket, not one shared
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for _ in range(32)]
    try:
        with ThreadPoolExecutor(32) as burst:  # a burst of new connections, kept open
            assert {r.status_code for r in burst.map(lambda c: c.get("/health"), clients)} == {200}
        states = sockets_on(port)
        for pid in workers:  # each got some of them (all 32 to one: a chance of 2**-31)
            assert ESTABLISHED in [states[i] for i in socket_inodes(pid) if i in states]
    finally:
        for client in clients:
            client.close()


def test_sigterm_stops_every_worker(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = server
    workers = listening_workers(process.pid, port)
    assert len(workers) == 2
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)


def test_a_second_server_on_the_same_port_is_refused(
    server: tuple[subprocess.Popen[bytes], int], database_url: str
) -> None:
    _, port = server
    command = [str(Path(sys.executable).with_name("evidence")), "serve", "--port", str(port)]
    env = {**os.environ, "EVIDENCE_DATABASE_URL": database_url}  # not a file where tests run
    second = subprocess.run(
        [*command, "--workers", "2"], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert second.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in second.stderr


def test_workers_start_on_a_database_that_does_not_exist_yet(tmp_path: Path) -> None:
    # Made once, before the workers start: two workers making it at once raced and failed.
    url = f"sqlite:///{tmp_path / 'new.db'}"
    for process, port in serving(url, tmp_path):
        assert len(listening_workers(process.pid, port)) == 2
        assert httpx.get(f"http://127.0.0.1:{port}/claims", timeout=10).json()["items"] == []


def test_the_workers_end_when_the_supervisor_is_killed(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server
    workers = listening_workers(process.pid, port)
    assert len(workers) == 2
    process.kill()  # SIGKILL: no handler runs, the kernel tells the workers
    process.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_worker_failing_to_start_fails_the_server(tmp_path: Path) -> None:
    command = [str(Path(sys.executable).with_name("evidence")), "serve", "--workers", "2"]
    env = {**os.environ, "EVIDENCE_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    env["EVIDENCE_READ_ACCESS"] = "key"  # without keys: every worker's app refuses to start
    env.pop("EVIDENCE_API_KEYS", None)
    ended = subprocess.run(
        [*command, "--port", str(free_port())], env=env, capture_output=True, timeout=120
    )
    assert ended.returncode != 0
