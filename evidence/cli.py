"""The `evidence` command line: a thin layer over the library.

Errors are translated once, in `EvidenceGroup.invoke`: one line on stderr, the error's exit code.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.core import TyperGroup

from evidence.config import Settings
from evidence.db import current_revision, head_revision, make_engine, prepare_database
from evidence.db import upgrade_database as migrate
from evidence.errors import EvidenceError
from evidence.ingest.pipeline import IngestReport, ingest_file
from evidence.views import list_citations, list_claims

EXAMPLE_DECK = Path(__file__).resolve().parent / "data" / "il6-tocilizumab-ra-deck.txt"

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

DocumentOption = Annotated[int | None, typer.Option("--document", "-d", help="Document id.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]


def open_engine(*, prepare: bool = True) -> Engine:
    """Open the configured database, creating it at the latest schema when it is new."""
    engine = make_engine(Settings().database_url)
    if prepare:
        prepare_database(engine)
    return engine


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to ingest: txt, md, pdf, pptx, docx.")],
) -> None:
    """Store every claim of each document with the references it cites."""
    engine = open_engine()
    failures = 0
    for path in paths:
        try:
            report = ingest_file(engine, path)
        except EvidenceError as error:
            print_error(error)
            failures += 1
            continue
        console.print(describe_report(report), highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(2)


def describe_report(report: IngestReport) -> str:
    """Say in one line what an ingest did."""
    if not report.created:
        return (
            f"{report.source_name}: already ingested as document {report.document_id}; "
            "nothing changed"
        )
    return (
        f"{report.source_name}: document {report.document_id}: {report.pages} pages, "
        f"{report.claims} claims, {report.citations} citations of {report.works} works, "
        f"{report.links} links, {report.dangling_markers} dangling markers"
    )


@app.command()
def claims(document: DocumentOption = None, format: FormatOption = OutputFormat.table) -> None:
    """List claims with the citations they make."""
    with Session(open_engine()) as session:
        rows = list_claims(session, document_id=document)
    if format is OutputFormat.json:
        print_json([row.model_dump() for row in rows])
        return
    table = Table("id", "doc", "page", "topic", "claim", "cites", show_lines=False)
    for row in rows:
        cites = ", ".join(c.label or "·" for c in row.citations)
        dangling = [m.label for m in row.markers if m.citation_id is None]
        if dangling:
            cites += f" [red](dangling {', '.join(dangling)})[/red]"
        table.add_row(
            str(row.id), str(row.document), str(row.page), row.topic or "", row.text, cites
        )
    console.print(table)


@app.command()
def citations(document: DocumentOption = None, format: FormatOption = OutputFormat.table) -> None:
    """List references as written, with their parsed fields."""
    with Session(open_engine()) as session:
        rows = list_citations(session, document_id=document)
    if format is OutputFormat.json:
        print_json([row.model_dump() for row in rows])
        return
    table = Table("id", "doc", "page", "label", "as written", "author", "year", "vol", "pages")
    for row in rows:
        table.add_row(
            str(row.id),
            str(row.document),
            str(row.page),
            row.label or "",
            row.as_written,
            row.first_author or "",
            str(row.year or ""),
            row.volume or "",
            row.pages or "",
        )
    console.print(table)


@app.command()
def demo() -> None:
    """Run the main job on the bundled example deck: ingest it and show its claims."""
    engine = open_engine()
    report = ingest_file(engine, EXAMPLE_DECK)
    console.print(describe_report(report), highlight=False, soft_wrap=True)
    with Session(engine) as session:
        rows = list_claims(session, document_id=report.document_id)
    table = Table(title="Claims of the example deck", expand=True)
    table.add_column("slide", justify="right", no_wrap=True)
    table.add_column("topic", max_width=14, overflow="fold")
    table.add_column("claim", ratio=3, overflow="fold")
    table.add_column("cites", ratio=1, overflow="fold")
    for row in rows:
        cites = "; ".join(short_citation(c.fields, c.as_written) for c in row.citations)
        dangling = [m.label for m in row.markers if m.citation_id is None]
        if dangling:
            cites += f"[red]dangling marker {', '.join(dangling)}[/red]"
        table.add_row(str(row.page), row.topic or "", row.text, cites or "[yellow]none[/yellow]")
    console.print(table)


def short_citation(fields: dict[str, Any], as_written: str) -> str:
    """Render a citation as "Voulgari 1999", or as written when it could not be parsed."""
    if fields.get("first_author") and fields.get("year"):
        return f"{fields['first_author']} {fields['year']}"
    return as_written


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


def print_json(data: Any) -> None:
    """Print JSON on stdout and nothing else."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
