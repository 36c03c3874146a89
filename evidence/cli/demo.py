"""The main job: the bundled example deck, ingested and shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table
from sqlmodel import Session

from evidence.cli.app import app, console, open_engine
from evidence.cli.documents import describe_report
from evidence.ingest.pipeline import ingest_file
from evidence.views import list_claims

EXAMPLE_DECK = Path(__file__).resolve().parent.parent / "data" / "il6-tocilizumab-ra-deck.txt"


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
