"""Search N synthetic claims (1,000,000 by default) on SQLite (FTS5) and PostgreSQL (tsvector +
GIN) and print, per backend and per query: p50/p99 of the bare query (the search's SQL, fetched,
and its ranking, for a first page of 20), of `search_claims(q=..., limit=20)` (the library call:
the query plus rows to claims and snippets), the same through the API (`GET /claims?q=` on
`evidence serve --workers 2` in a subprocess) with the ratio API/bare, requests/s under
concurrent load on the API, and the naive way in the same run (a LIKE '%word%' scan over the
claims' text and the words of the papers they cite), with the issue's targets next to the figures.

    python bench/search.py [--claims 1000000] [--backends sqlite,postgresql] [--workers 2]
    python bench/search.py --claims 100000        # a quick run, about 5 minutes
    python bench/search.py --claims 100000 --keep build/bench   # load once, then reuse

The corpus: Chinese claims recombine the clauses of the example deck's claims (with the topic of
a deck page); English claims are sentences of real PubMed titles and abstracts (the bundled
snapshot, and ../shared/pubmed/records when present). Each claim rests on 1-3 of `--papers`
(200,000) synthetic papers, each a real title, 5-12 real abstract sentences and a real record's
MeSH headings and keywords, stored once (`paper_search`) and linked (`claim_paper`), as
`index_claims` stores them. Tokens come from `index_tokens`, cached per distinct word.

Loading goes around the ORM: rows are generated in batches and written with executemany
(SQLite, journal off during the load) or COPY (PostgreSQL) into a database made by
`make_engine` + `prepare_database`, so the schema, the FTS5 tables and the tsvector columns are
the real ones. SQLite: the insert triggers are dropped while the search tables load, then each
FTS5 index is built with one 'rebuild' and the triggers put back (`--sqlite-fts triggers` keeps
them). PostgreSQL: the papers first, then batches over 2 connections; the GIN indexes are dropped
during COPY and made again from their own definitions afterwards, while SQLite loads.

The naive way ranks like the search does (claims whose own text has the words first), so it reads
every row; it runs against the time budget `--naive-seconds` per backend, each query at least once.
p99 is the nearest-rank percentile: of fewer than 100 runs, that is the slowest. The load test
(`--concurrency` httpx async clients for `--load-seconds`, loopback) runs its clients on the same
2 cores as the server's `--workers` processes.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import gzip
import hashlib
import math
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence.db import make_engine, prepare_database  # noqa: E402
from evidence.errors import PubMedError  # noqa: E402
from evidence.ingest.extract import extract_document  # noqa: E402
from evidence.ingest.language import INDEX_WORD, index_tokens, query_tokens  # noqa: E402
from evidence.ingest.readers import read_document  # noqa: E402
from evidence.pubmed.parse import parse_pubmed_xml  # noqa: E402
from evidence.pubmed.records import PubMedRecord  # noqa: E402
from evidence.search import search_claims  # noqa: E402
from evidence.search.match import Filters  # noqa: E402
from evidence.search.query import _ranked  # noqa: E402

DECK = ROOT / "evidence" / "data" / "il6-tocilizumab-ra-deck.txt"
SNAPSHOT = ROOT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
SHARED_RECORDS = ROOT.parent / "shared" / "pubmed" / "records"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLAIMS_PER_DOCUMENT, CLAIMS_PER_PAGE, BATCH = 1000, 10, 20_000
# The queries: Chinese two-character words, English words, two-word mixes; IL-6 is the
# deck's most common word, the worst case for ranking every match.
QUERIES = [
    "贫血", "抑郁", "疲劳", "骨折", "破骨", "anemia", "osteoclast", "depression", "tocilizumab",
    "IL-6", "贫血 anemia", "破骨 osteoclast", "抑郁 depression", "tocilizumab 贫血", "IL-6 疲劳",
]  # fmt: skip
TARGET_P99_MS, TARGET_API_RATIO, TARGET_RPS = 50.0, 2.0, 500.0
# A synthetic paper is a row of `paper` (the search only needs its id) and one of paper_search.
PAPER_ROW_SQL = (
    "INSERT INTO paper (id, authors, mesh, keywords, publication_types, comments_corrections)"
    " VALUES (?, '[]', '[]', '[]', '[]', '[]')"
)
GIN_INDEXES = ("ix_claim_search_vector", "ix_paper_search_vector")
LOADED = "evidence bench: loaded"  # the comment on a kept PostgreSQL database, once it is whole


# --- the corpus ----------------------------------------------------------------------------


@cache
def word_tokens(word: str) -> tuple[str, ...]:
    """Index one word (a Chinese run or a Latin word): jieba and the stemmer run once per word."""
    return tuple(index_tokens(word))


@cache
def tokens_of(text_: str) -> str:
    """Return the index tokens of a text, as `index_tokens` cuts them, joined by spaces."""
    return " ".join(t for m in INDEX_WORD.finditer(text_) for t in word_tokens(m.group()))


@dataclass
class Corpus:
    """Sources to recombine: deck clauses and topics, PubMed sentences, synthetic papers."""

    clauses: list[str]
    kinds: list[str]
    topics: list[str | None]
    sentences: list[str]
    papers: list[str] = field(default_factory=list)  # token strings, one per synthetic paper


def read_records() -> tuple[list[PubMedRecord], str]:
    """Read the bundled snapshot and, when present, ../shared/pubmed/records."""
    records = parse_pubmed_xml(SNAPSHOT.read_bytes())
    if not SHARED_RECORDS.is_dir():
        return records, f"{SHARED_RECORDS} is missing: English from the bundled snapshot only"
    for path in sorted(SHARED_RECORDS.rglob("*.xml*")):
        data = path.read_bytes()
        try:
            records += parse_pubmed_xml(gzip.decompress(data) if path.suffix == ".gz" else data)
        except PubMedError:
            continue  # a MEDLINE baseline file (MedlineCitationSet), not EFetch output
    return records, f"English from {len(records):,} real PubMed records"


def build_corpus(papers: int, seed: int) -> tuple[Corpus, str]:
    """Collect the deck's clauses and PubMed's sentences, and make the synthetic papers."""
    extracted = extract_document(read_document(DECK))
    clauses = sorted(
        {c.strip() for claim in extracted.claims for c in re.split(r"[，。；;]", claim.text)} - {""}
    )
    records, note = read_records()
    titles = [r.title for r in records if r.title]
    sentences = [
        s
        for r in records
        if r.abstract
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", r.abstract)
        if len(s) > 20
    ]
    headings = [
        tokens_of(" ".join([*(str(m.get("descriptor", "")) for m in r.mesh), *r.keywords]))
        for r in records
    ]
    corpus = Corpus(
        clauses=clauses,
        kinds=[c.kind for c in extracted.claims],
        topics=[p.topic for p in extracted.pages],
        sentences=titles + sentences,
    )
    rng = random.Random(seed)
    for _ in range(papers):
        words = [tokens_of(rng.choice(titles))]
        words += [tokens_of(rng.choice(sentences)) for _ in range(rng.randint(5, 12))]
        words.append(rng.choice(headings))
        corpus.papers.append(" ".join(dict.fromkeys(" ".join(words).split())))
    return corpus, note


@dataclass
class Batch:
    """Rows of one batch, in the tables' column order."""

    documents: list[tuple[Any, ...]]
    pages: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]
    search: list[tuple[int, str]]
    links: list[tuple[int, int]]


