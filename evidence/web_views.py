"""What the web pages show beyond the API's shapes: every citation a claim cites in full (its
paper, verdict and differing fields), a document's review (what needs attention, dangling
markers, unreferenced claims, references no claim cites), the topics to filter by.

Read-only: nothing here verifies or writes; verdicts are the stored ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import Session, col, select

from evidence.browse import get_claim
from evidence.claim_views import ClaimPublic
from evidence.documents import (
    UNCHECKED,
    DocumentDetail,
    PagePublic,
    get_document_detail,
)
from evidence.export import VERDICT_ORDER
from evidence.models import Citation, ClaimCitation, Page, Paper
from evidence.verify import NumberCheck, number_checks
from evidence.views import CitationPublic, citation_public, get_document

# The verdicts a reviewer must act on: the citation is wrong, withdrawn, or not pinned down.
NEEDS_ATTENTION = ("retracted", "mismatch", "ambiguous", "not_found")


class DanglingMarkerView(BaseModel):
    """A marker that names no reference on its page, with the claim it stands in."""

    claim_id: int
    page: int
    label: str
    text: str


class DocumentReview(BaseModel):
    """A document's verification at a glance, and its claims slide by slide."""

    detail: DocumentDetail
    citations: dict[int, CitationPublic]  # every citation of the document, by id
    attention: list[CitationPublic]  # citations whose verdict is in NEEDS_ATTENTION
    uncited: list[CitationPublic]  # references no claim cites
    dangling: list[DanglingMarkerView]
    unreferenced: list[ClaimPublic]  # claims that cite nothing
    claims_by_page: dict[int, list[ClaimPublic]]


class ClaimReview(BaseModel):
    """A claim, where it stands and every citation it rests on, in full."""

    claim: ClaimPublic
    document_title: str  # its title, else its file's name
    document_kind: str  # "slides", "manuscript", ...
    page: PagePublic | None
    citations: list[CitationPublic]
    numbers: list[NumberCheck]  # the numbers it states, looked up in the cited abstracts


def worst_verdict(verdicts: Iterable[str | None]) -> str | None:
    """Return the worst of these verdicts (never verified counts as unchecked); None if none."""
    ranked = [verdict or UNCHECKED for verdict in verdicts]
    rank = {verdict: index for index, verdict in enumerate(VERDICT_ORDER)}
    return min(ranked, key=lambda verdict: rank.get(verdict, len(rank))) if ranked else None


def list_topics(session: Session, *, limit: int) -> list[str]:
    """Return the first `limit` distinct topics of the claims (none empty), sorted.

    Each is found from the one before by a lookup in the index on claim.topic (a loose index
    scan, which neither backend does of itself for DISTINCT): at a million claims, well under a
    millisecond for a few dozen topics, where reading every claim took 250 ms."""
    if limit < 1:
        return []  # the first topic is found before the limit is looked at
    rows = session.connection().execute(FIRST_TOPICS, {"limit": limit}).all()
    return sorted(topic for (topic,) in rows)


FIRST_TOPICS = text("""
    WITH RECURSIVE topics(topic, n) AS (
        SELECT (SELECT topic FROM claim WHERE topic > '' ORDER BY topic LIMIT 1), 1
        UNION ALL
        SELECT (SELECT c.topic FROM claim c WHERE c.topic > t.topic ORDER BY c.topic LIMIT 1),
               t.n + 1
        FROM topics t WHERE t.topic IS NOT NULL AND t.n < :limit
    )
    SELECT topic FROM topics WHERE topic IS NOT NULL
""")


def citations_by_id(session: Session, citation_ids: Iterable[int]) -> dict[int, CitationPublic]:
    """Return these citations in full (paper, resolution, verdict and its fields), by id."""
    ids = sorted(set(citation_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Citation, Page.number)
        .join(Page, col(Page.id) == col(Citation.page_id))
        .where(col(Citation.id).in_(ids))
    ).all()
    paper_ids = {citation.paper_id for citation, _ in rows if citation.paper_id is not None}
    papers: dict[int | None, Paper] = {
        paper.id: paper
        for paper in session.exec(select(Paper).where(col(Paper.id).in_(paper_ids))).all()
    }
    citing: dict[int, list[int]] = defaultdict(list)
    for link in session.exec(
        select(ClaimCitation)
        .where(col(ClaimCitation.citation_id).in_(ids))
        .order_by(col(ClaimCitation.claim_id))
    ).all():
        citing[link.citation_id].append(link.claim_id)
    return {
        citation.id or 0: citation_public(citation, number, citing[citation.id or 0], papers)
        for citation, number in rows
    }


def review_claim(session: Session, *, claim_id: int) -> ClaimReview:
    """Return a claim with its document, its page and its citations in full (NotFoundError)."""
    claim = get_claim(session, claim_id=claim_id)
    document = get_document(session, claim.document)
    page = session.exec(
        select(Page).where(Page.document_id == claim.document, Page.number == claim.page)
    ).first()
    cited = citations_by_id(session, (c.id for c in claim.citations))
    return ClaimReview(
        claim=claim,
        document_title=document.title or document.source_name,
        document_kind=document.kind,
        page=PagePublic(number=page.number, heading=page.heading, topic=page.topic)
        if page
        else None,
        citations=[cited[c.id] for c in claim.citations if c.id in cited],
        numbers=number_checks(session, claim_id=claim_id),
    )


def review_document(session: Session, *, document_id: int) -> DocumentReview:
    """Return a document's verification summary and findings, and its claims by page."""
    detail = get_document_detail(session, document_id=document_id)
    ids = session.exec(select(Citation.id).where(Citation.document_id == document_id)).all()
    citations = citations_by_id(session, (i for i in ids if i is not None))
    ordered = sorted(citations.values(), key=lambda c: (c.page, c.id))
    claims_by_page: dict[int, list[ClaimPublic]] = defaultdict(list)
    for claim in detail.claims:
        claims_by_page[claim.page].append(claim)
    return DocumentReview(
        detail=detail,
        citations=citations,
        attention=[c for c in ordered if c.verdict in NEEDS_ATTENTION],
        uncited=[c for c in ordered if not c.claim_ids],
        dangling=[
            DanglingMarkerView(claim_id=c.id, page=c.page, label=m.label, text=c.text)
            for c in detail.claims
            for m in c.markers
            if m.citation_id is None
        ],
        unreferenced=[c for c in detail.claims if not c.citations],
        claims_by_page=dict(claims_by_page),
    )
