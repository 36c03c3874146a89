"""The schema: migrations upgrade an older database with its rows, on both backends."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from typer.testing import CliRunner

from evidence.cli import app
from evidence.db import (
    MMAP_BYTES,
    alembic_config,
    check_sqlite_version,
    compared_with_models,
    current_revision,
    head_revision,
    make_engine,
    prepare_database,
    reading_engine,
    upgrade_database,
)
from evidence.errors import SchemaOutOfDateError
from evidence.ingest.pipeline import ingest_file
from tests.conftest import BACKENDS, DATA, POSTGRES_URL, _admin


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    assert POSTGRES_URL
    name = f"evidence_empty_{tmp_path.name[-8:].replace('-', '_')}"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def insert_papers(engine: Engine, rows: list[dict[str, object]]) -> None:
    """Insert paper rows as an older revision's schema takes them: the given columns (the
    same in every row), the JSON lists empty unless given."""
    columns = {"authors": "[]", "mesh": "[]", "keywords": "[]", "publication_types": "[]",
               "comments_corrections": "[]", "authors_complete": True, "source": "efetch"}  # fmt: skip
    names = [*columns, *(name for name in rows[0] if name not in columns)]
    sql = f"INSERT INTO paper ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
    with engine.begin() as connection:
        connection.execute(text(sql), [{**columns, **row} for row in rows])


def test_upgrade_from_first_revision_keeps_rows(empty_url: str) -> None:
    engine = make_engine(empty_url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO paper (pmid, authors, mesh, keywords, publication_types, "
                "comments_corrections) VALUES ('16102523', '[]', '[]', '[]', '[]', '[]')"
            )
        )
    with pytest.raises(SchemaOutOfDateError, match="evidence db upgrade"):
        prepare_database(engine)
    upgrade_database(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT pmid, authors_complete, source FROM paper")).one()
    assert row.pmid == "16102523" and row.authors_complete and row.source == "efetch"
    engine.dispose()


def test_prepare_creates_a_new_database_at_head(empty_url: str) -> None:
    engine = make_engine(empty_url)
    prepare_database(engine)
    assert current_revision(engine) == head_revision(engine)
    assert {"document", "claim", "citation", "paper", "journal_lookup"} <= set(
        inspect(engine).get_table_names()
    )
    prepare_database(engine)  # again: nothing to do
    engine.dispose()


def test_prepare_refuses_a_database_evidence_did_not_make(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    with create_engine(url).begin() as connection:
        connection.execute(text("CREATE TABLE something (id INTEGER)"))
    with pytest.raises(SchemaOutOfDateError, match="not made by evidence"):
        prepare_database(make_engine(url))


def test_sqlite_uses_wal_foreign_keys_and_memory_mapped_reads(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA mmap_size")).scalar() == MMAP_BYTES


@pytest.mark.skipif(not POSTGRES_URL, reason="EVIDENCE_TEST_DATABASE_URL is not set")
def test_postgresql_plans_each_query_for_its_values_and_random_reads() -> None:
    assert POSTGRES_URL
    engine = make_engine(POSTGRES_URL)
    with engine.connect() as connection:
        assert connection.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        assert connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
        assert connection.execute(text("SHOW random_page_cost")).scalar() == "1.1"
        connection.rollback()  # settings of the session, not of a transaction that ends
        assert connection.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="EVIDENCE_TEST_DATABASE_URL is not set")
def test_a_reading_session_holds_no_transaction_open() -> None:
    assert POSTGRES_URL
    engine = make_engine(POSTGRES_URL)
    state = text("SELECT state FROM pg_stat_activity WHERE pid = :pid")
    # The watcher reads in autocommit too: in a transaction, it would see one snapshot of
    # pg_stat_activity throughout.
    with reading_engine(engine).connect() as watcher, Session(reading_engine(engine)) as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        assert watcher.execute(state, {"pid": pid}).scalar() == "idle"
        with Session(engine) as writer_session:  # the engine itself still begins transactions
            pid = writer_session.execute(text("SELECT pg_backend_pid()")).scalar()
            assert watcher.execute(state, {"pid": pid}).scalar() == "idle in transaction"
    engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="EVIDENCE_TEST_DATABASE_URL is not set")
def test_a_connection_idle_in_the_pool_is_checked_and_replaced_when_dropped() -> None:
    assert POSTGRES_URL
    backend = text("SELECT pg_backend_pid()")
    for ping_after_idle in (float("inf"), 0.0):  # never idle long enough; always
        engine = make_engine(POSTGRES_URL, ping_after_idle=ping_after_idle)
        with engine.connect() as connection:
            dropped = connection.execute(backend).scalar()
        # A server restart, a proxy's timeout: the pooled connection's backend exits (waited
        # for, up to 5 s).
        _admin(f"SELECT pg_terminate_backend({dropped}, 5000)")
        if ping_after_idle:  # taken again without a ping: it fails
            with engine.connect() as connection, pytest.raises(OperationalError):
                connection.execute(backend)
        else:  # pinged, found dropped, replaced
            with engine.connect() as connection:
                assert connection.execute(backend).scalar() != dropped
        engine.dispose()


def test_search_vectors_are_sampled_ten_times_more_and_back(empty_url: str) -> None:
    if not empty_url.startswith("postgresql"):
        pytest.skip("SQLite keeps no statistics to set")
    engine = make_engine(empty_url)
    upgrade_database(engine)
    targets = text(
        "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
        "WHERE attname = 'search_vector' AND attrelid::regclass::text LIKE '%_search' ORDER BY 1"
    )
    with engine.connect() as connection:
        assert connection.execute(targets).all() == [("claim_search", 1000), ("paper_search", 1000)]
    command.downgrade(alembic_config(engine), "0005")
    with engine.connect() as connection:
        assert {target for _, target in connection.execute(targets)} <= {-1, None}
    engine.dispose()


def test_migrations_make_what_the_models_say(empty_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from evidence.models import metadata

    engine = make_engine(empty_url)
    upgrade_database(engine)
    with engine.connect() as connection:
        options = {"include_name": compared_with_models, "compare_type": True}
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_sqlite_database_opens(url: str) -> None:
    engine = make_engine(url)  # no pool to size: one connection a thread
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_a_python_with_too_old_an_sqlite_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    check_sqlite_version((3, 32, 0))  # as new as needed: nothing to say
    # This Python's SQLite is newer; what an older one would report (Ubuntu 20.04: 3.31.1).
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    env = {"EVIDENCE_DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}"}
    result = CliRunner().invoke(app, ["documents"], env=env)
    assert result.exit_code == 1
    assert "needs SQLite 3.32.0 or newer" in result.stderr and "uses SQLite 3.31.1" in result.stderr
    assert not (tmp_path / "old.db").exists()  # refused before anything was made


def test_upgrade_reads_an_e_articles_last_page_again(empty_url: str) -> None:
    """Revision 0011: a paper stored with "426.e13-21" read as ending at 421 ends at 426.e21."""
    engine = make_engine(empty_url)
    command.upgrade(alembic_config(engine), "0010")
    insert_papers(
        engine,
        [
            {
                "pmid": "21193246",
                "pages": "426.e13-21",
                "first_page": "426.e13",
                "last_page": "421",
            },
            {"pmid": "12794819", "pages": "1521-9", "first_page": "1521", "last_page": "1529"},
        ],
    )
    upgrade_database(engine)
    with engine.connect() as connection:
        pages = connection.execute(text("SELECT pmid, last_page FROM paper ORDER BY pmid")).all()
    assert [tuple(row) for row in pages] == [("12794819", "1529"), ("21193246", "426.e21")]
    engine.dispose()


def test_upgrade_reads_the_e_pub_date_of_stored_papers(empty_url: str) -> None:
    """Revision 0013: a paper stored before it gets its ArticleDate from the XML it keeps, so
    verification knows the year it came out online without fetching it again."""
    dated = (DATA / "pubmed" / "efetch" / "citing_styles_16.elbert5770.xml").read_text()
    articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", dated, re.DOTALL)
    online = next(a for a in articles if "19734903</PMID>" in a)  # ArticleDate 2009-09-06
    undated = next(a for a in articles if "<ArticleDate" not in a)
    engine = make_engine(empty_url)
    command.upgrade(alembic_config(engine), "0012")
    insert_papers(
        engine, [{"pmid": "19734903", "raw_xml": online}, {"pmid": "1", "raw_xml": undated}]
    )
    upgrade_database(engine)
    with engine.connect() as connection:
        dates = connection.execute(text("SELECT pmid, epub_date FROM paper ORDER BY pmid")).all()
    assert [tuple(row) for row in dates] == [("1", None), ("19734903", "2009-09-06")]
    engine.dispose()


def test_upgrade_folds_the_keys_of_undecomposed_letters_again(
    empty_url: str, tmp_path: Path
) -> None:
    """Revision 0014: "Møllgård" was folded to "mllgard", which a citation of "Mollgard" never
    found in the local store, and a citation of "Møllgård" was another work than one of
    "Mollgard". The stored keys are folded again; ASCII ones stay as they were."""
    deck = tmp_path / "deck.md"
    deck.write_text(
        "# Slide\n\nThe meninges are divided [1]. So is the space [2].\n\n## References\n\n"
        "1. Møllgård K, et al. Science. 2023;379:84–88.\n"
        "2. Mihara M, et al. Int Immunopharmacol. 2005;5:1731–1740.\n"
    )
    engine = make_engine(empty_url)
    upgrade_database(engine)
    ingest_file(engine, deck)
    insert_papers(
        engine,
        [
            {"pmid": "36603065", "authors": '["M\\u00f8llg\\u00e5rd K", "Beinlich FRM"]',
             "first_author": "mllgard"},  # as the code before 0014 folded it
            {"pmid": "16102523", "authors": '["Mihara M"]', "first_author": "mihara"},
            {"pmid": "1", "authors": "[]", "first_author": None},
        ],
    )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE citation SET work_key = :old WHERE work_key = :new"),
            {"old": "mllgard|2023|84", "new": "mollgard|2023|84"},
        )
    command.stamp(alembic_config(engine), "0013")
    upgrade_database(engine)
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT pmid, first_author FROM paper ORDER BY pmid")).all()
        works = connection.execute(text("SELECT work_key FROM citation ORDER BY id")).all()
    assert [tuple(row) for row in keys] == [
        ("1", None), ("16102523", "mihara"), ("36603065", "mollgard")
    ]  # fmt: skip
    assert [row[0] for row in works] == ["mollgard|2023|84", "mihara|2005|1731"]
    engine.dispose()
