"""Resolve citations to PubMed records, cheapest first, in as few requests as NCBI allows.

    identifiers (PMID, DOI, PMCID)  -> the record itself
    the local store                 -> candidates scored against the citation
    ECitMatch, many per request     -> a PMID, confirmed against the full record
    fielded ESearch, OR-ed in groups -> candidates scored against the citation

Every hit is confirmed against the full record (`evidence.pubmed.match.decide`): no matcher is
trusted alone. Offline (no client), only identifiers and the local store are used, and what they
cannot settle stays "unresolved", never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence.ingest.citation import ParsedCitation
from evidence.pubmed.classify import NOT_IN_PUBMED, classify_reference
from evidence.pubmed.journals import JournalNames
from evidence.pubmed.match import Decision, compare, decide
from evidence.pubmed.names import fold
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.store import LocalPubMed

ESEARCH_GROUP = 8  # citations OR-ed into one ESearch request
ESEARCH_EACH = 20  # PMIDs asked for each citation of the request
ESEARCH_SPLITS = 2  # times a group whose answer was cut short is searched again in halves
TITLE_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")  # "Mini-Mental", "Alzheimer's", "amyloid-β"
IDENTIFIER_GROUP = 20  # DOIs or PMCIDs OR-ed into one ESearch request


@dataclass(frozen=True)
class Resolution:
    """Which PubMed record a citation is, how sure we are, and why."""

    status: str  # "resolved", "ambiguous", "not_found", "not_in_pubmed", "unresolved"
    method: str  # "pmid", "doi", "pmcid", "local", "ecitmatch", "esearch", "classified", "none"
    confidence: float = 0.0
    reason: str = ""
    pmid: str | None = None
    candidates: list[str] = field(default_factory=list)
    record: PubMedRecord | None = None


class Resolver:
    """Resolve batches of citations against the local store and, when online, E-utilities."""

    def __init__(
        self,
        *,
        local: LocalPubMed,
        journals: JournalNames,
        client: Any | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.local = local
        self.journals = journals
        self.client = client
        self.progress = progress or (lambda _done: None)
        self.fetched: dict[str, PubMedRecord] = {}  # records fetched from E-utilities this run
        # Citations the local store's papers came close to but did not settle: their candidates.
        self.near_misses: dict[int, Decision] = {}

    async def resolve(self, citations: Sequence[ParsedCitation]) -> list[Resolution]:
        """Resolve each citation; the answers are in input order."""
        results: dict[int, Resolution] = {}
        for index, citation in enumerate(citations):
            kind = classify_reference(citation)
            if kind is not None:
                results[index] = Resolution(NOT_IN_PUBMED, "classified", 1.0, kind)
        self.near_misses = {}
        stages = [self._by_identifiers, self._by_local_store]
        if self.client is not None:
            stages += [self._by_ecitmatch, self._by_esearch]
        reported = 0
        for stage in stages:
            await stage(citations, results)
            self.progress(len(results) - reported)
            reported = len(results)
        for index in range(len(citations)):
            if index not in results:
                results[index] = self._unsettled(self.near_misses.get(index))
        self.progress(len(citations) - reported)
        return [results[i] for i in range(len(citations))]

    async def records(self, pmids: Sequence[str]) -> dict[str, PubMedRecord]:
        """Return these PMIDs' records: stored, fetched this run, or fetched now in batches."""
        wanted = list(dict.fromkeys(pmids))
        found = {p: self.fetched[p] for p in wanted if p in self.fetched}
        found.update(self.local.by_pmids([p for p in wanted if p not in found]))
        missing = [p for p in wanted if p not in found]
        if missing and self.client is not None:
            for batch in await self.client.efetch_pubmed(missing):
                for record in parse_pubmed_xml(batch):
                    self.fetched[record.pmid] = record
                    found[record.pmid] = record
        return found

    async def _by_identifiers(
        self, citations: Sequence[ParsedCitation], results: dict[int, Resolution]
    ) -> None:
        pending = [i for i in range(len(citations)) if i not in results]
        by_pmid = {i: citations[i].pmid for i in pending if citations[i].pmid}
        records = await self.records([p for p in by_pmid.values() if p])
        for index, pmid in by_pmid.items():
            record = records.get(pmid or "")
            if record is not None:
                results[index] = _identified(citations[index], record, "pmid")
        for method, field_tag in (("doi", "doi"), ("pmcid", "pmcid")):
            wanted = {
                i: str(getattr(citations[i], method)).lower()
                for i in range(len(citations))
                if i not in results and getattr(citations[i], method)
            }
            found = await self._by_identifier(method, field_tag, sorted(set(wanted.values())))
            for index, value in wanted.items():
                if value in found:
                    results[index] = _identified(citations[index], found[value], method)

    async def _by_identifier(
        self, method: str, field_tag: str, values: list[str]
    ) -> dict[str, PubMedRecord]:
        """Find records by DOI or PMCID: the local store first, then OR-ed ESearch queries."""
        lookup = self.local.by_doi if method == "doi" else self.local.by_pmcid
        found: dict[str, PubMedRecord] = {}
        for value in values:
            record = lookup(value)
            if record is not None:
                found[value] = record
        missing = [v for v in values if v not in found]
        if not missing or self.client is None:
            return found
        pmids: list[str] = []
        for start in range(0, len(missing), IDENTIFIER_GROUP):
            group = missing[start : start + IDENTIFIER_GROUP]
            term = " OR ".join(f'"{value}"[{field_tag}]' for value in group)
            pmids += await self.client.esearch(term, retmax=2 * len(group))
        for record in (await self.records(pmids)).values():
            key = (getattr(record, method) or "").lower()
            if key in missing:
                found[key] = record
        return found

    async def _by_local_store(
        self, citations: Sequence[ParsedCitation], results: dict[int, Resolution]
    ) -> None:
        for index, citation in enumerate(citations):
            if index in results:
                continue
            decision = decide(citation, self.local.candidates(citation))
            if decision.status == "resolved" or (
                decision.status == "ambiguous" and self.client is None
            ):
                results[index] = _decided(decision, "local")
            elif decision.candidates:
                self.near_misses[index] = decision

    def _unsettled(self, near_miss: Decision | None) -> Resolution:
        """What a citation no stage settled is: unresolved offline, not found online; with the
        stored papers that came closest, for a reviewer to look at (ambiguous when several fit
        equally well)."""
        status = "unresolved" if self.client is None else "not_found"
        if near_miss is None:
            reason = (
                "not in the local store (offline)" if self.client is None else "no match in PubMed"
            )
            return Resolution(status, "none", 0.0, reason)
        if near_miss.status == "ambiguous":
            status = "ambiguous"
        pmids = ", ".join(near_miss.candidates)
        reason = f"closest stored papers: PMID {pmids} ({near_miss.reason})"
        return Resolution(status, "local", 0.0, reason, candidates=near_miss.candidates)

    async def _by_ecitmatch(
        self, citations: Sequence[ParsedCitation], results: dict[int, Resolution]
    ) -> None:
        from evidence.pubmed.client import CitationQuery

        queries = []
        for index, citation in enumerate(citations):
            if index in results or not _citmatchable(citation):
                continue
            journal = citation.journal or ""
            medline_ta = await self.journals.medline_ta(journal) or journal
            queries.append(
                CitationQuery(
                    key=str(index),
                    journal=medline_ta.lower(),
                    year=str(citation.year),
                    volume=citation.volume or "",
                    first_page=citation.first_page or citation.article_number or "",
                    author=_citmatch_author(citation),
                )
            )
        if not queries:
            return
        answers = await self.client.ecitmatch(queries)  # type: ignore[union-attr]
        hits = {
            int(key): [answer.pmid] if answer.pmid else list(answer.candidates)
            for key, answer in answers.items()
            if answer.pmid or answer.candidates
        }
        records = await self.records([p for pmids in hits.values() for p in pmids])
        for index, pmids in hits.items():
            decision = decide(citations[index], [records[p] for p in pmids if p in records])
            if decision.status == "resolved":
                results[index] = _decided(decision, "ecitmatch")

    async def _by_esearch(
        self, citations: Sequence[ParsedCitation], results: dict[int, Resolution]
    ) -> None:
        pending = [i for i in range(len(citations)) if i not in results]
        terms = {i: _esearch_term(citations[i]) for i in pending}
        searchable = [i for i in pending if terms[i]]
        groups: list[tuple[list[int], list[str]]] = []
        for start in range(0, len(searchable), ESEARCH_GROUP):
            groups += await self._searched(searchable[start : start + ESEARCH_GROUP], terms)
        records = await self.records([p for _, pmids in groups for p in pmids])
        for group, pmids in groups:
            candidates = [records[p] for p in pmids if p in records]
            for index in group:
                decision = decide(citations[index], candidates)
                if decision.status in ("resolved", "ambiguous") or decision.candidates:
                    results[index] = _decided(decision, "esearch")

    async def _searched(
        self, group: list[int], terms: dict[int, str | None], *, splits: int = ESEARCH_SPLITS
    ) -> list[tuple[list[int], list[str]]]:
        """OR these citations' terms into one ESearch; return (citations, PMIDs found). When
        one broad term ("Zhang"[1au] AND 2017[dp]) matched more than the answer holds, the
        others' papers may be cut from it: the group is searched again in halves, `splits`
        times at most (a group of 8 then costs 7 requests at most, not 15)."""
        term = " OR ".join(f"({terms[i]})" for i in group)
        search = self.client.esearch_counted  # type: ignore[union-attr]
        pmids, count = await search(term, retmax=ESEARCH_EACH * len(group))
        if count <= len(pmids) or len(group) == 1 or splits == 0:
            return [(group, pmids)]
        half, left = len(group) // 2, splits - 1
        return [
            *await self._searched(group[:half], terms, splits=left),
            *await self._searched(group[half:], terms, splits=left),
        ]


