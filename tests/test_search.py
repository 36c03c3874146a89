"""Search: Chinese and English, through the claim's own words and the evidence it cites; the same
results on SQLite (FTS5) and PostgreSQL (tsvector); hostile syntax; keyset pages."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from evidence.cli import app
from evidence.db import make_engine, prepare_database, session_scope
from evidence.errors import InputError
from evidence.ingest.language import index_tokens, latin_token, query_tokens, word_parts
from evidence.ingest.pipeline import ingest_file
from evidence.models import Citation, Claim, ClaimPaper, ClaimSearch, PaperSearch
from evidence.search import coverage_note, highlight, index_claims, search_claims
from evidence.search.highlight import LATIN_WORD
from tests.conftest import PROJECT, SEED_DECK, seed_deck

SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"


def seed_into(engine: Engine) -> Engine:
    """Ingest the seed deck and enrich it offline from the shipped snapshot."""
    seed_deck(engine)
    return engine


@pytest.fixture
def seed(engine: Engine) -> Engine:
    """The seed deck ingested and enriched offline, on each backend."""
    return seed_into(engine)


def texts(engine: Engine, q: str, **filters: object) -> list[str]:
    with Session(engine) as session:
        return [hit.text for hit in search_claims(session, q=q, limit=100, **filters).items]  # type: ignore[arg-type]


@pytest.mark.parametrize("word", ["贫血", "抑郁", "疲劳", "骨折"])
def test_two_character_chinese_words_are_found(seed: Engine, word: str) -> None:
    found = texts(seed, word)
    assert found and all(word in text for text in found[:1])


def test_english_query_finds_chinese_claims_through_their_evidence(seed: Engine) -> None:
    osteoclast = texts(seed, "osteoclast")
    assert osteoclast and all("破骨" in text for text in osteoclast[:3])
    depression = texts(seed, "depression")
    assert "IL-6与RA患者抑郁症状密切相关" in depression
    anemia = texts(seed, "anemia")
    assert any("铁" in t or "贫血" in t for t in anemia[:3])
    assert texts(seed, "anaemia") == anemia  # British spelling, same words


def test_own_words_rank_above_evidence(seed: Engine) -> None:
    with Session(seed) as session:
        hits = search_claims(session, q="贫血", limit=100).items
    found = [f"{h.text} {h.topic or ''}" for h in hits]  # the topic is the claim's own, too
    own = [i for i, t in enumerate(found) if "贫血" in t]
    others = [i for i, t in enumerate(found) if "贫血" not in t]
    assert own and (not others or max(own) < min(others))


def test_snippet_marks_the_matched_words() -> None:
    assert highlight("RA患者贫血与血浆内IL-6浓度升高有关", query_tokens("IL-6 贫血")) == (
        "RA患者<mark>贫血</mark>与血浆内<mark>IL-6</mark>浓度升高有关"
    )
    assert highlight("<b> & 贫血", ["贫血"]) == "&lt;b&gt; &amp; <mark>贫血</mark>"


def marked_words(text_: str, tokens: list[str]) -> list[tuple[int, int]]:
    """The Latin words a snippet must mark, the plain way: every word of the text, folded, and
    else each part of a hyphenated word that is a word of its own."""
    spans = []
    for m in LATIN_WORD.finditer(text_):
        if latin_token(m.group()) in tokens:
            spans.append(m.span())
            continue
        for start, end in word_parts(m.group()):
            if latin_token(m.group()[start:end]) in tokens:
                spans.append((m.start() + start, m.start() + end))
    return spans


WORDISH = st.text(alphabet="aAeEbBxX6-‐ α-Σσς贫血,", max_size=40)


@settings(max_examples=300, deadline=None)
@given(text_=WORDISH, words=st.lists(WORDISH, max_size=3))
def test_a_snippet_marks_the_words_whose_tokens_are_asked_for(text_: str, words: list[str]) -> None:
    tokens = [latin_token(m.group()) for word in words for m in LATIN_WORD.finditer(word)]
    marked = re.findall(r"<mark>(.*?)</mark>", highlight(text_, tokens))
    assert marked == [html.escape(text_[start:end]) for start, end in marked_words(text_, tokens)]


def test_a_snippet_marks_whole_words_whose_first_letters_may_fold() -> None:
    assert highlight("Aetiology of IL-6, il6 and anaemia", ["etiolog", "il6", "anemia"]) == (
        "<mark>Aetiology</mark> of <mark>IL-6</mark>, <mark>il6</mark> and <mark>anaemia</mark>"
    )
    assert highlight("sIL-6R, IL-6 -IL6 IL--6", ["il6"]) == (
        "sIL-6R, <mark>IL-6</mark> -<mark>IL6</mark> IL--6"
    )


@pytest.mark.parametrize(
    "query",
    ['"', '"IL-6', "*", "-", "NEAR", "OR", "AND", "((", ")", "IL-6 OR", "a AND NOT b", "'; DROP TABLE claim; --",
     "NEAR(贫血 抑郁, 2)", "^", "{}", "贫血*", "col:贫血", "   "],
)  # fmt: skip
def test_user_syntax_never_breaks_search(seed: Engine, query: str) -> None:
    with Session(seed) as session:
        page = search_claims(session, q=query, limit=10)
    assert isinstance(page.items, list)


def test_nul_character_is_refused_not_a_crash(seed: Engine) -> None:
    with Session(seed) as session, pytest.raises(InputError, match="NUL"):
        search_claims(session, q="贫\x00血")


def test_filters_narrow_results(seed: Engine) -> None:
    assert set(texts(seed, "贫血", topic="血液系统")) <= set(texts(seed, "贫血"))
    robak = texts(seed, "IL-6", pmid="9883970")
    assert robak and "IL-6与RA疾病活动度间存在密切的相关性" in robak
    assert texts(seed, "IL-6", verdict="mismatch") == texts(seed, "IL-6", pmid="12794819")


@pytest.mark.parametrize("q", [None, "IL-6"])
def test_pages_neither_skip_nor_repeat(seed: Engine, q: str | None) -> None:
    def walk(size: int) -> list[int]:
        ids: list[int] = []
        cursor = None
        with Session(seed) as session:
            while True:
                page = search_claims(session, q=q, limit=size, cursor=cursor)
                ids += [h.id for h in page.items]
                if page.next_cursor is None:
                    return ids
                cursor = page.next_cursor

    walked, whole = walk(7), walk(100)
    assert walked == whole and len(set(walked)) == len(walked) and len(walked) > 7
    if q is None:
        with Session(seed) as session:
            assert len(walked) == session.exec(select(func.count()).select_from(Claim)).one()


FORGED = base64.urlsafe_b64encode(b"[0, 99999999999]").decode()  # an id beyond 32 bits


@pytest.mark.parametrize(
    ("limit", "cursor"), [(0, None), (101, None), (10, "garbage"), (10, "W10"), (10, FORGED)]
)
def test_bad_limit_or_cursor_is_an_input_error(seed: Engine, limit: int, cursor: str) -> None:
    with Session(seed) as session, pytest.raises(InputError):
        search_claims(session, q="IL-6", limit=limit, cursor=cursor)


def test_editing_and_deleting_a_claim_changes_results(seed: Engine) -> None:
    target = "RA患者贫血与血浆内IL-6浓度升高有关"
    with session_scope(seed) as session:
        claim = session.exec(select(Claim).where(Claim.text == target)).one()
        claim.text = "RA患者疲乏与血浆内IL-6浓度升高有关"
        session.add(claim)
        session.flush()
        index_claims(session, [claim.id or 0])
        claim_id = claim.id
    assert target not in texts(seed, "贫血")
    assert "RA患者疲乏与血浆内IL-6浓度升高有关" in texts(seed, "疲乏")
    with session_scope(seed) as session:
        session.execute(delete(Claim).where(Claim.id == claim_id))  # type: ignore[arg-type]
    assert texts(seed, "疲乏") == []
    with Session(seed) as session:
        rows = session.exec(select(func.count()).select_from(ClaimSearch)).one()
        claims = session.exec(select(func.count()).select_from(Claim)).one()
    assert rows == claims  # the index row went with its claim


def test_search_command_json_is_claims_with_score_and_snippet(database_url: str) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SEED_DECK)], env=env).exit_code == 0
    import json

    result = runner.invoke(app, ["search", "贫血", "--format", "json", "--limit", "3"], env=env)
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    claims = json.loads(runner.invoke(app, ["claims", "--format", "json"], env=env).stdout)
    assert len(hits) == 3
    assert set(hits[0]) == set(claims[0]) | {"score", "snippet", "found_through"}
    assert "<mark>贫血</mark>" in hits[0]["snippet"]


def test_search_command_table_prints_text_as_written(database_url: str, tmp_path: Path) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    deck = tmp_path / "brackets.txt"
    deck.write_text(
        "Deck\n\n\n• [bold]Anaemia[/bold] & <b>fatigue</b> follow IL-6 [red] 1\n\n"
        "1. Smith J, et al. Lancet 2001;357:1-2.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(deck)], env=env).exit_code == 0
    assert runner.invoke(app, ["ingest", str(SEED_DECK)], env=env).exit_code == 0
    result = runner.invoke(app, ["search", "fatigue", "--document", "1"], env=env)
    assert result.exit_code == 0, result.output
    assert "[bold]Anaemia[/bold]" in result.stdout and "<b>" in result.stdout  # not markup
    elsewhere = runner.invoke(app, ["search", "贫血", "--document", "1"], env=env)
    assert "IL-6" not in elsewhere.stdout  # the seed deck's claims are document 2


@pytest.mark.postgresql
def test_both_backends_find_the_same_claims(tmp_path: Path) -> None:
    from tests.conftest import POSTGRES_URL, _admin

    assert POSTGRES_URL
    name = f"evidence_same_{tmp_path.name[-8:].replace('-', '_')}"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    urls = [
        f"sqlite:///{tmp_path / 'same.db'}",
        make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False),
    ]
    found: list[dict[str, list[tuple[str, float | None]]]] = []
    try:
        for url in urls:
            engine = make_engine(url)
            prepare_database(engine)
            seeded = seed_into(engine)
            found.append({q: ranked(seeded, q) for q in QUERIES})
            engine.dispose()
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert found[0] == found[1]  # the same claims, scores and order: evidence ranks, not the DB
    assert all(found[0][q] for q in QUERIES)


def ranked(engine: Engine, q: str) -> list[tuple[str, float | None]]:
    with Session(engine) as session:
        return [(hit.text, hit.score) for hit in search_claims(session, q=q, limit=100).items]


QUERIES = [
    "贫血",
    "抑郁",
    "osteoclast",
    "depression",
    "IL-6 贫血",
    "托珠单抗",
    "anemia",
    "破骨",
    "贫血 anemia",
    "IL-6",
]


def test_tokens_are_the_same_from_many_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from evidence.ingest.language import latin_token

    words = [
        f"fatigued{i}x" if i % 2 else w
        for i, w in enumerate(
            ["depression", "anemia", "osteoclasts", "cells", "fatigue", "tocilizumab"] * 50
        )
    ]
    expected = [latin_token.__wrapped__(w) for w in words]
    latin_token.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda w: index_tokens(w)[0], words * 20))
    assert results == expected * 20


def test_unchecked_finds_claims_whose_citations_were_never_verified(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)  # ingested only: no citation has a verdict yet
    with Session(engine) as session:
        unchecked = search_claims(session, q="贫血", verdict="unchecked", limit=100).items
        everything = search_claims(session, q="贫血", limit=100).items
        verified = search_claims(session, q="贫血", verdict="verified", limit=100).items
        with pytest.raises(InputError, match="verdict must be one of"):
            search_claims(session, verdict="wrong")
    cited = [hit.id for hit in everything if hit.citations]
    assert cited and [hit.id for hit in unchecked] == cited and verified == []


def test_a_claim_found_through_evidence_names_the_papers_holding_the_words(seed: Engine) -> None:
    with Session(seed) as session:
        hits = search_claims(session, q="anemia", limit=100).items
    weiss = "23147894"  # Weiss & Schett: anaemia in inflammatory rheumatic diseases
    through_weiss = [hit for hit in hits if weiss in hit.found_through]
    assert through_weiss
    for hit in hits:  # the deck's claims are Chinese: every hit is found through evidence
        cited = {c.pmid for c in hit.citations if c.pmid}
        assert hit.found_through and set(hit.found_through) <= cited


@pytest.mark.parametrize("q", ["贫血 anemia", "破骨 osteoclast", "IL-6 anemia"])
def test_a_mixed_query_finds_exactly_the_claims_holding_each_word_somewhere(
    seed: Engine, q: str
) -> None:
    """Every word in the claim's own words or in a paper it cites: checked by brute force."""
    tokens = query_tokens(q)
    with Session(seed) as session:
        found = {hit.id for hit in search_claims(session, q=q, limit=100).items}
        own = dict(session.exec(select(ClaimSearch.claim_id, ClaimSearch.own)).all())
        cited = session.exec(
            select(ClaimPaper.claim_id, PaperSearch.words).join(
                PaperSearch, col(PaperSearch.paper_id) == col(ClaimPaper.paper_id)
            )
        ).all()
    words = {claim_id: set(text.split()) for claim_id, text in own.items()}
    for claim_id, paper_words in cited:
        words[claim_id] |= set(paper_words.split())
    expected = {claim_id for claim_id, held in words.items() if set(tokens) <= held}
    assert expected and found == expected


