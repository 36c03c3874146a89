"""A real HTTP server on 127.0.0.1 that answers like NCBI E-utilities, for tests and benchmarks.

    server = EUtilsServer(records, journals=journals).start()   # base URL in server.url
    server.fail_next("efetch.fcgi", Canned.too_many(retry_after=1), Canned.status(502))
    ... EUtilsClient(Settings(eutils_url=server.url)) ...
    server.log                                                   # every request, with its start

It serves EFetch (PubMed XML, GET and POST), ESearch (JSON or XML, a subset of PubMed's query
syntax: see tests/eutils_search.py), ECitMatch (text) and, for db=nlmcatalog, ESearch and ESummary
(JSON) over a small journal table. Answers copy the recorded NCBI answers in
tests/data/pubmed/recorded/ (see tests/data/README.md). Faults are scripted per utility.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from evidence.pubmed.records import PubMedRecord
from tests.eutils_search import (
    RECORDED,
    Journal,
    author_matches,
    fold,
    search_journals,
    search_pubmed,
)

__all__ = ["Canned", "EUtilsServer", "LoggedRequest", "eutils_server"]

# Real EFetch answer for an id PubMed does not have: the envelope every EFetch answer shares.
_EMPTY = (RECORDED / "efetch_empty_37909814.metapub.xml").read_text()
EFETCH_HEAD, _, EFETCH_TAIL = _EMPTY.partition("</PubmedArticleSet>")
EFETCH_TAIL = "</PubmedArticleSet>" + EFETCH_TAIL
ESUMMARY_ERROR = (RECORDED / "esummary_error.biopython.xml").read_bytes()
HTML_PAGE = (RECORDED / "efetch_html_page.biopython.html").read_bytes()
ESEARCH_XML_HEAD = (RECORDED / "esearch1.biopython.xml").read_text().partition("<eSearchResult>")[0]
RATE_LIMIT_JSON = {"error": "API rate limit exceeded", "api-key": "127.0.0.1", "count": "4"}
XML = "text/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it; `started` is time.monotonic() on arrival."""

    method: str
    path: str  # "/entrez/eutils/efetch.fcgi"
    params: dict[str, str]
    started: float

    @property
    def utility(self) -> str:
        """Return the E-utility asked for: "efetch.fcgi", "esearch.fcgi", ..."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Canned:
    """A scripted answer: `body=None` serves the normal answer (late, or cut, if asked)."""

    status: int = 200
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut: bool = False  # send only the first half of the body, with a matching Content-Length
    content_type: str = XML

    @classmethod
    def too_many(cls, retry_after: int | None = None) -> Canned:
        """Return NCBI's 429, with Retry-After only when given (NCBI usually sends none)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        limit = {**RATE_LIMIT_JSON, "limit": "3"}
        return cls(429, json.dumps(limit).encode(), headers, content_type=JSON)

    @classmethod
    def failure(cls, status: int) -> Canned:
        """Return a bare HTTP error status (500, 502, 503, 504, 400...)."""
        body = f"<html><body><h1>{status}</h1></body></html>".encode()
        return cls(status, body, content_type="text/html")

    @classmethod
    def slow(cls, delay: float) -> Canned:
        """Return the normal answer after `delay` seconds."""
        return cls(delay=delay)

    @classmethod
    def truncated(cls) -> Canned:
        """Return the first half of the normal answer, as a complete HTTP message."""
        return cls(cut=True)

    @classmethod
    def xml_error(cls, message: str | None = None, root: str = "eFetchResult") -> Canned:
        """Return a 200 carrying an <ERROR> (default: NCBI's recorded ESummary one)."""
        if message is None:
            return cls(body=ESUMMARY_ERROR)
        text = ESUMMARY_ERROR.decode().replace("eSummaryResult", root)
        start, end = text.index("<ERROR>") + 7, text.index("</ERROR>")
        return cls(body=(text[:start] + escape(message) + text[end:]).encode())

    @classmethod
    def html_page(cls) -> Canned:
        """Return a 200 carrying an HTML page (NCBI's recorded one) instead of the answer."""
        return cls(body=HTML_PAGE, content_type="text/html")

    @classmethod
    def json_error(cls, message: str = "API rate limit exceeded") -> Canned:
        """Return a 200 carrying a JSON {"error": ...}, NCBI's rate-limit answer by default."""
        body = {**RATE_LIMIT_JSON, "error": message, "limit": "3"}
        return cls(body=json.dumps(body).encode(), content_type=JSON)


