"""Read one thing, or one page of things, as users see them: what the API's read routes serve.

Lists that can grow page by keyset (an opaque cursor naming the last id seen), never by offset,
so a page neither skips nor repeats rows while documents are added.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel
from sqlmodel import Session, col, select

from evidence.claim_views import ClaimPublic, claims_by_ids
from evidence.cursors import fingerprint
from evidence.documents import MAX_ID, DocumentPublic, list_documents
from evidence.errors import InputError, NotFoundError
from evidence.ingest.language import query_tokens
from evidence.models import Citation, ClaimCitation, Page, Paper
from evidence.search import MAX_LIMIT
from evidence.search.filters import citation_verdict_is
from evidence.search.match import cited_papers_holding
from evidence.views import (
    CitationPublic,
    PaperPublic,
    citation_public,
    get_document,
    paper_fields,
)


class CitationPage(BaseModel):
    """One page of citations; pass `next_cursor` back as `cursor` for the next page."""

    items: list[CitationPublic]
    next_cursor: str | None


class DocumentPage(BaseModel):
    """One page of documents, oldest first; pass `next_cursor` back as `cursor` for the next."""

    items: list[DocumentPublic]
    next_cursor: str | None


class PaperPage(BaseModel):
    """One page of papers; pass `next_cursor` back as `cursor` for the next page."""

    items: list[PaperPublic]
    next_cursor: str | None


class PaperWithClaims(PaperPublic):
    """A paper, the citations that resolve to it and the claims, in any document, citing it."""

    claims: list[ClaimPublic]


def check_limit(limit: int) -> None:
    """Raise InputError unless 1 <= limit <= MAX_LIMIT."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")


def get_claim(session: Session, *, claim_id: int) -> ClaimPublic:
    """Return one claim with its citations and markers, or raise NotFoundError."""
    found = claims_by_ids(session, [claim_id]) if 0 < claim_id <= MAX_ID else []
    if not found:
        raise NotFoundError(f"no claim with id {claim_id}")
    return found[0]


def documents_page(session: Session, *, limit: int = 20, cursor: str | None = None) -> DocumentPage:
    """Return one page of documents in id order (oldest first), each with its counts."""
    check_limit(limit)
    documents = list_documents(session, after=read_cursor(cursor), limit=limit + 1)
    page = documents[:limit]
    next_cursor = write_cursor(page[-1].id) if len(documents) > limit else None
    return DocumentPage(items=page, next_cursor=next_cursor)


def get_citation(session: Session, *, citation_id: int) -> CitationPublic:
    """Return one citation with its parsed fields, resolution, verdict and citing claims."""
    found = _citations_public(session, [citation_id]) if 0 < citation_id <= MAX_ID else []
    if not found:
        raise NotFoundError(f"no citation with id {citation_id}")
    return found[0]


