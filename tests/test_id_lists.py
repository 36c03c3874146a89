"""Lists of ids bound as one parameter (evidence.id_lists), on SQLite and PostgreSQL: any length,
past SQLite's limit on bound parameters, and empty."""

from __future__ import annotations

import random
import sqlite3

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from evidence.claim_views import claims_by_ids
from evidence.id_lists import among
from evidence.ingest.pipeline import ingest_file
from evidence.models import Claim
from tests.conftest import SEED_DECK


def test_claims_are_read_by_a_list_longer_than_sqlite_binds(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":  # bound parameters: 999, as before SQLite 3.32
            raw = session.connection().connection.dbapi_connection
            raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # type: ignore[union-attr]
        stored = list(session.exec(select(Claim.id)).all())
        wanted = random.Random(7).sample(stored, 25)
        missing = range(10**6, 10**6 + 40_000)  # no such claims
        claims = claims_by_ids(session, [*missing[:20_000], *wanted, *missing[20_000:]])
        assert [claim.id for claim in claims] == wanted  # in the order asked
        assert claims_by_ids(session, []) == []


def test_among_matches_exactly_the_ids_listed(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)
    dialect = engine.dialect.name
    query = select(Claim.id).where(among(col(Claim.id), "ids", dialect)).order_by(col(Claim.id))
    with Session(engine) as session:
        connection = session.connection()
        stored = sorted(session.exec(select(Claim.id)).all())
        some = stored[::3]
        assert [row[0] for row in connection.execute(query, {"ids": some + [-1, 0]})] == some
        assert connection.execute(query, {"ids": []}).all() == []
