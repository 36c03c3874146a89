"""Engines, sessions and the schema's version.

A database that does not exist yet is created at the latest schema on first use; one made by an
older evidence must be migrated with `evidence db upgrade` (`upgrade_database`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlmodel import Session, create_engine

from evidence.errors import EvidenceError, SchemaOutOfDateError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


MMAP_BYTES = 2**31 - 2**16  # SQLITE_MAX_MMAP_SIZE's default: larger asks are cut to it


# Connections kept open for reuse: more than a server process searches with at once (see
# api.main.search_slots), so a loaded server keeps reusing them. SQLAlchemy's default of 5 had it
# open and close a connection per search, and a fresh SQLite connection reads the schema and
# warms its cache again. Beyond them, up to as many more open for a burst (writes, pages) and
# close after, rather than a request waiting for one.
POOL_SIZE = 20

# A pooled PostgreSQL connection idle this long is pinged before use, and replaced, with every
# older one, when the server has dropped it (a restart, a proxy's idle timeout). Not at every
# checkout: a ping is a round trip, and the pool hands out the connection used last (LIFO), so
# under load the same few stay busy and only the spare ones idle long enough to be pinged. A
# request within this time of a restart can still fail once.
PING_AFTER_IDLE = 1.0  # seconds


def make_engine(url: str, *, ping_after_idle: float = PING_AFTER_IDLE) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL plans
    each query for its own parameters, for random reads from memory or SSD, without parallel
    workers, and a pooled connection idle `ping_after_idle` seconds is checked before use."""
    pooling: dict[str, Any] = {
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_SIZE,
        "pool_use_lifo": True,  # the connection used last: warm, and not idle
    }
    if url.startswith("sqlite"):
        check_sqlite_version()
        connect_args = {"timeout": 30, "check_same_thread": False}
        if make_url(url).database in (None, "", ":memory:"):
            pooling = {}  # one connection a thread (SingletonThreadPool): no pool to size
        engine = create_engine(url, connect_args=connect_args, **pooling)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    engine = create_engine(url, **pooling)
    event.listen(engine, "connect", _set_postgresql_planning)
    event.listen(engine, "checkin", _note_idle_since)
    event.listen(engine, "checkout", partial(_ping_if_idle, engine, ping_after_idle))
    return engine


# Lists of more than 999 ids bound to a statement (as an ingest of a long document binds) need
# 3.32; UPSERT needs 3.24; json_each (evidence.id_lists) and FTS5 are in every build since.
SQLITE_NEEDED = (3, 32, 0)


def check_sqlite_version(linked: tuple[int, int, int] | None = None) -> None:
    """Raise EvidenceError, saying what to do, when Python's SQLite library is too old."""
    linked = linked or sqlite3.sqlite_version_info
    if linked < SQLITE_NEEDED:
        raise EvidenceError(
            f"evidence needs SQLite {'.'.join(map(str, SQLITE_NEEDED))} or newer, and this "
            f"Python uses SQLite {'.'.join(map(str, linked))}: use a Python built with a newer "
            "SQLite (python.org's and most current distributions' are), or PostgreSQL"
        )


def reading_engine(engine: Engine) -> Engine:
    """Return the engine for sessions that only read: on PostgreSQL, in autocommit, so a
    session sends no BEGIN and no ROLLBACK and never sits idle in a transaction. It reads
    nothing different under READ COMMITTED, PostgreSQL's default, where each statement sees its
    own snapshot inside a transaction too. SQLite's driver begins no transaction for a read
    anyway. Each call makes a new engine object (sharing the pool): make it once and keep it,
    as the API does."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def dialect_of(session: Session) -> str:
    """Return the name of the backend a session talks to: "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name


def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(
    engine: Engine, after: float, dbapi_connection: Any, record: Any, _proxy: Any
) -> None:
    """Ping a connection that idled `after` seconds or more in the pool. When the server
    dropped it, the pool throws it away with every older one (InvalidatePoolError) and checks
    out another, as SQLAlchemy's pool_pre_ping does; another error is raised as it is."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < after:
        return
    try:
        engine.dialect.do_ping(dbapi_connection)
    except engine.dialect.loaded_dbapi.Error as error:
        if engine.dialect.is_disconnect(error, dbapi_connection, None):
            raise InvalidatePoolError(f"the server dropped a pooled connection: {error}") from error
        raise


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off by default
    cursor.execute("PRAGMA busy_timeout=30000")  # two ingests at once wait, not fail
    # Read the file through the OS's page cache (up to SQLite's usual 2 GB cap) rather than
    # copying pages into each connection's small cache: a search reads thousands of rows at
    # random, about twice as fast this way at a million claims (bench/search.py).
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.close()


def _set_postgresql_planning(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        # psycopg prepares a statement it has run 5 times, and PostgreSQL may then plan it once
        # for any parameters. A search's best plan depends on how common its words are: a
        # generic plan made for a rare word took 750 ms for IL-6 (357,066 claims), where its
        # own plan takes 2 ms.
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        # No parallel workers: a search's statements are small, starting workers cost more than
        # they saved, and under load they took the cores other searches needed (180 against
        # 120 searches/s at a million claims).
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        # A search reads index and table pages at random, from memory or an SSD. The default
        # (4) prices a random read as a spinning disk's, and PostgreSQL chose to walk 77,000
        # claims by id (46 ms) rather than read the 2,600 that hold "depression" through the
        # index (3 ms). 1.1 is the usual setting for SSDs.
        cursor.execute("SET random_page_cost = 1.1")
    dbapi_connection.commit()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def compared_with_models(name: str | None, type_: str, _parent: Any) -> bool:
    """Tell whether a schema object is one the models describe (Alembic's `include_name`):
    not what hand-written revisions make, FTS5 tables (and their shadow tables), PostgreSQL's
    derived search vectors and their GIN indexes."""
    if name is None:
        return True
    if type_ == "table":
        return "_fts" not in name
    if type_ == "column":
        return name != "search_vector"
    if type_ == "index":
        return not name.endswith("_search_vector")
    return True


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that migrates through this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    """Return the latest revision the migrations know."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(engine: Engine) -> None:
    """Migrate the database to the latest schema."""
    command.upgrade(alembic_config(engine), "head")


def prepare_database(engine: Engine) -> None:
    """Create an empty database at the latest schema; refuse one at an older schema."""
    current = current_revision(engine)
    if current is None:
        if inspect(engine).get_table_names():
            raise SchemaOutOfDateError(
                f"{engine.url.render_as_string()}: has tables but no schema version; "
                "it was not made by evidence"
            )
        upgrade_database(engine)
        return
    head = head_revision(engine)
    if current != head:
        raise SchemaOutOfDateError(
            f"database schema is at revision {current}, this evidence needs {head}: "
            "run `evidence db upgrade`"
        )
