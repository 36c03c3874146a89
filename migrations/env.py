"""Alembic environment: evidence's metadata, batch mode for SQLite, FTS shadow tables skipped."""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlalchemy import create_engine

from evidence.models import metadata

config = context.config


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Leave what hand-written revisions make out of autogenerate: FTS5 tables (and their
    shadow tables), PostgreSQL's derived search vector and its index."""
    if name is None:
        return True
    if type_ == "table":
        return "_fts" not in name
    if type_ == "column":
        return name != "search_vector"
    if type_ == "index":
        return name not in {"ix_claim_search_vector", "ix_paper_search_vector"}
    return True


def run_migrations_online() -> None:
    """Run the migrations over the engine evidence passed, or one from the URL."""
    engine = config.attributes.get("engine")
    if engine is None:
        url = os.environ.get("EVIDENCE_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
        engine = create_engine(str(url))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=include_name,
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("evidence's migrations run online only")
run_migrations_online()
