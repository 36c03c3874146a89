"""Commands on the database's schema."""

from __future__ import annotations

from evidence.cli.app import console, db_app, open_engine
from evidence.db import current_revision, head_revision
from evidence.db import upgrade_database as migrate


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
