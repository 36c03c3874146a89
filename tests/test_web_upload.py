"""The upload page, on SQLite and PostgreSQL: a document and an API key in, its review page out,
its citations resolved (through a loopback E-utilities, or the local store only) and verified."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from sqlalchemy.engine import Engine

from api.main import create_app
from evidence.config import Settings
from evidence.pubmed.importer import import_files
from evidence.pubmed.parse import parse_pubmed_xml
from tests.conftest import SEED_DECK, SNAPSHOT
from tests.eutils_server import EUtilsServer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Starlette would rather have httpx2
    from fastapi.testclient import TestClient

KEY = "upload-key-0123456789"


def client_of(database_url: str, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(database_url=database_url, **settings)))


def upload(client: TestClient, data: bytes, name: str, **form: str) -> object:
    return client.post(
        "/web/upload", files={"file": (name, data)}, data=form, follow_redirects=False
    )


def test_the_form_says_when_uploads_are_disabled(database_url: str) -> None:
    with client_of(database_url) as client:
        page = client.get("/web/upload")
        assert page.status_code == 200 and "Uploads are disabled" in page.text
        refused = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key="x")
        assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]  # type: ignore[attr-defined]
    with client_of(database_url, api_keys=[KEY]) as client:
        assert 'name="file"' in client.get("/web/upload").text


def test_an_upload_needs_a_key(database_url: str) -> None:
    with client_of(database_url, api_keys=[KEY]) as client:
        for key in ("", "wrong"):
            refused = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key=key)
            assert refused.status_code == 401  # type: ignore[attr-defined]
        assert client.get("/documents").json()["items"] == []  # nothing stored


def test_an_upload_from_the_local_store_lands_on_its_review(
    database_url: str, engine: Engine
) -> None:
    import_files(engine, [SNAPSHOT])
    with client_of(database_url, api_keys=[KEY]) as client:
        done = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key=KEY)
        assert done.status_code == 303  # type: ignore[attr-defined]
        location = done.headers["location"]  # type: ignore[attr-defined]
        review = client.get(location)
        assert review.status_code == 200 and "Verification at a glance" in review.text
        (document,) = client.get("/documents").json()["items"]
        assert location == f"/web/documents/{document['id']}"
        summary = client.get(f"/documents/{document['id']}").json()["summary"]
        assert summary["verdicts"]["mismatch"] == 1 and summary["verdicts"]["verified"] == 17
        again = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key=KEY)
        assert again.headers["location"] == location  # type: ignore[attr-defined]
        assert len(client.get("/documents").json()["items"]) == 1


def test_an_upload_looks_citations_up_in_pubmed(
    database_url: str, eutils_server: Callable[..., EUtilsServer]
) -> None:
    server = eutils_server(parse_pubmed_xml(SNAPSHOT.read_bytes()))
    settings = {"api_keys": [KEY], "eutils_url": server.url, "ncbi_api_key": "k"}
    with client_of(database_url, **settings) as client:
        done = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key=KEY, lookup="true")
        assert done.status_code == 303  # type: ignore[attr-defined]
        (document,) = client.get("/documents").json()["items"]
        summary = client.get(f"/documents/{document['id']}").json()["summary"]
    assert summary["verdicts"]["verified"] == 17 and summary["verdicts"]["mismatch"] == 1
    assert server.requests()  # resolved over HTTP, not from a local store


def test_an_unreadable_upload_is_an_html_error_and_stores_nothing(database_url: str) -> None:
    with client_of(database_url, api_keys=[KEY]) as client:
        bad = upload(client, b"\x00\x01 not a deck", "deck.exe", key=KEY)
        assert bad.status_code == 415 and "text/html" in bad.headers["content-type"]  # type: ignore[attr-defined]
        assert client.get("/documents").json()["items"] == []


def test_an_upload_whose_lookup_fails_says_the_document_is_stored(
    database_url: str, eutils_server: Callable[..., EUtilsServer]
) -> None:
    """PubMed failing after the document is stored: a 502 page that says so and leads to it."""
    server = eutils_server()
    server.fail_everything()
    settings = {"api_keys": [KEY], "eutils_url": server.url, "ncbi_api_key": "k"}
    with client_of(database_url, **settings) as client:
        failed = upload(client, SEED_DECK.read_bytes(), SEED_DECK.name, key=KEY, lookup="true")
        (document,) = client.get("/documents").json()["items"]
        review = f"/web/documents/{document['id']}"
        assert failed.status_code == 502  # type: ignore[attr-defined]
        page = failed.text  # type: ignore[attr-defined]
        assert f"is stored as document {document['id']}" in page and f'href="{review}"' in page
        assert client.get(review).status_code == 200
