"""Commands on the database's schema."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func
from sqlmodel import select

from evidence.cli.app import console, db_app, open_engine
from evidence.db import current_revision, head_revision, session_scope
from evidence.db import upgrade_database as migrate
from evidence.models import Claim
from evidence.search import index_claims
from evidence.search.index import cited_paper_ids


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    engine = open_engine(prepare=False)
    migrate(engine)
    console.print(f"database at revision {current_revision(engine)}", highlight=False)


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and the latest one."""
    engine = open_engine(prepare=False)
    console.print(
        f"database at {current_revision(engine)}; latest is {head_revision(engine)}",
        highlight=False,
    )


@db_app.command("reindex")
def db_reindex() -> None:
    """Rebuild the search index of every claim (after a change to how text is cut into words)."""
    engine = open_engine()
    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar, session_scope(engine) as s:
        task = bar.add_task("claims", total=s.exec(select(func.count()).select_from(Claim)).one())
        cited = cited_paper_ids(s)
        count = index_claims(s, progress=lambda n: bar.advance(task, n), also_papers=cited)
    console.print(f"reindexed {count} claims and the papers citations resolve to", highlight=False)
