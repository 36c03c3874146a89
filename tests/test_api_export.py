"""`GET /export/{format}` on SQLite and PostgreSQL: the seed deck's cited works as BibTeX, RIS
and CSL-JSON downloads, narrowed by document, search or claim, with the CLI's options; unknown
ids are 404 and bad parameters 422, in the API's one error shape."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

import bibtexparser
import pytest
from sqlalchemy.engine import Engine

from api.main import create_app
from evidence.config import Settings
from tests.conftest import seed_deck
from tests.test_api import assert_error, walk

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Starlette would rather have httpx2
    from fastapi.testclient import TestClient

NAKAHARA = "12794819"  # cited with a wrong volume: the deck's one mismatch
ANAEMIA_PAPER = "23147894"  # the paper the anaemia claims of slide 14 rest on
DECK_WORKS = 30


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


@pytest.fixture
def seeded(engine: Engine, client: TestClient) -> TestClient:
    seed_deck(engine)
    return client


def bibtex_entries(text: str) -> list[Any]:
    """Parse BibTeX back; fail on any block bibtexparser could not read."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.raw for block in library.failed_blocks]
    return list(library.entries)


def pmids(entries: list[Any]) -> set[str]:
    return {entry.fields_dict["pmid"].value for entry in entries if "pmid" in entry.fields_dict}


@pytest.mark.parametrize(
    ("format", "media_type", "filename"),
    [
        ("bibtex", "application/x-bibtex", "evidence-document-1.bib"),
        ("ris", "application/x-research-info-systems", "evidence-document-1.ris"),
        ("csljson", "application/vnd.citationstyles.csl+json", "evidence-document-1.json"),
    ],
)
def test_export_is_a_download_of_the_formats_type(
    seeded: TestClient, format: str, media_type: str, filename: str
) -> None:
    response = seeded.get(f"/export/{format}", params={"document": 1})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'


def test_export_a_documents_works_once_each_in_every_format(seeded: TestClient) -> None:
    entries = bibtex_entries(seeded.get("/export/bibtex", params={"document": 1}).text)
    assert len(entries) == DECK_WORKS == len({entry.key for entry in entries})
    nakahara = next(e for e in entries if e.fields_dict.get("pmid", None) and e["pmid"] == NAKAHARA)
    assert nakahara["volume"] == "48"  # PubMed's, not the deck's 8
    ris = seeded.get("/export/ris", params={"document": 1}).text
    assert len(re.findall(r"^TY  - ", ris, re.M)) == DECK_WORKS == ris.count("\nER  - ")
    items = json.loads(seeded.get("/export/csljson", params={"document": 1}).text)
    assert len(items) == DECK_WORKS
    everything = bibtex_entries(seeded.get("/export/bibtex").text)
    assert [e.key for e in everything] == [e.key for e in entries]  # one document: the same


def test_export_a_search_holds_only_the_works_its_claims_cite(seeded: TestClient) -> None:
    response = seeded.get("/export/bibtex", params={"q": "anemia"})
    assert response.headers["content-disposition"] == 'attachment; filename="evidence-search.bib"'
    entries = bibtex_entries(response.text)
    hits = walk(seeded, "/claims", q="anemia", limit=100)
    cited = {c["pmid"] for hit in hits for c in hit["citations"] if c["pmid"]}
    unresolved = {c["id"] for hit in hits for c in hit["citations"] if not c["pmid"]}
    assert 0 < len(entries) < DECK_WORKS and ANAEMIA_PAPER in pmids(entries)
    assert pmids(entries) == cited
    assert len(entries) >= len(cited) + (1 if unresolved else 0)
    chinese = seeded.get("/export/csljson", params={"q": "贫血", "document": 1})
    assert chinese.headers["content-disposition"].endswith('"evidence-document-1-search.json"')
    assert 0 < len(json.loads(chinese.text)) < DECK_WORKS
    nothing = seeded.get("/export/csljson", params={"q": "!!!"})  # no word to look for
    assert nothing.status_code == 200 and json.loads(nothing.text) == []