def test_the_note_on_unresolved_citations_counts_them_in_words() -> None:
    assert coverage_note(0, one_document=False) is None
    assert (coverage_note(1, one_document=True) or "").startswith(
        "1 citation in this document is not resolved"
    )
    assert (coverage_note(2, one_document=False) or "").startswith("2 citations are not resolved")


def test_a_part_of_a_hyphenated_word_or_a_possessive_finds_the_claim(
    engine: Engine, tmp_path: Path
) -> None:
    """Medical text hyphenates constantly: "amyloid" finds "Amyloid-positive", "IL-6" finds
    "anti-IL-6", and "pre-eclampsia" the closed "Preeclampsia"; "Alzheimer's" is "Alzheimer"."""
    path = tmp_path / "hyphens.txt"
    path.write_text(
        "Hyphens\n\nAmyloid-positive adults declined faster than the others in the cohort\n\n\n\n"
        "Antibodies\n\nAnti-IL-6 receptor antibodies lowered hepcidin in every patient\n\n\n\n"
        "Possessives\n\nIncident Alzheimer disease remains poorly understood in these adults\n\n"
        "\n\nSpacing\n\nAmyloid positive scans predicted decline in the older adults studied\n"
        "\n\n\nClosed\n\nPreeclampsia raised the risk of stroke in later life in these women\n",
        encoding="utf-8",
    )
    ingest_file(engine, path)
    assert texts(engine, "amyloid") == [
        "Amyloid positive scans predicted decline in the older adults studied",
        "Amyloid-positive adults declined faster than the others in the cohort",
    ]
    assert texts(engine, "amyloid-positive") == [
        "Amyloid-positive adults declined faster than the others in the cohort"
    ]
    assert texts(engine, "pre-eclampsia") == [
        "Preeclampsia raised the risk of stroke in later life in these women"
    ]
    assert texts(engine, "IL-6") == [
        "Anti-IL-6 receptor antibodies lowered hepcidin in every patient"
    ]
    assert texts(engine, "Alzheimer's") == texts(engine, "Alzheimer") != []
    with Session(engine) as session:
        hit = search_claims(session, q="amyloid").items[1]
    assert (
        hit.snippet
        == "<mark>Amyloid</mark>-positive adults declined faster than the others in the cohort"
    )


