"""How evidence talks to NCBI E-utilities: one httpx.AsyncClient, NCBI's rate, retries and
error answers. `EUtilsClient` (evidence.pubmed.client) adds the E-utilities calls on top.

NCBI's rules (https://www.ncbi.nlm.nih.gov/books/NBK25497/), each applied once, here: tool and
email on every request, the api_key when there is one, at most 3 requests/s without a key and
10/s with one (evidence.pubmed.rate: one limiter shared by every task using the client, and a
file in which every process of the user on the machine books its starts), POST for long id
lists.

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
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urlencode

import httpx

from evidence.config import Settings
from evidence.errors import ExternalServiceError, PubMedError
from evidence.pubmed.answers import Expect, Failure, check_body
from evidence.pubmed.rate import RateLimiter, slot_file

__all__ = ["TOOL", "EUtilsTransport", "RateLimiter", "RetryPolicy"]

log = logging.getLogger("evidence.pubmed.client")

TOOL = "evidence"
GET_LIMIT = 1000  # E-utilities docs: URLs longer than this should be sent as POST
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})  # NCBI: 429 and 5xx are transient


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


class EUtilsTransport:
    """Send E-utilities requests within NCBI's rules; `EUtilsClient` adds the calls."""

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
        # NCBI: 3 requests/s per IP without an API key, 10/s with one, kept by every evidence
        # process of this user on this machine (evidence.pubmed.rate).
        per_second = 10.0 if settings.ncbi_api_key else 3.0
        self.limiter = limiter or RateLimiter(per_second, shared=slot_file(settings))
        self._sleep = sleep
        self.requests_sent = 0
        self._http = httpx.AsyncClient(
            base_url=settings.eutils_url,
            transport=transport,
            timeout=timeout or httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=30.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
            headers={"User-Agent": f"{TOOL} (python-httpx)"},
        )

    async def __aenter__(self) -> Self:
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
    ) -> bytes | Failure:
        await self.limiter.wait()
        self.requests_sent += 1
        try:
            response = await self._http.send(request)
        except httpx.TimeoutException as exc:
            return Failure(f"timed out ({type(exc).__name__})")
        except httpx.TransportError as exc:
            return Failure(f"connection failed ({type(exc).__name__}: {exc})")
        status = response.status_code
        if status in RETRY_STATUSES:
            return Failure(f"HTTP {status}", retry_after=_retry_after(response))
        if status >= 400:  # NCBI: other 4xx are our mistakes; sending them again cannot help
            raise PubMedError(f"NCBI {utility}: HTTP {status}: {_snippet(response.content)}")
        body = response.content
        failure = check_body(body, expect)
        if failure is None and validate is not None and (problem := validate(body)):
            failure = Failure(problem, "cut", PubMedError, tries=2)
        return body if failure is None else failure


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
