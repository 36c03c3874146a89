"""The web pages, on SQLite and PostgreSQL, through the app: the seed deck ingested, enriched
offline and verified, then searched, filtered, paged and read as HTML; the pages show what the
JSON API and the library say, escape everything, and answer bad input with 4xx HTML pages."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator

import pytest
from markupsafe import escape
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.main import create_app
from api.web import pages
from api.web.rendering import VERDICT_HINTS
from evidence.config import Settings
from evidence.db import session_scope
from evidence.documents import summarize_verdicts
from evidence.ingest.pipeline import ingest_source
from evidence.ingest.readers import read_document_bytes
from evidence.models import Citation, Claim, Document
from evidence.verify import number_checks
from evidence.verify.verdicts import VERDICTS
from evidence.web_views import list_topics
from tests.conftest import seed_deck

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Starlette would rather have httpx2
    from fastapi.testclient import TestClient

NAKAHARA = "12794819"  # cited with volume 8; PubMed says 48
ANAEMIA_CLAIM = "IL-6产生过多可导致贫血"
PLAIN_DECK = b"A deck citing nothing\n\n\nIL-6 rises in every inflamed joint"
HOSTILE_DECK = (
    "Hostile deck\n\n\n"
    '• <script>alert("x")</script> IL-6 causes anaemia & fatigue 1\n\n'
    "1. Smith J, et al. <b>Bold</b> Lancet 2001;357:1-2.\n"
).encode()


@pytest.fixture
def web(database_url: str, engine: Engine) -> Iterator[TestClient]:
    """A client of an app whose database holds the seed deck, enriched offline and verified."""
    seed_deck(engine)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def claim_ids(page: str) -> list[int]:
    """Return the ids of the claim cards on a page, in order."""
    return [int(i) for i in re.findall(r'<article class="claim [a-z_]+" data-claim="(\d+)"', page)]


def api_ids(client: TestClient, **params: object) -> list[int]:
    """Return the ids of the JSON API's first page of claims for the same filters."""
    response = client.get("/claims", params={**params, "limit": 20})
    assert response.status_code == 200, response.text
    return [claim["id"] for claim in response.json()["items"]]


def assert_html(response: object, status: int = 200) -> str:
    status_code = response.status_code  # type: ignore[attr-defined]
    text: str = response.text  # type: ignore[attr-defined]
    assert status_code == status, text[:2000]
    assert response.headers["content-type"] == "text/html; charset=utf-8"  # type: ignore[attr-defined]
    assert text.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in text
    assert '<meta charset="utf-8">' in text
    return text


def test_web_home_lists_the_documents_with_their_verdicts_and_the_claims(web: TestClient) -> None:
    page = assert_html(web.get("/"))
    assert "IL-6的发现历程" in page and 'href="/web/documents/1"' in page
    assert 'href="/export/bibtex?document=1"' in page and 'href="/export/ris"' in page
    assert claim_ids(page) == api_ids(web)  # the first 20 claims in id order
    assert 'rel="next"' in page
    assert "Droid Sans Fallback" in page and "Noto Sans CJK SC" in page  # a CJK font stack