def test_citations_pubmed_cannot_hold_are_not_counted_as_unresolved(seed: Engine) -> None:
    """A Chinese journal's article (not_in_pubmed) is no paper enriching could still find."""
    from evidence.search.coverage import unresolved_citations

    with Session(seed) as session:
        before = unresolved_citations(session)
        citation = session.exec(select(Citation).where(col(Citation.paper_id).is_(None))).first()
        assert citation is not None and before > 0
        citation.resolution_status = "not_in_pubmed"
        session.add(citation)
        session.commit()
        assert unresolved_citations(session) == before - 1
        assert unresolved_citations(session, document_id=citation.document_id) == before - 1


def test_a_slides_title_is_its_topic_and_finds_its_claims(engine: Engine, tmp_path: Path) -> None:
    """A deck without section labels: each slide's short title is its topic (and heading), so
    its words find the slide's bullets, and the topic filter takes it."""
    path = tmp_path / "deck.md"
    path.write_text(
        "# Dementia care\n\n---\n\n## Symptomatic therapy\n\n"
        "- Continuing donepezil was associated with cognitive benefit over a year [1]\n\n"
        "1. Howard R, et al. N Engl J Med. 2012;366(10):893-903.\n\n---\n\n"
        "## Agitation\n\n- Citalopram reduced agitation in patients with dementia [1]\n\n"
        "1. Porsteinsson AP, et al. JAMA. 2014;311(7):682-691.\n",
        encoding="utf-8",
    )
    ingest_file(engine, path)
    assert texts(engine, "symptomatic") == [
        "Continuing donepezil was associated with cognitive benefit over a year"
    ]
    assert texts(engine, "citalopram", topic="Agitation") == [
        "Citalopram reduced agitation in patients with dementia"
    ]


@pytest.mark.parametrize(
    ("query", "noted"),
    [
        ("sleep -melatonin", True),
        ("sleep OR citalopram", True),
        ('"bone loss"', True),
        ("IL-6 anaemia", False),  # a hyphen inside a word is the word's
        ("or and not", False),  # lower-case words are words
    ],
)
def test_search_syntax_read_as_words_is_said(seed: Engine, query: str, noted: bool) -> None:
    """Every word is required and nothing is an operator: a query holding OR, a leading "-",
    quotes or "*" is told so, in the API's page, the CLI's notes and the web page."""
    with Session(seed) as session:
        page = search_claims(session, q=query)
    assert (page.query_note is not None) == noted
    if noted:
        assert "OR" in (page.query_note or "") and "operators" in (page.query_note or "")
    url = seed.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["search", "--", query], env={"EVIDENCE_DATABASE_URL": url})
    assert result.exit_code == 0
    assert ("note: every word of a query is required" in result.stderr) == noted
