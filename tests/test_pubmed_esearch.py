"""Resolution by fielded ESearch, the last stage online: the query each citation gets, and
citations OR-ed into one request not losing each other's papers (a stray quote, a broad term)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from evidence.config import Settings
from evidence.db import session_scope
from evidence.ingest.citation import parse_citation
from evidence.pubmed.client import EUtilsClient
from evidence.pubmed.journals import JournalNames
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.render import render_pubmed_xml
from evidence.pubmed.resolve import Resolution, Resolver, _esearch_term
from evidence.pubmed.store import LocalPubMed
from tests.eutils_server import EUtilsServer

Start = Callable[..., EUtilsServer]

# Papers cited with their journal's name cut short ("J Tau Stu"), which ECitMatch, wanting the
# NLM abbreviation, cannot match: ESearch must find them.
KOSIK = PubMedRecord(
    pmid="3898078", title="Microtubule-associated protein tau is a major antigenic component "
    "of paired helical filaments in Alzheimer disease.", authors=["Kosik KS", "Joachim CL"],
    journal="Journal of tau studies", iso_abbrev="J Tau Stud", medline_ta="J Tau Stud",
    year=1986, volume="83", pages="4044-8", first_page="4044", last_page="4048",
)  # fmt: skip
FOLSTEIN = PubMedRecord(
    pmid="1202204", title='"Mini-mental state". A practical method for grading the cognitive '
    "state of patients for the clinician.", authors=["Folstein MF", "Folstein SE"],
    journal="Journal of psychiatric studies", iso_abbrev="J Psychiatr Stud",
    medline_ta="J Psychiatr Stud", year=1975, volume="12", pages="189-98", first_page="189",
    last_page="198",
)  # fmt: skip
KOSIK_CITED = "Kosik KS, Joachim CL. Microtubule-associated protein tau is a major antigenic "
KOSIK_CITED += "component of paired helical filaments. J Tau Stu. 1986;83:4044-8."
# The title quoted as many lists quote it, and the year of its e-pub, one before PubMed's.
FOLSTEIN_CITED = "Folstein MF, Folstein SE. “Mini-Mental State”: a practical method for "
FOLSTEIN_CITED += "grading the cognitive state of patients. J Psychiatr Stu. 1974;12:189–98."


def served(*records: PubMedRecord) -> list[PubMedRecord]:
    """The records as EFetch answers them (the server serves their XML)."""
    return parse_pubmed_xml(render_pubmed_xml([dataclasses.asdict(r) for r in records]))


def resolve_online(engine: Engine, server: EUtilsServer, strings: list[str]) -> list[Resolution]:
    async def main() -> list[Resolution]:
        settings = Settings(eutils_url=server.url, ncbi_api_key="test-key")
        async with EUtilsClient(settings) as client:
            with session_scope(engine) as session:
                journals = JournalNames(session, client)
                resolver = Resolver(local=LocalPubMed(session), journals=journals, client=client)
                return await resolver.resolve([parse_citation(s) for s in strings])

    return asyncio.run(main())


def test_the_query_holds_title_words_alone_and_the_year_or_one_off() -> None:
    term = _esearch_term(parse_citation(FOLSTEIN_CITED)) or ""
    assert term.startswith('"Folstein"[1au] AND 1973:1975[dp] AND (189[pg] OR 12[vi] OR ')
    assert term.count('"') == 2  # the surname's: a title's quote would open a phrase
    assert "Mini-Mental[ti] AND State[ti] AND practical[ti]" in term


def test_a_quoted_title_costs_no_other_citation_its_paper(
    engine: Engine, eutils_server: Start
) -> None:
    server = eutils_server(served(KOSIK, FOLSTEIN))
    kosik, folstein = resolve_online(engine, server, [KOSIK_CITED, FOLSTEIN_CITED])
    assert (kosik.status, kosik.method, kosik.pmid) == ("resolved", "esearch", KOSIK.pmid)
    assert (folstein.status, folstein.pmid) == ("resolved", FOLSTEIN.pmid)
    assert len(server.requests("esearch.fcgi")) == 1  # both in one request


def test_a_broad_term_does_not_crowd_the_others_out_of_the_answer(
    engine: Engine, eutils_server: Start
) -> None:
    """A citation giving no more than author and year matches every paper of that author that
    year: more than the answer holds for the request (20 a citation), so the group is searched
    again in halves, and the other citation's paper is found."""
    zhang: list[dict[str, Any]] = [
        {"pmid": str(30000000 + n), "authors": ["Zhang X"], "year": 2017, "title": f"Study {n}."}
        for n in range(45)
    ]
    server = eutils_server(served(*(PubMedRecord(**z) for z in zhang), KOSIK))
    broad, kosik = resolve_online(engine, server, ["Zhang X, et al. 2017.", KOSIK_CITED])
    assert (kosik.status, kosik.pmid) == ("resolved", KOSIK.pmid)
    assert broad.pmid is None
    searches = server.requests("esearch.fcgi")
    assert len([r for r in searches if r.params.get("db", "pubmed") == "pubmed"]) == 3


def test_searching_again_in_halves_stops_after_two_splits(
    engine: Engine, eutils_server: Start
) -> None:
    """Eight broad terms: a request of 8, then 2 of 4, then 4 of 2, and no more (7, not 15);
    the answers stay cut short, and the citations unresolved."""
    zhang = [
        PubMedRecord(pmid=str(30000000 + n), authors=["Zhang X"], year=2017, title=f"Study {n}.")
        for n in range(170)
    ]
    server = eutils_server(served(*zhang))
    resolutions = resolve_online(engine, server, ["Zhang X, et al. 2017."] * 8)
    assert all(r.pmid is None for r in resolutions)
    searches = server.requests("esearch.fcgi")
    assert len([r for r in searches if r.params.get("db", "pubmed") == "pubmed"]) == 7