def list_citations_by(
    session: Session,
    *,
    verdict: str | None = None,
    document_id: int | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> CitationPage:
    """Return one page of citations in id order, filtered by stored verdict and document."""
    check_limit(limit)
    listing = fingerprint(verdict, document_id)
    after = read_cursor(cursor, listing)
    query = select(Citation.id).order_by(col(Citation.id)).limit(limit + 1)
    if verdict is not None:
        query = query.where(citation_verdict_is(verdict))
    if document_id is not None:  # an unknown document is not found, as everywhere
        get_document(session, document_id)
        query = query.where(Citation.document_id == document_id)
    if after is not None:
        query = query.where(col(Citation.id) > after)
    ids = [citation_id for citation_id in session.exec(query).all() if citation_id is not None]
    page = ids[:limit]
    next_cursor = write_cursor(page[-1], listing) if len(ids) > limit else None
    return CitationPage(items=_citations_public(session, page), next_cursor=next_cursor)


def _citations_public(session: Session, citation_ids: Sequence[int]) -> list[CitationPublic]:
    """Shape these citations for users, in id order."""
    rows = session.exec(
        select(Citation, Page.number)
        .join(Page, col(Page.id) == col(Citation.page_id))
        .where(col(Citation.id).in_(citation_ids))
        .order_by(col(Citation.id))
    ).all()
    paper_ids = {citation.paper_id for citation, _ in rows if citation.paper_id is not None}
    papers: dict[int | None, Paper] = {
        p.id: p for p in session.exec(select(Paper).where(col(Paper.id).in_(paper_ids))).all()
    }
    citing: dict[int, list[int]] = defaultdict(list)
    links = session.exec(
        select(ClaimCitation)
        .where(col(ClaimCitation.citation_id).in_(citation_ids))
        .order_by(col(ClaimCitation.claim_id))
    ).all()
    for link in links:
        citing[link.citation_id].append(link.claim_id)
    return [
        citation_public(citation, number, citing[citation.id or 0], papers)
        for citation, number in rows
    ]


def get_paper(session: Session, *, pmid: str) -> PaperWithClaims:
    """Return a stored paper by PMID, with the citations and claims (any document) citing it."""
    paper = session.exec(select(Paper).where(Paper.pmid == pmid)).first()
    if paper is None:
        raise NotFoundError(f"no paper with PMID {pmid}")
    citation_ids = session.exec(
        select(Citation.id).where(Citation.paper_id == paper.id).order_by(col(Citation.id))
    ).all()
    claim_ids = session.exec(
        select(ClaimCitation.claim_id)
        .distinct()
        .where(col(ClaimCitation.citation_id).in_(citation_ids))
        .order_by(col(ClaimCitation.claim_id))
    ).all()
    return paper_fields(
        paper,
        PaperWithClaims,
        citation_ids=[i for i in citation_ids if i is not None],
        claims=claims_by_ids(session, list(claim_ids)),
    )


def search_papers(
    session: Session, *, q: str | None = None, limit: int = 20, cursor: str | None = None
) -> PaperPage:
    """Return one page of the papers citations resolve to: with `q`, those whose words (title,
    abstract, MeSH headings, keywords: what finds the claims citing them) hold every word of
    `q`, Chinese or English, newest first, through the search index; else all, in id order."""
    check_limit(limit)
    listing = fingerprint(q)
    after = read_cursor(cursor, listing)
    if q is not None and q.strip():
        tokens = query_tokens(q)
        if not tokens:  # only punctuation or stop words, as for claims
            return PaperPage(items=[], next_cursor=None)
        ids = cited_papers_holding(session, tokens, limit=limit + 1, below=after)
    else:
        query = select(Paper.id).where(
            select(Citation.id).where(Citation.paper_id == Paper.id).exists()
        )
        if after is not None:
            query = query.where(col(Paper.id) > after)
        ids = [i for i in session.exec(query.order_by(col(Paper.id)).limit(limit + 1)) if i]
    page = ids[:limit]
    next_cursor = write_cursor(page[-1], listing) if len(ids) > limit else None
    return PaperPage(items=_papers_public(session, page), next_cursor=next_cursor)


def _papers_public(session: Session, paper_ids: Sequence[int]) -> list[PaperPublic]:
    """Shape these papers for users, in the order given, with the citations resolving to each."""
    papers = {p.id: p for p in session.exec(select(Paper).where(col(Paper.id).in_(paper_ids)))}
    citing: dict[int, list[int]] = defaultdict(list)
    rows = session.exec(
        select(Citation.paper_id, Citation.id)
        .where(col(Citation.paper_id).in_(paper_ids))
        .order_by(col(Citation.id))
    ).all()
    for paper_id, citation_id in rows:
        citing[paper_id or 0].append(citation_id or 0)
    return [
        paper_fields(papers[i], PaperPublic, citation_ids=citing[i])
        for i in paper_ids
        if i in papers
    ]


def write_cursor(last_id: int, listing: str = "") -> str:
    """Return an opaque cursor that resumes after this id, in this listing (its filters'
    fingerprint, evidence.cursors)."""
    raw = f"id:{last_id}:{listing}" if listing else f"id:{last_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_cursor(cursor: str | None, listing: str = "") -> int | None:
    """Return the id a cursor resumes after, or raise InputError for one we did not give out
    or gave out for another listing (other filters)."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, rest = text.partition(":")
        number, _, of = rest.partition(":")
        last_id = int(number)
    except (ValueError, binascii.Error):
        last_id, prefix, of = -1, "", ""
    if prefix != "id" or not 0 <= last_id <= MAX_ID:
        raise InputError("cursor is not one this API gave out")
    if of != listing:
        raise InputError("cursor belongs to another listing: pass it with the same filters")
    return last_id
