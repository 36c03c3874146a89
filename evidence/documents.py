"""Documents as users see them: their counts, their pages and claims, and where their evidence
stands (citations by verdict, unreferenced claims, dangling markers)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from evidence.claim_views import ClaimPublic, list_claims
from evidence.errors import NotFoundError
from evidence.models import Citation, Claim, ClaimCitation, Document, Marker, Page
from evidence.views import get_document

MAX_ID = 2_147_483_647  # ids are INTEGER columns: PostgreSQL's int4 ends here
UNCHECKED = "unchecked"  # the verdict of a citation never verified, too


class DocumentCounts(BaseModel):
    """How much of a document is stored."""

    pages: int
    claims: int
    citations: int
    works: int
    links: int
    dangling_markers: int


class DocumentPublic(BaseModel):
    """An ingested document and its counts."""

    id: int
    title: str | None
    source_name: str
    format: str
    kind: str
    ingested_at: datetime
    counts: DocumentCounts


class PagePublic(BaseModel):
    """A slide or page of a document."""

    number: int
    heading: str | None
    topic: str | None


class VerdictSummary(BaseModel):
    """Where a document's evidence stands: citations by stored verdict, and claim findings."""

    verdicts: dict[str, int]  # citations by verdict; never verified counts as "unchecked"
    unreferenced_claims: int  # claims that cite nothing
    dangling_markers: int  # markers that name no reference on their page
    verified_at: datetime | None  # when a citation was last judged; None: never


class DocumentDetail(DocumentPublic):
    """A document with its pages, its claims and where its evidence stands."""

    pages: list[PagePublic]
    claims: list[ClaimPublic]
    summary: VerdictSummary


def list_documents(
    session: Session, *, after: int | None = None, limit: int | None = None
) -> list[DocumentPublic]:
    """Return the documents, oldest first, each with its counts (a few grouped queries in all):
    every one, or at most `limit` after the id `after`."""
    query = select(Document).order_by(col(Document.id))
    if after is not None:
        query = query.where(col(Document.id) > after)
    if limit is not None:
        query = query.limit(limit)
    return _with_counts(session, session.exec(query).all(), every=after is None and limit is None)


def newest_documents(session: Session, *, limit: int) -> list[DocumentPublic]:
    """Return the `limit` most recently ingested documents, newest first, with their counts."""
    query = select(Document).order_by(col(Document.id).desc()).limit(limit)
    return _with_counts(session, session.exec(query).all(), every=False)


def _with_counts(
    session: Session, documents: Sequence[Document], *, every: bool
) -> list[DocumentPublic]:
    """Shape documents with their counts: counted for them alone, or, when they are `every`
    document, for all at once (no list of ids to bind)."""
    counts = counts_by_document(
        session, document_ids=None if every else [d.id or 0 for d in documents]
    )
    return [_document_public(d, counts[d.id or 0]) for d in documents]


class DocumentName(BaseModel):
    """What names a document in a list: its id, title, file and kind."""

    id: int
    title: str | None
    source_name: str
    kind: str


def document_names(session: Session, *, ids: Collection[int] | None = None) -> list[DocumentName]:
    """Return documents' names, oldest first: of these documents (`ids`), else of all. One read
    of the documents, nothing counted."""
    query = select(Document.id, Document.title, Document.source_name, Document.kind)
    if ids is not None:
        query = query.where(col(Document.id).in_(list(ids)))
    rows = session.exec(query.order_by(col(Document.id))).all()
    return [
        DocumentName(id=i or 0, title=title, source_name=source, kind=kind)
        for i, title, source, kind in rows
    ]


def count_documents(session: Session) -> int:
    """Return how many documents are stored."""
    return session.exec(select(func.count()).select_from(Document)).one()


def get_document_detail(session: Session, *, document_id: int) -> DocumentDetail:
    """Return a document with its pages, claims and a summary of its citations' verdicts."""
    if not 0 < document_id <= MAX_ID:
        raise NotFoundError(f"no document with id {document_id}")
    document = get_document(session, document_id)
    counts = counts_by_document(session, document_ids=[document_id])[document_id]
    pages = session.exec(
        select(Page).where(Page.document_id == document_id).order_by(col(Page.number))
    ).all()
    claims = list_claims(session, document_id=document_id)
    return DocumentDetail(
        **_document_public(document, counts).model_dump(),
        pages=[PagePublic(number=p.number, heading=p.heading, topic=p.topic) for p in pages],
        claims=claims,
        summary=summarize_verdicts(session, document_id=document_id),
    )