def test_export_by_verdict_and_topic_as_the_search_page_filters(seeded: TestClient) -> None:
    wrong = bibtex_entries(seeded.get("/export/bibtex", params={"verdict": "mismatch"}).text)
    assert pmids(wrong) == {NAKAHARA}  # the one citation the deck gets wrong
    unchecked = json.loads(seeded.get("/export/csljson", params={"verdict": "unchecked"}).text)
    assert unchecked and all("PMID" not in item for item in unchecked)  # never verified: offline
    topic = "骨破坏"
    hits = walk(seeded, "/claims", topic=topic, limit=100)
    cited = {c["pmid"] for hit in hits for c in hit["citations"] if c["pmid"]}
    by_topic = bibtex_entries(seeded.get("/export/bibtex", params={"topic": topic}).text)
    assert cited and pmids(by_topic) == cited
    both = seeded.get("/export/bibtex", params={"topic": topic, "verdict": "mismatch"})
    assert pmids(bibtex_entries(both.text)) == {NAKAHARA} & cited
    assert both.headers["content-disposition"] == 'attachment; filename="evidence-search.bib"'


def test_export_one_claims_works(seeded: TestClient) -> None:
    (first, *_) = seeded.get("/claims", params={"pmid": NAKAHARA}).json()["items"]
    response = seeded.get("/export/bibtex", params={"claim": first["id"]})
    disposition = f'attachment; filename="evidence-claim-{first["id"]}.bib"'
    assert response.headers["content-disposition"] == disposition
    entries = bibtex_entries(response.text)
    assert len(entries) == len(first["citations"]) == 1 and pmids(entries) == {NAKAHARA}


def test_export_options_as_the_cli_has_them(seeded: TestClient) -> None:
    params: dict[str, Any] = {"document": 1, "status": True, "abstracts": True, "keywords": True}
    marked = bibtex_entries(seeded.get("/export/bibtex", params=params).text)
    nakahara = next(e for e in marked if e.fields_dict.get("pmid") and e["pmid"] == NAKAHARA)
    assert "Verification: mismatch" in nakahara["note"] and nakahara["abstract"]
    verified = bibtex_entries(
        seeded.get("/export/bibtex", params={"document": 1, "unverified": "exclude"}).text
    )
    assert 0 < len(verified) < DECK_WORKS and NAKAHARA not in pmids(verified)
    assert all("pmid" in e.fields_dict for e in verified)  # unresolved works are unverified
    flagged = seeded.get("/export/ris", params={"unverified": "mark"}).text
    assert "Unverified (mismatch)" in flagged
    latex = seeded.get("/export/bibtex", params={"latex": True}).text
    assert latex.isascii() and len(bibtex_entries(latex)) == DECK_WORKS


def test_export_of_an_empty_database_is_an_empty_file(client: TestClient) -> None:
    response = client.get("/export/csljson")
    assert response.status_code == 200 and json.loads(response.text) == []
    assert bibtex_entries(client.get("/export/bibtex").text) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [({"document": 999999}, "no document with id 999999"), ({"claim": 999999}, "no claim")],
)
def test_export_of_an_unknown_document_or_claim_is_404(
    client: TestClient, params: dict[str, int], message: str
) -> None:
    assert message in assert_error(
        client.get("/export/bibtex", params=params), 404, "NotFoundError"
    )


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/export/pdf", {}, "format"),
        ("/export/bibtex", {"document": 0}, "document"),
        ("/export/bibtex", {"claim": "x"}, "claim"),
        ("/export/bibtex", {"retracted": "hide"}, "retracted"),
        ("/export/ris", {"unverified": "drop"}, "unverified"),
        ("/export/ris", {"latex": "maybe"}, "latex"),
        ("/export/csljson", {"q": "a\x00b"}, "q"),
        ("/export/csljson", {"q": "x" * 501}, "q"),
    ],
)
def test_export_bad_parameters_are_422_naming_them(
    client: TestClient, path: str, params: dict[str, Any], named: str
) -> None:
    message = assert_error(client.get(path, params=params), 422, "InputError")
    assert message.startswith(named)


def test_export_is_documented_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/export/{format}"]["get"]
    assert operation["summary"] and operation["description"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) >= {"format", "document", "q", "claim", "abstracts", "keywords",
                               "latex", "status", "retracted", "unverified"}  # fmt: skip
    assert all(p.get("description") for p in parameters.values())
    assert set(operation["responses"]["200"]["content"]) == {
        "application/x-bibtex", "application/x-research-info-systems",
        "application/vnd.citationstyles.csl+json",
    }  # fmt: skip
    assert {"404", "422"} <= set(operation["responses"])


def test_an_export_chosen_by_a_capped_search_says_so(
    seeded: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        "x-evidence-capped" not in seeded.get("/export/bibtex", params={"q": "osteoclast"}).headers
    )
    monkeypatch.setattr("evidence.search.query.PAPER_CAP", 1)
    capped = seeded.get("/export/bibtex", params={"q": "osteoclast"})
    assert capped.status_code == 200 and capped.headers["x-evidence-capped"] == "true"
