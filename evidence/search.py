"""Find claims by topic, in Chinese or English, on SQLite (FTS5) and PostgreSQL (tsvector) alike.

A claim is found by its own text, its slide's topic, and the evidence it cites (the linked papers'
titles, abstracts, MeSH headings and keywords), so "anemia" finds the deck's claims about 贫血.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    Numeric,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    text,
)
from sqlmodel import Session, col, select

from evidence.errors import InputError
from evidence.ingest.language import INDEX_WORD, index_tokens, is_cjk, latin_token
from evidence.models import Citation, Claim, ClaimCitation, ClaimSearch, Paper
from evidence.views import ClaimPublic, claims_by_ids

MAX_LIMIT = 100
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
OWN_WEIGHT = 4.0  # a word in the claim itself counts this many times one in its evidence


class ClaimHit(ClaimPublic):
    """A claim found by a search, with its relevance and a highlighted snippet."""

    score: float | None  # higher is more relevant; None when listing without a query
    snippet: str | None  # the claim's text with the matched words in <mark>…</mark>


class ClaimPage(BaseModel):
    """One page of claims; pass `next_cursor` back as `cursor` for the next page."""

    items: list[ClaimHit]
    next_cursor: str | None


def index_claims(session: Session, claim_ids: Sequence[int] | None = None) -> int:
    """(Re)build the search rows of these claims (all when None); return how many."""
    query = select(Claim)
    if claim_ids is not None:
        query = query.where(col(Claim.id).in_(list(claim_ids)))
    claims = session.exec(query).all()
    if not claims:
        return 0
    ids = [c.id for c in claims]
    evidence: dict[int, list[str]] = defaultdict(list)
    rows = session.exec(
        select(ClaimCitation.claim_id, Paper)
        .join(Citation, col(Citation.id) == col(ClaimCitation.citation_id))
        .join(Paper, col(Paper.id) == col(Citation.paper_id))
        .where(col(ClaimCitation.claim_id).in_(ids))
    ).all()
    for claim_id, paper in rows:
        evidence[claim_id].append(paper_words(paper))
    values = [
        {
            "claim_id": c.id,
            "own": " ".join(index_tokens(f"{c.text} {c.topic or ''}")),
            "evidence": " ".join(index_tokens(" ".join(evidence[c.id or 0]))),
        }
        for c in claims
    ]
    session.execute(delete(ClaimSearch).where(col(ClaimSearch.claim_id).in_(ids)))
    session.execute(insert(ClaimSearch), values)
    return len(values)


def paper_words(paper: Paper) -> str:
    """Return the words of a paper that a claim citing it can be found by."""
    mesh = " ".join(str(m.get("descriptor", "")) for m in paper.mesh)
    return " ".join([paper.title or "", paper.abstract or "", mesh, " ".join(paper.keywords)])


def search_claims(
    session: Session,
    *,
    q: str | None = None,
    topic: str | None = None,
    document_id: int | None = None,
    verdict: str | None = None,
    pmid: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> ClaimPage:
    """Find claims: by relevance to `q` (Chinese or English), else in id order; filtered by
    topic, document, the verdict or PMID of a citation; one page at a time (keyset)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if "\x00" in (q or "") + (topic or ""):
        raise InputError("the query contains a NUL character")
    after = _read_cursor(cursor)
    tokens = list(dict.fromkeys(index_tokens(q))) if q else []
    if q is not None and q.strip() and not tokens:
        return ClaimPage(items=[], next_cursor=None)  # only punctuation or stop words
    query: Any = (
        _ranked(session, tokens) if tokens else select(Claim.id, literal(0.0).label("score"))
    )
    query = _filtered(query, topic=topic, document_id=document_id, verdict=verdict, pmid=pmid)
    score = query.selected_columns.score
    if after is not None:
        last_score, last_id = after
        query = query.where(
            or_(score < last_score, and_(score == last_score, col(Claim.id) > last_id))
            if tokens
            else col(Claim.id) > last_id
        )
    order = [score.desc(), col(Claim.id)] if tokens else [col(Claim.id)]
    rows = session.execute(query.order_by(*order).limit(limit + 1)).all()
    page, more = rows[:limit], len(rows) > limit
    claims = claims_by_ids(session, [row[0] for row in page])
    scores = {row[0]: float(row[1]) for row in page}
    items = [
        ClaimHit(
            **claim.model_dump(),
            score=scores[claim.id] if tokens else None,
            snippet=highlight(claim.text, tokens) if tokens else None,
        )
        for claim in claims
    ]
    next_cursor = _write_cursor(float(page[-1][1]), page[-1][0]) if more and page else None
    return ClaimPage(items=items, next_cursor=next_cursor)


