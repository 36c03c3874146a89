"""Judge stored citations against their stored PubMed records, and store the verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from evidence.models import Citation, Page, Paper, utc_now
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.store import parsed_of, record_of
from evidence.verify.kinds import evidence_kind
from evidence.verify.report import CitationCheck, FieldCheck
from evidence.verify.verdicts import judge_citation


def papers_of(session: Session, citations: Sequence[Citation]) -> dict[int | None, PubMedRecord]:
    """Return the PubMed records of the papers these citations resolve to, by paper id."""
    paper_ids = {c.paper_id for c in citations if c.paper_id is not None}
    papers = session.exec(select(Paper).where(col(Paper.id).in_(paper_ids))).all()
    return {p.id: record_of(p) for p in papers}


def judge_citations(
    session: Session,
    citations: Sequence[Citation],
    *,
    pages: dict[int, int] | None = None,
    papers: dict[int | None, PubMedRecord] | None = None,
) -> dict[int, CitationCheck]:
    """Give each citation its verdict, store it on the citation, and return the checks."""
    if pages is None:
        page_ids = {c.page_id for c in citations}
        rows = session.exec(select(Page.id, Page.number).where(col(Page.id).in_(page_ids)))
        pages = {page_id: number for page_id, number in rows.all() if page_id}
    if papers is None:
        papers = papers_of(session, citations)
    checks = {}
    for citation in citations:
        record = papers.get(citation.paper_id) if citation.paper_id is not None else None
        checks[citation.id or 0] = _judge(session, citation, record, pages)
    session.flush()
    return checks


def _judge(
    session: Session, citation: Citation, record: PubMedRecord | None, pages: dict[int, int]
) -> CitationCheck:
    verdict = judge_citation(parsed_of(citation), status=citation.resolution_status, record=record)
    citation.verdict = verdict.verdict
    citation.verdict_fields = [f.__dict__ for f in verdict.fields]
    citation.verdict_notes = verdict.notes
    citation.verified_at = utc_now()
    session.add(citation)
    return CitationCheck(
        id=citation.id or 0,
        document=citation.document_id,
        page=pages[citation.page_id],
        label=citation.label,
        as_written=citation.as_written,
        pmid=record.pmid if record else None,
        verdict=verdict.verdict,
        fields=[FieldCheck(**f.__dict__) for f in verdict.fields],
        notes=verdict.notes,
        candidates=citation.resolution_candidates if verdict.verdict == "ambiguous" else [],
        evidence_kind=evidence_kind(record) if record else None,
    )
