"""Papers: the PubMed records citations resolve to, and the claims resting on each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import Cursor, Limit, SearchText, SessionDep
from api.errors import error_responses
from evidence.browse import PaperPage, PaperWithClaims, get_paper, search_papers

router = APIRouter(prefix="/papers", tags=["papers"], responses=error_responses(404, 422))
Pmid = Annotated[str, Path(pattern=r"^[0-9]{1,16}$", description="A PubMed id.")]


@router.get("")
def read_papers(
    session: SessionDep, q: SearchText = None, limit: Limit = 20, cursor: Cursor = None
) -> PaperPage:
    """List the papers citations resolve to: with `q`, those whose title, abstract, MeSH
    headings or keywords hold every word of `q` (Chinese or English), newest first; else all,
    in id order. One page at a time."""
    return search_papers(session, q=q, limit=limit, cursor=cursor)


@router.get("/{pmid}")
def read_paper(session: SessionDep, pmid: Pmid) -> PaperWithClaims:
    """Return one paper with the citations that resolve to it and the claims citing it."""
    return get_paper(session, pmid=pmid)
