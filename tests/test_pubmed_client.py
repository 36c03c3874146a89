"""EUtilsClient against the loopback E-utilities server: NCBI's rules, retries, error answers."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from evidence.config import Settings
from evidence.errors import ExternalServiceError, InputError, PubMedError
from evidence.pubmed.client import (
    CitationQuery,
    EUtilsClient,
    JournalInfo,
    RetryPolicy,
    parse_ecitmatch,
)
from evidence.pubmed.records import PubMedRecord
from tests.eutils_search import RECORDED, load_journals
from tests.eutils_server import Canned, EUtilsServer

T = TypeVar("T")
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)
KEY = "test-api-key"
EMAIL = "tests@example.org"
Start = Callable[..., EUtilsServer]


def records_from_efetch(path: Path) -> list[PubMedRecord]:
    """Read the fields the server searches on from a recorded EFetch answer."""
    records = []
    for raw in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", path.read_text(), re.S):
        article = ET.fromstring(raw)
        journal = article.find("MedlineCitation/Article/Journal")
        assert journal is not None
        pages = article.findtext("MedlineCitation/Article/Pagination/MedlinePgn") or ""
        records.append(
            PubMedRecord(
                pmid=article.findtext("MedlineCitation/PMID") or "",
                title=article.findtext("MedlineCitation/Article/ArticleTitle"),
                authors=[
                    f"{a.findtext('LastName')} {a.findtext('Initials')}"
                    for a in article.iter("Author")
                    if a.findtext("LastName")
                ],
                journal=journal.findtext("Title"),
                iso_abbrev=journal.findtext("ISOAbbreviation"),
                medline_ta=article.findtext("MedlineCitation/MedlineJournalInfo/MedlineTA"),
                year=int(journal.findtext("JournalIssue/PubDate/Year") or 0),
                volume=journal.findtext("JournalIssue/Volume"),
                issue=journal.findtext("JournalIssue/Issue"),
                pages=pages,
                first_page=pages.split("-")[0] or None,
                raw_xml=raw,
            )
        )
    return records


# Olivero JM, Soc Justice 1990;17(1):113-25 and Strekas TC, Biochim Biophys Acta 1976;446:179-91
RECORDS = records_from_efetch(RECORDED / "efetch_12091962_9997.biopython.xml")
OLIVERO, STREKAS = RECORDS


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion (no pytest-asyncio here)."""
    return asyncio.run(coroutine)


def make_client(server: EUtilsServer, *, key: str | None = KEY, **options: Any) -> EUtilsClient:
    """Build a client for the loopback server; small backoffs unless told otherwise."""
    settings = Settings(
        eutils_url=server.url, ncbi_api_key=key, ncbi_email=options.pop("email", EMAIL)
    )
    options.setdefault("retry", FAST)
    return EUtilsClient(settings, **options)


async def search(server: EUtilsServer, term: str, **options: Any) -> tuple[list[str], int]:
    """Run one ESearch; return the ids and the number of requests it took."""
    async with make_client(server, **options) as client:
        ids = await client.esearch(term)
        return ids, client.requests_sent


def recording_sleep() -> tuple[list[float], Callable[[float], Coroutine[Any, Any, None]]]:
    """Return a list and a sleep that records its delays there instead of waiting."""
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    return delays, sleep


# ---- NCBI's rules -----------------------------------------------------------------------------


def test_client_sends_tool_email_and_api_key(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)

    async def main() -> None:
        async with make_client(server) as client:
            await client.esearch("olivero[1au]")
            await client.efetch_pubmed(["12091962"])
        async with make_client(server, key=None, email=None) as client:
            await client.esearch("olivero[1au]")

    run(main())
    get, post, anonymous = server.requests()
    assert (get.method, post.method) == ("GET", "POST")
    for logged in (get, post):
        assert logged.params["tool"] == "evidence"
        assert logged.params["email"] == EMAIL
        assert logged.params["api_key"] == KEY
    assert anonymous.params["tool"] == "evidence"
    assert "email" not in anonymous.params and "api_key" not in anonymous.params


