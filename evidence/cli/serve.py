"""`evidence serve`: the HTTP API (api/) with uvicorn. evidence never imports FastAPI at import
time: the app is imported, and built from the settings, only when the command runs."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from evidence.cli.app import app, err_console
from evidence.config import Settings

APP_FACTORY = "api.main:create_app"  # each worker builds its app from the environment


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

    settings = Settings()
    if not settings.api_keys:
        err_console.print("note: no EVIDENCE_API_KEYS set, so writes are refused (403)")
    if workers == 1:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=host, port=port)
        return
    from uvicorn.supervisors import Multiprocess

    # uvicorn starts workers from an import string; each reads the same environment.
    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, workers=workers)
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind the socket the workers share, as a TCP socket that says so.

    uvicorn's own (Config.bind_socket) leaves `proto` 0, and asyncio sets TCP_NODELAY only on
    connections accepted from a socket whose proto is IPPROTO_TCP: every keep-alive request
    then waits ~40 ms for a delayed ACK (Kludex/uvicorn#3149).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock
