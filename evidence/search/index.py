"""Keep the search tables: each claim's own tokens, each cited paper's tokens, and the links."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from evidence.ingest.language import index_tokens
from evidence.models import (
    Citation,
    Claim,
    ClaimCitation,
    ClaimPaper,
    ClaimSearch,
    Paper,
    PaperSearch,
)

CHUNK = 5000  # claims or papers (re)indexed a statement: IN lists under SQLite's limit


def index_claims(
    session: Session,
    claim_ids: Sequence[int] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    also_papers: Collection[int] = (),
) -> int:
    """(Re)build the search rows of these claims (all when None): their own tokens, the papers
    they rest on, and those papers' tokens; return how many claims. The papers of `also_papers`
    are indexed too (those a citation that no claim cites resolves to: GET /papers?q= finds
    them). `progress` is told how many claims each step indexed."""
    ids = list(claim_ids) if claim_ids is not None else list(session.exec(select(Claim.id)).all())
    ids = [i for i in ids if i is not None]
    papers: set[int] = set(also_papers)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        papers |= _index_claim_chunk(session, chunk)
        if progress:
            progress(len(chunk))
    index_papers(session, sorted(papers))
    return len(ids)


def _index_claim_chunk(session: Session, ids: list[int]) -> set[int]:
    claims = session.exec(
        select(Claim.id, Claim.text, Claim.topic).where(col(Claim.id).in_(ids))
    ).all()
    links = session.exec(
        select(ClaimCitation.claim_id, Citation.paper_id)
        .join(Citation, col(Citation.id) == col(ClaimCitation.citation_id))
        .where(col(ClaimCitation.claim_id).in_(ids), col(Citation.paper_id).is_not(None))
        .distinct()
    ).all()
    session.execute(delete(ClaimSearch).where(col(ClaimSearch.claim_id).in_(ids)))
    session.execute(delete(ClaimPaper).where(col(ClaimPaper.claim_id).in_(ids)))
    if claims:
        own = [{"claim_id": i, "own": own_words(text, topic)} for i, text, topic in claims]
        session.execute(insert(ClaimSearch), own)
    if links:
        rows = [{"claim_id": claim_id, "paper_id": paper_id} for claim_id, paper_id in links]
        session.execute(insert(ClaimPaper), rows)
    return {paper_id for _, paper_id in links if paper_id is not None}


def index_papers(session: Session, paper_ids: Sequence[int]) -> int:
    """(Re)build the search rows of these papers from what PubMed says; return how many."""
    count = 0
    for start in range(0, len(paper_ids), CHUNK):
        chunk = list(paper_ids[start : start + CHUNK])
        papers = session.exec(select(Paper).where(col(Paper.id).in_(chunk))).all()
        session.execute(delete(PaperSearch).where(col(PaperSearch.paper_id).in_(chunk)))
        rows = [{"paper_id": p.id, "words": evidence_words(paper_words(p))} for p in papers]
        if rows:
            session.execute(insert(PaperSearch), rows)
        count += len(rows)
    return count


def reindex_cited_papers(session: Session, pmids: Sequence[str]) -> int:
    """Rebuild the search rows of those of these papers that are indexed already (claims rest
    on them), after an import changed what PubMed says; return how many."""
    indexed = session.exec(
        select(PaperSearch.paper_id)
        .join(Paper, col(Paper.id) == col(PaperSearch.paper_id))
        .where(col(Paper.pmid).in_(list(pmids)))
    ).all()
    return index_papers(session, list(indexed)) if indexed else 0


def cited_paper_ids(session: Session) -> list[int]:
    """Return the ids of every paper a citation resolves to."""
    query = select(Citation.paper_id).where(col(Citation.paper_id).is_not(None)).distinct()
    return [paper_id for paper_id in session.exec(query).all() if paper_id is not None]


def own_words(text: str, topic: str | None) -> str:
    """Return the index tokens of a claim's own words: its text and its slide's topic."""
    return " ".join(index_tokens(f"{text} {topic or ''}"))


def evidence_words(words: str) -> str:
    """Return a paper's index tokens, each once: evidence finds claims, it does not rank words."""
    return " ".join(dict.fromkeys(index_tokens(words)))


# MeSH's check tags: NLM gives them to most papers (who was studied, not what), so by them
# "humanized" (stemmed "human") found every claim resting on a paper about humans.
CHECK_TAGS = frozenset(
    {"Humans", "Animals", "Male", "Female", "Adult", "Aged", "Aged, 80 and over", "Middle Aged"}
    | {"Young Adult", "Adolescent", "Child", "Child, Preschool", "Infant", "Infant, Newborn"}
    | {"Mice", "Rats", "Pregnancy", "Cattle", "Dogs", "Cats", "Swine", "Rabbits", "Cricetinae"}
)


def paper_words(paper: Paper) -> str:
    """Return the words of a paper that a claim citing it can be found by: title, abstract, MeSH
    headings but check tags, keywords."""
    return words_of_paper(paper.title, paper.abstract, paper.mesh, paper.keywords)


def words_of_paper(
    title: str | None, abstract: str | None, mesh: list[dict[str, Any]], keywords: list[str]
) -> str:
    """Return paper_words from the columns as stored (a migration reads them so)."""
    headings = " ".join(
        str(m.get("descriptor", "")) for m in mesh if m.get("descriptor") not in CHECK_TAGS
    )
    return " ".join([title or "", abstract or "", headings, " ".join(keywords)])