def test_efetch_batches_450_ids_into_three_posts(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    pmids = ["12091962", "9997", *(str(40000000 + i) for i in range(448))]

    async def main() -> tuple[list[bytes], int]:
        async with make_client(server) as client:
            return await client.efetch_pubmed(pmids), client.requests_sent

    batches, sent = run(main())
    logged = server.requests("efetch.fcgi")
    assert sent == 3 and len(batches) == 3
    assert [r.method for r in logged] == ["POST"] * 3
    assert sorted(len(r.params["id"].split(",")) for r in logged) == [50, 200, 200]
    assert all(r.params["db"] == "pubmed" and r.params["retmode"] == "xml" for r in logged)
    first = batches[0].decode()
    assert first.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC')
    assert first.count("<PubmedArticle>") == 2  # the ids PubMed lacks are simply absent
    assert '<PMID Version="1">9997</PMID>' in first
    assert all(b.rstrip().endswith(b"</PubmedArticleSet>") for b in batches)


def test_server_latency_delays_every_answer(eutils_server: Start) -> None:
    server = eutils_server(RECORDS, latency=0.2)
    began = time.monotonic()
    ids, _ = run(search(server, "olivero[1au]"))
    assert ids == ["12091962"] and time.monotonic() - began >= 0.2
    assert server.requests()[0].path == "/entrez/eutils/esearch.fcgi"


def test_efetch_refuses_ids_that_are_not_pmids(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)

    async def main() -> None:
        async with make_client(server) as client:
            await client.efetch_pubmed(["12091962", "PMC123"])

    with pytest.raises(InputError, match="not PMIDs: PMC123"):
        run(main())
    assert server.requests() == []


# ---- ESearch and ECitMatch --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ('"olivero"[1au] AND 1990[dp] AND (113[pg] OR 99[vi])', ["12091962"]),
        ("olivero jm[au]", ["12091962"]),
        ("Soc Justice[ta] AND 17[vi] AND 1[ip]", ["12091962"]),
        ('"biochim biophys acta"[ta] AND 446[vi] AND 179[pg]', ["9997"]),
        ("strekas[1au] OR olivero[1au]", ["12091962", "9997"]),
        ("1970:1980[dp]", ["9997"]),
        ("treatment AIDS correctional", ["12091962"]),
        ('"behind the walls"[ti] NOT olivero[au]', []),
        ("12091962[pmid] OR 9997[uid]", ["12091962", "9997"]),
        ("olivero[1au] AND 1991[dp]", []),
    ],
)
def test_esearch_answers_fielded_queries(
    eutils_server: Start, term: str, expected: list[str]
) -> None:
    server = eutils_server(RECORDS)
    ids, sent = run(search(server, term))
    assert ids == expected and sent == 1
    (logged,) = server.requests("esearch.fcgi")
    assert logged.params["retmode"] == "json" and logged.params["term"] == term