def generate(corpus: Corpus, claims: int, seed: int) -> Iterator[Batch]:
    """Yield the synthetic documents, pages, claims and search rows; the same for a seed."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    batch = Batch([], [], [], [], [])
    topic: str | None = None
    for claim_id in range(1, claims + 1):
        index = claim_id - 1
        document_id = index // CLAIMS_PER_DOCUMENT + 1
        page_id = index // CLAIMS_PER_PAGE + 1
        if index % CLAIMS_PER_DOCUMENT == 0:
            digest = hashlib.sha256(f"bench-{document_id}".encode()).hexdigest()
            batch.documents.append(
                (document_id, digest, "txt", "slides", f"Synthetic deck {document_id}",
                 f"bench-{document_id}.txt", now)
            )  # fmt: skip
        if index % CLAIMS_PER_PAGE == 0:
            topic = rng.choice(corpus.topics)
            number = index % CLAIMS_PER_DOCUMENT // CLAIMS_PER_PAGE + 1
            batch.pages.append((page_id, document_id, number, None, topic))
        if rng.random() < 0.67:  # two claims in three are Chinese, as in the example deck
            parts = [rng.choice(corpus.clauses) for _ in range(rng.randint(1, 3))]
            claim_text, language, kind = "，".join(parts), "zh", rng.choice(corpus.kinds)
        else:
            parts = [rng.choice(corpus.sentences) for _ in range(rng.randint(1, 2))]
            claim_text, language, kind = " ".join(parts), "en", "sentence"
        position = index % CLAIMS_PER_DOCUMENT + 1
        batch.claims.append(
            (claim_id, document_id, page_id, position, kind, claim_text, claim_text, language,
             topic)
        )  # fmt: skip
        # Clauses are joined by punctuation and sentences by spaces, so the tokens of the parts
        # are the tokens of the whole, as index_claims would cut f"{text} {topic}".
        own = " ".join(w for w in [*map(tokens_of, parts), tokens_of(topic or "")] if w)
        cited = {rng.randrange(len(corpus.papers)) + 1 for _ in range(rng.randint(1, 3))}
        batch.search.append((claim_id, own))
        batch.links += [(claim_id, paper_id) for paper_id in sorted(cited)]
        if len(batch.claims) >= BATCH:
            yield batch
            batch = Batch([], [], [], [], [])
    if batch.claims:
        yield batch


# --- loading ------------------------------------------------------------------------------


def load_sqlite(path: Path, corpus: Corpus, claims: int, seed: int, fts: str) -> dict[str, float]:
    """Make the database at the real schema, then load it with executemany; return timings."""
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    engine.dispose()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")  # bench data: a crash just means a rerun
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA foreign_keys=ON")  # as evidence's own connections have them
    connection.execute("PRAGMA cache_size=-262144")  # 256 MB for the indexes being built
    triggers = [
        row[0]
        for row in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name IN ('claim_search_ai', 'paper_search_ai')"
        )
    ]
    if fts == "rebuild":
        connection.execute("DROP TRIGGER claim_search_ai")
        connection.execute("DROP TRIGGER paper_search_ai")
    connection.execute("BEGIN")
    connection.executemany(PAPER_ROW_SQL, ((i,) for i in range(1, len(corpus.papers) + 1)))
    connection.executemany("INSERT INTO paper_search VALUES (?, ?)", enumerate(corpus.papers, 1))
    for batch in generate(corpus, claims, seed):
        connection.executemany("INSERT INTO document VALUES (?, ?, ?, ?, ?, ?, ?)", batch.documents)
        connection.executemany("INSERT INTO page VALUES (?, ?, ?, ?, ?)", batch.pages)
        connection.executemany("INSERT INTO claim VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch.claims)
        connection.executemany("INSERT INTO claim_search VALUES (?, ?)", batch.search)
        connection.executemany("INSERT INTO claim_paper VALUES (?, ?)", batch.links)
    connection.execute("COMMIT")
    timings["rows" if fts == "rebuild" else "rows + FTS5 (triggers)"] = (
        time.perf_counter() - started
    )
    if fts == "rebuild":
        started = time.perf_counter()
        connection.execute("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')")
        connection.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")
        for trigger in triggers:
            connection.execute(trigger)
        timings["FTS5 rebuild"] = time.perf_counter() - started
    started = time.perf_counter()
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode=WAL")  # back to what evidence runs with
    connection.close()
    timings["analyze"] = time.perf_counter() - started
    return timings


def copy_postgresql(url: str, corpus: Corpus, args: argparse.Namespace) -> tuple[list[str], float]:
    """Make the database at the real schema and COPY the rows in, without the GIN indexes;
    return the indexes' definitions (to make them again) and the seconds taken.

    The papers go first (their tsvectors computed once each); then each batch holds whole
    documents (their pages, claims, search rows and claim-paper links), so batches go in
    parallel, one transaction each, over `--load-workers` connections.
    """
    import psycopg

    engine = make_engine(url)
    prepare_database(engine)
    engine.dispose()
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as connection:
        definitions = [
            row[0]
            for row in connection.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(GIN_INDEXES)]
            )
        ]
        assert len(definitions) == len(GIN_INDEXES), "migration 0005 made no GIN indexes"
        for name in GIN_INDEXES:
            connection.execute(f"DROP INDEX {name}")  # made again from its definition
        with connection.transaction(), connection.cursor() as cursor:
            columns = "id, authors, mesh, keywords, publication_types, comments_corrections"
            with cursor.copy(f"COPY paper ({columns}) FROM STDIN") as copy:
                for paper_id in range(1, len(corpus.papers) + 1):
                    copy.write_row((paper_id, "[]", "[]", "[]", "[]", "[]"))
            with cursor.copy("COPY paper_search (paper_id, words) FROM STDIN") as copy:
                for row in enumerate(corpus.papers, 1):
                    copy.write_row(row)
    connections: list[psycopg.Connection[Any]] = []
    local = threading.local()

    def copy_batch(batch: Batch) -> None:
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(conninfo, autocommit=True)
            local.connection.execute("SET synchronous_commit = off")  # bench data
            connections.append(local.connection)
        with local.connection.transaction(), local.connection.cursor() as cursor:
            for table, rows in [
                ("document", batch.documents),
                ("page", batch.pages),
                ("claim", batch.claims),
                ("claim_search (claim_id, own)", batch.search),
                ("claim_paper (claim_id, paper_id)", batch.links),
            ]:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)

    try:
        with ThreadPoolExecutor(args.load_workers) as pool:
            pending: deque[Future[None]] = deque()
            for batch in generate(corpus, args.claims, args.seed):
                pending.append(pool.submit(copy_batch, batch))
                if len(pending) > 2 * args.load_workers:  # bound the batches held in memory
                    pending.popleft().result()
            for future in pending:
                future.result()
    finally:
        for connection in connections:
            connection.close()
    return definitions, time.perf_counter() - started


def index_postgresql(url: str, definitions: list[str]) -> dict[str, float]:
    """Make the GIN indexes again from their definitions, then VACUUM ANALYZE; return timings."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    timings: dict[str, float] = {}
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '2GB'")  # the GIN build sorts in memory
        started = time.perf_counter()
        for definition in definitions:
            connection.execute(definition)
        timings["GIN indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        connection.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
    return timings


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of the values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_calls(
    call: Callable[[], object], repeat: int, seconds: float, warm_up: bool = True
) -> list[float]:
    """Time a call (after one warm-up): `repeat` times, or fewer when `seconds` run out."""
    if warm_up:
        call()
    times: list[float] = []
    budget = time.perf_counter() + seconds
    while len(times) < repeat and (not times or time.perf_counter() < budget):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def bare_search(engine: Engine, q: str) -> list[int]:
    """Search the way the CLI and the API do: one session, the library function."""
    with Session(engine) as session:
        return [hit.id for hit in search_claims(session, q=q, limit=20).items]


def bare_query(engine: Engine, q: str) -> list[tuple[float, int]]:
    """The search's own work for the first page (its SQL, fetched, and its ranking), without
    turning rows into claims or snippets: what a bare SQL query would do."""
    with Session(engine) as session:
        return _ranked(session, query_tokens(q), Filters(), None, 21)


def count_matches(engine: Engine, q: str) -> tuple[int, int]:
    """Count the claims whose own words hold every word of the query, and the papers holding
    the query's most common word (what the search would have to rank without its caps)."""
    tokens = query_tokens(q)
    sqlite = engine.dialect.name == "sqlite"

    def count(table: str, fts: str, words: list[str]) -> int:
        if sqlite:
            match = " AND ".join(f'"{t}"' for t in words)
            sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH :m"
        else:
            match = " & ".join(f"'{t}'" for t in words)
            sql = f"SELECT count(*) FROM {table} WHERE search_vector @@ to_tsquery('simple', :m)"
        with engine.connect() as connection:
            return int(connection.execute(text(sql), {"m": match}).scalar_one())

    papers = max(count("paper_search", "paper_fts", [t]) for t in tokens)
    return count("claim_search", "claim_fts", tokens), papers


def naive_search(engine: Engine, q: str) -> list[int]:
    """The naive way: LIKE over every claim's text and the words of the papers it cites,
    own-text matches first.

    Papers' words are index tokens, so they are matched with each word's token ("depress");
    the claim's text with the word as typed.
    """
    like = "ILIKE" if engine.dialect.name == "postgresql" else "LIKE"  # SQLite's: any ASCII case
    where, rank, params = [], [], {}
    for n, word in enumerate(q.split()):
        params[f"w{n}"] = f"%{word}%"
        params[f"t{n}"] = f"%{' '.join(index_tokens(word))}%"
        where.append(
            f"(c.text {like} :w{n} OR EXISTS (SELECT 1 FROM claim_paper cp JOIN paper_search p"
            f" ON p.paper_id = cp.paper_id WHERE cp.claim_id = c.id AND p.words LIKE :t{n}))"
        )
        rank.append(f"CASE WHEN c.text {like} :w{n} THEN 1 ELSE 0 END")
    sql = (
        "SELECT c.id FROM claim c "
        f"WHERE {' AND '.join(where)} ORDER BY {' + '.join(rank)} DESC, c.id LIMIT 20"
    )
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params).scalars())


