"""search_claims: one page of claims, by relevance to a query or in id order (see
evidence.search for how the work stays bounded)."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from evidence.claim_views import ClaimColumns, ClaimPublic, claims_shaped
from evidence.cursors import fingerprint
from evidence.documents import MAX_ID
from evidence.errors import InputError
from evidence.ingest.language import query_tokens
from evidence.search.coverage import unresolved_citations
from evidence.search.filters import Filters, filters_for
from evidence.search.highlight import highlight
from evidence.search.match import (
    claims_resting_on,
    listed,
    own_match_ids,
    own_matches,
    papers_holding,
    papers_holding_any,
)
from evidence.search.rank import (
    UNRANKED_OWN,
    Counted,
    evidence_scores,
    own_scores,
    token_counts,
)
from evidence.search.syntax import syntax_note
from evidence.views import get_document

MAX_LIMIT = 100
RANK_CAP = 200  # own-word matches ranked per query: the most recent ones
PAPER_CAP = 200  # papers looked in per query word: the most recent ones holding it

Row = tuple[float, int]  # (score, claim id)


class ClaimHit(ClaimPublic):
    """A claim found by a search, with its relevance and a highlighted snippet."""

    score: float | None  # higher is more relevant; None when listing without a query
    snippet: str | None  # the claim's text with the matched words in <mark>…</mark>
    # Found through its evidence (its own words lack a query word): the PMIDs of the papers it
    # rests on that hold the query's words.
    found_through: list[str] = []


class ClaimPage(BaseModel):
    """One page of claims; pass `next_cursor` back as `cursor` for the next page."""

    items: list[ClaimHit]
    next_cursor: str | None
    # True when a query word is held by more than PAPER_CAP papers: claims found only through
    # older ones are left out. A document filter makes the search through evidence exact.
    evidence_capped: bool = False
    # True when more than RANK_CAP claims hold the query's words in their own text: the newest
    # RANK_CAP are ranked, the older ones follow unranked (score 1.0), newest first. Said on
    # the pages of those claims; the pages after them (claims found through evidence) say False.
    ranking_capped: bool = False
    # On a search's last page: how many citations (of the document searched, or of all) are not
    # resolved to a PubMed paper yet. Words found only in cited papers cannot reach the claims
    # resting on them (evidence.search.coverage). None on other pages, and when listing.
    unresolved_citations: int | None = None
    # When the query holds search syntax (OR, NOT, a leading "-", quotes, "*"), which is read as
    # words: what the search did with it. None otherwise.
    query_note: str | None = None


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
    _refuse_nul(q, topic)
    search = fingerprint(q, topic, document_id, verdict, pmid)
    after = _read_cursor(cursor, search)
    if document_id is not None:
        get_document(session, document_id)  # NotFoundError, not an empty page, for a typo
    filters = filters_for(session, topic=topic, document_id=document_id, verdict=verdict, pmid=pmid)
    tokens = query_tokens(q) if q else []
    if q is not None and q.strip() and not tokens:
        return ClaimPage(items=[], next_cursor=None, query_note=syntax_note(q))  # no words
    capped = ranking_capped = False
    if tokens:
        rows, ranking_capped, capped = _ranked(session, tokens, filters, after, limit + 1)
    else:
        ids = listed(session, filters, after=after[1] if after else None, limit=limit + 1)
        rows = [(0.0, claim_id) for claim_id in ids]
    page, more = rows[:limit], len(rows) > limit
    scores = dict((claim_id, score) for score, claim_id in page)
    through = [claim_id for score, claim_id in page if tokens and score < UNRANKED_OWN]
    found_through = papers_holding_any(session, through, tokens) if through else {}

    def hit(claim: ClaimColumns) -> dict[str, Any]:
        return {
            "score": scores[claim.id or 0] if tokens else None,
            "snippet": highlight(claim.text, tokens) if tokens else None,
            "found_through": found_through.get(claim.id or 0, []),
        }

    items = claims_shaped(session, [claim_id for _, claim_id in page], ClaimHit, hit)
    next_cursor = _write_cursor(*page[-1], search) if more and page else None
    ended = bool(tokens) and next_cursor is None  # a search's last page
    unresolved = unresolved_citations(session, document_id=document_id) if ended else None
    return ClaimPage(
        items=items, next_cursor=next_cursor, evidence_capped=capped,
        ranking_capped=ranking_capped, unresolved_citations=unresolved, query_note=syntax_note(q),
    )  # fmt: skip


def claim_ids_found(
    session: Session, q: str, *, topic: str | None = None, document_id: int | None = None
) -> tuple[list[int], bool]:
    """Return the ids of every claim a search for `q` finds (all its own-word matches, then
    those found through evidence), unranked and unpaged; and whether PAPER_CAP cut the search
    through evidence. For work on everything a search finds (an export), not for pages."""
    _refuse_nul(q, topic)
    tokens = query_tokens(q)
    if not tokens:
        return [], False
    filters = filters_for(session, topic=topic, document_id=document_id)
    own = own_match_ids(session, tokens, filters)
    through, capped = _through_evidence(session, tokens, filters)
    return own + [claim_id for _, claim_id in through], capped


def _ranked(
    session: Session, tokens: list[str], filters: Filters, after: Row | None, need: int
) -> tuple[list[Row], bool, bool]:
    """Return up to `need` (score, id) after the cursor: own-word matches (ranked, then the
    unranked rest when capped), then matches through evidence; whether RANK_CAP cut the
    ranking (known on pages of own-word matches); and whether PAPER_CAP cut the search through
    evidence."""
    rows: list[Row] = []
    ranking_capped = False
    if after is None or after[0] >= UNRANKED_OWN:
        candidates = own_matches(session, tokens, filters, limit=RANK_CAP + 1)
        ranking_capped, candidates = len(candidates) > RANK_CAP, candidates[:RANK_CAP]
        if after is None or after[0] > UNRANKED_OWN:
            scored = [(score, i) for i, score in own_scores(candidates, tokens).items()]
            rows += [row for row in sorted(scored, key=_order) if _follows(row, after)][:need]
        if ranking_capped and len(rows) < need:
            below = candidates[-1][0]  # the oldest ranked; older ones follow, unranked
            if after is not None and after[0] == UNRANKED_OWN:
                below = min(below, after[1])
            wanted = need - len(rows)
            rest = own_matches(session, tokens, filters, limit=wanted, below=below)
            rows += [(UNRANKED_OWN, claim_id) for claim_id, _ in rest]
            if len(rest) == wanted:
                return rows, ranking_capped, False
    capped = False
    if len(rows) < need:
        found, capped = _through_evidence(session, tokens, filters)
        rows += [row for row in found if _follows(row, after)][: need - len(rows)]
    return rows, ranking_capped, capped


def _through_evidence(
    session: Session, tokens: list[str], filters: Filters
) -> tuple[list[Row], bool]:
    """Return (score, id), best first, of the claims that hold every token in their own words
    or in a paper they rest on, at least one only in a paper; and whether PAPER_CAP cut it."""
    holders: dict[int, set[str]] = defaultdict(set)  # paper id → the tokens it holds
    capped = False
    for token in tokens:
        papers = papers_holding(
            session, token, limit=PAPER_CAP + 1, document_id=filters.document_id
        )
        capped = capped or len(papers) > PAPER_CAP
        for paper_id in papers[:PAPER_CAP]:
            holders[paper_id].add(token)
    if not holders:
        return [], capped
    in_a_paper = set().union(*holders.values())
    only_own = [token for token in tokens if token not in in_a_paper]
    papers_of: dict[int, list[int]] = defaultdict(list)  # claim id → its papers holding a token
    own_of: dict[int, str] = {}
    for claim_id, paper_id, own in claims_resting_on(
        session, list(holders), filters, holding=only_own
    ):
        papers_of[claim_id].append(paper_id)
        own_of[claim_id] = own
    held = {paper: [int(token in words) for token in tokens] for paper, words in holders.items()}
    counted: list[Counted] = []
    for claim_id, own in own_of.items():
        in_own, length = token_counts(own, tokens)
        if all(in_own):
            continue  # an own-word match, ranked with those
        cited = [held[paper] for paper in papers_of[claim_id]]
        in_papers = cited[0] if len(cited) == 1 else [sum(n) for n in zip(*cited, strict=True)]
        # Each token: how often the claim's own words hold it, and how many of its papers do.
        totals = [o + n for o, n in zip(in_own, in_papers, strict=True)]
        if all(totals):
            counted.append((claim_id, totals, length))
    scores = evidence_scores(counted)
    rows = sorted(((score, claim_id) for claim_id, score in scores.items()), key=_order)
    return rows, capped


def _refuse_nul(q: str | None, topic: str | None) -> None:
    if "\x00" in (q or "") + (topic or ""):  # no database takes it in a text
        raise InputError("the query contains a NUL character")


def _order(row: Row) -> tuple[float, int]:
    return -row[0], -row[1]  # best score first, newest first among equals


def _follows(row: Row, after: Row | None) -> bool:
    return after is None or _order(row) > _order(after)


def _write_cursor(score: float, claim_id: int, search: str) -> str:
    raw = json.dumps([score, claim_id, search]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str | None, search: str) -> Row | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, claim_id, of = json.loads(raw)
        score, claim_id = float(score), int(claim_id)
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        raise InputError("cursor is not one this API gave out") from None
    if not (math.isfinite(score) and 0 <= claim_id <= MAX_ID):
        raise InputError("cursor is not one this API gave out")
    if of != search:
        raise InputError("cursor belongs to another search: pass it with the same q and filters")
    return score, claim_id


__all__: Sequence[str] = ["MAX_LIMIT", "ClaimHit", "ClaimPage", "claim_ids_found", "search_claims"]
