"""The HTTP API: `create_app(settings)` builds it; `evidence serve` runs it with uvicorn."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import CapacityLimiter
from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.engine import Engine

from api.deps import reject_unknown_query_parameters, require_read_access
from api.errors import install_error_handlers
from api.routes import citations, claims, documents, export, health, papers
from api.web import pages, upload
from evidence.config import Settings, get_settings
from evidence.db import make_engine, prepare_database, reading_engine
from evidence.errors import InputError
from evidence.ingest.language import query_tokens

DESCRIPTION = """Claims of documents, the references they cite, the PubMed papers behind them
and whether each citation holds up. Reads are open unless the server sets
`EVIDENCE_READ_ACCESS=key` (then every request but `/health` and these docs, `/docs`, `/redoc`
and `/openapi.json`, needs a key: an `X-API-Key` header, or HTTP Basic authentication with the key
as password); uploading and enriching always need an `X-API-Key` (one of `EVIDENCE_API_KEYS`).
Every error is `{"error": {"type", "message", "status"}}`."""


def search_slots(engine: Engine) -> CapacityLimiter | None:
    """Return the limit on searches a server process runs at once in its thread pool, or None
    to run each in the event loop, one at a time.

    SQLite searches in this process, on its CPU: a trip to a worker thread and back (and the GIL
    passed between threads) cost more than it let overlap, so the loop runs them itself (226
    against 184 searches/s at a million claims; `evidence serve --workers` gives a process a
    core). PostgreSQL searches in its own processes, so threads keep it busy while this process
    waits, at most 16 at once.
    """
    return None if engine.dialect.name == "sqlite" else CapacityLimiter(16)


# Enrichments a server process runs at once, each in a worker thread of its own for as long as
# it waits on PubMed (minutes, with NCBI's retries): one, so they do not take the threads other
# requests need, and so a process keeps to NCBI's rate (each enrichment's client keeps it).
ENRICH_SLOTS = 1


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: one engine for its lifetime, the database prepared once, every router."""
    settings = settings or get_settings()
    if settings.read_access == "key" and not settings.api_keys:
        raise InputError("EVIDENCE_READ_ACCESS=key needs EVIDENCE_API_KEYS: no one could read")
    engine = make_engine(settings.database_url)
    prepare_database(engine)  # refuses (SchemaOutOfDateError) a database needing an upgrade

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        query_tokens("贫血")  # jieba loads its dictionary (~1 s) now, not on the first search
        # What is loaded now (jieba's 180,000 objects) lives as long as the app: leave it out of
        # the collector's full passes, each of which walked it all (90 ms) and was a search's
        # p99. Given back when the app stops, for a process that goes on (a test).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            engine.dispose()

    # /docs and /redoc load Swagger UI and ReDoc from /static-offline-docs (files fastapi-offline
    # ships), not from a CDN: they work on a machine with no internet. No validator badge either:
    # Swagger UI would send the schema's URL to validator.swagger.io.
    app = FastAPIOffline(
        title="evidence",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(require_read_access), Depends(reject_unknown_query_parameters)],
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.reader = reading_engine(engine)
    app.state.search_slots = search_slots(engine)
    app.state.enrich_slots = CapacityLimiter(ENRICH_SLOTS)
    install_error_handlers(app)
    for module in (claims, citations, papers, documents, export, health, pages, upload):
        app.include_router(module.router)
    return app
