"""What each backend is asked: which claims or papers hold every token, newest first, bounded.

Statements run on the session's connection (Core): they select columns, not objects, and the
ORM's row handling cost more than the database's work for a thousand rows.

The database only matches (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL): ranking is
done by evidence.search.rank on what it returns, the same on both. Tokens are letters, digits or
Chinese only (evidence.ingest.language), so quoting each is safe: no user syntax reaches FTS5 or
to_tsquery, and every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, literal_column, or_, table, text
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from evidence.documents import UNCHECKED
from evidence.errors import InputError
from evidence.models import (
    Citation,
    Claim,
    ClaimCitation,
    ClaimPaper,
    ClaimSearch,
    Paper,
    PaperSearch,
)
from evidence.verify.verdicts import VERDICTS

CHUNK = 5000  # ids per IN list: under SQLite's limit on bound parameters
CLAIM_FTS = table("claim_fts", literal_column("rowid"))
PAPER_FTS = table("paper_fts", literal_column("rowid"))


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words."""

    topic: str | None = None
    document_id: int | None = None
    verdict: str | None = None
    pmid: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Return the conditions on `claim` (which the query must join) these filters make."""
        where: list[ColumnElement[bool]] = []
        if self.topic:
            where.append(col(Claim.topic).contains(self.topic, autoescape=True))
        if self.document_id is not None:
            where.append(col(Claim.document_id) == self.document_id)
        if self.verdict or self.pmid:
            cited = select(ClaimCitation.claim_id).join(
                Citation, col(Citation.id) == col(ClaimCitation.citation_id)
            )
            if self.verdict:
                cited = cited.where(citation_verdict_is(self.verdict))
            if self.pmid:
                cited = cited.join(Paper, col(Paper.id) == col(Citation.paper_id)).where(
                    col(Paper.pmid) == self.pmid
                )
            where.append(col(Claim.id).in_(cited))
        return where


def citation_verdict_is(verdict: str) -> ColumnElement[bool]:
    """Return the condition that a citation has this verdict; a citation never verified counts
    as "unchecked". Raise InputError for a verdict that is not one."""
    if verdict not in VERDICTS:
        raise InputError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if verdict == UNCHECKED:  # no verdict yet: not checked either
        return or_(col(Citation.verdict) == verdict, col(Citation.verdict).is_(None))
    return col(Citation.verdict) == verdict


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_match(fts: str, tokens: Sequence[str]) -> Any:
    return text(f"{fts} MATCH :match").bindparams(match=" AND ".join(f'"{t}"' for t in tokens))


def _tsquery(tokens: Sequence[str]) -> Any:
    lexemes = " & ".join(f"'{t}'" for t in tokens)
    return func.to_tsquery("simple", bindparam("tsquery", lexemes))


def own_matches(
    session: Session,
    tokens: Sequence[str],
    filters: Filters,
    *,
    limit: int,
    below: int | None = None,
) -> list[tuple[int, str]]:
    """Return (claim id, own tokens) of the claims whose own words hold every token, newest
    first, at most `limit`, only ids below `below` when given."""
    query = _own_query(session, tokens, filters, below=below, with_own=True)
    return [(row[0], row[1]) for row in session.connection().execute(query.limit(limit))]


def own_match_ids(session: Session, tokens: Sequence[str], filters: Filters) -> list[int]:
    """Return the ids of every claim whose own words hold every token, newest first."""
    query = _own_query(session, tokens, filters, below=None, with_own=False)
    return [row[0] for row in session.connection().execute(query)]


def _own_query(
    session: Session, tokens: Sequence[str], filters: Filters, *, below: int | None, with_own: bool
) -> Any:
    claim_id = col(ClaimSearch.claim_id)
    if _is_sqlite(session):
        rowid = CLAIM_FTS.c.rowid
        query: Any = select(rowid).select_from(CLAIM_FTS)
        if with_own:
            query = select(claim_id, ClaimSearch.own).select_from(CLAIM_FTS)
            query = query.join(ClaimSearch, claim_id == rowid)
        query = query.where(_fts_match("claim_fts", tokens)).order_by(rowid.desc())
        if below is not None:
            query = query.where(rowid < below)
        matched: Any = rowid
    else:
        vector: Any = literal_column("claim_search.search_vector")
        query = select(claim_id, ClaimSearch.own) if with_own else select(claim_id)
        query = query.where(vector.op("@@")(_tsquery(tokens))).order_by(claim_id.desc())
        if below is not None:
            query = query.where(claim_id < below)
        matched = claim_id
    conditions = filters.conditions()
    if conditions:
        query = query.join(Claim, col(Claim.id) == matched).where(*conditions)
    return query


def papers_holding(
    session: Session, token: str, *, limit: int, document_id: int | None = None
) -> list[int]:
    """Return the ids of the papers whose words hold the token, newest first, at most `limit`;
    only papers a claim of `document_id` rests on, when given."""
    if _is_sqlite(session):
        paper_id: Any = PAPER_FTS.c.rowid
        query: Any = select(paper_id).select_from(PAPER_FTS)
        query = query.where(_fts_match("paper_fts", [token]))
    else:
        paper_id = literal_column("paper_search.paper_id")
        vector: Any = literal_column("paper_search.search_vector")
        query = select(paper_id).select_from(table("paper_search"))
        query = query.where(vector.op("@@")(_tsquery([token])))
    if document_id is not None:
        cited = (
            select(ClaimPaper.paper_id)
            .join(Claim, col(Claim.id) == col(ClaimPaper.claim_id))
            .where(col(Claim.document_id) == document_id)
        )
        query = query.where(paper_id.in_(cited))
    return [
        row[0] for row in session.connection().execute(query.order_by(paper_id.desc()).limit(limit))
    ]


def papers_holding_any(
    session: Session, claim_ids: Sequence[int], tokens: Sequence[str]
) -> dict[int, list[str]]:
    """Return, for each of these claims, the PMIDs of the papers it rests on whose words hold
    one of the tokens: why a claim was found through its evidence."""
    query = (
        select(ClaimPaper.claim_id, Paper.pmid, PaperSearch.words)
        .join(Paper, col(Paper.id) == col(ClaimPaper.paper_id))
        .join(PaperSearch, col(PaperSearch.paper_id) == col(ClaimPaper.paper_id))
        .where(col(ClaimPaper.claim_id).in_(list(claim_ids)))
        .order_by(col(ClaimPaper.claim_id), col(Paper.id))
    )
    wanted = set(tokens)
    found: dict[int, list[str]] = {}
    for claim_id, pmid, words in session.connection().execute(query):
        if pmid and wanted.intersection(words.split()):
            found.setdefault(claim_id, []).append(pmid)
    return found


def claims_resting_on(
    session: Session, paper_ids: Sequence[int], filters: Filters, *, holding: Sequence[str] = ()
) -> list[tuple[int, int, str]]:
    """Return (claim id, paper id, own tokens) for each claim resting on one of these papers
    that passes the filters and whose own text contains every token of `holding` (a word no
    cited paper holds: "贫血" of "贫血 anemia"), so the database, not Python, drops most claims
    that cannot match. Contains as text: a token inside a longer one passes too, and the ranking,
    which counts whole tokens, drops it."""
    own = col(ClaimSearch.own)
    link = col(ClaimPaper.claim_id)
    query: Any = select(link, ClaimPaper.paper_id, own)
    query = query.join(ClaimSearch, col(ClaimSearch.claim_id) == link)
    query = query.where(*(own.contains(token, autoescape=True) for token in holding))
    conditions = filters.conditions()
    if conditions:
        query = query.join(Claim, col(Claim.id) == link).where(*conditions)
    rows: list[tuple[int, int, str]] = []
    for chunk in chunked(paper_ids):
        in_chunk = query.where(col(ClaimPaper.paper_id).in_(chunk))
        rows += [(row[0], row[1], row[2]) for row in session.connection().execute(in_chunk)]
    return rows


def listed(session: Session, filters: Filters, *, after: int | None, limit: int) -> list[int]:
    """Return the ids of the claims passing the filters, in id order, after `after`."""
    query: Any = select(Claim.id).where(*filters.conditions())
    if after is not None:
        query = query.where(col(Claim.id) > after)
    return [
        row[0] for row in session.connection().execute(query.order_by(col(Claim.id)).limit(limit))
    ]


def chunked(ids: Sequence[int]) -> Iterator[list[int]]:
    """Yield the distinct ids in order, CHUNK at a time: IN lists under SQLite's limit."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]
