"""Search past its caps: a word more claims hold than RANK_CAP ranks the most recent RANK_CAP,
then lists the older ones unranked, and pages still neither skip nor repeat; a word more papers
hold than PAPER_CAP says the search through evidence was cut, unless a document bounds it."""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evidence.db import session_scope
from evidence.ingest.language import query_tokens
from evidence.ingest.pipeline import ingest_file
from evidence.models import Paper
from evidence.search import RANK_CAP, ClaimHit, index_papers, match, search_claims
from evidence.search.filters import Filters
from evidence.search.match import own_matches, papers_holding
from tests.conftest import seed_deck

EXTRA = 150  # claims beyond the cap


@pytest.fixture
def crowded(engine: Engine, tmp_path: Path) -> Engine:
    """A manuscript of RANK_CAP + EXTRA sentences that all say "hepcidin"; every 7th twice."""
    sentences = [
        f"Serum hepcidin level {n} was measured in patient group {n}."
        + (" Hepcidin rose." if n % 7 == 0 else "")
        for n in range(1, RANK_CAP + EXTRA + 1)
    ]
    path = tmp_path / "crowded.txt"
    path.write_text("\n\n".join(sentences), encoding="utf-8")
    ingest_file(engine, path)
    return engine


def walk(engine: Engine, q: str, size: int) -> list[ClaimHit]:
    hits: list[ClaimHit] = []
    cursor = None
    with Session(engine) as session:
        while True:
            page = search_claims(session, q=q, limit=size, cursor=cursor)
            hits += page.items
            if page.next_cursor is None:
                return hits
            cursor = page.next_cursor


def test_a_page_says_when_the_ranking_was_cut(crowded: Engine) -> None:
    with Session(crowded) as session:
        common = search_claims(session, q="hepcidin", limit=10)
        rare = search_claims(session, q="hepcidin 42", limit=10)
    assert common.ranking_capped and not rare.ranking_capped
    assert not common.evidence_capped


def test_a_common_word_ranks_the_newest_and_lists_the_rest(crowded: Engine) -> None:
    hits = walk(crowded, "hepcidin", 100)
    ids = [hit.id for hit in hits]
    assert len(ids) == len(set(ids)) >= RANK_CAP + EXTRA  # every claim, once
    ranked, rest = hits[:RANK_CAP], hits[RANK_CAP:]
    assert all(hit.score is not None and hit.score > 1.0 for hit in ranked)
    assert all(hit.score == 1.0 for hit in rest)
    assert min(h.id for h in ranked) > max(h.id for h in rest)  # the newest are the ranked
    assert [h.id for h in rest] == sorted((h.id for h in rest), reverse=True)
    assert "Hepcidin rose" in ranked[0].text  # said twice: ranked first
    assert [h.score for h in ranked] == sorted((h.score or 0 for h in ranked), reverse=True)


@pytest.mark.parametrize("size", [7, 100])
def test_pages_across_the_cap_neither_skip_nor_repeat(crowded: Engine, size: int) -> None:
    assert [h.id for h in walk(crowded, "hepcidin", size)] == [
        h.id for h in walk(crowded, "hepcidin", 100 if size == 7 else 37)
    ]


def test_a_rare_word_in_a_crowd_is_ranked_exactly(crowded: Engine) -> None:
    n = RANK_CAP + EXTRA // 3  # one claim of the crowd
    with Session(crowded) as session:
        hits = search_claims(session, q=f"hepcidin {n}", limit=10).items
    assert [h.text for h in hits] == [
        f"Serum hepcidin level {n} was measured in patient group {n}."
    ]


def test_a_capped_search_through_evidence_says_so(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_deck(engine)  # several of its papers are about osteoclasts; its claims are Chinese
    with Session(engine) as session:
        whole = search_claims(session, q="osteoclast", limit=100)
        monkeypatch.setattr("evidence.search.query.PAPER_CAP", 1)
        cut = search_claims(session, q="osteoclast", limit=100)
    assert not whole.evidence_capped and cut.evidence_capped
    assert {h.id for h in cut.items} < {h.id for h in whole.items}


def test_a_document_filter_looks_only_in_the_papers_its_claims_cite(engine: Engine) -> None:
    seed_deck(engine)
    with session_scope(engine) as session:
        stranger = Paper(pmid="99999999", title="Osteoclast biology in another field")
        session.add(stranger)
        session.flush()
        index_papers(session, [stranger.id or 0])
        stranger_id = stranger.id
    with Session(engine) as session:
        everywhere = papers_holding(session, "osteoclast", limit=100)
        in_deck = papers_holding(session, "osteoclast", limit=100, document_id=1)
    assert stranger_id in everywhere and stranger_id not in in_deck
    assert set(in_deck) == set(everywhere) - {stranger_id} and in_deck


QUERIES = [
    "hepcidin 42",
    "42 hepcidin",
    "hepcidin rose",
    "rose 7",
    "serum hepcidin",
    "hepcidin zzz",
]


@pytest.mark.parametrize("q", QUERIES)
def test_a_rare_word_looked_up_alone_finds_what_every_word_together_finds(
    crowded: Engine, q: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if crowded.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's index answers every word together")
    asked: list[int] = []  # how many tokens each statement asked FTS5 for
    matched = match._matched

    def spy(dialect: str, tokens: list[str]) -> str:
        asked.append(len(tokens))
        return matched(dialect, tokens)

    monkeypatch.setattr(match, "_matched", spy)
    monkeypatch.setattr(match, "_COMMON", WeakKeyDictionary())
    tokens = query_tokens(q)
    with Session(crowded) as session:
        alone = [
            own_matches(session, tokens, Filters(document_id=document), limit=limit, below=below)
            for document in (None, 1, 2)
            for limit, below in ((RANK_CAP + 1, None), (5, None), (10, RANK_CAP))
        ]
        pages = [(h.id, h.score) for h in walk(crowded, q, 7)]
    # "serum hepcidin": both words are in every claim (common): FTS5 matches both together.
    assert (2 in asked) == (q == "serum hepcidin")
    monkeypatch.setattr(match, "RARE", -1)  # no word is rare: FTS5 matches every word together
    with Session(crowded) as session:
        together = [
            own_matches(session, tokens, Filters(document_id=document), limit=limit, below=below)
            for document in (None, 1, 2)
            for limit, below in ((RANK_CAP + 1, None), (5, None), (10, RANK_CAP))
        ]
    assert [list(rows) for rows in alone] == [list(rows) for rows in together]
    assert pages == [(h.id, h.score) for h in walk(crowded, q, 7)]
    assert pages or q == "hepcidin zzz"
