"""Enrichment end to end: the seed deck's citations resolved to PubMed, offline from the shipped
snapshot and online against a real loopback E-utilities, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from evidence.cli import app
from evidence.config import Settings
from evidence.db import session_scope
from evidence.ingest.pipeline import ingest_file
from evidence.pubmed.client import EUtilsClient, RetryPolicy
from evidence.pubmed.enrich import EnrichReport, enrich_citations, resolve_strings
from evidence.pubmed.importer import import_files
from evidence.pubmed.names import fold
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.store import save_records
from evidence.views import list_citations
from tests.conftest import DATA, PROJECT, SEED_DECK
from tests.eutils_server import EUtilsServer

SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
# The 14 papers of the deck whose PMIDs were confirmed on PubMed's pages (shared/pubmed/seed).
SEED_RECORDS = json.loads((DATA / "pubmed" / "seed-records.json").read_text())["records"]
EXPECTED = {
    (fold(r["authors"][0].rsplit(" ", 1)[0]), int(r["year"])): r["pmid"] for r in SEED_RECORDS
}
Start = Callable[..., EUtilsServer]


def seed_records() -> list[PubMedRecord]:
    return parse_pubmed_xml(SNAPSHOT.read_bytes())


def enrich(engine: Engine, server: EUtilsServer | None, **options: Any) -> EnrichReport:
    async def main() -> EnrichReport:
        with session_scope(engine) as session:
            if server is None:
                return await enrich_citations(session, client=None, **options)
            settings = Settings(eutils_url=server.url, ncbi_api_key="test-key")
            retry = RetryPolicy(base_delay=0.01, max_delay=0.05)
            async with EUtilsClient(settings, retry=retry) as client:
                return await enrich_citations(session, client=client, **options)

    return asyncio.run(main())


def resolved_pmids(engine: Engine) -> dict[tuple[str, int], set[str | None]]:
    """Map each cited work (first author, year) to the PMIDs its citations resolved to."""
    with Session(engine) as session:
        citations = list_citations(session)
    found: dict[tuple[str, int], set[str | None]] = {}
    for c in citations:
        key = (fold(c.first_author), c.year or 0)
        pmid = c.pmid if c.resolution and c.resolution.status == "resolved" else None
        found.setdefault(key, set()).add(pmid)
    return found


def test_offline_enrichment_resolves_exactly_the_snapshot_papers(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)
    import_files(engine, [SNAPSHOT])
    report = enrich(engine, None)
    assert report.requests == 0
    found = resolved_pmids(engine)
    for work, pmids in found.items():
        expected = EXPECTED.get(work)
        assert pmids == {expected}, f"{work}: {pmids} (expected {expected})"
    assert sum(1 for work in found if work in EXPECTED) == 14
    assert report.statuses == {"resolved": 18, "unresolved": 19}
    again = enrich(engine, None)
    assert again.statuses == report.statuses  # offline misses stay open, nothing changes


def test_online_enrichment_resolves_in_few_requests_and_never_twice(
    engine: Engine, eutils_server: Start
) -> None:
    server = eutils_server(seed_records())
    ingest_file(engine, SEED_DECK)
    report = enrich(engine, server)
    found = resolved_pmids(engine)
    for work, pmids in found.items():
        assert pmids == {EXPECTED.get(work)}, work
    assert report.statuses.get("resolved") == 18
    assert report.requests <= 25, [r.utility for r in server.log]
    assert len(server.requests("ecitmatch.cgi")) == 1  # every citation in one request
    sent = len(server.log)
    second = enrich(engine, server)
    assert len(server.log) == sent and second.requests == 0
    assert second.skipped == 37


def test_wrong_volume_resolves_and_keeps_the_written_volume(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)
    import_files(engine, [SNAPSHOT])
    enrich(engine, None)
    with Session(engine) as session:
        nakahara = next(c for c in list_citations(session) if c.first_author == "Nakahara")
    assert nakahara.pmid == "12794819" and nakahara.volume == "8"
    assert nakahara.paper is not None and nakahara.paper.volume == "48"
    assert nakahara.resolution is not None and "volume" in (nakahara.resolution.reason or "")


def test_refresh_fetches_stale_records_again(engine: Engine, eutils_server: Start) -> None:
    server = eutils_server(seed_records())
    ingest_file(engine, SEED_DECK)
    enrich(engine, server)
    before = len(server.requests("efetch.fcgi"))
    report = enrich(engine, server, refresh_older_than=timedelta(0))
    assert report.refreshed == 14
    assert len(server.requests("efetch.fcgi")) == before + 1


def test_resolve_command_answers_in_input_order(database_url: str, eutils_server: Start) -> None:
    server = eutils_server(seed_records())
    inputs = [
        "Chourbaji S, et al. Neurobiol Dis. 2006; 23(3): 587-94.",
        "Nobody X. Imaginary J. 2001;1:1-2.",
        "1. Nakahara H, et al. Arthritis Rheum 2003; 8:1521–1529.",
    ]
    result = CliRunner().invoke(
        app,
        ["resolve", *inputs, "--format", "json"],
        env={"EVIDENCE_DATABASE_URL": database_url, "EVIDENCE_EUTILS_URL": server.url},
    )
    assert result.exit_code == 0, result.stderr
    answers = json.loads(result.stdout)
    assert [a["input"] for a in answers] == inputs
    assert [a["pmid"] for a in answers] == ["16843000", None, "12794819"]
    assert answers[1]["status"] == "not_found"
    assert answers[2]["paper"]["volume"] == "48" and answers[2]["confidence"] < 1


def test_enrich_command_offline_prints_a_summary(database_url: str, tmp_path: Path) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url, "EVIDENCE_EUTILS_URL": "http://127.0.0.1:9/"}
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SEED_DECK)], env=env).exit_code == 0
    assert runner.invoke(app, ["pubmed", "import", str(SNAPSHOT)], env=env).exit_code == 0
    result = runner.invoke(app, ["enrich", "--offline"], env=env)
    assert result.exit_code == 0, result.stderr
    assert "18 resolved" in result.stdout and "0 requests sent" in result.stdout
    papers = json.loads(runner.invoke(app, ["papers", "--format", "json"], env=env).stdout)
    assert len(papers) == 14
    assert all(p["pmid"] and p["title"] for p in papers)

    def found(query: str) -> list[str]:
        result = runner.invoke(app, ["papers", "--query", query, "--format", "json"], env=env)
        assert result.exit_code == 0, result.stderr
        return [paper["pmid"] for paper in json.loads(result.stdout)]

    osteoclast = found("Osteoclasts")
    assert "12584029" in osteoclast and set(osteoclast) < {p["pmid"] for p in papers}
    assert found("osteoclast zebrafishoid") == [] and found("%%") == []


@pytest.mark.parametrize("pmid", ["12794819"])
def test_identifier_in_citation_resolves_directly(engine: Engine, pmid: str) -> None:
    import_files(engine, [SNAPSHOT])

    async def main() -> Any:
        with session_scope(engine) as session:
            return await resolve_strings(
                session, client=None, strings=[f"Nakahara H. Arthritis Rheum 2003. PMID: {pmid}"]
            )

    (resolution,) = asyncio.run(main())
    assert resolution.pmid == pmid and resolution.method == "pmid"


def test_offline_a_stored_paper_cited_with_typos_is_offered_or_resolved(engine: Engine) -> None:
    """Nakahara H, et al. Arthritis Rheum 2003;48(6):1521-9 is stored: a citation one letter
    off in its first author resolves to it (verification names the misspelling); with its
    volume wrong too, it is not settled, but the stored paper is offered as the closest, and
    the reason says so."""
    import_files(engine, [SNAPSHOT])

    async def main() -> list[Any]:
        with session_scope(engine) as session:
            return await resolve_strings(
                session,
                client=None,
                strings=[
                    "Nakahra H, et al. Arthritis Rheum 2003;48(6):1521-9.",
                    "Nakahra H, et al. Arthritis Rheum 2003;84(6):1521-9.",
                    "Zyxwv Q, et al. Lancet 2003;361:1-2.",
                ],
            )

    misspelt, two_errors, unknown = asyncio.run(main())
    assert (misspelt.status, misspelt.pmid) == ("resolved", "12794819")
    assert (two_errors.status, two_errors.pmid) == ("unresolved", None)
    assert two_errors.candidates == ["12794819"] and "PMID 12794819" in two_errors.reason
    assert (unknown.status, unknown.candidates) == ("unresolved", [])
    assert unknown.reason == "not in the local store (offline)"


def test_stored_papers_fitting_equally_well_leave_a_citation_ambiguous_online(
    engine: Engine, eutils_server: Start
) -> None:
    """Two stored papers fit alike and PubMed settles nothing: ambiguous, not "not found",
    with both offered."""
    import_files(engine, [SNAPSHOT])
    twin = dataclasses.replace(
        next(r for r in seed_records() if r.pmid == "12794819"), pmid="99999999"
    )
    with session_scope(engine) as session:
        save_records(session, [twin])
    server = eutils_server([])

    async def main() -> list[Any]:
        settings = Settings(eutils_url=server.url, ncbi_api_key="test-key")
        async with EUtilsClient(settings) as client:
            with session_scope(engine) as session:
                return await resolve_strings(
                    session, client=client, strings=["Nakahara H. Arthritis Rheum 2003;48:1521-9."]
                )

    (resolution,) = asyncio.run(main())
    assert resolution.status == "ambiguous" and resolution.pmid is None
    assert sorted(resolution.candidates) == ["12794819", "99999999"]
    assert (
        "PMID 12794819, 99999999" in resolution.reason
        or "PMID 99999999, 12794819" in resolution.reason
    )


def test_offline_a_stored_paper_is_found_by_its_first_author_written_in_ascii(
    engine: Engine,
) -> None:
    """Møllgård K is stored: "Mollgard K" is its first author, not one a letter off (which,
    with no volume cited, would not resolve): ø is o, not a letter to drop."""
    nakahara = next(r for r in seed_records() if r.pmid == "12794819")
    mollgard = dataclasses.replace(nakahara, authors=["Møllgård K", *nakahara.authors[1:]])
    with session_scope(engine) as session:
        save_records(session, [mollgard])

    async def main() -> list[Any]:
        with session_scope(engine) as session:
            return await resolve_strings(
                session, client=None, strings=["Mollgard K, et al. Arthritis Rheum. 2003:1521-9."]
            )

    (resolution,) = asyncio.run(main())
    assert (resolution.status, resolution.pmid) == ("resolved", "12794819")