def test_web_home_pages_through_every_claim_once(web: TestClient) -> None:
    seen: list[int] = []
    path = "/"
    for _ in range(20):
        page = assert_html(web.get(path))
        seen += claim_ids(page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        if found is None:
            break
        path = html.unescape(found.group(1))
    assert len(seen) == 124 and seen == sorted(set(seen))


@pytest.mark.parametrize("query", ["贫血", "anemia"])
def test_web_search_shows_the_claims_the_api_finds(web: TestClient, query: str) -> None:
    page = assert_html(web.get("/", params={"q": query}))
    assert claim_ids(page) == api_ids(web, q=query) != []
    assert f"Claims matching “{query}”" in page
    assert f'href="/export/bibtex?q={"%E8%B4%AB%E8%A1%80" if query == "贫血" else query}"' in page


def test_web_search_says_its_verdict_counts_are_of_the_page_shown(web: TestClient) -> None:
    """IL-6 finds more claims than a page holds: the counts say they are the page's."""
    first = assert_html(web.get("/", params={"q": "IL-6"}))
    assert "Citations of the 20 claims on this page (more on the next pages" in first
    one = assert_html(web.get("/", params={"q": "铁调素"}))
    shown = len(claim_ids(one))
    assert 0 < shown < 20 and f"Citations of the {shown} claim" in one
    assert "more on the next pages" not in one


def test_web_search_in_chinese_highlights_the_anaemia_claims(web: TestClient) -> None:
    page = assert_html(web.get("/", params={"q": "贫血"}))
    assert "IL-6产生过多可导致<mark>贫血</mark>" in page
    assert "Documents</h2>" not in page  # a search shows results, not the overview


def test_web_search_in_english_finds_the_chinese_claims_by_their_evidence(web: TestClient) -> None:
    page = assert_html(web.get("/", params={"q": "anemia"}))
    assert "铁调素合成释放增加" in page and "血液系统 贫血" in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/23147894/"' in page  # the paper they rest on


def test_web_verdict_filter_shows_the_mismatch_with_its_differing_field(web: TestClient) -> None:
    page = assert_html(web.get("/", params={"verdict": "mismatch"}))
    assert claim_ids(page) == api_ids(web, verdict="mismatch") != []
    assert '<option value="mismatch" selected>' in page
    assert "<b>volume</b>: written <del>8</del> · PubMed <ins>48</ins>" in page
    assert f'href="https://pubmed.ncbi.nlm.nih.gov/{NAKAHARA}/"' in page
    assert 'class="badge mismatch"' in page


def test_web_topic_and_document_filters_narrow_the_claims(web: TestClient) -> None:
    page = assert_html(web.get("/", params={"topic": "骨破坏", "document": "1", "q": ""}))
    assert claim_ids(page) == api_ids(web, topic="骨破坏", document=1) != []
    assert "<option selected>骨破坏</option>" in page
    missing = assert_html(web.get("/", params={"document": "999"}), 404)
    assert claim_ids(missing) == [] and "no document with id 999" in missing


def test_web_types_the_topic_when_there_are_too_many_to_list(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = assert_html(web.get("/"))
    assert '<select name="topic"' in listed and "<option>骨破坏</option>" in listed
    monkeypatch.setattr(pages, "TOPICS_LISTED", 2)
    page = assert_html(web.get("/", params={"topic": "骨破坏"}))
    assert '<select name="topic"' not in page and "<option>" not in page.split('name="verdict"')[0]
    assert '<input type="search" name="topic" value="骨破坏"' in page
    assert claim_ids(page) == api_ids(web, topic="骨破坏") != []
    part = assert_html(web.get("/", params={"topic": "破坏"}))  # a part, as the API takes it
    assert claim_ids(part) == api_ids(web, topic="破坏") != []


def test_web_home_shows_the_newest_documents_and_names_them_all(
    database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_deck(engine)
    ingest_source(engine, read_document_bytes(HOSTILE_DECK, filename="hostile.txt"))
    monkeypatch.setattr(pages, "CARDS_SHOWN", 1)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        page = assert_html(client.get("/"))
    cards = re.findall(r'<section class="panel document-card">.*?<h3><a href="([^"]+)"', page, re.S)
    assert cards == ["/web/documents/2"]  # the newest
    assert "the 1 most recent of 2; the Document filter names them all" in page
    assert '<option value="1">IL-6的发现历程' in page and '<option value="2">' in page


def test_web_types_the_document_when_there_are_too_many_to_list(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "DOCUMENTS_LISTED", 0)
    home = assert_html(web.get("/"))
    assert '<select name="document"' not in home and '<input type="number" name="document"' in home
    found = assert_html(web.get("/", params={"q": "贫血", "document": "1"}))
    assert 'name="document" min="1" value="1"' in found
    assert claim_ids(found) == api_ids(web, q="贫血", document=1) != []
    # each claim still names its document, read for the claims the page shows
    assert found.count('<a href="/web/documents/1">IL-6的发现历程') == len(claim_ids(found))


def test_topics_are_found_by_skipping_along_the_index_as_distinct_finds_them(
    engine: Engine,
) -> None:
    seed_deck(engine)
    with session_scope(engine) as session:  # a topic missing, and one empty
        ids = session.exec(select(Claim.id).order_by(col(Claim.id)).limit(2)).all()
        session.execute(update(Claim).where(col(Claim.id) == ids[0]).values(topic=None))
        session.execute(update(Claim).where(col(Claim.id) == ids[1]).values(topic=""))
    with Session(engine) as session:
        distinct = session.exec(select(Claim.topic).distinct()).all()
        everything = sorted(topic for topic in distinct if topic)
        assert len(everything) > 5
        assert list_topics(session, limit=len(everything) + 1) == everything
        assert list_topics(session, limit=len(everything)) == everything
        first = list_topics(session, limit=3)
        assert len(first) == 3 and set(first) <= set(everything)
        assert list_topics(session, limit=0) == []


def test_web_claim_page_shows_its_citation_in_full(web: TestClient) -> None:
    (claim_id, *_) = api_ids(web, pmid=NAKAHARA)
    claim = web.get(f"/claims/{claim_id}").json()
    page = assert_html(web.get(f"/web/claims/{claim_id}"))
    assert f'<h1 class="claim-text">{escape(claim["text"])}</h1>' in page
    assert "Anti-interleukin-6 receptor antibody therapy reduces vascular" in page
    assert "<del>8</del>" in page and f'href="/export/bibtex?claim={claim_id}"' in page
    assert f">slide {claim['page']}</a>" in page and 'href="/web/documents/1"' in page
    assert f"· slide {claim['page']}" in page and "· page" not in page  # a deck has slides


def test_web_document_page_summary_matches_the_library(web: TestClient, engine: Engine) -> None:
    page = assert_html(web.get("/web/documents/1"))
    with Session(engine) as session:
        summary = summarize_verdicts(session, document_id=1)
    shown = re.findall(r'class="count" data-verdict="(\w+)">.*?<b>(\d+)</b>', page, re.S)
    assert {verdict: int(n) for verdict, n in shown} == summary.verdicts
    assert summary.verdicts == {"mismatch": 1, "unchecked": 19, "verified": 17}
    stats = dict(re.findall(r'data-stat="(\w+)"><b>(\d+)</b>', page))
    assert int(stats["unreferenced"]) == summary.unreferenced_claims
    assert int(stats["dangling"]) == summary.dangling_markers == 3
    assert stats["attention"] == "1" and stats["verified"] == "17"
    assert "Citations that need attention (1)" in page and "Dangling markers (3)" in page
    assert len(claim_ids(page)) == 124 and 'id="page-27"' in page


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/web/claims/999999", 404, "no claim with id 999999"),
        ("/web/documents/999999", 404, "no document with id 999999"),
        ("/web/claims/0", 422, "claim_id"),
        ("/web/documents/abc", 422, "document_id"),
    ],
)
def test_web_unknown_or_bad_ids_are_html_error_pages(
    web: TestClient, path: str, status: int, message: str
) -> None:
    page = assert_html(web.get(path), status)
    assert message in page and 'href="/"' in page


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "<script>alert(1)</script>"}, 200),
        ({"q": '" OR 1=1 -- NEAR( * ^'}, 200),
        ({"topic": "%_\\'"}, 200),
        ({"q": "a\x00b"}, 422),
        ({"q": "贫" * 501}, 422),
        ({"cursor": "not-a-cursor"}, 422),
        ({"verdict": "wrong"}, 422),
        ({"document": "abc"}, 422),
        ({"document": "99999999999"}, 422),
        ({"document": "٣"}, 422),  # an Arabic-Indic digit: a digit to Python, not an id
    ],
)
def test_web_hostile_parameters_never_fail_the_server(
    web: TestClient, params: dict[str, str], status: int
) -> None:
    page = assert_html(web.get("/", params=params), status)
    assert "<script>alert" not in page