def time_naive(engine: Engine, queries: list[str], seconds: float) -> dict[str, list[float]]:
    """Run each query once, then round after round while the time budget lasts."""
    naive_search(engine, queries[0])  # warm-up: the first scan reads the tables from disk
    times: dict[str, list[float]] = {q: [] for q in queries}
    budget = time.perf_counter() + seconds
    while True:
        for q in queries:
            if times[q] and time.perf_counter() > budget:
                return times
            started = time.perf_counter()
            naive_search(engine, q)
            times[q].append(time.perf_counter() - started)


def explain(engine: Engine, q: str) -> str:
    """Return the plan of the search's ranking query for q (EXPLAIN ANALYZE on PostgreSQL)."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        bare_search(engine, q)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    statement, parameters = statements[0]
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join("    " + " ".join(str(v) for v in row[-1:]) for row in rows)


class Server:
    """`evidence serve` in a subprocess on a free loopback port, with the bench database."""

    def __init__(self, database_url: str, log: Path, workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [str(Path(sys.executable).with_name("evidence")), "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        env = {**os.environ, "EVIDENCE_DATABASE_URL": database_url}
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out, cwd=ROOT)

    def wait_ready(self, seconds: float = 60) -> str | None:
        """Wait for /health to answer; return None when up, else why not."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                return f"evidence serve exited ({self.process.returncode}): {self.tail()}"
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return None
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        return f"evidence serve did not answer /health in {seconds:.0f} s: {self.tail()}"

    def last_error(self) -> str:
        """Return the last exception line the server logged, to say why requests failed."""
        lines = [ln for ln in self.log.read_text(errors="replace").splitlines() if "Error:" in ln]
        return lines[-1].strip() if lines else "none logged"

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-600:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def api_search(client: httpx.Client, q: str) -> list[int]:
    """Search through the API, as a client would."""
    response = client.get("/claims", params={"q": q, "limit": 20})
    response.raise_for_status()
    return [item["id"] for item in response.json()["items"]]


