"""Claims and citations as users see them: the JSON shapes of the CLI and the API.

Field names here are a contract that users' scripts rely on; add, never rename.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from evidence.errors import NotFoundError
from evidence.models import Citation, Claim, ClaimCitation, Document, Marker, Page, Paper
from evidence.pubmed.match import surname_of

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


class PaperPublic(PaperFields):
    """A stored paper and the citations that resolve to it."""

    citation_ids: list[int]


def paper_fields(paper: Paper) -> PaperFields:
    """Return a paper's fields as users see them (the first author as a surname)."""
    values = paper.model_dump()
    values["first_author"] = surname_of(paper.authors[0]) if paper.authors else None
    return PaperFields(**values)


def list_papers(session: Session) -> list[PaperPublic]:
    """Return every stored paper that a citation resolves to, with those citations' ids."""
    rows = session.exec(
        select(Paper, Citation.id)
        .join(Citation, col(Citation.paper_id) == col(Paper.id))
        .order_by(col(Paper.id), col(Citation.id))
    ).all()
    papers: dict[int, PaperPublic] = {}
    for paper, citation_id in rows:
        if paper.id not in papers:
            papers[paper.id or 0] = PaperPublic(**paper_fields(paper).model_dump(), citation_ids=[])
        papers[paper.id or 0].citation_ids.append(citation_id or 0)
    return list(papers.values())


class ClaimCitationPublic(BaseModel):
    """A citation as seen from a claim that cites it, with how the link was made."""

    id: int
    label: str | None
    as_written: str
    link: str
    fields: dict[str, Any]
    pmid: str | None  # the resolved PMID, once enrichment found it
    resolution: str | None  # the resolution status, once enrichment ran
    verdict: str | None  # the verification verdict, once verification ran


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
        paper=paper_fields(paper) if paper is not None else None,
    )


def list_claims(session: Session, *, document_id: int | None = None) -> list[ClaimPublic]:
    """Return claims in document order, each with its citations and markers."""
    query = select(Claim, Page.number).join(Page, col(Page.id) == col(Claim.page_id))
    if document_id is not None:
        get_document(session, document_id)
        query = query.where(Claim.document_id == document_id)
    rows = session.exec(query.order_by(col(Claim.document_id), col(Claim.position))).all()
    return claims_public(session, list(rows))


def claims_by_ids(session: Session, claim_ids: list[int]) -> list[ClaimPublic]:
    """Return these claims, in the order given."""
    rows: list[Any] = list(
        session.connection().execute(
            sql_select(*CLAIM_COLUMNS, col(Page.number))
            .join(Page, col(Page.id) == col(Claim.page_id))
            .where(col(Claim.id).in_(claim_ids))
        )
    )  # rows of plain columns, named as Claim's attributes: no ORM objects to build
    order = {claim_id: index for index, claim_id in enumerate(claim_ids)}
    rows.sort(key=lambda row: order[row.id])
    return claims_public(session, [(row, row.number) for row in rows])


class ClaimColumns(Protocol):
    """What claims_public reads of a claim: a `Claim`, or a row of CLAIM_COLUMNS."""

    id: int | None
    document_id: int
    position: int
    kind: str
    topic: str | None
    language: str
    text: str
    as_written: str


CLAIM_COLUMNS = tuple(
    Claim.__table__.c[name]  # type: ignore[attr-defined]
    for name in ClaimColumns.__annotations__
)
CITED_COLUMNS = (
    col(ClaimCitation.claim_id), col(ClaimCitation.method), col(Citation.id), col(Citation.label),
    col(Citation.as_written), col(Citation.resolution_status), col(Citation.verdict),
    col(Paper.pmid), *(Citation.__table__.c[name] for name in PARSED_FIELDS),  # type: ignore[attr-defined]
)  # fmt: skip


def claims_public(session: Session, rows: Sequence[tuple[ClaimColumns, int]]) -> list[ClaimPublic]:
    """Shape claims (with their page numbers) for users: citations and markers included.

    Two queries for the whole page, read as plain rows, and models built without validating
    again what the database's types already are (a search page is served many times a second).
    """
    claim_ids = [claim.id for claim, _ in rows]
    connection = session.connection()
    cited: dict[int, list[ClaimCitationPublic]] = defaultdict(list)
    link_rows = connection.execute(
        sql_select(*CITED_COLUMNS)
        .join(Citation, col(Citation.id) == col(ClaimCitation.citation_id))
        .outerjoin(Paper, col(Paper.id) == col(Citation.paper_id))
        .where(col(ClaimCitation.claim_id).in_(claim_ids))
        .order_by(col(Citation.position))
    )
    for row in link_rows:
        claim_id, method, citation_id, label, as_written, resolution, verdict, pmid = row[:8]
        cited[claim_id].append(
            ClaimCitationPublic.model_construct(
                id=citation_id,
                label=label,
                as_written=as_written,
                link=method,
                fields=dict(zip(PARSED_FIELDS, row[8:], strict=True)),
                pmid=pmid,
                resolution=resolution,
                verdict=verdict,
            )
        )
    markers: dict[int, list[MarkerPublic]] = defaultdict(list)
    marker_rows = connection.execute(
        sql_select(
            col(Marker.claim_id), col(Marker.label), col(Marker.position), col(Marker.citation_id)
        )
        .where(col(Marker.claim_id).in_(claim_ids))
        .order_by(col(Marker.position), col(Marker.id))
    )
    for claim_id, label, position, citation_id in marker_rows:
        markers[claim_id].append(
            MarkerPublic.model_construct(label=label, position=position, citation_id=citation_id)
        )
    return [
        ClaimPublic.model_construct(
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
