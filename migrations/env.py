"""Alembic environment: evidence's metadata, batch mode for SQLite, FTS shadow tables skipped."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from evidence.db import compared_with_models
from evidence.models import metadata

config = context.config


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
            include_name=compared_with_models,
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("evidence's migrations run online only")
run_migrations_online()