async def hammer(url: str, queries: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Send searches from `concurrency` clients for `seconds`; return throughput and latency."""
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            n = offset
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    params = {"q": queries[n % len(queries)], "limit": 20}
                    response = await client.get("/claims", params=params)
                    if response.status_code == 200:
                        latencies.append(time.perf_counter() - sent)
                    else:
                        failures[f"HTTP {response.status_code}"] += 1
                except httpx.HTTPError as error:
                    failures[type(error).__name__] += 1
                n += 1

        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "done": len(latencies),
        "failures": failures,
        "p50": percentile(latencies, 0.5) if latencies else math.nan,
        "p99": percentile(latencies, 0.99) if latencies else math.nan,
    }


# --- reporting ----------------------------------------------------------------------------


def ms(values: list[float] | None, share: float) -> str:
    return f"{percentile(values, share) * 1000:.1f}" if values else "-"


def pad(text_: str, width: int) -> str:
    """Left-align text whose Chinese characters take two columns."""
    wide = sum(1 for ch in text_ if ord(ch) > 0x2E80)
    return text_ + " " * max(0, width - len(text_) - wide)


def measure(name: str, url: str, args: argparse.Namespace, folder: Path) -> None:
    """Measure one loaded backend: bare, API, load, naive; print the table and the targets."""
    engine = make_engine(url)
    queries = QUERIES
    matches = {q: count_matches(engine, q) for q in queries}
    bare: dict[str, list[float]] = {}
    rank: dict[str, list[float]] = {}
    for q in queries:
        bare[q] = time_calls(lambda q=q: bare_search(engine, q), args.repeat, args.query_seconds)
        rank[q] = time_calls(lambda q=q: bare_query(engine, q), args.repeat, args.query_seconds)
    api: dict[str, list[float]] = {}
    load: dict[str, Any] | None = None
    server = Server(url, folder / f"serve-{name}.log", args.workers)
    try:
        problem = server.wait_ready()
        if problem:
            print(f"API not measured on {name}: {problem}")
        else:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                for q in queries:
                    if api_search(client, q) != bare_search(engine, q):  # and a warm-up
                        print(f"warning: the API and the library disagree on {q!r}")
                    api[q] = time_calls(
                        lambda q=q: api_search(client, q), args.repeat, args.query_seconds, False
                    )
            load = asyncio.run(hammer(server.url, queries, args.load_seconds, args.concurrency))
            if load["failures"]:
                print(f"server errors under load on {name}: {server.last_error()}")
    finally:
        server.stop()
    naive = time_naive(engine, queries, args.naive_seconds)

    print(f"\n{name}: {args.claims:,} claims; p50/p99 in ms over n runs each")
    print("own: claims whose own words hold every word; papers: papers holding the commonest"
          " word; query: the search's SQL + ranking, no claims (p50); bare: search_claims, query"
          " + ranking + rows to claims + snippets; API: GET /claims; LIKE: the naive way"
          )  # fmt: skip
    head = f"{'query':<18}{'own':>9}{'papers':>8}{'query':>11}{'bare p50':>10}{'p99':>8}{'n':>4}"
    print(head + f"{'API p50':>10}{'p99':>8}{'API/bare':>9}{'LIKE p50':>10}{'p99':>8}{'n':>4}"
          f"{'speed-up':>10}")  # fmt: skip
    for q in queries:
        ratio = percentile(api[q], 0.5) / percentile(bare[q], 0.5) if q in api else math.nan
        speedup = percentile(naive[q], 0.5) / percentile(bare[q], 0.5)
        cells = [
            f"{matches[q][0]:>9,}{matches[q][1]:>8,}{ms(rank[q], 0.5):>11}",
            f"{ms(bare[q], 0.5):>10}{ms(bare[q], 0.99):>8}{len(bare[q]):>4}",
            f"{ms(api.get(q), 0.5):>10}{ms(api.get(q), 0.99):>8}{ratio:>8.2f}x",
            f"{ms(naive[q], 0.5):>10}{ms(naive[q], 0.99):>8}{len(naive[q]):>4}{speedup:>9.0f}x",
        ]
        print(pad(q, 18) + "".join(cells))
    pooled = [t for q in queries for t in bare[q]]
    slow = [q for q in queries if percentile(bare[q], 0.99) * 1000 >= TARGET_P99_MS]
    verdict = "met" if not slow else f"missed by {len(slow)} of {len(queries)}: {', '.join(slow)}"
    pooled_rank = [t for q in queries for t in rank[q]]
    print(f"query (SQL + ranking), all queries: p50 {ms(pooled_rank, .5)} ms,"
          f" p99 {ms(pooled_rank, .99)} ms")  # fmt: skip
    print(f"bare, all queries: p50 {ms(pooled, .5)} ms, p99 {ms(pooled, .99)} ms"
          f" | target p99 < {TARGET_P99_MS:.0f} ms per query: {verdict}")  # fmt: skip
    if api:
        pooled_api = [t for q in queries for t in api[q]]
        ratio = percentile(pooled_api, 0.5) / percentile(pooled, 0.5)
        extra = (percentile(pooled_api, 0.5) - percentile(pooled, 0.5)) * 1000
        query_ratio = percentile(pooled_api, 0.5) / percentile(pooled_rank, 0.5)
        print(f"API / query alone: {query_ratio:.2f}x at p50")
        print(f"API, all queries: p50 {ms(pooled_api, .5)} ms, p99 {ms(pooled_api, .99)} ms,"
              f" {ratio:.2f}x bare (+{extra:.1f} ms) | target <= {TARGET_API_RATIO:.0f}x:"
              f" {'met' if ratio <= TARGET_API_RATIO else 'missed'}")  # fmt: skip
    if load:
        failed = ", ".join(f"{n} {kind}" for kind, n in load["failures"].items()) or "none"
        print(f"API under load: {load['rps']:.0f} searches/s ({args.workers} workers,"
              f" {args.concurrency} clients,"
              f" {args.load_seconds:.0f} s, {load['done']:,} answered, failed: {failed};"
              f" p50 {load['p50'] * 1000:.0f} ms, p99 {load['p99'] * 1000:.0f} ms)"
              f" | target >= {TARGET_RPS:.0f}/s on 2 cores:"
              f" {'met' if load['rps'] >= TARGET_RPS else 'missed'}")  # fmt: skip
    pooled_naive = [t for q in queries for t in naive[q]]
    print(f"naive LIKE scan: p50 {ms(pooled_naive, .5)} ms, p99 {ms(pooled_naive, .99)} ms;"
          f" the search is {percentile(pooled_naive, .5) / percentile(pooled, .5):.0f}x faster"
          " at p50")  # fmt: skip
    slowest = max(queries, key=lambda q: percentile(bare[q], 0.5))
    print(
        f"plan of the slowest query's first statement ({slowest!r},"
        f" {matches[slowest][0]:,} own matches):"
    )
    print(explain(engine, slowest))
    engine.dispose()


def admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_postgresql(admin_url: str, name: str) -> str | None:
    """Create a database of the bench's own; return its URL, or None when there is no server."""
    try:
        admin(admin_url, f'CREATE DATABASE "{name}"')
    except Exception as error:  # any driver error means: no server to measure
        print(f"postgresql: skipped, {admin_url} is not reachable ({error})")
        return None
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def kept_postgresql(admin_url: str, name: str) -> str | None:
    """Return the URL of a kept bench database `name` when a run loaded it fully, else drop
    any half-loaded one and return None."""
    sql = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"
    engine = create_engine(admin_url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            comment = connection.execute(text(sql), {"name": name}).scalar()
    finally:
        engine.dispose()
    if comment == LOADED:
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return None


def report_load(name: str, timings: dict[str, float]) -> None:
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in timings.items() if step)
    print(f"{name}: {sum(timings.values()):.0f} s" + (f" ({steps})" if steps else ""), flush=True)


def load(
    args: argparse.Namespace, backends: list[str], postgres: str | None, sqlite_path: Path | None
) -> None:
    """Build the corpus and load it into the backends that need it (None: kept, or not run)."""
    if not postgres and not (sqlite_path and "sqlite" in backends):
        return
    started = time.perf_counter()
    corpus, note = build_corpus(args.papers, args.seed)
    print(f"corpus: {len(corpus.clauses)} deck clauses, {len(corpus.sentences):,} PubMed"
          f" sentences, {len(corpus.papers):,} synthetic papers ({note});"
          f" {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    with ThreadPoolExecutor(1) as background:
        indexing = None
        if postgres:
            definitions, seconds = copy_postgresql(postgres, corpus, args)
            report_load("postgresql rows (COPY, tsvector computed)", {"": seconds})
            # The GIN build uses one core: load SQLite on the other meanwhile.
            indexing = background.submit(index_postgresql, postgres, definitions)
        if sqlite_path and "sqlite" in backends:
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            loading = sqlite_path.with_suffix(".loading")
            loading.unlink(missing_ok=True)
            timings = load_sqlite(loading, corpus, args.claims, args.seed, args.sqlite_fts)
            loading.rename(sqlite_path)
            report_load("sqlite", timings)
        if indexing:
            report_load("postgresql index (alongside the SQLite load)", indexing.result())
    del corpus  # measure without the corpus's memory in this process
    tokens_of.cache_clear()
    gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--papers", type=int, default=200_000, help="synthetic cited papers")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="a server to make a db on")
    parser.add_argument("--repeat", type=int, default=30, help="runs per query and way")
    parser.add_argument("--query-seconds", type=float, default=3, help="cap per query and way")
    parser.add_argument("--naive-seconds", type=float, default=30, help="budget per backend")
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="evidence serve --workers")
    parser.add_argument("--sqlite-fts", choices=["rebuild", "triggers"], default="rebuild")
    parser.add_argument("--load-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the loaded databases (the SQLite file in DIR, the PostgreSQL database on the"
        " server) and reuse them on the next run with the same --claims, --papers and --seed",
    )
    args = parser.parse_args()
    backends = args.backends.split(",")

    started = time.perf_counter()
    key = f"{args.claims}_{args.papers}_{args.seed}"
    name = f"evidence_bench_{key}" if args.keep else f"evidence_bench_{uuid.uuid4().hex[:10]}"
    postgres, reused = None, []
    if "postgresql" in backends and args.keep:
        postgres = kept_postgresql(args.postgres_url, name)
        reused += ["postgresql"] if postgres else []
    if "postgresql" in backends and not postgres:
        postgres = create_postgresql(args.postgres_url, name)
    try:
        with tempfile.TemporaryDirectory(prefix="evidence-bench-") as tmp:
            folder = Path(tmp)
            sqlite_path = (args.keep or folder) / f"bench-{key}.db"
            if "sqlite" in backends and sqlite_path.exists():
                reused.append("sqlite")  # only a whole load is renamed to this path
            if reused:
                print(f"reusing the databases kept in an earlier run: {', '.join(reused)}")
            load(args, backends, postgres if "postgresql" not in reused else None,
                 sqlite_path if "sqlite" not in reused else None)  # fmt: skip
            if postgres and args.keep and "postgresql" not in reused:
                admin(args.postgres_url, f"COMMENT ON DATABASE \"{name}\" IS '{LOADED}'")
            print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
            if "sqlite" in backends:
                measure("sqlite", f"sqlite:///{sqlite_path}", args, folder)
            if postgres:
                measure("postgresql", postgres, args, folder)
    finally:
        if postgres and not args.keep:
            database = make_url(postgres).database
            admin(args.postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