def _ranked(session: Session, tokens: list[str]) -> Any:
    """Select (claim id, score) for claims matching every token; higher scores rank first.

    Scores are rounded to 6 places so that a score read back from a cursor compares equal to
    the one the database computes again (keyset pagination must neither skip nor repeat).
    """
    if session.get_bind().dialect.name == "sqlite":
        # Tokens are letters, digits or Chinese only (index_tokens), so quoting each is safe:
        # no user syntax reaches FTS5. bm25 is lower for better matches: negate it.
        match = " AND ".join(f'"{t}"' for t in tokens)
        fts = (
            select(
                literal_column("rowid").label("claim_id"),
                func.round(-func.bm25(literal_column("claim_fts"), OWN_WEIGHT, 1.0), 6).label(
                    "score"
                ),
            )
            .select_from(text("claim_fts"))
            .where(text("claim_fts MATCH :match").bindparams(match=match))
            .subquery()
        )
    else:
        lexemes = " & ".join(f"'{t}'" for t in tokens)  # letters, digits, Chinese only
        tsquery = func.to_tsquery("simple", bindparam("tsquery", lexemes))
        vector: Any = literal_column("claim_search.search_vector")
        fts = (
            select(
                ClaimSearch.claim_id,
                # ts_rank is a float4: a cursor's float8 would not compare equal to it.
                func.round(cast(func.ts_rank(vector, tsquery), Numeric), 6).label("score"),
            )
            .where(vector.op("@@")(tsquery))
            .subquery()
        )
    return select(Claim.id, fts.c.score).join(fts, fts.c.claim_id == col(Claim.id))


def _filtered(
    query: Any,
    *,
    topic: str | None,
    document_id: int | None,
    verdict: str | None,
    pmid: str | None,
) -> Any:
    if topic:
        query = query.where(col(Claim.topic).contains(topic, autoescape=True))
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    if verdict or pmid:
        cited = select(ClaimCitation.claim_id).join(
            Citation, col(Citation.id) == col(ClaimCitation.citation_id)
        )
        if verdict:
            cited = cited.where(col(Citation.verdict) == verdict)
        if pmid:
            cited = cited.join(Paper, col(Paper.id) == col(Citation.paper_id)).where(
                col(Paper.pmid) == pmid
            )
        query = query.where(col(Claim.id).in_(cited))
    return query


def _write_cursor(score: float, claim_id: int) -> str:
    raw = json.dumps([score, claim_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str | None) -> tuple[float, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, claim_id = float(json.loads(raw)[0]), int(json.loads(raw)[1])
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        raise InputError("cursor is not one this API gave out") from None
    if not (math.isfinite(score) and 0 <= claim_id <= MAX_ID):
        raise InputError("cursor is not one this API gave out")
    return score, claim_id


def highlight(text_: str, tokens: list[str]) -> str:
    """Return the text, HTML-escaped, with the words that match the query in <mark>."""
    wanted = set(tokens)
    cjk = sorted((t for t in wanted if t and is_cjk(t[0])), key=len, reverse=True)
    pieces: list[str] = []
    cursor = 0
    for match in INDEX_WORD.finditer(text_):
        pieces.append(html.escape(text_[cursor : match.start()]))
        word = match.group()
        if is_cjk(word[0]) and cjk:
            pattern = "|".join(re.escape(t) for t in cjk)
            marked = re.sub(pattern, lambda m: f"\0{m.group()}\1", word)
            pieces.append(html.escape(marked).replace("\0", "<mark>").replace("\1", "</mark>"))
        elif not is_cjk(word[0]) and latin_token(word) in wanted:
            pieces.append(f"<mark>{html.escape(word)}</mark>")
        else:
            pieces.append(html.escape(word))
        cursor = match.end()
    pieces.append(html.escape(text_[cursor:]))
    return "".join(pieces)
