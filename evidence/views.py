"""Claims and citations as users see them: the JSON shapes of the CLI and the API.

Field names here are a contract that users' scripts rely on; add, never rename.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from evidence.errors import NotFoundError
from evidence.models import Citation, Claim, ClaimCitation, Document, Marker, Page

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


class ClaimCitationPublic(BaseModel):
    """A citation as seen from a claim that cites it, with how the link was made."""

    id: int
    label: str | None
    as_written: str
    link: str
    fields: dict[str, Any]


class MarkerPublic(BaseModel):
    """A marker in a claim; `citation_id` is None when the marker is dangling."""

    label: str
    position: int
    citation_id: int | None


class ClaimPublic(BaseModel):
    """A claim with where it stands and what it cites."""

    id: int
    document: int
    page: int
    position: int
    kind: str
    topic: str | None
    language: str
    text: str
    as_written: str
    citations: list[ClaimCitationPublic]
    markers: list[MarkerPublic]


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
    citing: dict[int, list[int]] = defaultdict(list)
    links = select(ClaimCitation).order_by(col(ClaimCitation.claim_id))
    if document_id is not None:
        links = links.join(Claim, col(Claim.id) == col(ClaimCitation.claim_id)).where(
            Claim.document_id == document_id
        )
    for link in session.exec(links).all():
        citing[link.citation_id].append(link.claim_id)
    return [
        CitationPublic(
            **citation.model_dump(exclude={"document_id", "page_id", "position", "paper_id"}),
            document=citation.document_id,
            page=page_number,
            claim_ids=citing[citation.id or 0],
        )
        for citation, page_number in rows
    ]


def list_claims(session: Session, *, document_id: int | None = None) -> list[ClaimPublic]:
    """Return claims in document order, each with its citations and markers."""
    query = select(Claim, Page.number).join(Page, col(Page.id) == col(Claim.page_id))
    if document_id is not None:
        get_document(session, document_id)
        query = query.where(Claim.document_id == document_id)
    rows = session.exec(query.order_by(col(Claim.document_id), col(Claim.position))).all()
    claim_ids = [claim.id for claim, _ in rows]
    cited: dict[int, list[ClaimCitationPublic]] = defaultdict(list)
    link_rows = session.exec(
        select(ClaimCitation, Citation)
        .join(Citation, col(Citation.id) == col(ClaimCitation.citation_id))
        .where(col(ClaimCitation.claim_id).in_(claim_ids))
        .order_by(col(Citation.position))
    ).all()
    for link, citation in link_rows:
        cited[link.claim_id].append(
            ClaimCitationPublic(
                id=citation.id or 0,
                label=citation.label,
                as_written=citation.as_written,
                link=link.method,
                fields={name: getattr(citation, name) for name in PARSED_FIELDS},
            )
        )
    markers: dict[int, list[MarkerPublic]] = defaultdict(list)
    marker_rows = session.exec(
        select(Marker).where(col(Marker.claim_id).in_(claim_ids)).order_by(col(Marker.position))
    ).all()
    for marker in marker_rows:
        markers[marker.claim_id].append(
            MarkerPublic(
                label=marker.label, position=marker.position, citation_id=marker.citation_id
            )
        )
    return [
        ClaimPublic(
            id=claim.id or 0,
            document=claim.document_id,
            page=page_number,
            position=claim.position,
            kind=claim.kind,
            topic=claim.topic,
            language=claim.language,
            text=claim.text,
            as_written=claim.as_written,
            citations=cited[claim.id or 0],
            markers=markers[claim.id or 0],
        )
        for claim, page_number in rows
    ]


def document_counts(session: Session, *, document_id: int) -> dict[str, int]:
    """Count a document's pages, claims, citations, distinct works, links and dangling markers."""

    def count(query: Any) -> int:
        return int(session.exec(query).one())

    claim_ids = select(Claim.id).where(Claim.document_id == document_id)
    return {
        "pages": count(select(func.count()).where(Page.document_id == document_id)),
        "claims": count(select(func.count()).where(Claim.document_id == document_id)),
        "citations": count(select(func.count()).where(Citation.document_id == document_id)),
        "works": count(
            select(func.count(func.distinct(Citation.work_key))).where(
                Citation.document_id == document_id
            )
        ),
        "links": count(select(func.count()).where(col(ClaimCitation.claim_id).in_(claim_ids))),
        "dangling_markers": count(
            select(func.count()).where(
                col(Marker.claim_id).in_(claim_ids), col(Marker.citation_id).is_(None)
            )
        ),
    }
