"""How much evidence a search can look through. A word a claim's own text lacks (an English word
for a Chinese claim) finds it only through a paper it cites (evidence.search), so a claim whose
citations are not resolved to PubMed yet is out of that reach until enrichment finds their
papers. A search that ends saying so tells the reviewer why "hepcidin" may miss a claim about
铁调素."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from evidence.models import Citation
from evidence.pubmed.classify import NOT_IN_PUBMED


def unresolved_citations(session: Session, *, document_id: int | None = None) -> int:
    """Count the citations (of one document, or of all) that no PubMed paper backs yet, but
    for those PubMed cannot hold (a Chinese journal, data on file): along the index on their
    paper, not by counting every citation (25–45 ms at 200,000)."""
    status = col(Citation.resolution_status)
    query = (
        select(func.count())
        .select_from(Citation)
        .where(col(Citation.paper_id).is_(None))
        .where(status.is_(None) | (status != NOT_IN_PUBMED))
    )
    if document_id is not None:
        query = query.where(Citation.document_id == document_id)
    return session.exec(query).one()


def coverage_note(unresolved: int, *, one_document: bool) -> str | None:
    """Say, for a search that found all it could, which citations it could not look through;
    None when every citation is resolved."""
    if not unresolved:
        return None
    noun, verb = ("citation", "is") if unresolved == 1 else ("citations", "are")
    where = " in this document" if one_document else ""
    return (
        f"{unresolved} {noun}{where} {verb} not resolved to a PubMed paper yet, so words found"
        " only in cited papers cannot reach the claims that rest on them; enriching online finds"
        " their papers"
    )
