"""What each backend is asked: which claims or papers hold every token, newest first, bounded.

Statements run on the session's connection (Core): they select columns, not objects, and the
ORM's row handling cost more than the database's work for a thousand rows.

The database matches (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL): ranking is done
by evidence.search.rank on what it returns, the same on both. (On SQLite, a search of several
words whose one word is rare asks FTS5 for that word alone and checks the others here: see
own_matches.) Tokens are letters, digits or Chinese only (evidence.ingest.language), so quoting
each is safe: no user syntax reaches FTS5 or to_tsquery, and every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Integer, String, bindparam, func, literal_column, table, text
from sqlalchemy.pool import Pool
from sqlmodel import Session, col, select

from evidence.db import dialect_of
from evidence.id_lists import among
from evidence.models import Citation, Claim, ClaimPaper, ClaimSearch, Paper, PaperSearch
from evidence.search.filters import Filters
from evidence.search.rank import token_counts

CLAIM_FTS = table("claim_fts", literal_column("rowid"))
PAPER_FTS = table("paper_fts", literal_column("rowid"))


def _matched(dialect: str, tokens: Sequence[str]) -> str:
    """Return the tokens as FTS5's MATCH (SQLite) or to_tsquery's text (PostgreSQL) takes them:
    every token, each quoted."""
    if dialect == "sqlite":
        return " AND ".join(f'"{t}"' for t in tokens)
    return " & ".join(f"'{t}'" for t in tokens)


def _run(session: Session, statement: Any, **params: Any) -> Sequence[Any]:
    """Execute a statement built once (below) with this search's values; return its rows (plain
    tuples to read, fetched at once rather than row by row)."""
    return session.connection().execute(statement, params).all()


# Statements are built once for each shape and kept (lru_cache): building one cost about as much
# as the database's work for a page (0.25 ms). Values are bound parameters: MATCHED, BELOW, LIMIT.
MATCHED = bindparam("matched", type_=String)
BELOW = bindparam("below", type_=Integer)
LIMIT = bindparam("limit", type_=Integer)


def _fts_match(fts: str) -> Any:
    return text(f"{fts} MATCH :matched").bindparams(MATCHED)


def _tsquery_match(vector: Any) -> Any:
    return vector.op("@@")(func.to_tsquery("simple", MATCHED))


# FTS5 answers "a" AND "b" by walking both tokens' lists of claims: 2.4 ms when one is held by
# 174,000 claims, even if the other is held by 168. A token that at most RARE claims hold (of
# those the filters leave) is looked up alone, and its claims' own words are checked for the
# other tokens here (whole tokens: FTS5 splits the single-spaced tokens the index holds on the
# spaces alone, and folds nothing that evidence.ingest.language has not folded): 0.4 ms.
RARE = 256
# The tokens found held by more than RARE claims, by database (its engines' pool): not looked up
# alone again. A plan only: were one to become rare again (claims deleted), searches would find
# the same claims, by FTS5's AND.
_COMMON: WeakKeyDictionary[Pool, set[str]] = WeakKeyDictionary()
COMMON_KEPT = 10_000  # tokens remembered a database, at most


def own_matches(
    session: Session,
    tokens: Sequence[str],
    filters: Filters,
    *,
    limit: int,
    below: int | None = None,
) -> Sequence[tuple[int, str]]:
    """Return (claim id, own tokens) of the claims whose own words hold every token, newest
    first, at most `limit`, only ids below `below` when given. On SQLite, by one of the tokens
    alone when at most RARE claims hold it (see RARE)."""
    dialect = dialect_of(session)
    statement = _own_query(dialect, filters, with_own=True, below=below is not None)
    bounds = {} if below is None else {"below": below}
    if dialect == "sqlite" and len(tokens) > 1:
        common = _COMMON.setdefault(session.get_bind().engine.pool, set())
        for token in (token for token in tokens if token not in common):
            rows = _run(
                session, statement, matched=_matched(dialect, [token]), limit=RARE + 1, **bounds
            )
            if len(rows) <= RARE:  # every claim holding it: those holding the rest are among them
                return [row for row in rows if all(token_counts(row[1], tokens)[0])][:limit]
            if len(common) >= COMMON_KEPT:
                common.clear()
            common.add(token)
    return _run(session, statement, matched=_matched(dialect, tokens), limit=limit, **bounds)


def own_match_ids(session: Session, tokens: Sequence[str], filters: Filters) -> list[int]:
    """Return the ids of every claim whose own words hold every token, newest first."""
    dialect = dialect_of(session)
    statement = _own_query(dialect, filters, with_own=False, below=False)
    return [row[0] for row in _run(session, statement, matched=_matched(dialect, tokens))]


@lru_cache(maxsize=256)
def _own_query(dialect: str, filters: Filters, *, with_own: bool, below: bool) -> Any:
    """The claims whose own words hold MATCHED, newest first: with their own tokens, at most
    LIMIT and below BELOW (`with_own`, `below`), or just every id."""
    claim_id = col(ClaimSearch.claim_id)
    if dialect == "sqlite":
        rowid = CLAIM_FTS.c.rowid
        query: Any = select(rowid).select_from(CLAIM_FTS)
        if with_own:
            query = select(claim_id, ClaimSearch.own).select_from(CLAIM_FTS)
            query = query.join(ClaimSearch, claim_id == rowid)
        query = query.where(_fts_match("claim_fts")).order_by(rowid.desc())
        matched: Any = rowid
    else:
        vector: Any = literal_column("claim_search.search_vector")
        query = select(claim_id, ClaimSearch.own) if with_own else select(claim_id)
        query = query.where(_tsquery_match(vector)).order_by(claim_id.desc())
        matched = claim_id
    if below:
        query = query.where(matched < BELOW)
    conditions = filters.conditions()
    if conditions:
        query = query.join(Claim, col(Claim.id) == matched).where(*conditions)
    return query.limit(LIMIT) if with_own else query


def papers_holding(
    session: Session, token: str, *, limit: int, document_id: int | None = None
) -> list[int]:
    """Return the ids of the papers whose words hold the token, newest first, at most `limit`;
    only papers a claim of `document_id` rests on, when given."""
    dialect = dialect_of(session)
    statement = _papers_query(dialect, document_id)
    rows = _run(session, statement, matched=_matched(dialect, [token]), limit=limit)
    return [row[0] for row in rows]


def cited_papers_holding(
    session: Session, tokens: Sequence[str], *, limit: int, below: int | None = None
) -> list[int]:
    """Return the ids of the papers a citation resolves to whose words hold every token,
    newest first, at most `limit`, only ids below `below` when given."""
    dialect = dialect_of(session)
    statement = _papers_query(dialect, None, cited=True, below=below is not None)
    bounds = {} if below is None else {"below": below}
    rows = _run(session, statement, matched=_matched(dialect, tokens), limit=limit, **bounds)
    return [row[0] for row in rows]


@lru_cache(maxsize=64)
def _papers_query(
    dialect: str, document_id: int | None, *, cited: bool = False, below: bool = False
) -> Any:
    if dialect == "sqlite":
        paper_id: Any = PAPER_FTS.c.rowid
        query: Any = select(paper_id).select_from(PAPER_FTS).where(_fts_match("paper_fts"))
    else:
        paper_id = literal_column("paper_search.paper_id")
        vector: Any = literal_column("paper_search.search_vector")
        query = select(paper_id).select_from(table("paper_search"))
        query = query.where(_tsquery_match(vector))
    if document_id is not None:
        cited_by_document = (
            select(ClaimPaper.paper_id)
            .join(Claim, col(Claim.id) == col(ClaimPaper.claim_id))
            .where(col(Claim.document_id) == document_id)
        )
        query = query.where(paper_id.in_(cited_by_document))
    if cited:  # a stale row (a citation resolved again to another paper) is left out
        query = query.where(select(Citation.id).where(col(Citation.paper_id) == paper_id).exists())
    if below:
        query = query.where(paper_id < BELOW)
    return query.order_by(paper_id.desc()).limit(LIMIT)


def papers_holding_any(
    session: Session, claim_ids: Sequence[int], tokens: Sequence[str]
) -> dict[int, list[str]]:
    """Return, for each of these claims, the PMIDs of the papers it rests on whose words hold
    one of the tokens: why a claim was found through its evidence."""
    wanted = set(tokens)
    found: dict[int, list[str]] = {}
    statement = _papers_of_claims(dialect_of(session))
    for claim_id, pmid, words in _run(session, statement, claim_ids=list(claim_ids)):
        if pmid and wanted.intersection(words.split()):
            found.setdefault(claim_id, []).append(pmid)
    return found


@lru_cache(maxsize=8)
def _papers_of_claims(dialect: str) -> Any:
    return (
        select(ClaimPaper.claim_id, Paper.pmid, PaperSearch.words)
        .join(Paper, col(Paper.id) == col(ClaimPaper.paper_id))
        .join(PaperSearch, col(PaperSearch.paper_id) == col(ClaimPaper.paper_id))
        .where(among(col(ClaimPaper.claim_id), "claim_ids", dialect))
        .order_by(col(ClaimPaper.claim_id), col(Paper.id))
    )


def claims_resting_on(
    session: Session, paper_ids: Sequence[int], filters: Filters, *, holding: Sequence[str] = ()
) -> list[tuple[int, int, str]]:
    """Return (claim id, paper id, own tokens) for each claim resting on one of these papers
    that passes the filters and whose own text contains every token of `holding` (a word no
    cited paper holds: "贫血" of "贫血 anemia"), so the database, not Python, drops most claims
    that cannot match. Contains as text: a token inside a longer one passes too, and the ranking,
    which counts whole tokens, drops it."""
    statement = _resting_on_query(dialect_of(session), filters, tuple(holding))
    return list(_run(session, statement, paper_ids=sorted(set(paper_ids))))


@lru_cache(maxsize=256)
def _resting_on_query(dialect: str, filters: Filters, holding: tuple[str, ...]) -> Any:
    own = col(ClaimSearch.own)
    link = col(ClaimPaper.claim_id)
    query: Any = select(link, ClaimPaper.paper_id, own)
    query = query.join(ClaimSearch, col(ClaimSearch.claim_id) == link)
    query = query.where(*(own.contains(token, autoescape=True) for token in holding))
    conditions = filters.conditions()
    if conditions:
        query = query.join(Claim, col(Claim.id) == link).where(*conditions)
    return query.where(among(col(ClaimPaper.paper_id), "paper_ids", dialect))


def listed(session: Session, filters: Filters, *, after: int | None, limit: int) -> list[int]:
    """Return the ids of the claims passing the filters, in id order, after `after`."""
    query: Any = select(Claim.id).where(*filters.conditions())
    if after is not None:
        query = query.where(col(Claim.id) > after)
    return [
        row[0] for row in session.connection().execute(query.order_by(col(Claim.id)).limit(limit))
    ]