class EUtilsServer:
    """A loopback E-utilities over a list of PubMed records and a journal table."""

    def __init__(
        self,
        records: Iterable[PubMedRecord] = (),
        *,
        journals: Iterable[Journal] = (),
        latency: float = 0.0,
        citmatch_checks_author: bool = False,
    ) -> None:
        self.records = {r.pmid: r for r in records}
        if missing := [p for p, r in self.records.items() if not r.raw_xml]:
            raise ValueError(f"records without raw_xml cannot be served by EFetch: {missing[:5]}")
        self.journals = list(journals)
        self.latency = latency
        # NCBI's ECitMatch answers a journal+volume+page hit even when the author is wrong.
        self.citmatch_checks_author = citmatch_checks_author
        self.log: list[LoggedRequest] = []
        self._faults: dict[str, deque[Canned]] = defaultdict(deque)
        self._journal_index: dict[str, list[PubMedRecord]] | None = None
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Return the base URL, like NCBI's `.../entrez/eutils/`."""
        assert self._httpd is not None, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/entrez/eutils/"

    def start(self) -> EUtilsServer:
        """Listen on a free port in a daemon thread."""
        handler = type("Handler", (_Handler,), {"eutils": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> EUtilsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, utility: str, *answers: Canned) -> None:
        """Answer the next requests to `utility` ("efetch.fcgi"...) with these, in order."""
        with self._lock:
            self._faults[utility].extend(answers)

    def fail_everything(self) -> None:
        """Answer every request to the utilities a resolution uses with a 400 (no retry mends
        it): PubMed failing throughout."""
        for utility in ("ecitmatch.cgi", "esearch.fcgi", "efetch.fcgi", "esummary.fcgi"):
            self.fail_next(utility, *[Canned.failure(400)] * 100)

    def requests(self, utility: str | None = None) -> list[LoggedRequest]:
        """Return the logged requests, to one utility or to all."""
        with self._lock:
            return [r for r in self.log if utility is None or r.utility == utility]

    def most_starts_within(self, window: float = 1.0) -> int:
        """Return the largest number of requests that started within any `window` seconds."""
        starts = sorted(r.started for r in self.requests())
        most, first = 0, 0
        for last, start in enumerate(starts):
            while start - starts[first] >= window:
                first += 1
            most = max(most, last - first + 1)
        return most

    def _take(self, request: LoggedRequest) -> Canned | None:
        with self._lock:
            self.log.append(request)
            queue = self._faults[request.utility]
            return queue.popleft() if queue else None

    def answer(self, utility: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        """Answer a request as E-utilities would: (status, content type, body)."""
        db = params.get("db", "pubmed")
        if utility == "efetch.fcgi" and db == "pubmed":
            return 200, XML, self._efetch(params)
        if utility == "esearch.fcgi" and db in ("pubmed", "nlmcatalog"):
            return 200, *self._esearch(params, db)
        if utility == "esummary.fcgi" and db == "nlmcatalog":
            return 200, JSON, self._esummary_nlmcatalog(params)
        if utility == "ecitmatch.cgi":
            if params.get("retmode") != "xml":  # NCBI serves its HTML form page then
                return 200, "text/html", HTML_PAGE
            return 200, TEXT, self._ecitmatch(params.get("bdata", ""))
        return 400, XML, Canned.xml_error(f"Unsupported here: {utility} db={db}").body or b""

    def _efetch(self, params: dict[str, str]) -> bytes:
        ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        if not ids:
            return Canned.xml_error("Empty id list - nothing todo").body or b""
        articles = [self.records[i].raw_xml or "" for i in dict.fromkeys(ids) if i in self.records]
        return (EFETCH_HEAD + "".join(a + "\n" for a in articles) + EFETCH_TAIL).encode()

    def _esearch(self, params: dict[str, str], db: str) -> tuple[str, bytes]:
        term = params.get("term", "")
        retmax, retstart = int(params.get("retmax", "20")), int(params.get("retstart", "0"))
        if db == "pubmed":
            ids, unknown = search_pubmed(term, list(self.records.values()))
        else:
            ids, unknown = search_journals(term, self.journals)
        page = ids[retstart : retstart + retmax]
        if params.get("retmode") == "json":
            result: dict[str, Any] = {
                "count": str(len(ids)),
                "retmax": str(len(page)),
                "retstart": str(retstart),
                "idlist": page,
                "translationset": [],
                "querytranslation": term,
            }
            if unknown:
                result["errorlist"] = {"phrasesnotfound": [], "fieldsnotfound": unknown}
            header = {"type": "esearch", "version": "0.3"}
            return JSON, json.dumps({"header": header, "esearchresult": result}).encode()
        id_list = "".join(f"<Id>{i}</Id>\n" for i in page)
        body = (
            f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{retstart}</RetStart><IdList>\n{id_list}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>\n"
        )
        return XML, (ESEARCH_XML_HEAD + body).encode()

    def _esummary_nlmcatalog(self, params: dict[str, str]) -> bytes:
        by_id = {j.nlm_unique_id: j for j in self.journals}
        uids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        result: dict[str, Any] = {"uids": uids}
        for uid in uids:
            journal = by_id.get(uid)
            result[uid] = (
                journal.summary()
                if journal
                else {"uid": uid, "error": "cannot get document summary"}
            )
        header = {"type": "esummary", "version": "0.3"}
        return json.dumps({"header": header, "result": result}).encode()

    def _by_journal(self) -> dict[str, list[PubMedRecord]]:
        """Index the records by every folded name of their journal (built once)."""
        if self._journal_index is None:
            index: dict[str, list[PubMedRecord]] = defaultdict(list)
            for record in self.records.values():
                names = {fold(record.medline_ta), fold(record.iso_abbrev), fold(record.journal)}
                for name in names - {""}:
                    index[name].append(record)
            self._journal_index = dict(index)
        return self._journal_index

    def _ecitmatch(self, bdata: str) -> bytes:
        lines = [line for line in bdata.replace("\n", "\r").split("\r") if line.strip()]
        return "".join(self._citmatch_line(line) + "\n" for line in lines).encode()

    def _citmatch_line(self, line: str) -> str:
        journal, year, volume, page, author, key = ([*line.split("|"), *[""] * 6])[:6]
        wanted = fold(journal)
        in_journal = self._by_journal().get(wanted, []) if wanted else []
        catalog = any(wanted in {fold(j.medline_ta), fold(j.title)} for j in self.journals)
        if not in_journal and not catalog:
            answer = "NOT_FOUND;INVALID_JOURNAL"
        else:
            hits = [
                r
                for r in in_journal
                if (not year.strip() or str(r.year) == year.strip())
                and (not volume.strip() or r.volume == volume.strip())
                and (not page.strip() or r.first_page == page.strip())
            ]
            by_author = [r for r in hits if r.authors and author_matches(r.authors[0], author)]
            if self.citmatch_checks_author or (len(hits) > 1 and by_author):
                hits = by_author
            pmids = sorted((r.pmid for r in hits), key=int)
            if len(pmids) == 1:
                answer = pmids[0]
            else:
                answer = f"AMBIGUOUS {','.join(pmids)}" if pmids else "NOT_FOUND"
        return "|".join([journal, year, volume, page, author, key, answer])


class _Handler(BaseHTTPRequestHandler):
    eutils: EUtilsServer
    protocol_version = "HTTP/1.1"  # keep-alive, as NCBI and httpx do

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    def _serve(self) -> None:
        started = time.monotonic()
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode("utf-8", "replace")
            params.update(parse_qsl(form, keep_blank_values=True))
        logged = LoggedRequest(self.command, split.path, params, started)
        utility = logged.utility
        canned = self.eutils._take(logged)
        time.sleep(self.eutils.latency + (canned.delay if canned else 0.0))
        status, content_type, body = self.eutils.answer(utility, params)
        headers: dict[str, str] = {}
        if canned is not None:
            if canned.body is not None:
                status, content_type, body = canned.status, canned.content_type, canned.body
            headers = canned.headers
            body = body[: len(body) // 2] if canned.cut else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (a timeout test)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Keep test output quiet."""


@pytest.fixture(autouse=True, scope="session")
def rate_bookings_in_pytests_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Clients book their NCBI request starts in a file of the temporary directory, one for each
    E-utilities address (evidence.pubmed.rate): each loopback server, on a port of its own, would
    leave one in /tmp. Keep them in pytest's folder, which pytest clears."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = saved


@pytest.fixture
def eutils_server() -> Iterator[Callable[..., EUtilsServer]]:
    """Start loopback E-utilities servers: `eutils_server(records, journals=...)`; stop after."""
    servers: list[EUtilsServer] = []

    def start(records: Iterable[PubMedRecord] = (), **options: Any) -> EUtilsServer:
        server = EUtilsServer(records, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
