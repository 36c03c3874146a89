"""The `evidence` application object and what its commands share: consoles, options, the
database, output. Errors are translated once, in `EvidenceGroup.invoke`: one line on stderr,
the error's exit code.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.engine import Engine
from typer.core import TyperGroup

from evidence.config import Settings, get_settings
from evidence.db import make_engine, prepare_database
from evidence.errors import EvidenceError

console = Console()
err_console = Console(stderr=True)


class EvidenceGroup(TyperGroup):
    """A command group that turns EvidenceError into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except EvidenceError as error:
            print_error(error)
            raise typer.Exit(error.exit_code) from error


def print_error(error: EvidenceError) -> None:
    """Print an error as one line on stderr."""
    err_console.print(f"error: {error.message}", markup=False, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    """How a listing is printed."""

    table = "table"
    json = "json"


app = typer.Typer(
    cls=EvidenceGroup,
    help="Claims in documents, the papers they cite, and whether the citations hold up.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(cls=EvidenceGroup, help="The database's schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
pubmed_app = typer.Typer(cls=EvidenceGroup, help="The local PubMed store.", no_args_is_help=True)
app.add_typer(pubmed_app, name="pubmed")

DocumentOption = Annotated[int | None, typer.Option("--document", "-d", help="Document id.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]


def open_engine(*, prepare: bool = True, settings: Settings | None = None) -> Engine:
    """Open the configured database, creating it at the latest schema when it is new."""
    engine = make_engine((settings or get_settings()).database_url)
    if prepare:
        prepare_database(engine)
    return engine


def print_json(data: Any) -> None:
    """Print JSON on stdout and nothing else."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
