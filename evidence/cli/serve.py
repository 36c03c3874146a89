"""`evidence serve`: the HTTP API (api/) with uvicorn. evidence never imports FastAPI at import
time: the app is imported, and built from the settings, only when the command runs."""

from __future__ import annotations

from typing import Annotated

import typer

from evidence.cli.app import app, err_console
from evidence.config import Settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs); uploads and enrichment need EVIDENCE_API_KEYS."""
    import uvicorn

    from api.main import create_app

    settings = Settings()
    if not settings.api_keys:
        err_console.print("note: no EVIDENCE_API_KEYS set, so writes are refused (403)")
    uvicorn.run(create_app(settings), host=host, port=port)
