"""Time the search on a loaded bench database: the bare query, `search_claims` and the naive
LIKE scan, with nearest-rank percentiles; count the matches and explain the slowest plan; time
how an export chooses every claim a search finds, against paging through the search; and time
`/papers?q=`'s first page through the index against a substring scan of the cited papers.

The naive way ranks like the search does (claims whose own text has the words first), so it reads
every row; it runs against the time budget `--naive-seconds` per backend, each query at least once.
p99 is the nearest-rank percentile: of fewer than 100 runs, that is the slowest.
"""

from __future__ import annotations

import math
import time
import timeit
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evidence.browse import search_papers
from evidence.ingest.language import index_tokens, query_tokens
from evidence.search import claim_ids_found, search_claims
from evidence.search.filters import Filters
from evidence.search.match import cited_papers_holding
from evidence.search.query import _ranked


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of the values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_calls(
    call: Callable[[], object], repeat: int, seconds: float, warm_up: bool = True
) -> list[float]:
    """Time a call (after one warm-up): `repeat` times, or fewer when `seconds` run out."""
    if warm_up:
        call()
    times: list[float] = []
    budget = time.perf_counter() + seconds
    while len(times) < repeat and (not times or time.perf_counter() < budget):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def python_speed() -> float:
    """Return the seconds this machine's Python takes for sum(range(10**7)), best of 5: machines
    of one kind differ by up to 2x, and the figure says which end a run was measured on."""
    return min(timeit.repeat("sum(range(10**7))", number=1, repeat=5))


def bare_search(engine: Engine, q: str) -> list[int]:
    """Search the way the CLI and the API do: one session, the library function."""
    with Session(engine) as session:
        return [hit.id for hit in search_claims(session, q=q, limit=20).items]


def bare_query(engine: Engine, q: str) -> tuple[list[tuple[float, int]], bool, bool]:
    """The search's own work for the first page (its SQL, fetched, and its ranking), without
    turning rows into claims or snippets: what a bare SQL query would do."""
    with Session(engine) as session:
        return _ranked(session, query_tokens(q), Filters(), None, 21)


def time_export_selection(engine: Engine, q: str) -> tuple[int, float, float]:
    """Time choosing every claim a search finds, as an export does: asking for their ids at
    once (claim_ids_found), and the naive way, paging through search_claims 100 at a time (what
    an export did before, ranking again for every page). Return the count and both times;
    raise if the two ways disagree."""
    with Session(engine) as session:
        started = time.perf_counter()
        ids, _ = claim_ids_found(session, q)
        at_once = time.perf_counter() - started
        paged: list[int] = []
        cursor: str | None = None
        started = time.perf_counter()
        while True:
            page = search_claims(session, q=q, limit=100, cursor=cursor)
            paged += [hit.id for hit in page.items]
            if (cursor := page.next_cursor) is None:
                break
        by_pages = time.perf_counter() - started
    if sorted(ids) != sorted(paged):
        raise AssertionError(f"claim_ids_found and paging disagree on {q!r}")
    return len(ids), at_once, by_pages


def time_home_page_data(engine: Engine) -> tuple[float, float]:
    """Time what the web search page reads besides its claims (the documents it names, the
    newest documents' cards, the topics it lists), and the naive way, as it read them before:
    every document with its counts and its card, and the topics by SELECT DISTINCT. Return the
    median of 5 runs of each."""
    from api.web.pages import CARDS_SHOWN, DOCUMENTS_LISTED, TOPICS_LISTED
    from evidence.documents import (
        count_documents,
        document_names,
        list_documents,
        newest_documents,
        overview_documents,
    )
    from evidence.web_views import list_topics

    def page_data(session: Session) -> None:
        if count_documents(session) <= DOCUMENTS_LISTED:
            document_names(session)
        overview_documents(session, newest_documents(session, limit=CARDS_SHOWN))
        list_topics(session, limit=TOPICS_LISTED + 1)

    def naive(session: Session) -> None:
        overview_documents(session, list_documents(session))
        session.connection().execute(text("SELECT DISTINCT topic FROM claim")).all()

    with Session(engine) as session:
        timed = [time_calls(partial(way, session), 5, 60) for way in (page_data, naive)]
    return percentile(timed[0], 0.5), percentile(timed[1], 0.5)


def count_matches(engine: Engine, q: str) -> tuple[int, int]:
    """Count the claims whose own words hold every word of the query, and the papers holding
    the query's most common word (what the search would have to rank without its caps)."""
    tokens = query_tokens(q)
    sqlite = engine.dialect.name == "sqlite"

    def count(table: str, fts: str, words: list[str]) -> int:
        if sqlite:
            match = " AND ".join(f'"{t}"' for t in words)
            sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH :m"
        else:
            match = " & ".join(f"'{t}'" for t in words)
            sql = f"SELECT count(*) FROM {table} WHERE search_vector @@ to_tsquery('simple', :m)"
        with engine.connect() as connection:
            return int(connection.execute(text(sql), {"m": match}).scalar_one())

    papers = max(count("paper_search", "paper_fts", [t]) for t in tokens)
    return count("claim_search", "claim_fts", tokens), papers


