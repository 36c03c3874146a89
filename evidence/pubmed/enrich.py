"""Enrich stored citations with their PubMed records.

One work cited in several formats is resolved once (citations share a `work_key`). A citation
settled once is not asked about again, so a second run sends no request; an offline miss stays
open for a later online run; `refresh_older_than` re-fetches records that may have changed
since (retractions come after publication). The caller owns the transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from evidence.ingest.citation import parse_citation
from evidence.models import Citation, ClaimCitation, Paper, utc_now
from evidence.pubmed.journals import JournalNames
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.resolve import Resolution, Resolver
from evidence.pubmed.store import LocalPubMed, parsed_of, save_records
from evidence.search import index_claims
from evidence.verify.judge import judge_citations
from evidence.views import get_document


@dataclass(frozen=True)
class EnrichReport:
    """What an enrichment run did."""

    citations: int  # citations looked at
    works: int  # distinct works among them
    statuses: dict[str, int]  # citations by resolution status
    skipped: int  # citations already settled, not asked about again
    refreshed: int  # stale records fetched again
    requests: int  # requests sent to E-utilities


async def enrich_citations(
    session: Session,
    *,
    client: Any | None,
    document_id: int | None = None,
    refresh_older_than: timedelta | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Resolve the document's open citations and store what PubMed says; flush, no commit."""
    query = select(Citation)
    if document_id is not None:
        get_document(session, document_id)  # NotFoundError: no document to enrich
        query = query.where(Citation.document_id == document_id)
    citations = session.exec(query.order_by(col(Citation.id))).all()
    open_citations = [c for c in citations if c.resolved_at is None]
    works: dict[str, list[Citation]] = defaultdict(list)
    for citation in open_citations:
        works[citation.work_key].append(citation)
    if on_total is not None:
        on_total(len(works))
    resolver = Resolver(
        local=LocalPubMed(session),
        journals=JournalNames(session, client),
        client=client,
        progress=progress,
    )
    representatives = [group[0] for group in works.values()]
    resolutions = await resolver.resolve([parsed_of(c) for c in representatives])
    save_records(session, resolver.fetched.values())
    session.flush()
    for group, resolution in zip(works.values(), resolutions, strict=True):
        for citation in group:
            apply_resolution(session, citation, resolution)
    refreshed = 0
    if refresh_older_than is not None and client is not None:
        refreshed = await refresh_stale(session, client, citations, refresh_older_than)
    session.flush()
    judge_citations(session, citations)  # a new or refreshed record gives a fresh verdict
    # Claims are found by their evidence now, and papers by their words (a citation no claim
    # cites too: GET /papers?q=).
    cited = {c.paper_id for c in citations if c.paper_id is not None}
    index_claims(session, _claims_citing(session, citations), also_papers=cited)
    statuses = Counter(c.resolution_status or "open" for c in citations)
    return EnrichReport(
        citations=len(citations),
        works=len({c.work_key for c in citations}),
        statuses=dict(statuses),
        skipped=len(citations) - len(open_citations),
        refreshed=refreshed,
        requests=getattr(client, "requests_sent", 0),
    )


def _claims_citing(session: Session, citations: Sequence[Citation]) -> list[int]:
    ids = [c.id for c in citations]
    rows = session.exec(
        select(ClaimCitation.claim_id).where(col(ClaimCitation.citation_id).in_(ids))
    ).all()
    return sorted(set(rows))


def apply_resolution(session: Session, citation: Citation, resolution: Resolution) -> None:
    """Record a resolution on a citation and link it to its paper."""
    citation.resolution_status = resolution.status
    citation.resolution_method = resolution.method
    citation.resolution_confidence = resolution.confidence
    citation.resolution_reason = resolution.reason
    citation.resolution_candidates = list(resolution.candidates)
    citation.paper_id = None
    if resolution.pmid:
        paper = session.exec(select(Paper).where(Paper.pmid == resolution.pmid)).first()
        citation.paper_id = paper.id if paper else None
    # An offline miss stays open: an online run may still find it.
    citation.resolved_at = None if resolution.status == "unresolved" else utc_now()
    session.add(citation)


async def refresh_stale(
    session: Session, client: Any, citations: Sequence[Citation], older_than: timedelta
) -> int:
    """Fetch again the records of these citations that were fetched before the cutoff."""
    cutoff = datetime.now(UTC) - older_than
    paper_ids = {c.paper_id for c in citations if c.paper_id is not None}
    papers = session.exec(select(Paper).where(col(Paper.id).in_(paper_ids))).all()
    stale = [p.pmid for p in papers if p.pmid and _older(p.fetched_at, cutoff)]
    if not stale:
        return 0
    records = [r for batch in await client.efetch_pubmed(stale) for r in parse_pubmed_xml(batch)]
    save_records(session, records)
    return len(records)


def _older(fetched_at: datetime | None, cutoff: datetime) -> bool:
    if fetched_at is None:
        return True
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return fetched_at < cutoff


async def resolve_strings(
    session: Session, *, client: Any | None, strings: Sequence[str]
) -> list[Resolution]:
    """Resolve free citation strings without storing a document (fetched records are kept)."""
    resolver = Resolver(
        local=LocalPubMed(session), journals=JournalNames(session, client), client=client
    )
    resolutions = await resolver.resolve([parse_citation(s) for s in strings])
    save_records(session, resolver.fetched.values())
    return resolutions
