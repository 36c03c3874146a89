"""What routes take: the settings and engine of the app, a session, the API key check, and the
typed parameters several routes share (so every route validates them the same way)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Path, Query, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from api.errors import (
    InvalidApiKeyError,
    MissingApiKeyError,
    ReadKeyRequiredError,
    WritesDisabledError,
)
from evidence.config import Settings
from evidence.db import POOL_SIZE
from evidence.documents import MAX_ID
from evidence.errors import InputError
from evidence.search import MAX_LIMIT
from evidence.verify.verdicts import VERDICTS

Searched = TypeVar("Searched")


# Async, so FastAPI calls them on the event loop, not by a trip to its thread pool.
async def get_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    """Return the app's engine, made once when the app was created."""
    engine: Engine = request.app.state.engine
    return engine


async def get_reader(request: Request) -> Engine:
    """Return the app's engine for sessions that only read (evidence.db.reading_engine)."""
    reader: Engine = request.app.state.reader
    return reader


async def get_search_slots(request: Request) -> CapacityLimiter | None:
    """Return the app's limit on searches running at once in threads, or None to run them in
    the event loop (see api.main.search_slots)."""
    slots: CapacityLimiter | None = request.app.state.search_slots
    return slots


async def get_enrich_slots(request: Request) -> CapacityLimiter:
    """Return the app's limit on enrichments running at once (api.main.ENRICH_SLOTS)."""
    slots: CapacityLimiter = request.app.state.enrich_slots
    return slots


async def in_search_slot(
    engine: Engine,
    slots: CapacityLimiter | None,
    work: Callable[[Session], Searched],
    *,
    bounded: bool = True,
) -> Searched:
    """Run a search's work with a session opened and closed around it: in the event loop when
    `slots` is None and the work is `bounded`, else in a worker thread, at most `slots` at once
    (the others wait their turn): one trip to the thread pool, where a sync route with
    SessionDep takes several (FastAPI runs a sync dependency, its teardown, the route and the
    check of what it returns each in the pool).

    Work that is not `bounded` (a filter, which may walk every claim: a topic no claim has took
    1.3 s at a million claims) goes to a thread, where the database lets the loop go on serving
    other requests meanwhile. With every pooled connection taken, a search waits for one in a
    thread too (anyio's default limit), so the loop, which the requests holding them need in
    order to give them back, never waits."""
    if slots is None and bounded and connection_free(engine):
        return _in_session(engine, work)
    return await to_thread.run_sync(_in_session, engine, work, limiter=slots)


def connection_free(engine: Engine) -> bool:
    """Tell whether a session can have a connection at once: one idle in the pool, or room to
    open another (a pool of POOL_SIZE plus as many more, evidence.db.make_engine)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):  # in-memory SQLite: a connection per thread
        return True
    return pool.checkedin() > 0 or pool.checkedout() < pool.size() + POOL_SIZE


def _in_session(engine: Engine, work: Callable[[Session], Searched]) -> Searched:
    with Session(engine) as session:
        return work(session)


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ReaderDep = Annotated[Engine, Depends(get_reader)]
SearchSlots = Annotated[CapacityLimiter | None, Depends(get_search_slots)]
EnrichSlots = Annotated[CapacityLimiter, Depends(get_enrich_slots)]


def get_session(reader: ReaderDep) -> Iterator[Session]:
    """Yield a session for reading; routes that write commit through `session_scope`."""
    with Session(reader) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="One of the keys in EVIDENCE_API_KEYS; needed by the endpoints that write.",
)


def require_api_key(
    settings: SettingsDep, key: Annotated[str | None, Security(api_key_header)]
) -> None:
    """Let a write through only with one of the configured keys; with none configured, refuse."""
    if not settings.api_keys:
        raise WritesDisabledError("writes are disabled on this server: no EVIDENCE_API_KEYS set")
    if not key:
        raise MissingApiKeyError("this endpoint needs an API key in the X-API-Key header")
    if not is_valid_key(settings, key):
        raise InvalidApiKeyError("the X-API-Key header does not hold a valid API key")


def is_valid_key(settings: Settings, key: str) -> bool:
    """Tell whether a key is one of the configured ones, comparing each in constant time (so
    timing does not tell how much of a key was right)."""
    return any(secrets.compare_digest(key.encode(), k.encode()) for k in settings.api_keys)


# The API's docs pages (fastapi-offline's routes, so this check runs for them) describe the API and
# hold no data: open, like /openapi.json and the docs' static files, which no dependency guards.
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
OPEN_PATHS = frozenset({"/health"}) | DOCS_PATHS  # a load balancer's probe needs no key


async def require_read_access(request: Request) -> None:
    """With EVIDENCE_READ_ACCESS=key, let a request through only with one of the API keys: in
    the X-API-Key header, or as the password of HTTP Basic authentication (a browser's login
    prompt, for the web pages)."""
    settings: Settings = request.app.state.settings
    if settings.read_access == "open" or request.url.path in OPEN_PATHS:
        return
    key = request.headers.get("X-API-Key") or _basic_password(request)
    if not key:
        raise ReadKeyRequiredError("this server lets only key holders read: send X-API-Key")
    if not is_valid_key(settings, key):
        raise ReadKeyRequiredError("the key sent is not one of this server's API keys")


def _basic_password(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2] or None


WriteAccess = Depends(require_api_key)

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive id.")]
DocumentFilter = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only this document's rows (its id).")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Cursor = Annotated[
    str | None,
    Query(max_length=200, description="The `next_cursor` of the previous page; none for page 1."),
]
VerdictFilter = Annotated[
    str | None, Query(pattern=f"^({'|'.join(VERDICTS)})$", description="A stored verdict.")
]
PmidFilter = Annotated[str | None, Query(pattern=r"^[0-9]{1,16}$", description="A PubMed id.")]
# No NUL: PostgreSQL cannot hold it in text, so it could never match, and the driver refuses it.
SearchText = Annotated[
    str | None, Query(max_length=500, pattern=r"^[^\x00]*$", description="Words to look for.")
]
TopicFilter = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=r"^[^\x00]*$",
        description="A topic as claims have it (taken whole), or a part of topics (any holding it)",
    ),
]


async def get_pubmed_settings(
    settings: SettingsDep,
    offline: Annotated[
        bool, Query(description="Use only the local PubMed store; send no request to NCBI.")
    ] = False,
) -> Settings | None:
    """Return the settings to reach E-utilities with, or None to use the local store only."""
    return None if offline else settings


PubMedSettings = Annotated[Settings | None, Depends(get_pubmed_settings)]


def query_parameter_names(dependant: Dependant) -> frozenset[str]:
    """Return the names of the query parameters a route (and what it depends on) takes."""
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_parameter_names(dependency)
    return frozenset(names)


async def reject_unknown_query_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not take: a misspelt filter (`verdit=mismatch`)
    would otherwise be ignored, and the answer look filtered when it is not; and one given twice,
    of which only the last would count."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    known = query_parameter_names(route.dependant)  # a few fields: cheaper than a cache
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        names = ", ".join(map(repr, unknown))
        takes = f"takes: {', '.join(sorted(known))}" if known else "takes none"
        raise InputError(f"unknown query parameter {names} ({takes})")
    # Each takes one value: "document=1&document=2" would be read as document 2 alone.
    given = [name for name, _ in request.query_params.multi_items()]
    repeated = sorted({name for name in given if given.count(name) > 1})
    if repeated:
        names = ", ".join(map(repr, repeated))
        raise InputError(f"query parameter {names} given more than once (each takes one value)")
