"""Claims: found by words (Chinese or English), topic, document, verdict or PMID; one by id."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Cursor, DocumentFilter, Id, Limit, PmidFilter, SearchText, SessionDep
from api.deps import VerdictFilter as Verdict
from api.errors import error_responses
from evidence.browse import get_claim
from evidence.search import ClaimPage, search_claims
from evidence.views import ClaimPublic

router = APIRouter(prefix="/claims", tags=["claims"], responses=error_responses(404, 422))


@router.get("")
def read_claims(
    session: SessionDep,
    q: SearchText = None,
    topic: SearchText = None,
    document: DocumentFilter = None,
    verdict: Verdict = None,
    pmid: PmidFilter = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> ClaimPage:
    """Find claims by relevance to `q`, else list them in id order; one page at a time."""
    return search_claims(
        session, q=q, topic=topic, document_id=document, verdict=verdict, pmid=pmid,
        limit=limit, cursor=cursor,
    )  # fmt: skip


@router.get("/{claim_id}")
def read_claim(session: SessionDep, claim_id: Id) -> ClaimPublic:
    """Return one claim with its citations and markers."""
    return get_claim(session, claim_id=claim_id)
