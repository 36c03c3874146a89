"""Commands on PubMed: enrich citations, resolve free strings, list papers, import records."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlmodel import Session

from evidence.browse import search_papers
from evidence.cli.app import (
    DocumentOption,
    FormatOption,
    OutputFormat,
    app,
    console,
    open_engine,
    print_json,
    pubmed_app,
)
from evidence.config import Settings, get_settings
from evidence.db import session_scope
from evidence.pubmed.client import EUtilsClient
from evidence.pubmed.enrich import EnrichReport, enrich_citations, resolve_strings
from evidence.pubmed.importer import import_files
from evidence.pubmed.store import record_fields
from evidence.search import MAX_LIMIT
from evidence.views import PaperPublic

T = TypeVar("T")
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Use only the local PubMed store; send no request.")
]


def run_with_client(offline: bool, settings: Settings, job: Callable[[Any], Awaitable[T]]) -> T:
    """Run an async job with an E-utilities client, or with none when offline."""

    async def main() -> T:
        if offline:
            return await job(None)
        async with EUtilsClient(settings) as client:
            return await job(client)

    return asyncio.run(main())


@app.command()
def enrich(
    document: DocumentOption = None,
    offline: OfflineOption = False,
    refresh_older_than: Annotated[
        int | None,
        typer.Option("--refresh-older-than", help="Fetch again records older than DAYS."),
    ] = None,
) -> None:
    """Resolve each citation to its PubMed record and store what PubMed says."""
    settings = get_settings()
    engine = open_engine(settings=settings)
    refresh = timedelta(days=refresh_older_than) if refresh_older_than is not None else None
    columns = (TextColumn("resolving"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar, session_scope(engine) as s:
        task = bar.add_task("works", total=None)
        report = run_with_client(
            offline,
            settings,
            lambda client: enrich_citations(
                s,
                client=client,
                document_id=document,
                refresh_older_than=refresh,
                progress=lambda n: bar.advance(task, n),
                on_total=lambda total: bar.update(task, total=total),
            ),
        )
    console.print(describe_enrichment(report), highlight=False, soft_wrap=True)


def describe_enrichment(report: EnrichReport) -> str:
    """Say in one line what an enrichment did."""
    counts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in report.statuses.items())
    return (
        f"{report.citations} citations of {report.works} works: {counts}; "
        f"{report.skipped} already settled, {report.refreshed} records refreshed; "
        f"{report.requests} requests sent"
    )


@app.command()
def resolve(
    citations: Annotated[list[str], typer.Argument(help="Citation strings, as written.")],
    offline: OfflineOption = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Resolve citation strings to PubMed without storing a document; one answer per input."""
    settings = get_settings()
    engine = open_engine(settings=settings)
    with session_scope(engine) as session:
        resolutions = run_with_client(
            offline,
            settings,
            lambda client: resolve_strings(session, client=client, strings=citations),
        )
    rows: list[dict[str, Any]] = [
        {
            "input": text,
            "pmid": r.pmid,
            "status": r.status,
            "confidence": r.confidence,
            "method": r.method,
            "reason": r.reason,
            "candidates": r.candidates,
            **({"paper": record_fields(r.record)} if r.record else {"paper": None}),
        }
        for text, r in zip(citations, resolutions, strict=True)
    ]
    if format is OutputFormat.json:
        print_json(rows)
        return
    table = Table("input", "pmid", "status", "confidence", "method", "title")
    for row in rows:
        paper = row["paper"] or {}
        table.add_row(
            row["input"], row["pmid"] or "", row["status"], f"{row['confidence']:.2f}",
            row["method"], paper.get("title") or "",
        )  # fmt: skip
    console.print(table)


QueryOption = Annotated[
    str | None,
    typer.Option(
        "--query",
        "-q",
        help="Only the papers whose title, abstract, MeSH headings or keywords hold every word "
        "(as GET /papers?q=), newest first.",
    ),
]


@app.command()
def papers(query: QueryOption = None, format: FormatOption = OutputFormat.table) -> None:
    """List the PubMed records citations resolve to, with the citations that resolve to each."""
    with Session(open_engine()) as session:
        rows = _every_paper(session, query)
    if format is OutputFormat.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    table = Table("pmid", "first author", "year", "journal", "title", "cited by")
    for row in rows:
        table.add_row(
            row.pmid or "", row.first_author or "", str(row.year or ""), row.iso_abbrev or "",
            row.title or "", str(len(row.citation_ids)),
        )  # fmt: skip
    console.print(table)


def _every_paper(session: Session, query: str | None) -> list[PaperPublic]:
    """Every page of GET /papers: the papers `query` finds, or all of them (`query` None)."""
    found: list[PaperPublic] = []
    cursor: str | None = None
    while True:
        page = search_papers(session, q=query, limit=MAX_LIMIT, cursor=cursor)
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


@pubmed_app.command("import")
def pubmed_import(
    files: Annotated[list[Path], typer.Argument(help="PubmedArticleSet XML files, plain or .gz.")],
) -> None:
    """Stream PubMed records (EFetch output, NCBI's baseline files) into the local store."""
    engine = open_engine()
    columns = (TextColumn("importing"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("records", total=None)
        report = import_files(engine, files, progress=lambda n: bar.advance(task, n))
    console.print(
        f"{report.records} records from {report.files} files "
        f"({report.records_per_second:,.0f} records/s)",
        highlight=False,
        soft_wrap=True,
    )