def _identified(citation: ParsedCitation, record: PubMedRecord, method: str) -> Resolution:
    """An identifier names the record; say so, and say when the fields disagree with it."""
    match = compare(citation, record)
    differing = match.disagreements()
    if match.compared >= 2 and match.score < 0.5:
        reason = f"{method} given, but the citation disagrees in {', '.join(differing)}"
        return Resolution("resolved", method, 0.6, reason, record.pmid, [record.pmid], record)
    reason = f"{method} given" + (f"; differs in {', '.join(differing)}" if differing else "")
    return Resolution("resolved", method, 0.99, reason, record.pmid, [record.pmid], record)


def _decided(decision: Decision, method: str) -> Resolution:
    match = decision.match
    if decision.status == "resolved" and match is not None:
        return Resolution(
            "resolved",
            method,
            round(match.score, 3),
            decision.reason,
            match.record.pmid,
            decision.candidates,
            match.record,
        )
    return Resolution(decision.status, method, 0.0, decision.reason, None, decision.candidates)


def _citmatchable(citation: ParsedCitation) -> bool:
    # The author is optional: "J Mol Biol. 2011 Jul 1;410(1):159-81" is a whole citation.
    return bool(
        citation.journal
        and citation.year
        and (citation.volume or citation.first_page or citation.article_number)
    )


