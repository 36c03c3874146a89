"""Commands on documents: ingest them, list them, their claims and their citations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from evidence.claim_views import list_claims
from evidence.cli.app import (
    DocumentOption,
    FormatOption,
    OutputFormat,
    app,
    console,
    open_engine,
    print_error,
    print_json,
)
from evidence.documents import overview_documents
from evidence.errors import EvidenceError
from evidence.ingest.pipeline import IngestReport, ingest_file
from evidence.views import list_citations


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
def documents(format: FormatOption = OutputFormat.table) -> None:
    """List the documents stored, with their counts and where their citations stand."""
    with Session(open_engine()) as session:
        rows = [(o.document, o.summary) for o in overview_documents(session)]
    if format is OutputFormat.json:
        print_json(
            [{**d.model_dump(mode="json"), "summary": s.model_dump(mode="json")} for d, s in rows]
        )
        return
    table = Table("id", "title", "file", "kind", "claims", "works", "verdicts", "dangling")
    for document, summary in rows:
        verdicts = ", ".join(f"{n} {v}" for v, n in summary.verdicts.items())
        table.add_row(
            str(document.id), escape(document.title or ""), escape(document.source_name),
            document.kind, str(document.counts.claims), str(document.counts.works),
            verdicts, str(summary.dangling_markers),
        )  # fmt: skip
    console.print(table)


@app.command()
def claims(document: DocumentOption = None, format: FormatOption = OutputFormat.table) -> None:
    """List claims with the citations they make."""
    with Session(open_engine()) as session:
        rows = list_claims(session, document_id=document)
    if format is OutputFormat.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    table = Table("id", "doc", "page", "topic", "claim", "cites", show_lines=False)
    for row in rows:
        cites = escape(", ".join(c.label or "·" for c in row.citations))
        dangling = [m.label for m in row.markers if m.citation_id is None]
        if dangling:
            cites += f" [red](dangling {escape(', '.join(dangling))})[/red]"
        table.add_row(
            str(row.id), str(row.document), str(row.page), escape(row.topic or ""),
            escape(row.text), cites,
        )  # fmt: skip
    console.print(table)


@app.command()
def citations(document: DocumentOption = None, format: FormatOption = OutputFormat.table) -> None:
    """List references as written, with their parsed fields."""
    with Session(open_engine()) as session:
        rows = list_citations(session, document_id=document)
    if format is OutputFormat.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    table = Table("id", "doc", "page", "label", "as written", "author", "year", "vol", "pages")
    for row in rows:
        table.add_row(
            str(row.id),
            str(row.document),
            str(row.page),
            escape(row.label or ""),
            escape(row.as_written),
            row.first_author or "",
            str(row.year or ""),
            row.volume or "",
            row.pages or "",
        )
    console.print(table)
