"""Citations and papers as users see them: the JSON shapes of the CLI and the API (claims are
in evidence.claim_views).

Field names here are a contract that users' scripts rely on; add, never rename.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, col, select

from evidence.errors import NotFoundError
from evidence.ingest.citation_patterns import surname_of
from evidence.models import Citation, Claim, ClaimCitation, Document, Page, Paper

PARSED_FIELDS = (
    "authors", "first_author", "title", "journal", "year", "month", "volume", "issue",
    "supplement", "pages", "first_page", "last_page", "article_number", "doi", "pmid", "pmcid",
)  # fmt: skip


class CitationPublic(BaseModel):
    """A reference as written, its parsed fields, and the claims that cite it."""

    id: int
    document: int
    label: str | None
    page: int
    as_written: str
    authors: list[str]
    et_al: bool
    first_author: str | None
    title: str | None
    journal: str | None
    year: int | None
    month: str | None
    volume: str | None
    issue: str | None
    supplement: str | None
    pages: str | None
    first_page: str | None
    last_page: str | None
    article_number: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    work_key: str
    claim_ids: list[int]
    resolution: ResolutionPublic | None
    paper: PaperFields | None
    verdict: str | None  # see evidence.verify.verdicts.VERDICTS; None until verified
    verdict_fields: list[dict[str, str]]  # [{"field", "written", "pubmed"}]
    verdict_notes: list[str]


class ResolutionPublic(BaseModel):
    """How a citation was resolved to PubMed, and how sure that is."""

    status: str
    method: str | None
    confidence: float | None
    reason: str | None
    candidates: list[str]
    resolved_at: datetime | None


class PaperFields(BaseModel):
    """What PubMed says about a paper."""

    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str | None
    authors: list[str]
    first_author: str | None
    journal: str | None
    iso_abbrev: str | None
    year: int | None
    month: str | None
    epub_date: str | None = None  # published online (ArticleDate), "2004-11-12"
    volume: str | None
    issue: str | None
    pages: str | None
    elocation: str | None
    abstract: str | None
    mesh: list[dict[str, Any]]
    keywords: list[str]
    publication_types: list[str]
    comments_corrections: list[dict[str, Any]]
    fetched_at: datetime | None


Fields = TypeVar("Fields", bound=PaperFields)  # PaperFields, or a model adding fields to it


class PaperPublic(PaperFields):
    """A stored paper and the citations that resolve to it."""

    citation_ids: list[int]


def paper_fields(paper: Paper, shape: type[Fields], **more: Any) -> Fields:
    """Return a paper's fields as users see them (the first author as a surname), as `shape`
    (PaperFields, or a model adding fields to it, given in `more`): checked once, not first
    as PaperFields and then again as the larger model."""
    values = paper.model_dump()
    values["first_author"] = surname_of(paper.authors[0]) if paper.authors else None
    return shape(**values, **more)


def get_document(session: Session, document_id: int) -> Document:
    """Return a document or raise NotFoundError."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"no document with id {document_id}")
    return document


def list_citations(session: Session, *, document_id: int | None = None) -> list[CitationPublic]:
    """Return citations in document order, each with the ids of the claims citing it."""
    query = select(Citation, Page.number).join(Page, col(Page.id) == col(Citation.page_id))
    if document_id is not None:
        get_document(session, document_id)
        query = query.where(Citation.document_id == document_id)
    rows = session.exec(query.order_by(col(Citation.document_id), col(Citation.position))).all()
    paper_ids = {citation.paper_id for citation, _ in rows if citation.paper_id is not None}
    papers = {
        p.id: p for p in session.exec(select(Paper).where(col(Paper.id).in_(paper_ids))).all()
    }
    citing: dict[int, list[int]] = defaultdict(list)
    links = select(ClaimCitation).order_by(col(ClaimCitation.claim_id))
    if document_id is not None:
        links = links.join(Claim, col(Claim.id) == col(ClaimCitation.claim_id)).where(
            Claim.document_id == document_id
        )
    for link in session.exec(links).all():
        citing[link.citation_id].append(link.claim_id)
    return [
        citation_public(citation, page_number, citing[citation.id or 0], papers)
        for citation, page_number in rows
    ]


def citation_public(
    citation: Citation, page: int, claim_ids: list[int], papers: dict[int | None, Paper]
) -> CitationPublic:
    """Shape a citation for users: parsed fields, resolution, and the paper's fields.

    `pmid` is the resolved PMID once there is one; until then, the PMID as written (if any).
    """
    values = citation.model_dump(include=set(CitationPublic.model_fields))
    paper = papers.get(citation.paper_id) if citation.paper_id is not None else None
    if paper is not None:
        values["pmid"] = paper.pmid
    resolution = None
    if citation.resolution_status is not None:
        resolution = ResolutionPublic(
            status=citation.resolution_status,
            method=citation.resolution_method,
            confidence=citation.resolution_confidence,
            reason=citation.resolution_reason,
            candidates=citation.resolution_candidates,
            resolved_at=citation.resolved_at,
        )
    return CitationPublic(
        **values,
        document=citation.document_id,
        page=page,
        claim_ids=claim_ids,
        resolution=resolution,
        paper=paper_fields(paper, PaperFields) if paper is not None else None,
    )
