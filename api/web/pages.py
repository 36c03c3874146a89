"""The web pages, server-rendered: search claims at `/`, one claim at `/web/claims/{id}`, one
document's verification at `/web/documents/{id}`. The JSON API keeps its own paths."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session

from api.deps import Id, ReaderDep, SearchSlots, SessionDep, in_search_slot
from api.web.rendering import HtmlRoute, render_page
from evidence.documents import (
    MAX_ID,
    count_documents,
    document_names,
    newest_documents,
    overview_documents,
)
from evidence.errors import InputError
from evidence.search import PAPER_CAP, RANK_CAP, coverage_note, search_claims
from evidence.web_views import (
    citations_by_id,
    list_topics,
    review_claim,
    review_document,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
PAGE_SIZE = 20
# Above the first page: the newest documents' cards (each a few counting queries), not every
# document's; the Document filter names the others.
CARDS_SHOWN = 12
# Topics and documents offered in a list; beyond that many, the filter is typed (a part of the
# topic, as GET /claims?topic= takes it; a document's id), and the page does not read them all.
TOPICS_LISTED = 500
DOCUMENTS_LISTED = 1000
# A form sends every field, empty or not: each is text here, read by `SearchForm.read`.
FormText = Annotated[str | None, Query(max_length=500)]


@dataclass(frozen=True)
class SearchForm:
    """What the search form asks for, blanks read as "any"."""

    q: str | None = None
    topic: str | None = None
    verdict: str | None = None
    document: int | None = None

    @classmethod
    def read(
        cls, *, q: str | None, topic: str | None, verdict: str | None, document: str | None
    ) -> SearchForm:
        """Read the form's fields; raise InputError for a verdict or document id that is not."""
        verdict = (verdict or "").strip() or None  # search_claims refuses one that is not
        document = (document or "").strip()
        if document and not (document.isascii() and document.isdigit()):
            raise InputError(f"document must be a document's id, not {document!r}")
        document_id = int(document) if document else None
        if document_id is not None and not 1 <= document_id <= MAX_ID:
            raise InputError(f"no document can have the id {document_id}")
        return cls(
            q=(q or "").strip() or None,
            topic=(topic or "").strip() or None,
            verdict=verdict,
            document=document_id,
        )

    @property
    def filtered(self) -> bool:
        """Tell whether the form asks for anything."""
        return any(value is not None for value in (self.q, self.topic, self.verdict, self.document))


@router.get("/")
async def search_page(
    request: Request,
    reader: ReaderDep,
    slots: SearchSlots,
    q: FormText = None,
    topic: FormText = None,
    verdict: FormText = None,
    document: FormText = None,
    cursor: FormText = None,
) -> Response:
    """Search claims (or list them) with their citations, papers and verdicts."""
    form = SearchForm.read(q=q, topic=topic, verdict=verdict, document=document)
    # Searched and drawn in a worker thread, sharing GET /claims's limit on searches at once; never
    # in the event loop: the page also lists every topic and document, which walks all claims.
    draw = partial(_search_page, request, form, cursor)
    return await in_search_slot(reader, slots, draw, bounded=False)


def _search_page(
    request: Request, form: SearchForm, cursor: str | None, session: Session
) -> Response:
    page = search_claims(
        session, q=form.q, topic=form.topic, verdict=form.verdict, document_id=form.document,
        limit=PAGE_SIZE, cursor=cursor or None,
    )  # fmt: skip
    cited = citations_by_id(session, (c.id for hit in page.items for c in hit.citations))
    shown = not form.filtered and not cursor  # the documents' cards, above the first page only
    cards = newest_documents(session, limit=CARDS_SHOWN) if shown else []
    topics = list_topics(session, limit=TOPICS_LISTED + 1)
    document_count = count_documents(session)
    # A search's last page says which citations it could not look through.
    reach = coverage_note(page.unresolved_citations or 0, one_document=form.document is not None)
    listed = document_count <= DOCUMENTS_LISTED  # else typed: name only those the page shows
    documents = document_names(session, ids=None if listed else {h.document for h in page.items})
    return render_page(
        request, "search.html.j2", form=form, page=page, cited=cited, cursor=cursor,
        topics=topics if len(topics) <= TOPICS_LISTED else None,
        documents=documents if listed else None, document_count=document_count,
        overviews=overview_documents(session, cards),
        page_verdicts=Counter(c.verdict or "unchecked" for c in cited.values()),
        documents_by_id={d.id: d for d in documents}, paper_cap=PAPER_CAP, rank_cap=RANK_CAP,
        reach=reach,
    )  # fmt: skip


@router.get("/web/claims/{claim_id}")
def claim_page(request: Request, session: SessionDep, claim_id: Id) -> Response:
    """Show one claim, where it stands, and every citation it rests on in full."""
    review = review_claim(session, claim_id=claim_id)
    return render_page(request, "claim.html.j2", review=review)


@router.get("/web/documents/{document_id}")
def document_page(request: Request, session: SessionDep, document_id: Id) -> Response:
    """Show a document's verification at a glance, then its claims slide by slide."""
    review = review_document(session, document_id=document_id)
    return render_page(request, "document.html.j2", review=review)