def test_web_escapes_what_documents_say(database_url: str, engine: Engine) -> None:
    ingest_source(engine, read_document_bytes(HOSTILE_DECK, filename="hostile.txt"))
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        for path in ("/", "/web/claims/1", "/web/documents/1"):
            page = assert_html(client.get(path))
            assert "<script>" not in page and "<b>Bold</b>" not in page
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        found = assert_html(client.get("/", params={"q": "script anaemia"}))
        assert "&lt;<mark>script</mark>&gt;" in found and "<script>" not in found


def test_web_every_verdict_has_a_hint() -> None:
    assert set(VERDICT_HINTS) == set(VERDICTS)


def test_a_capped_search_says_claims_may_be_missing(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = "claims found only through older papers may be missing"
    assert notice not in assert_html(web.get("/", params={"q": "osteoclast"}))
    monkeypatch.setattr("evidence.search.query.PAPER_CAP", 1)
    capped = assert_html(web.get("/", params={"q": "osteoclast"}))
    assert notice in capped
    assert web.get("/claims", params={"q": "osteoclast"}).json()["evidence_capped"] is True


def test_a_search_whose_ranking_was_cut_says_so(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = "More claims hold these words than search ranks"
    assert notice not in assert_html(web.get("/", params={"q": "IL-6"}))
    monkeypatch.setattr("evidence.search.query.RANK_CAP", 2)  # the deck has more IL-6 claims
    assert notice in assert_html(web.get("/", params={"q": "IL-6"}))
    assert web.get("/claims", params={"q": "IL-6"}).json()["ranking_capped"] is True


def test_a_claim_found_through_its_evidence_says_which_paper(web: TestClient) -> None:
    page = assert_html(web.get("/", params={"q": "osteoclast"}))
    assert "Found through the evidence it cites" in page
    hits = web.get("/claims", params={"q": "osteoclast", "limit": 100}).json()["items"]
    through = {pmid for hit in hits for pmid in hit["found_through"]}
    assert through and all(f"PMID {pmid}" in page for pmid in through)
    assert all(hit["found_through"] for hit in hits if hit["score"] < 1)  # evidence-only hits
    assert not any(hit["found_through"] for hit in hits if hit["score"] > 1)  # own words


def test_a_claim_page_checks_the_numbers_it_states(web: TestClient, engine: Engine) -> None:
    robak = "一项研究纳入66例RA患者以及24例健康人群作对照"  # both counts are in Robak's abstract
    claim_id = next(
        c["id"]
        for c in web.get("/claims", params={"limit": 100}).json()["items"]
        if c["text"].startswith(robak)
    )
    page = assert_html(web.get(f"/web/claims/{claim_id}"))
    with Session(engine) as session:
        checks = number_checks(session, claim_id=claim_id)
    assert [(n.as_written, n.status) for n in checks] == [("66例", "found"), ("24例", "found")]
    assert page.count('data-status="found"') == 2 and "Numbers it states" in page
    assert all(f"PMID {pmid}" in page for n in checks for pmid in n.pmids)
    unreferenced = web.get("/claims", params={"limit": 100}).json()["items"]
    plain = next(
        c for c in unreferenced if not c["citations"] and not any(ch.isdigit() for ch in c["text"])
    )
    assert "Numbers it states" not in assert_html(web.get(f"/web/claims/{plain['id']}"))


def test_a_search_that_ends_names_the_citations_it_could_not_look_through(
    web: TestClient, engine: Engine
) -> None:
    with Session(engine) as session:
        citations = session.exec(select(Citation)).all()
        unresolved = sum(1 for citation in citations if citation.paper_id is None)
    assert 0 < unresolved < len(citations)  # the offline snapshot holds 14 of the 30 works
    note = f"{unresolved} citations are not resolved to a PubMed paper yet"
    empty = assert_html(web.get("/", params={"q": "hepcidin"}))
    assert "No claim matches" in empty and note in empty
    assert note not in assert_html(web.get("/"))  # no search, nothing it could not reach
    first = assert_html(web.get("/", params={"q": "IL-6"}))
    assert 'rel="next"' in first and 'data-note="reach"' not in first  # the search goes on
    ingest_source(engine, read_document_bytes(PLAIN_DECK, filename="plain.txt"))
    with Session(engine) as session:
        plain = session.exec(select(Document).where(Document.source_name == "plain.txt")).one()
    alone = assert_html(web.get("/", params={"q": "IL-6", "document": plain.id}))
    assert "inflamed joint" in alone  # found, in a document that cites nothing
    assert 'data-note="reach"' not in alone


def test_the_search_page_says_what_it_did_with_search_syntax(web: TestClient) -> None:
    noted = assert_html(web.get("/", params={"q": "IL-6 -anaemia"}))
    assert 'data-note="syntax"' in noted and "not operators here" in noted
    assert 'data-note="syntax"' not in assert_html(web.get("/", params={"q": "IL-6 anaemia"}))