def naive_search(engine: Engine, q: str) -> list[int]:
    """The naive way: LIKE over every claim's text and the words of the papers it cites,
    own-text matches first.

    Papers' words are index tokens, so they are matched with each word's token ("depress");
    the claim's text with the word as typed.
    """
    like = "ILIKE" if engine.dialect.name == "postgresql" else "LIKE"  # SQLite's: any ASCII case
    where, rank, params = [], [], {}
    for n, word in enumerate(q.split()):
        params[f"w{n}"] = f"%{word}%"
        params[f"t{n}"] = f"%{' '.join(index_tokens(word))}%"
        where.append(
            f"(c.text {like} :w{n} OR EXISTS (SELECT 1 FROM claim_paper cp JOIN paper_search p"
            f" ON p.paper_id = cp.paper_id WHERE cp.claim_id = c.id AND p.words LIKE :t{n}))"
        )
        rank.append(f"CASE WHEN c.text {like} :w{n} THEN 1 ELSE 0 END")
    sql = (
        "SELECT c.id FROM claim c "
        f"WHERE {' AND '.join(where)} ORDER BY {' + '.join(rank)} DESC, c.id LIMIT 20"
    )
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params).scalars())


def time_naive(engine: Engine, queries: list[str], seconds: float) -> dict[str, list[float]]:
    """Run each query once, then round after round while the time budget lasts."""
    naive_search(engine, queries[0])  # warm-up: the first scan reads the tables from disk
    times: dict[str, list[float]] = {q: [] for q in queries}
    budget = time.perf_counter() + seconds
    while True:
        for q in queries:
            if times[q] and time.perf_counter() > budget:
                return times
            started = time.perf_counter()
            naive_search(engine, q)
            times[q].append(time.perf_counter() - started)


def paper_search(engine: Engine, q: str) -> int:
    """`GET /papers?q=`'s first page of 20 (the cited papers holding every word, newest first,
    shaped for users); return how many it holds."""
    with Session(engine) as session:
        return len(search_papers(session, q=q, limit=20).items)


def papers_found(engine: Engine, q: str) -> list[int]:
    """The ids of the papers on that page (a bench paper has no PMID to tell it by)."""
    with Session(engine) as session:
        return cited_papers_holding(session, query_tokens(q), limit=20)


def naive_paper_search(engine: Engine, q: str) -> list[int]:
    """The naive way, as `/papers?q=` searched before it went through the index: a
    case-insensitive substring scan of every cited paper's text, newest first. A bench paper's
    text (title, abstract, MeSH headings, keywords) is its index words, so each of the query's
    words is looked for there as a whole word, and the two ways must find the same papers."""
    like = "ILIKE" if engine.dialect.name == "postgresql" else "LIKE"
    tokens = query_tokens(q)
    where = " AND ".join(f"(' ' || s.words || ' ') {like} :t{n}" for n in range(len(tokens)))
    sql = (
        "SELECT s.paper_id FROM paper_search s"
        " WHERE EXISTS (SELECT 1 FROM citation c WHERE c.paper_id = s.paper_id)"
        f" AND {where} ORDER BY s.paper_id DESC LIMIT 20"
    )
    params = {f"t{n}": f"% {token} %" for n, token in enumerate(tokens)}
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params).scalars())


def time_paper_searches(
    engine: Engine, queries: list[str], repeat: int, seconds: float
) -> dict[str, tuple[int, list[float], list[float]]]:
    """Time `/papers?q=`'s first page through the index and the naive way, for each query;
    return how many papers the page holds and both ways' times. The naive way runs at most
    3 times a query. Raise when the two ways disagree on the page."""
    timed = {}
    for q in queries:
        found = papers_found(engine, q)
        if found != naive_paper_search(engine, q) or paper_search(engine, q) != len(found):
            raise AssertionError(f"the paper search and the naive scan disagree on {q!r}")
        fast = time_calls(partial(paper_search, engine, q), repeat, seconds)
        naive = time_calls(partial(naive_paper_search, engine, q), 3, seconds, warm_up=False)
        timed[q] = (len(found), fast, naive)
    return timed


def explain(engine: Engine, q: str) -> str:
    """Return the plan of the search's ranking query for q (EXPLAIN ANALYZE on PostgreSQL)."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        bare_search(engine, q)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    statement, parameters = statements[0]
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join("    " + " ".join(str(v) for v in row[-1:]) for row in rows)
