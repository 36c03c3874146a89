"""The NCBI E-utilities client: one httpx.AsyncClient, NCBI's rate, retries and error answers.

NCBI's rules (https://www.ncbi.nlm.nih.gov/books/NBK25497/), each applied once, here: tool and
email on every request, the api_key when there is one, at most 3 requests/s without a key and
10/s with one (one limiter shared by every task using the client), POST for long id lists.

What goes wrong, and what the caller gets once retrying no longer helps:

    timeout, connection error, 429, 500/502/503/504   retried with backoff (Retry-After honoured)
        -> ExternalServiceError after RetryPolicy.attempts
    "API rate limit exceeded" in a 200 (JSON)         retried like a 429
    body cut short, HTML page instead of the answer   retried once -> PubMedError
    <ERROR> element, "error" key, esearchresult ERROR, a field NCBI did not know
                                                      -> PubMedError at once (an <ERROR> naming
                                                         NCBI's backend is retried like a 5xx)
    any other 4xx                                     -> PubMedError at once

PubMedError is an ExternalServiceError, so callers that only care that PubMed failed catch that.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from evidence.config import Settings
from evidence.errors import ExternalServiceError, InputError, PubMedError

__all__ = [
    "CitMatchResult",
    "CitationQuery",
    "EUtilsClient",
    "JournalInfo",
    "RateLimiter",
    "RetryPolicy",
    "parse_ecitmatch",
    "parse_nlm_catalog_summary",
]

log = logging.getLogger(__name__)

TOOL = "evidence"
EFETCH_BATCH = 200  # NCBI: use POST beyond ~200 ids; we never send more than 200 per request
ECITMATCH_BATCH = 100  # citations per ECitMatch request (Biopython POSTs bodies over 1,000 chars)
GET_LIMIT = 1000  # E-utilities docs: URLs longer than this should be sent as POST
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})  # NCBI: 429 and 5xx are transient
Expect = Literal["xml", "json", "text"]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; tests shrink the delays."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a longer Retry-After is an outage: give up at once
    jitter: float = 0.5  # up to half of each backoff is random, so clients do not stampede

    def backoff(self, attempt: int) -> float:
        """Return the wait after failed attempt number `attempt` (1-based)."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay * (1 - self.jitter * random.random())


class RateLimiter:
    """Space request starts 1/rate apart (plus a margin) across every task sharing it."""

    def __init__(self, per_second: float, *, margin: float = 1.1) -> None:
        # Biopython waits 0.37 s rather than 1/3 s: exact spacing still drew 429s from NCBI.
        self.interval = margin / per_second
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait(self) -> None:
        """Return when the next request may start; callers queue in order on the lock."""
        async with self._lock:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = time.monotonic()
            self._next = now + self.interval


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


@dataclass(frozen=True)
class _Failure:
    """One failed attempt: what happened, what to raise if it is the last, how often to retry."""

    problem: str
    kind: str = "transient"  # failures of one kind are counted together
    error: type[ExternalServiceError] = ExternalServiceError
    retry_after: float | None = None
    tries: int | None = None  # answers of this kind taken before giving up; None: the policy's


