"""`evidence search`: claims by topic, in Chinese or English, with their evidence."""

from __future__ import annotations

import html
import re
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from evidence.cli.app import (
    DocumentOption,
    FormatOption,
    OutputFormat,
    app,
    console,
    err_console,
    open_engine,
    print_json,
)
from evidence.search import MAX_LIMIT, PAPER_CAP, RANK_CAP, coverage_note, search_claims


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find, Chinese or English.")],
    topic: Annotated[
        str | None, typer.Option(help="Only claims whose topic contains this.")
    ] = None,
    document: DocumentOption = None,
    format: FormatOption = OutputFormat.table,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT)] = 20,
) -> None:
    """Find claims by their words, their topic, or the evidence they cite; best first."""
    with Session(open_engine()) as session:
        page = search_claims(session, q=query, topic=topic, document_id=document, limit=limit)
    if page.query_note:
        err_console.print(f"note: {page.query_note}", highlight=False)
    if page.ranking_capped:
        err_console.print(
            f"note: more than {RANK_CAP} claims hold the query's words; the newest {RANK_CAP} are"
            " ranked, older ones follow unranked, newest first",
            highlight=False,
        )
    if page.evidence_capped:
        err_console.print(
            f"note: a word of the query is in more than {PAPER_CAP} papers; claims found only"
            " through older ones may be missing (--document searches all of a document's)",
            highlight=False,
        )
    # All it found: say which citations it could not look through.
    note = coverage_note(page.unresolved_citations or 0, one_document=document is not None)
    if note:
        err_console.print(f"note: {note}", highlight=False)
    if format is OutputFormat.json:
        print_json([hit.model_dump(mode="json") for hit in page.items])
        return
    if not page.items:
        err_console.print(f"no claim matches {query!r}", highlight=False, markup=False)
        return
    table = Table("score", "page", "topic", "claim", "cites", expand=True)
    for hit in page.items:
        cites = "; ".join(c.as_written for c in hit.citations)
        table.add_row(
            f"{hit.score or 0:.2f}", escape(str(hit.page)), escape(hit.topic or ""),
            marked(hit.snippet) if hit.snippet else escape(hit.text), escape(cites),
        )  # fmt: skip
    console.print(table)


def marked(snippet: str) -> str:
    """Turn a search snippet (HTML-escaped, matches in <mark>) into rich markup."""
    pieces = re.split(r"(</?mark>)", snippet)
    styles = {"<mark>": "[bold yellow]", "</mark>": "[/bold yellow]"}
    return "".join(styles.get(piece) or escape(html.unescape(piece)) for piece in pieces)
