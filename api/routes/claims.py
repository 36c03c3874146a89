"""Claims: found by words (Chinese or English), topic, document, verdict or PMID; one by id."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from api.deps import (
    Cursor,
    DocumentFilter,
    Id,
    Limit,
    PmidFilter,
    ReaderDep,
    SearchSlots,
    SearchText,
    SessionDep,
    TopicFilter,
    in_search_slot,
)
from api.deps import VerdictFilter as Verdict
from api.errors import error_responses
from evidence.browse import get_claim
from evidence.claim_views import ClaimPublic
from evidence.search import ClaimPage, search_claims

router = APIRouter(prefix="/claims", tags=["claims"], responses=error_responses(404, 422))


@router.get("", response_model=ClaimPage)
async def read_claims(
    reader: ReaderDep,
    slots: SearchSlots,
    q: SearchText = None,
    topic: TopicFilter = None,
    document: DocumentFilter = None,
    verdict: Verdict = None,
    pmid: PmidFilter = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Response:
    """Find claims by relevance to `q`, else list them in id order; one page at a time."""
    search = partial(
        search_claims, q=q, topic=topic, document_id=document, verdict=verdict, pmid=pmid,
        limit=limit, cursor=cursor,
    )  # fmt: skip
    # Words alone bound a search's work (evidence.search's caps); a filter may not.
    filtered = any(value is not None for value in (topic, document, verdict, pmid))
    page = await in_search_slot(reader, slots, search, bounded=not filtered)
    # The page is a ClaimPage already: written as JSON once, not checked against ClaimPage
    # again first (FastAPI's way for a returned model, 10 times the cost of writing it).
    return Response(page.model_dump_json(), media_type="application/json")


@router.get("/{claim_id}")
def read_claim(session: SessionDep, claim_id: Id) -> ClaimPublic:
    """Return one claim with its citations and markers."""
    return get_claim(session, claim_id=claim_id)
