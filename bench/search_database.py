"""Load the search bench's corpus into SQLite and PostgreSQL, and make, keep or drop its
PostgreSQL databases.

Loading goes around the ORM: rows are generated in batches and written with executemany
(SQLite, journal off during the load) or COPY (PostgreSQL) into a database made by
`make_engine` + `prepare_database`, so the schema, the FTS5 tables and the tsvector columns are
the real ones. SQLite: the insert triggers are dropped while the search tables load, then each
FTS5 index is built with one 'rebuild' and the triggers put back (`--sqlite-fts triggers` keeps
them). PostgreSQL: the papers first, then batches over 2 connections; the GIN indexes are dropped
during COPY and made again from their own definitions afterwards, while SQLite loads.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from search_corpus import Batch, Corpus, generate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from evidence.db import make_engine, prepare_database

# A synthetic paper is a row of `paper` (the search only needs its id) and one of paper_search.
PAPER_ROW_SQL = (
    "INSERT INTO paper (id, authors, mesh, keywords, publication_types, comments_corrections)"
    " VALUES (?, '[]', '[]', '[]', '[]', '[]')"
)
GIN_INDEXES = ("ix_claim_search_vector", "ix_paper_search_vector")
LOADED = "evidence bench: loaded"  # the comment on a kept PostgreSQL database, once it is whole


def load_sqlite(path: Path, corpus: Corpus, claims: int, seed: int, fts: str) -> dict[str, float]:
    """Make the database at the real schema, then load it with executemany; return timings."""
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    engine.dispose()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")  # bench data: a crash just means a rerun
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA foreign_keys=ON")  # as evidence's own connections have them
    connection.execute("PRAGMA cache_size=-262144")  # 256 MB for the indexes being built
    triggers = [
        row[0]
        for row in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name IN ('claim_search_ai', 'paper_search_ai')"
        )
    ]
    if fts == "rebuild":
        connection.execute("DROP TRIGGER claim_search_ai")
        connection.execute("DROP TRIGGER paper_search_ai")
    connection.execute("BEGIN")
    connection.executemany(PAPER_ROW_SQL, ((i,) for i in range(1, len(corpus.papers) + 1)))
    connection.executemany("INSERT INTO paper_search VALUES (?, ?)", enumerate(corpus.papers, 1))
    for batch in generate(corpus, claims, seed):
        connection.executemany("INSERT INTO document VALUES (?, ?, ?, ?, ?, ?, ?)", batch.documents)
        connection.executemany("INSERT INTO page VALUES (?, ?, ?, ?, ?)", batch.pages)
        connection.executemany("INSERT INTO claim VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch.claims)
        connection.executemany("INSERT INTO claim_search VALUES (?, ?)", batch.search)
        connection.executemany("INSERT INTO claim_paper VALUES (?, ?)", batch.links)
    connection.execute("COMMIT")
    timings["rows" if fts == "rebuild" else "rows + FTS5 (triggers)"] = (
        time.perf_counter() - started
    )
    if fts == "rebuild":
        started = time.perf_counter()
        connection.execute("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')")
        connection.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")
        for trigger in triggers:
            connection.execute(trigger)
        timings["FTS5 rebuild"] = time.perf_counter() - started
    started = time.perf_counter()
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode=WAL")  # back to what evidence runs with
    connection.close()
    timings["analyze"] = time.perf_counter() - started
    return timings


def copy_postgresql(
    url: str, corpus: Corpus, *, claims: int, seed: int, workers: int
) -> tuple[list[str], float]:
    """Make the database at the real schema and COPY the rows in, without the GIN indexes;
    return the indexes' definitions (to make them again) and the seconds taken.

    The papers go first (their tsvectors computed once each); then each batch holds whole
    documents (their pages, claims, search rows and claim-paper links), so batches go in
    parallel, one transaction each, over `workers` (`--load-workers`) connections.
    """
    import psycopg

    engine = make_engine(url)
    prepare_database(engine)
    engine.dispose()
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as connection:
        definitions = [
            row[0]
            for row in connection.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(GIN_INDEXES)]
            )
        ]
        assert len(definitions) == len(GIN_INDEXES), "migration 0005 made no GIN indexes"
        for name in GIN_INDEXES:
            connection.execute(f"DROP INDEX {name}")  # made again from its definition
        with connection.transaction(), connection.cursor() as cursor:
            columns = "id, authors, mesh, keywords, publication_types, comments_corrections"
            with cursor.copy(f"COPY paper ({columns}) FROM STDIN") as copy:
                for paper_id in range(1, len(corpus.papers) + 1):
                    copy.write_row((paper_id, "[]", "[]", "[]", "[]", "[]"))
            with cursor.copy("COPY paper_search (paper_id, words) FROM STDIN") as copy:
                for row in enumerate(corpus.papers, 1):
                    copy.write_row(row)
    connections: list[psycopg.Connection[Any]] = []
    local = threading.local()

    def copy_batch(batch: Batch) -> None:
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(conninfo, autocommit=True)
            local.connection.execute("SET synchronous_commit = off")  # bench data
            connections.append(local.connection)
        with local.connection.transaction(), local.connection.cursor() as cursor:
            for table, rows in [
                ("document", batch.documents),
                ("page", batch.pages),
                ("claim", batch.claims),
                ("claim_search (claim_id, own)", batch.search),
                ("claim_paper (claim_id, paper_id)", batch.links),
            ]:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)

    try:
        with ThreadPoolExecutor(workers) as pool:
            pending: deque[Future[None]] = deque()
            for batch in generate(corpus, claims, seed):
                pending.append(pool.submit(copy_batch, batch))
                if len(pending) > 2 * workers:  # bound the batches held in memory
                    pending.popleft().result()
            for future in pending:
                future.result()
    finally:
        for connection in connections:
            connection.close()
    return definitions, time.perf_counter() - started


def index_postgresql(url: str, definitions: list[str]) -> dict[str, float]:
    """Make the GIN indexes again from their definitions, then VACUUM ANALYZE; return timings."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    timings: dict[str, float] = {}
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '2GB'")  # the GIN build sorts in memory
        started = time.perf_counter()
        for definition in definitions:
            connection.execute(definition)
        timings["GIN indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        connection.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
    return timings


# One citation a paper, so that `GET /papers?q=` (which lists the papers citations resolve to)
# has what it has in use: made by the document of the first claim resting on the paper, on that
# claim's page, as enrichment would have resolved it.
CITE_EVERY_PAPER = (
    "INSERT INTO citation (document_id, page_id, position, as_written, authors, et_al,"
    " work_key, paper_id, resolution_status)"
    " SELECT claim.document_id, claim.page_id, cited.paper_id, 'bench paper ' || cited.paper_id,"
    " '[]', FALSE, 'bench:' || cited.paper_id, cited.paper_id, 'resolved'"
    " FROM (SELECT paper_id, min(claim_id) AS claim_id FROM claim_paper GROUP BY paper_id) cited"
    " JOIN claim ON claim.id = cited.claim_id"
    " WHERE NOT EXISTS (SELECT 1 FROM citation WHERE citation.paper_id = cited.paper_id)"
)


def cite_every_paper(url: str) -> int:
    """Give each paper no citation resolves to one (a database loaded before the bench timed
    `/papers` has none), then ANALYZE the citations; return how many were added."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            added = connection.execute(text(CITE_EVERY_PAPER)).rowcount
            if added:
                connection.execute(text("ANALYZE citation"))
    finally:
        engine.dispose()
    return added


def admin(url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE, DROP, COMMENT ON DATABASE)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_postgresql(admin_url: str, name: str) -> str | None:
    """Create a database of the bench's own; return its URL, or None when there is no server."""
    try:
        admin(admin_url, f'CREATE DATABASE "{name}"')
    except Exception as error:  # any driver error means: no server to measure
        print(f"postgresql: skipped, {admin_url} is not reachable ({error})")
        return None
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def kept_postgresql(admin_url: str, name: str) -> str | None:
    """Return the URL of a kept bench database `name` when a run loaded it fully, else drop
    any half-loaded one and return None."""
    sql = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"
    engine = create_engine(admin_url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            comment = connection.execute(text(sql), {"name": name}).scalar()
    finally:
        engine.dispose()
    if comment == LOADED:
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return None


def mark_postgresql_loaded(admin_url: str, name: str) -> None:
    """Mark a kept database as whole, so that a later run with --keep reuses it."""
    admin(admin_url, f"COMMENT ON DATABASE \"{name}\" IS '{LOADED}'")


def drop_postgresql(admin_url: str, url: str) -> None:
    """Drop the bench's database at `url`."""
    admin(admin_url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
