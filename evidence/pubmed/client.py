"""The NCBI E-utilities calls evidence makes: EFetch, ESearch, ECitMatch, NLM's catalog.

Requests go through `EUtilsTransport` (evidence.pubmed.transport): NCBI's rate, retries and the
errors NCBI sends with status 200 are handled there, once. PubMedError is an
ExternalServiceError, so callers that only care that PubMed failed catch that.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from evidence.errors import InputError
from evidence.pubmed.transport import TOOL, EUtilsTransport, RateLimiter, RetryPolicy

__all__ = [
    "TOOL",
    "CitMatchResult",
    "CitationQuery",
    "EUtilsClient",
    "JournalInfo",
    "RateLimiter",
    "RetryPolicy",
    "parse_ecitmatch",
    "parse_nlm_catalog_summary",
]

EFETCH_BATCH = 200  # NCBI: use POST beyond ~200 ids; we never send more than 200 per request
ECITMATCH_BATCH = 100  # citations per ECitMatch request (Biopython POSTs bodies over 1,000 chars)


@dataclass(frozen=True)
class CitationQuery:
    """One citation as ECitMatch takes it; `key` comes back with the answer."""

    key: str
    journal: str  # NLM's abbreviation (MedlineTA) works best, e.g. "proc natl acad sci u s a"
    year: str = ""
    volume: str = ""
    first_page: str = ""
    author: str = ""  # "mann bj"

    def line(self) -> str:
        """Return the citation as a bdata line: journal|year|volume|first_page|author|key|."""
        fields = (self.journal, self.year, self.volume, self.first_page, self.author, self.key)
        return "|".join(re.sub(r"[|\r\n]+", " ", f).strip() for f in fields) + "|"


@dataclass(frozen=True)
class CitMatchResult:
    """ECitMatch's answer for one citation; a hit still has to be confirmed by the caller."""

    key: str
    status: Literal["found", "not_found", "ambiguous"]
    pmid: str | None = None
    candidates: tuple[str, ...] = ()
    reason: str = ""  # as NCBI wrote it, e.g. "NOT_FOUND;INVALID_JOURNAL"


@dataclass(frozen=True)
class JournalInfo:
    """A journal as NLM's catalog describes it."""

    title: str
    iso_abbrev: str | None
    medline_ta: str | None
    nlm_unique_id: str
    issns: tuple[str, ...] = ()


class EUtilsClient(EUtilsTransport):
    """Talk to NCBI E-utilities: `async with EUtilsClient(settings) as client: ...`."""

    async def efetch_pubmed(self, pmids: Sequence[str]) -> list[bytes]:
        """Fetch PubMed XML for the PMIDs, one POST per 200 ids; return each batch's bytes."""
        ids = list(dict.fromkeys(p.strip() for p in pmids if p.strip()))
        if bad := [p for p in ids if not p.isdigit()]:
            raise InputError(f"not PMIDs: {', '.join(bad[:5])}")
        batches = [ids[i : i + EFETCH_BATCH] for i in range(0, len(ids), EFETCH_BATCH)]
        return await _all(
            self._request(
                "efetch.fcgi",
                {"db": "pubmed", "retmode": "xml", "id": ",".join(batch)},
                expect="xml",
                post=True,  # NCBI: POST for long id lists
            )
            for batch in batches
        )

    async def esearch(self, term: str, *, retmax: int = 20, db: str = "pubmed") -> list[str]:
        """Search a database with Entrez query syntax; return the ids found, best first."""
        ids, _count = await self.esearch_counted(term, retmax=retmax, db=db)
        return ids

    async def esearch_counted(
        self, term: str, *, retmax: int = 20, db: str = "pubmed"
    ) -> tuple[list[str], int]:
        """Search as `esearch` does; return the ids (at most `retmax`) and how many matched."""
        params = {"db": db, "term": term, "retmode": "json", "retmax": str(retmax)}
        body = await self._request("esearch.fcgi", params, expect="json")
        result = json.loads(body).get("esearchresult", {})
        ids = [str(i) for i in result.get("idlist", [])]
        count = str(result.get("count", ""))
        return ids, int(count) if count.isdigit() else len(ids)

    async def ecitmatch(self, queries: Sequence[CitationQuery]) -> dict[str, CitMatchResult]:
        """Match citations to PMIDs with ECitMatch, 100 per request; answers by key."""
        if len({q.key for q in queries}) != len(queries):
            raise InputError("ECitMatch keys must be unique")
        requests = []
        for start in range(0, len(queries), ECITMATCH_BATCH):
            batch = queries[start : start + ECITMATCH_BATCH]
            # NCBI: lines joined by a carriage return; retmode=xml, or it serves an HTML page.
            params = {"db": "pubmed", "retmode": "xml", "bdata": "\r".join(q.line() for q in batch)}
            keys = {q.key for q in batch}
            validate = functools.partial(_missing_keys, keys=keys)
            requests.append(
                self._request("ecitmatch.cgi", params, expect="text", validate=validate)
            )
        answers: dict[str, CitMatchResult] = {}
        for body in await _all(requests):
            answers.update(parse_ecitmatch(body.decode("utf-8", "replace")))
        return answers

    async def nlm_catalog_journals(self, title: str) -> list[JournalInfo]:
        """Look a journal title up in NLM's catalog; exact title matches come first."""
        clean = " ".join(re.sub(r'["\[\]()]', " ", title).split())
        if not clean:
            return []
        ids = await self.esearch(f'"{clean}"[Title] AND ncbijournals[filter]', db="nlmcatalog")
        if not ids:
            return []
        params = {"db": "nlmcatalog", "id": ",".join(ids), "retmode": "json"}
        body = await self._request("esummary.fcgi", params, expect="json")
        journals = parse_nlm_catalog_summary(json.loads(body))
        wanted = _fold(clean)
        return sorted(journals, key=lambda j: _fold(j.title) != wanted)


