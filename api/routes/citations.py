"""Citations: references as written, with parsed fields, resolution and stored verdict."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Cursor, DocumentFilter, Id, Limit, SessionDep, VerdictFilter
from api.errors import error_responses
from evidence.browse import CitationPage, get_citation, list_citations_by
from evidence.views import CitationPublic

router = APIRouter(prefix="/citations", tags=["citations"], responses=error_responses(404, 422))


@router.get("")
def read_citations(
    session: SessionDep,
    verdict: VerdictFilter = None,
    document: DocumentFilter = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> CitationPage:
    """List citations in id order; `verdict=unchecked` includes those never verified."""
    return list_citations_by(
        session, verdict=verdict, document_id=document, limit=limit, cursor=cursor
    )


@router.get("/{citation_id}")
def read_citation(session: SessionDep, citation_id: Id) -> CitationPublic:
    """Return one citation with the claims that cite it."""
    return get_citation(session, citation_id=citation_id)
