"""`evidence search`: claims by topic, in Chinese or English, with their evidence."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from evidence.cli.app import FormatOption, OutputFormat, app, console, open_engine, print_json
from evidence.search import MAX_LIMIT, search_claims


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find, Chinese or English.")],
    topic: Annotated[
        str | None, typer.Option(help="Only claims whose topic contains this.")
    ] = None,
    format: FormatOption = OutputFormat.table,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT)] = 20,
) -> None:
    """Find claims by their words, their topic, or the evidence they cite; best first."""
    with Session(open_engine()) as session:
        page = search_claims(session, q=query, topic=topic, limit=limit)
    if format is OutputFormat.json:
        print_json([hit.model_dump() for hit in page.items])
        return
    table = Table("score", "page", "topic", "claim", "cites", expand=True)
    for hit in page.items:
        cites = "; ".join(c.as_written for c in hit.citations)
        snippet = (hit.snippet or hit.text).replace("<mark>", "[bold yellow]")
        table.add_row(
            f"{hit.score or 0:.2f}", str(hit.page), hit.topic or "",
            snippet.replace("</mark>", "[/bold yellow]"), cites,
        )  # fmt: skip
    console.print(table)
