"""Verification: a verdict for every citation, and checks for every claim.

`verify(session, document_id=...)` re-computes each citation's verdict from its PubMed record
and stores it (so a refreshed record gives a fresh verdict), then checks the claims: what cites
nothing, markers that name no reference, references no claim cites, the numbers a claim states
looked up in the cited abstracts, the kind of evidence behind each claim, the notices
(retraction, expression of concern, erratum) of every paper a claim rests on. Flushes, never
commits: the caller owns the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from evidence.errors import NotFoundError
from evidence.models import Citation, Claim, ClaimCitation, Marker, Page
from evidence.pubmed.records import PubMedRecord
from evidence.verify.judge import judge_citations, papers_of
from evidence.verify.numbers import appears_in, stated_numbers
from evidence.verify.report import (
    CitationCheck,
    CitedEvidence,
    ClaimCheck,
    DanglingMarker,
    NumberCheck,
    UncitedReference,
    UnreferencedClaim,
    VerificationReport,
)
from evidence.views import get_document

__all__ = ["NumberCheck", "VerificationReport", "number_checks", "verify"]


def verify(
    session: Session, *, document_id: int | None = None, as_of: date | None = None
) -> VerificationReport:
    """Judge every citation (storing the verdicts) and check every claim of the document(s);
    NotFoundError for a document not stored (a gate's typo must not pass as a clean report)."""
    if document_id is not None:
        get_document(session, document_id)
    pages = _pages(session, document_id)
    citations = _rows(session, Citation, document_id)
    papers = papers_of(session, citations)
    checks = judge_citations(session, citations, pages=pages, papers=papers)
    claims = _rows(session, Claim, document_id)
    links: dict[int, list[int]] = defaultdict(list)
    claim_ids = [c.id for c in claims]
    for link in session.exec(
        select(ClaimCitation).where(col(ClaimCitation.claim_id).in_(claim_ids))
    ).all():
        links[link.claim_id].append(link.citation_id)
    citing = {citation_id for ids in links.values() for citation_id in ids}
    by_id = {c.id: c for c in citations}
    claim_checks = [
        _check_claim(claim, pages, links[claim.id or 0], by_id, papers, checks, as_of)
        for claim in claims
    ]
    return VerificationReport(
        citations=list(checks.values()),
        claims=claim_checks,
        dangling=_dangling(session, claims, pages),
        unreferenced=[
            UnreferencedClaim(claim_id=c.id, document=c.document, page=c.page, text=c.text)
            for c in claim_checks
            if c.unreferenced
        ],
        uncited_references=[
            UncitedReference(
                citation_id=c.id or 0,
                document=c.document_id,
                page=pages[c.page_id],
                label=c.label,
                as_written=c.as_written,
            )
            for c in citations
            if c.id not in citing
        ],
    )


def number_checks(session: Session, *, claim_id: int) -> list[NumberCheck]:
    """Look the numbers one claim states up in the abstracts of the papers it cites, as
    `verify` does, reading only (NotFoundError for an unknown claim)."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    cited = session.exec(
        select(Citation)
        .join(ClaimCitation, col(ClaimCitation.citation_id) == col(Citation.id))
        .where(ClaimCitation.claim_id == claim_id)
        .order_by(col(Citation.position))
    ).all()
    papers = papers_of(session, cited)
    records = [papers[c.paper_id] for c in cited if c.paper_id in papers]
    return _check_numbers(claim.text, list(cited), records)


def _pages(session: Session, document_id: int | None) -> dict[int, int]:
    query = select(Page.id, Page.number)
    if document_id is not None:
        query = query.where(Page.document_id == document_id)
    return {page_id: number for page_id, number in session.exec(query).all() if page_id}


def _rows(session: Session, table: type[Citation] | type[Claim], document_id: int | None) -> list:  # type: ignore[type-arg]
    query = select(table)
    if document_id is not None:
        query = query.where(table.document_id == document_id)
    return list(session.exec(query.order_by(col(table.document_id), col(table.position))).all())


def _check_claim(
    claim: Claim,
    pages: dict[int, int],
    citation_ids: list[int],
    citations: dict[int | None, Citation],
    papers: dict[int | None, PubMedRecord],
    checks: dict[int, CitationCheck],
    as_of: date | None,
) -> ClaimCheck:
    cited = [citations[i] for i in citation_ids if i in citations]
    records = [papers[c.paper_id] for c in cited if c.paper_id in papers]
    evidence = [
        CitedEvidence(
            citation_id=c.id or 0,
            pmid=checks[c.id or 0].pmid,
            verdict=checks[c.id or 0].verdict,
            evidence_kind=checks[c.id or 0].evidence_kind,
            year=papers[c.paper_id].year if c.paper_id in papers else None,
        )
        for c in cited
    ]
    notices = sorted(
        {f"PMID {checks[c.id or 0].pmid}: {n}" for c in cited for n in checks[c.id or 0].notes}
    )
    newer = sorted(
        {
            r.pmid
            for r in records
            if as_of is not None and r.year is not None and r.year > as_of.year
        }
    )
    return ClaimCheck(
        id=claim.id or 0,
        document=claim.document_id,
        page=pages[claim.page_id],
        topic=claim.topic,
        text=claim.text,
        citation_ids=[c.id or 0 for c in cited],
        unreferenced=not cited,
        evidence=evidence,
        numbers=_check_numbers(claim.text, cited, records),
        notices=notices,
        published_after_document=newer,
    )


def _check_numbers(
    text: str, cited: list[Citation], records: list[PubMedRecord]
) -> list[NumberCheck]:
    checks = []
    with_abstract = [r for r in records if r.abstract]
    for number in stated_numbers(text):
        if not with_abstract:
            reason = (
                "the cited paper is not resolved (offline or not found): not checkable"
                if cited
                else "the claim cites nothing"
            )
            if records:
                reason = "the cited paper has no abstract in PubMed"
            checks.append(
                NumberCheck(**number.__dict__, status="not_checkable", pmids=[], reason=reason)
            )
            continue
        found = [r.pmid for r in with_abstract if appears_in(number, r.abstract or "")]
        checks.append(
            NumberCheck(
                **number.__dict__,
                status="found" if found else "not_found",
                pmids=found or [r.pmid for r in with_abstract],
                reason="in the abstract" if found else "not in the cited abstracts",
            )
        )
    return checks


def _dangling(session: Session, claims: list[Claim], pages: dict[int, int]) -> list[DanglingMarker]:
    by_id = {c.id: c for c in claims}
    markers = session.exec(
        select(Marker)
        .where(col(Marker.claim_id).in_(list(by_id)), col(Marker.citation_id).is_(None))
        .order_by(col(Marker.claim_id), col(Marker.position))
    ).all()
    return [
        DanglingMarker(
            claim_id=m.claim_id,
            document=by_id[m.claim_id].document_id,
            page=pages[by_id[m.claim_id].page_id],
            label=m.label,
            text=by_id[m.claim_id].text,
        )
        for m in markers
    ]