def test_esearch_unknown_field_is_a_pubmed_error(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    with pytest.raises(PubMedError, match="fields not found"):
        run(search(server, "olivero[xx]"))
    assert len(server.requests()) == 1


def test_ecitmatch_batches_and_reads_all_three_answers(eutils_server: Start) -> None:
    twin = dataclasses.replace(OLIVERO, pmid="12091963", authors=["Jones A"])
    server = eutils_server([*RECORDS, twin])
    queries = [
        CitationQuery("found", "soc justice", "1990", "17", "113", "olivero jm"),
        CitationQuery("by-author", "soc justice", "1990", "17", "113", "jones a"),
        CitationQuery("ambiguous", "soc justice", "1990", "17", "113", "smith j"),
        CitationQuery("no-journal", "j imaginary stud", "1990", "17", "113", "olivero jm"),
        *(
            CitationQuery(f"miss-{i}", "biochim biophys acta", "1976", "446", str(i), "strekas tc")
            for i in range(147)
        ),
    ]

    async def main() -> dict[str, Any]:
        async with make_client(server) as client:
            return await client.ecitmatch(queries)

    answers = run(main())
    logged = sorted(server.requests("ecitmatch.cgi"), key=lambda r: -len(r.params["bdata"]))
    assert [len(r.params["bdata"].split("\r")) for r in logged] == [100, 51]
    assert all(r.params["retmode"] == "xml" and r.params["db"] == "pubmed" for r in logged)
    assert logged[0].params["bdata"].startswith("soc justice|1990|17|113|olivero jm|found|\r")
    assert len(answers) == 151
    assert (answers["found"].status, answers["found"].pmid) == ("found", "12091962")
    assert answers["by-author"].pmid == "12091963"
    assert answers["ambiguous"].status == "ambiguous"
    assert answers["ambiguous"].candidates == ("12091962", "12091963")
    assert answers["no-journal"].status == "not_found"
    assert answers["no-journal"].reason == "NOT_FOUND;INVALID_JOURNAL"
    assert {answers[f"miss-{i}"].status for i in range(147)} == {"not_found"}


@pytest.mark.parametrize(("checks_author", "expected"), [(False, "12091962"), (True, None)])
def test_ecitmatch_may_match_despite_a_wrong_author(
    eutils_server: Start, checks_author: bool, expected: str | None
) -> None:
    server = eutils_server(RECORDS, citmatch_checks_author=checks_author)
    query = CitationQuery("k", "Soc Justice", "1990", "17", "113", "wrongname x")

    async def main() -> str | None:
        async with make_client(server) as client:
            return (await client.ecitmatch([query]))["k"].pmid

    assert run(main()) == expected  # which is why callers confirm every hit


def test_parse_ecitmatch_reads_ncbis_recorded_answer() -> None:
    answer = parse_ecitmatch((RECORDED / "ecitmatch.biopython.txt").read_text())
    assert answer["citation_1"].status == "found" and answer["citation_1"].pmid == "2014248"


@pytest.mark.parametrize(
    ("line_answer", "status", "candidates"),
    [
        ("AMBIGUOUS 1234,5678", "ambiguous", ("1234", "5678")),
        ("AMBIGUOUS (2 citations)", "ambiguous", ()),
        ("NOT_FOUND;INVALID_JOURNAL", "not_found", ()),
        ("NOT_FOUND", "not_found", ()),
    ],
)
def test_parse_ecitmatch_reads_every_answer_kind(
    line_answer: str, status: str, candidates: tuple[str, ...]
) -> None:
    answer = parse_ecitmatch(f"nature|2000|1|1|doe j|k|{line_answer}\n")["k"]
    assert (answer.status, answer.candidates, answer.pmid) == (status, candidates, None)


def test_nlm_catalog_finds_journals_by_title(eutils_server: Start) -> None:
    server = eutils_server(journals=load_journals())

    async def main() -> tuple[list[JournalInfo], list[JournalInfo], list[JournalInfo]]:
        async with make_client(server) as client:
            return (
                await client.nlm_catalog_journals("Nature"),
                await client.nlm_catalog_journals("Science"),
                await client.nlm_catalog_journals("Journal of Imaginary Studies"),
            )

    nature, science, unknown = run(main())
    assert nature == [
        JournalInfo("Nature", "Nature", "Nature", "0410462", ("0028-0836", "1476-4687"))
    ]
    assert [(j.title, j.medline_ta) for j in science] == [("Science (New York, N.Y.)", "Science")]
    assert unknown == []
    searches = server.requests("esearch.fcgi")
    assert searches[0].params["db"] == "nlmcatalog"
    assert searches[0].params["term"] == '"Nature"[Title] AND ncbijournals[filter]'
    assert [r.utility for r in server.requests()].count("esummary.fcgi") == 2


# ---- retries ----------------------------------------------------------------------------------


def test_429_retry_after_is_honoured(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned.too_many(retry_after=1))
    ids, sent = run(search(server, "olivero[1au]"))
    first, second = server.requests()
    assert ids == ["12091962"] and sent == 2
    assert second.started - first.started >= 1.0


def test_429_without_retry_after_backs_off(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned.too_many(), Canned.too_many())
    delays, sleep = recording_sleep()
    ids, sent = run(search(server, "olivero[1au]", sleep=sleep))
    assert ids == ["12091962"] and sent == 3
    assert len(delays) == 2 and 0.005 <= delays[0] <= 0.01 and 0.01 <= delays[1] <= 0.02


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(eutils_server: Start, status: int) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", *[Canned.failure(status)] * 3)
    ids, sent = run(search(server, "olivero[1au]"))
    assert ids == ["12091962"] and sent == 4


def test_timeout_is_retried(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned.slow(1.0))
    timeout = httpx.Timeout(connect=1.0, read=0.2, write=1.0, pool=1.0)
    ids, sent = run(search(server, "olivero[1au]", timeout=timeout))
    assert ids == ["12091962"] and sent == 2


def test_retries_end_in_external_service_error(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", *[Canned.failure(503)] * 5)
    with pytest.raises(ExternalServiceError, match=r"esearch\.fcgi: HTTP 503") as raised:
        run(search(server, "olivero[1au]"))
    assert not isinstance(raised.value, PubMedError)
    assert len(server.requests()) == 5


def test_unreachable_ncbi_ends_in_external_service_error() -> None:
    with EUtilsServer() as gone:
        url = gone.url
    settings = Settings(eutils_url=url, ncbi_api_key=KEY, ncbi_email=EMAIL)

    async def main() -> None:
        async with EUtilsClient(settings, retry=RetryPolicy(attempts=2, base_delay=0.01)) as client:
            await client.esearch("x")

    with pytest.raises(ExternalServiceError, match="connection failed"):
        run(main())


def test_other_4xx_are_not_retried(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned.failure(400))
    with pytest.raises(PubMedError, match="HTTP 400"):
        run(search(server, "olivero[1au]"))
    assert len(server.requests()) == 1


# ---- errors NCBI sends with status 200 ---------------------------------------------------------


async def fetch(server: EUtilsServer) -> tuple[list[bytes], int]:
    async with make_client(server) as client:
        return await client.efetch_pubmed(["12091962"]), client.requests_sent


@pytest.mark.parametrize("fault", [Canned.truncated, Canned.html_page])
def test_cut_or_html_answer_is_retried_once(
    eutils_server: Start, fault: Callable[[], Canned]
) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("efetch.fcgi", fault())
    batches, sent = run(fetch(server))
    assert sent == 2 and b'<PMID Version="1">12091962</PMID>' in batches[0]


@pytest.mark.parametrize(
    ("fault", "message"),
    [(Canned.truncated, "XML cut short"), (Canned.html_page, "HTML page")],
)
def test_cut_or_html_answer_twice_is_a_pubmed_error(
    eutils_server: Start, fault: Callable[[], Canned], message: str
) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("efetch.fcgi", fault(), fault())
    with pytest.raises(PubMedError, match=message):
        run(fetch(server))
    assert len(server.requests()) == 2


def test_error_element_in_a_200_is_a_pubmed_error(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("efetch.fcgi", Canned.xml_error("Empty id list - nothing todo"))
    with pytest.raises(PubMedError, match="<ERROR> Empty id list - nothing todo"):
        run(fetch(server))
    assert len(server.requests()) == 1


def test_recorded_esummary_error_is_a_pubmed_error(eutils_server: Start) -> None:
    server = eutils_server(journals=load_journals())
    server.fail_next("esummary.fcgi", Canned.xml_error())  # NCBI's own <eSummaryResult><ERROR>

    async def main() -> None:
        async with make_client(server) as client:
            await client.nlm_catalog_journals("Cell")

    with pytest.raises(PubMedError, match="Neither query_key nor id specified"):
        run(main())


def test_json_rate_limit_error_is_retried(eutils_server: Start) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned.json_error())
    ids, sent = run(search(server, "olivero[1au]"))
    assert ids == ["12091962"] and sent == 2


@pytest.mark.parametrize(
    "body",
    [
        b'{"error": "Invalid query"}',
        b'{"header": {"type": "esearch", "version": "0.3"},'
        b' "esearchresult": {"ERROR": "Empty term and query_key - nothing todo"}}',
    ],
)
def test_json_error_is_a_pubmed_error(eutils_server: Start, body: bytes) -> None:
    server = eutils_server(RECORDS)
    server.fail_next("esearch.fcgi", Canned(body=body, content_type="application/json"))
    with pytest.raises(PubMedError, match="Invalid query|Empty term"):
        run(search(server, "olivero[1au]"))
    assert len(server.requests()) == 1


# ---- NCBI's rate ------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "requests", "per_second"), [(None, 10, 3), (KEY, 25, 10)])
def test_concurrent_requests_keep_ncbis_rate(
    eutils_server: Start, key: str | None, requests: int, per_second: int
) -> None:
    server = eutils_server(RECORDS)

    async def main() -> int:
        async with make_client(server, key=key) as client:
            await asyncio.gather(*(client.esearch(f"{i}[pmid]") for i in range(requests)))
            return client.requests_sent

    began = time.monotonic()
    assert run(main()) == requests
    assert server.most_starts_within(1.0) <= per_second
    assert time.monotonic() - began >= (requests - 1) / per_second
