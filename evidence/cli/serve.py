"""`evidence serve`: the HTTP API (api/) with uvicorn. evidence never imports FastAPI at import
time: the app is imported, and built from the settings, only when the command runs."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Sequence
from multiprocessing.connection import wait
from typing import Annotated

import typer

from evidence.cli.app import app, err_console, open_engine
from evidence.config import get_settings
from evidence.errors import InputError

APP_FACTORY = "api.main:create_app"  # each worker builds its app from the environment
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (one per core is a good start).")
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs); uploads and enrichment need EVIDENCE_API_KEYS."""
    import uvicorn

    settings = get_settings()
    if not settings.api_keys:
        err_console.print("note: no EVIDENCE_API_KEYS set, so writes are refused (403)")
    if workers == 1:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=host, port=port)
        return
    # Once, here: workers preparing a new database at the same time would race to create it.
    open_engine(settings=settings).dispose()
    if sys.platform.startswith("linux"):  # where SO_REUSEPORT spreads connections
        raise typer.Exit(serve_workers(host, port, workers))
    from uvicorn.supervisors import Multiprocess

    # uvicorn starts workers from an import string; each reads the same environment.
    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


def serve_workers(host: str, port: int, workers: int) -> int:
    """Run `workers` server processes, each listening on its own socket bound to the same
    address (SO_REUSEPORT), until one ends; return its exit code.

    The kernel then deals new connections out among the processes. With one socket shared by
    all (uvicorn's way), the process that woke first accepted a whole burst of connections and
    kept them (keep-alive): under a load test one worker served everything, the other idled.
    """
    # Is the address free? Asked without SO_REUSEPORT, so a server already on it (even another
    # evidence serve) makes this fail here, rather than the workers joining it.
    listening_socket(host, port).close()
    spawn = multiprocessing.get_context("spawn")
    args = (host, port, os.getpid())
    processes = [spawn.Process(target=_worker, args=args) for _ in range(workers)]
    # Ctrl-C (SIGINT) or SIGTERM: each worker is sent SIGTERM and shuts down gracefully. (From a
    # terminal the workers get the SIGINT too; uvicorn takes a SIGTERM after it as the same
    # request, where a second SIGINT would cut the shutdown short.)
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: _terminate(processes))
    for process in processes:
        process.start()
    try:
        wait([process.sentinel for process in processes])
    finally:
        _terminate(processes)
        for process in processes:
            process.join()  # and only then is its exit code known
    # uvicorn ends on SIGINT or SIGTERM by raising it again once shut down: stopped, not failed.
    stopped = (0, -signal.SIGINT, -signal.SIGTERM)
    return next((p.exitcode for p in processes if p.exitcode not in stopped), 0) or 0


def _terminate(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        if process.pid is not None and process.is_alive():
            process.terminate()


def _worker(host: str, port: int, supervisor: int) -> None:
    """One server process: its own listening socket, the app built from the environment; it
    ends when the supervisor does, however that ends (SIGKILL included)."""
    import uvicorn

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # the kernel's word when the supervisor dies
    if os.getppid() != supervisor:  # it died before that was asked
        return

    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port, reuse_port=True)])


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """Bind a listening address, as a TCP socket that says so; with `reuse_port`, one that other
    processes of this user may bind too (each then gets a share of the new connections).

    uvicorn's own (Config.bind_socket) leaves `proto` 0, and asyncio sets TCP_NODELAY only on
    connections accepted from a socket whose proto is IPPROTO_TCP: every keep-alive request
    then waits ~40 ms for a delayed ACK (Kludex/uvicorn#3149).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock
