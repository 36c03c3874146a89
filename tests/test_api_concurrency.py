"""The API keeps its event loop free for every request: slow work (a filtered search's walk,
enrichment's database work) waits in a worker thread, and a search waits for a pooled
connection in one too; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from api.deps import connection_free
from api.main import create_app
from api.routes import documents
from evidence.config import Settings
from evidence.db import POOL_SIZE, make_engine
from evidence.search import query
from tests.conftest import seed_deck

KEY = "test-key-0123456789"
seed = seed_deck


def test_a_search_takes_a_connection_in_the_loop_only_when_one_is_free(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    assert connection_free(engine)
    held = [engine.connect() for _ in range(2 * POOL_SIZE)]  # the pool and its overflow
    assert not connection_free(engine)  # a search would wait for one: in a thread, not the loop
    held.pop().close()
    assert connection_free(engine)
    for connection in held:
        connection.close()
    engine.dispose()


class Gate:
    """Long, blocking work, as the database's at a million claims: it waits, once entered,
    until the gate is opened (or 10 s)."""

    def __init__(self) -> None:
        self.entered, self.opened = threading.Event(), threading.Event()

    def hold(self, work: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.opened.wait(timeout=10)
            return work(*args, **kwargs)

        return held


def answered_in_order(app: FastAPI, slow: tuple[str, str], other: str, gate: Gate) -> list[str]:
    """Send the slow request (method, path); once its work is held at the gate, GET `other`,
    and open the gate when that is answered; return the paths in the order they were answered.
    The other comes first only if the slow work waits outside the event loop: else the loop
    waits with it (10 s), and the slow one comes first."""
    answered: list[str] = []

    async def send(client: httpx.AsyncClient, method: str, path: str) -> None:
        response = await client.request(method, path, headers={"X-API-Key": KEY})
        assert response.status_code == 200, response.text
        answered.append(path)

    async def both() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(send(client, *slow))
            try:
                async with asyncio.timeout(30):  # the loop runs while the slow work is held
                    while not (gate.entered.is_set() or first.done()):
                        await asyncio.sleep(0.01)
                if first.done():  # it failed before its slow work: say why
                    await first
                await send(client, "GET", other)
            finally:
                gate.opened.set()
            await first

    try:
        asyncio.run(both())
    finally:
        app.state.engine.dispose()  # no lifespan ran to dispose of it
    return answered


def test_a_filtered_search_leaves_the_event_loop_free_for_others(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(engine)
    gate = Gate()  # a topic no claim has walks every claim (1.3 s at a million)
    monkeypatch.setattr(query, "listed", gate.hold(query.listed))
    app = create_app(Settings(database_url=database_url))
    slow = ("GET", "/claims?topic=nothing-like")
    assert answered_in_order(app, slow, "/claims?q=IL-6", gate) == ["/claims?q=IL-6", slow[1]]


def test_enrichment_leaves_the_event_loop_free_for_others(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(engine)
    gate = Gate()  # verifying a document of hundreds of citations
    monkeypatch.setattr(documents, "verify", gate.hold(documents.verify))
    app = create_app(Settings(database_url=database_url, api_keys=[KEY]))
    slow = ("POST", "/documents/1/enrich?offline=true")
    assert answered_in_order(app, slow, "/claims?q=IL-6", gate) == ["/claims?q=IL-6", slow[1]]