def _citmatch_author(citation: ParsedCitation) -> str:
    """Return the first author as ECitMatch wants it: "mann bj"."""
    first = citation.authors[0] if citation.authors else citation.first_author or ""
    return first.lower()


def _esearch_term(citation: ParsedCitation) -> str | None:
    """Build a fielded query for a citation: first author and year, then page, volume, title."""
    surname = (citation.first_author or "").replace('"', "")
    if not surname or not citation.year or not fold(surname):
        return None
    # The year or one off: an article's e-pub year and its issue's differ ("1974" for 1975).
    base = f'"{surname}"[1au] AND {citation.year - 1}:{citation.year + 1}[dp]'
    alternatives = []
    page = citation.first_page or citation.article_number
    if page:
        alternatives.append(f"{page}[pg]")
    if citation.volume:
        alternatives.append(f"{citation.volume}[vi]")
    if citation.title:
        # Words alone: a quote left on one ('"Mini-Mental State":') opens a phrase that eats the
        # rest of the query, and the other citations OR-ed with it.
        words = [w for w in TITLE_WORD.findall(citation.title) if len(w) > 4][:4]
        if words:
            alternatives.append("(" + " AND ".join(f"{w}[ti]" for w in words) + ")")
    if not alternatives:
        return base
    return f"{base} AND ({' OR '.join(alternatives)})"