def parse_ecitmatch(text: str) -> dict[str, CitMatchResult]:
    """Parse ECitMatch's lines `journal|year|volume|page|author|key|ANSWER` by key."""
    results: dict[str, CitMatchResult] = {}
    for line in re.split(r"[\r\n]+", text):
        fields = line.split("|")
        if len(fields) < 7:
            continue
        key, answer = fields[5].strip(), "|".join(fields[6:]).strip()
        if answer.isdigit():
            results[key] = CitMatchResult(key, "found", answer)
        elif answer.upper().startswith("AMBIGUOUS"):
            rest = re.sub(r"\(\d+ citations?\)", "", answer[len("AMBIGUOUS") :])
            candidates = tuple(dict.fromkeys(re.findall(r"\d+", rest)))
            results[key] = CitMatchResult(key, "ambiguous", None, candidates, answer)
        else:
            results[key] = CitMatchResult(key, "not_found", None, (), answer or "NOT_FOUND")
    return results


def parse_nlm_catalog_summary(data: Mapping[str, Any]) -> list[JournalInfo]:
    """Read ESummary's JSON for db=nlmcatalog into JournalInfo, in the order of its uids."""
    result = data.get("result") or {}
    journals = []
    for uid in result.get("uids", []):
        entry = result.get(str(uid)) or {}
        if not isinstance(entry, dict) or "error" in entry:
            continue
        titles = entry.get("titlemainlist") or [{}]
        title = str(titles[0].get("title") or entry.get("titlemainsort") or "").strip()
        journals.append(
            JournalInfo(
                title=title.removesuffix(".").strip(),  # the catalog ends titles with a period
                iso_abbrev=entry.get("isoabbreviation") or None,
                medline_ta=entry.get("medlineta") or None,
                nlm_unique_id=str(entry.get("nlmuniqueid") or uid),
                issns=tuple(i["issn"] for i in entry.get("issnlist") or [] if i.get("issn")),
            )
        )
    return journals


async def _all(requests: Iterable[Coroutine[Any, Any, bytes]]) -> list[bytes]:
    """Run requests concurrently (the limiter paces them); raise the first failure alone."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(request) for request in requests]
    except ExceptionGroup as failed:  # the first failure cancelled the rest
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]


def _missing_keys(body: bytes, keys: set[str]) -> str | None:
    answered = parse_ecitmatch(body.decode("utf-8", "replace"))
    missing = keys - answered.keys()
    return f"ECitMatch answer lacks {len(missing)} of {len(keys)} citations" if missing else None


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