class EUtilsClient:
    """Talk to NCBI E-utilities: `async with EUtilsClient(settings) as client: ...`."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy()
        # NCBI: 3 requests/s per IP without an API key, 10/s with one. Share `limiter` between
        # clients in one process, or the process as a whole may exceed it.
        self.limiter = limiter or RateLimiter(10.0 if settings.ncbi_api_key else 3.0)
        self._sleep = sleep
        self.requests_sent = 0
        self._http = httpx.AsyncClient(
            base_url=settings.eutils_url,
            transport=transport,
            timeout=timeout or httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=30.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
            headers={"User-Agent": f"{TOOL} (python-httpx)"},
        )

    async def __aenter__(self) -> EUtilsClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    def _identity(self) -> dict[str, str]:
        # NCBI: every request names its tool and a contact email; the key lifts the rate to 10/s.
        params = {"tool": TOOL}
        if self.settings.ncbi_email:
            params["email"] = self.settings.ncbi_email
        if self.settings.ncbi_api_key:
            params["api_key"] = self.settings.ncbi_api_key
        return params

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
        params = {"db": db, "term": term, "retmode": "json", "retmax": str(retmax)}
        body = await self._request("esearch.fcgi", params, expect="json")
        result = json.loads(body).get("esearchresult", {})
        return [str(i) for i in result.get("idlist", [])]

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

    async def _request(
        self,
        utility: str,
        params: Mapping[str, str],
        *,
        expect: Expect,
        post: bool = False,
        validate: Callable[[bytes], str | None] | None = None,
    ) -> bytes:
        """Send one E-utility request, paced and retried; return the checked body."""
        # ECitMatch wants its "|" separators as they are (Biopython leaves them unescaped too).
        query = urlencode({**params, **self._identity()}).replace("%7C", "|")
        post = post or len(query) > GET_LIMIT
        seen: dict[str, int] = {}
        for attempt in range(1, self.retry.attempts + 1):
            request = (
                self._http.build_request(
                    "POST",
                    utility,
                    content=query.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                if post
                else self._http.build_request("GET", f"{utility}?{query}")
            )
            outcome = await self._attempt(request, utility, expect, validate)
            if isinstance(outcome, bytes):
                return outcome
            seen[outcome.kind] = seen.get(outcome.kind, 0) + 1
            last = attempt == self.retry.attempts
            if last or (outcome.tries is not None and seen[outcome.kind] >= outcome.tries):
                tried = f" (gave up after {attempt} attempts)" if attempt > 1 else ""
                raise outcome.error(f"NCBI {utility}: {outcome.problem}{tried}")
            delay = outcome.retry_after
            if delay is not None and delay > self.retry.max_retry_after:
                raise ExternalServiceError(
                    f"NCBI {utility}: {outcome.problem}; asked to wait {delay:.0f} s"
                )
            if delay is None:
                delay = self.retry.backoff(attempt)
            log.info("NCBI %s: %s; retry %d in %.2f s", utility, outcome.problem, attempt, delay)
            await self._sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    async def _attempt(
        self,
        request: httpx.Request,
        utility: str,
        expect: Expect,
        validate: Callable[[bytes], str | None] | None,
    ) -> bytes | _Failure:
        await self.limiter.wait()
        self.requests_sent += 1
        try:
            response = await self._http.send(request)
        except httpx.TimeoutException as exc:
            return _Failure(f"timed out ({type(exc).__name__})")
        except httpx.TransportError as exc:
            return _Failure(f"connection failed ({type(exc).__name__}: {exc})")
        status = response.status_code
        if status in RETRY_STATUSES:
            return _Failure(f"HTTP {status}", retry_after=_retry_after(response))
        if status >= 400:  # NCBI: other 4xx are our mistakes; sending them again cannot help
            raise PubMedError(f"NCBI {utility}: HTTP {status}: {_snippet(response.content)}")
        body = response.content
        failure = _check_body(body, expect)
        if failure is None and validate is not None and (problem := validate(body)):
            failure = _Failure(problem, "cut", PubMedError, tries=2)
        return body if failure is None else failure


def _check_body(body: bytes, expect: Expect) -> _Failure | None:
    """Find the errors NCBI sends with status 200; None when the body is a real answer."""
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        # A maintenance or error page in place of the answer: worth one more try, not five.
        return _Failure("an HTML page instead of an answer", "html", PubMedError, tries=2)
    if expect == "xml":
        return _check_xml(body)
    if expect == "json":
        if head.startswith(b"<"):  # an XML answer to a JSON request: report its <ERROR>
            failure = _check_xml(body)
            return failure or _Failure("XML instead of JSON", "cut", PubMedError, tries=2)
        return _check_json(body)
    return None


def _check_xml(body: bytes) -> _Failure | None:
    root = re.search(rb"<([A-Za-z][\w.-]*)[\s/>]", re.sub(rb"<[?!][^>]*>", b"", body[:4096]))
    if root is None:
        return _Failure("no XML in the answer", "cut", PubMedError, tries=2)
    name = root.group(1)
    if name != b"PubmedArticleSet" and (errors := re.findall(rb"<ERROR>(.*?)</ERROR>", body)):
        message = "; ".join(e.decode("utf-8", "replace").strip() for e in errors)
        # "Search Backend failed", "Unable to obtain query": NCBI's own trouble, retried.
        transient = re.search(r"backend|temporar|unavailable|try again|timeout", message, re.I)
        return _Failure(f"<ERROR> {message}", "error", PubMedError, tries=None if transient else 1)
    stripped = body.rstrip()
    closed = stripped.endswith(b"</" + name + b">")
    if not (closed or re.search(rb"<" + name + rb"\b[^>]*/>$", stripped)):
        problem = f"XML cut short (no closing </{name.decode()}>)"
        return _Failure(problem, "cut", PubMedError, tries=2)
    return None


def _check_json(body: bytes) -> _Failure | None:
    try:
        data = json.loads(body)
    except ValueError:
        return _Failure("JSON cut short or malformed", "cut", PubMedError, tries=2)
    if not isinstance(data, dict):
        return _Failure("JSON answer is not an object", "error", PubMedError, tries=1)
    if "error" in data:
        message = str(data["error"])
        if "rate limit" in message.lower():  # NCBI's 429 in a 200: back off and try again
            return _Failure(f"JSON error {message!r}")
        return _Failure(f"JSON error {message!r}", "error", PubMedError, tries=1)
    result = data.get("esearchresult")
    if isinstance(result, dict):
        if "ERROR" in result:
            return _Failure(f"ESearch ERROR {result['ERROR']!r}", "error", PubMedError, tries=1)
        # A phrase not found is an empty answer; a field not found means NCBI dropped part of
        # the query and answered a looser one, which we must not take for the query we sent.
        fields = (result.get("errorlist") or {}).get("fieldsnotfound") or []
        if fields:
            return _Failure(f"ESearch fields not found: {fields}", "error", PubMedError, tries=1)
    return None


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


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None  # NCBI usually sends none: back off exponentially instead
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _snippet(body: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", body[:600].decode("utf-8", "replace"))
    return " ".join(text.split())[:200]


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
