"""Fixtures: a migrated database per test, on SQLite always and on PostgreSQL when
EVIDENCE_TEST_DATABASE_URL is set (each test gets a database of its own, made from a migrated
template and dropped afterwards, so runs never see each other's rows)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from evidence.db import make_engine, upgrade_database

DATA = Path(__file__).parent / "data"
PROJECT = Path(__file__).resolve().parent.parent
SEED_DECK = PROJECT / "evidence" / "data" / "il6-tocilizumab-ra-deck.txt"
SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
POSTGRES_URL = os.environ.get("EVIDENCE_TEST_DATABASE_URL")
pytest_plugins = ["tests.eutils_server"]  # the loopback E-utilities fixture
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip PostgreSQL cases when no test database URL is set."""
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="EVIDENCE_TEST_DATABASE_URL is not set")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file per run; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """Migrate one PostgreSQL database per run; tests clone it."""
    assert POSTGRES_URL
    name = f"evidence_tmpl_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    upgrade_database(engine)
    engine.dispose()
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(statement: str) -> None:
    assert POSTGRES_URL
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a fresh, migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "evidence.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    assert POSTGRES_URL
    name = f"evidence_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Yield an engine on a fresh, migrated database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def seed_deck(engine: Engine) -> None:
    """Ingest the seed deck, load the PubMed snapshot, enrich offline and verify: `evidence demo`."""
    from evidence.db import session_scope
    from evidence.ingest.pipeline import ingest_file
    from evidence.verify import verify

    ingest_file(engine, SEED_DECK)
    enrich_offline(engine)
    with session_scope(engine) as session:
        verify(session)


def enrich_offline(engine: Engine) -> None:
    """Load the PubMed snapshot and enrich every citation from it, offline."""
    from evidence.db import session_scope
    from evidence.pubmed.enrich import enrich_citations
    from evidence.pubmed.importer import import_files

    import_files(engine, [SNAPSHOT])

    async def enrich() -> None:
        with session_scope(engine) as session:
            await enrich_citations(session, client=None)

    asyncio.run(enrich())