def _document_public(document: Document, counts: DocumentCounts) -> DocumentPublic:
    return DocumentPublic(
        id=document.id or 0,
        title=document.title,
        source_name=document.source_name,
        format=document.format,
        kind=document.kind,
        ingested_at=document.ingested_at,
        counts=counts,
    )


def summarize_verdicts(session: Session, *, document_id: int) -> VerdictSummary:
    """Count a document's citations by stored verdict, its unreferenced claims and dangling
    markers (a citation never verified counts as "unchecked")."""
    rows = session.exec(
        select(Citation.verdict, func.count(), func.max(Citation.verified_at))
        .where(Citation.document_id == document_id)
        .group_by(col(Citation.verdict))
    ).all()
    verdicts: Counter[str] = Counter()
    for verdict, count, _ in rows:
        verdicts[verdict or UNCHECKED] += count
    citing = select(ClaimCitation.claim_id)
    unreferenced = session.exec(
        select(func.count()).where(Claim.document_id == document_id, col(Claim.id).not_in(citing))
    ).one()
    dangling = session.exec(
        select(func.count())
        .select_from(Marker)
        .join(Claim, col(Claim.id) == col(Marker.claim_id))
        .where(Claim.document_id == document_id, col(Marker.citation_id).is_(None))
    ).one()
    return VerdictSummary(
        verdicts=dict(sorted(verdicts.items())),
        unreferenced_claims=unreferenced,
        dangling_markers=dangling,
        verified_at=max((when for _, _, when in rows if when is not None), default=None),
    )


def document_counts(session: Session, *, document_id: int) -> DocumentCounts:
    """Count one document's pages, claims, citations, works, links and dangling markers."""
    return counts_by_document(session, document_ids=[document_id])[document_id]


def counts_by_document(
    session: Session, *, document_ids: Sequence[int] | None = None
) -> defaultdict[int, DocumentCounts]:
    """Count pages, claims, citations, works, links and dangling markers of each document (of
    these documents only, when given)."""

    def per_document(query: Any, key: Any) -> dict[int, int]:
        if document_ids is not None:
            query = query.where(key.in_(document_ids))
        return {doc: int(n) for doc, n in session.exec(query.group_by(key)).all()}

    claim_doc = col(Claim.document_id)
    columns = {
        "pages": per_document(select(Page.document_id, func.count()), col(Page.document_id)),
        "claims": per_document(select(Claim.document_id, func.count()), claim_doc),
        "citations": per_document(
            select(Citation.document_id, func.count()), col(Citation.document_id)
        ),
        "works": per_document(
            select(Citation.document_id, func.count(func.distinct(Citation.work_key))),
            col(Citation.document_id),
        ),
        "links": per_document(
            select(Claim.document_id, func.count()).join(
                ClaimCitation, col(ClaimCitation.claim_id) == col(Claim.id)
            ),
            claim_doc,
        ),
        "dangling_markers": per_document(
            select(Claim.document_id, func.count())
            .join(Marker, col(Marker.claim_id) == col(Claim.id))
            .where(col(Marker.citation_id).is_(None)),
            claim_doc,
        ),
    }
    counts: defaultdict[int, DocumentCounts] = defaultdict(
        lambda: DocumentCounts(**{name: 0 for name in columns})
    )
    for doc in {doc for values in columns.values() for doc in values}:
        counts[doc] = DocumentCounts(
            **{name: values.get(doc, 0) for name, values in columns.items()}
        )
    return counts


class DocumentOverview(BaseModel):
    """A document with where its evidence stands."""

    document: DocumentPublic
    summary: VerdictSummary


def overview_documents(
    session: Session, documents: Sequence[DocumentPublic] | None = None
) -> list[DocumentOverview]:
    """Return these documents (all when None) with the summary of their citations' verdicts."""
    return [
        DocumentOverview(
            document=document, summary=summarize_verdicts(session, document_id=document.id)
        )
        for document in (list_documents(session) if documents is None else documents)
    ]
