"""The main job: the bundled example deck, ingested and shown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.table import Table
from sqlmodel import Session

from evidence.claim_views import ClaimCitationPublic, list_claims
from evidence.cli.app import app, console, open_engine
from evidence.cli.documents import describe_report
from evidence.cli.pubmed import describe_enrichment
from evidence.cli.verify import print_tables
from evidence.db import session_scope
from evidence.ingest.pipeline import ingest_file
from evidence.pubmed.enrich import enrich_citations
from evidence.pubmed.importer import import_files
from evidence.search import search_claims
from evidence.verify import verify
from evidence.views import CitationPublic, list_citations

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLE_DECK = DATA / "il6-tocilizumab-ra-deck.txt"
DEMO_QUERIES = ("贫血", "anemia", "osteoclast", "抑郁")  # Chinese, and English through evidence
PUBMED_SNAPSHOT = DATA / "pubmed-seed-snapshot.xml"  # the deck's papers, rendered as EFetch XML


@app.command()
def demo() -> None:
    """Run the main job on the bundled example deck, offline: ingest it, load the bundled
    PubMed snapshot, enrich its citations from it, verify them, and show every claim with its
    evidence and what verification found."""
    engine = open_engine()
    report = ingest_file(engine, EXAMPLE_DECK)
    console.print(describe_report(report), highlight=False, soft_wrap=True)
    imported = import_files(engine, [PUBMED_SNAPSHOT])
    console.print(
        f"PubMed snapshot: {imported.records} records in the local store", highlight=False
    )
    with session_scope(engine) as session:
        enriched = asyncio.run(
            enrich_citations(session, client=None, document_id=report.document_id)
        )
    console.print(describe_enrichment(enriched), highlight=False, soft_wrap=True)
    with session_scope(engine) as session:
        verification = verify(session, document_id=report.document_id)
    with Session(engine) as session:
        citations = list_citations(session, document_id=report.document_id)
        rows = list_claims(session, document_id=report.document_id)
    print_references(citations)
    table = Table(title="Claims of the example deck", expand=True)
    table.add_column("slide", justify="right", no_wrap=True)
    table.add_column("topic", max_width=14, overflow="fold")
    table.add_column("claim", ratio=2, overflow="fold")
    table.add_column("cites", ratio=1, overflow="fold")
    for row in rows:
        cites = "; ".join(short_citation(c) for c in row.citations)
        dangling = [m.label for m in row.markers if m.citation_id is None]
        if dangling:
            cites += f"[red]dangling marker {', '.join(dangling)}[/red]"
        table.add_row(str(row.page), row.topic or "", row.text, cites or "[yellow]none[/yellow]")
    console.print(table)
    print_tables(verification)
    with Session(engine) as session:
        for query in DEMO_QUERIES:
            hits = search_claims(session, q=query, document_id=report.document_id, limit=3)
            found = "; ".join(hit.text for hit in hits.items) or "nothing"
            console.print(f"search {query!r}: {found}", highlight=False, soft_wrap=True)
    console.print(
        "To review it in a browser: `make serve` (or `evidence serve` on this database), then"
        f" open http://127.0.0.1:8000/web/documents/{report.document_id}",
        highlight=False,
        soft_wrap=True,
    )


def short_citation(citation: ClaimCitationPublic) -> str:
    """Render a citation as "Nakahara 2003 PMID 12794819", "Voulgari 1999 (not resolved)"."""
    fields = citation.fields
    name = citation.as_written
    if fields.get("first_author") and fields.get("year"):
        name = f"{fields['first_author']} {fields['year']}"
    if citation.pmid:
        return f"{name} [green]PMID {citation.pmid}[/green]"
    return f"{name} [dim](not resolved)[/dim]"


def print_references(citations: list[CitationPublic]) -> None:
    """Print each distinct work the deck cites, with what PubMed says it is."""
    table = Table(title="Works cited (one row per work)", expand=True)
    table.add_column("slides", no_wrap=True)
    table.add_column("as written (first time)", ratio=2, overflow="fold")
    table.add_column("PubMed", ratio=2, overflow="fold")
    works: dict[str, list[CitationPublic]] = {}
    for citation in citations:
        works.setdefault(citation.work_key, []).append(citation)
    for group in works.values():
        first = group[0]
        slides = ", ".join(str(c.page) for c in group)
        paper, resolution = first.paper, first.resolution
        if paper is not None:
            found = f"[green]PMID {paper.pmid}[/green] {paper.iso_abbrev} {paper.year}"
        elif resolution is not None:
            found = f"[yellow]{resolution.status}[/yellow]: {resolution.reason}"
        else:
            found = "[yellow]not enriched[/yellow]"
        table.add_row(slides, first.as_written, found)
    console.print(table)
