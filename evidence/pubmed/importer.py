"""Import PubMed records from files (EFetch output, NCBI's annual baseline files) in bounded
memory: records stream from the file and are written in batches; each file is one transaction,
so a file that breaks half-way leaves nothing of itself behind.

Parsing and writing overlap. For a large file, this process gunzips it and cuts it into
articles, hands batches of article bytes to `WORKERS` parsing processes (`fast_reader`) that
turn them into paper rows with their JSON already encoded, and writes the rows it gets back in
file order while the next batches parse (bench/pubmed_import.py, 2 cores: a 30,000-record file
at ~3,500 records/s, 2x the one-process Bio.Entrez import). Rows come back as strings, not
records, and without `raw_xml` (this process still has the bytes): unpickling nested records
cost more than parsing them. At most `IN_FLIGHT` batches are out at a time, so memory stays
bounded however long the file.

The pool is started with "spawn" (the CLI's progress bar runs a thread, and a forked child
would share the parent's database connections), so a script that imports large files needs the
usual `if __name__ == "__main__":` guard; `parallel=False` parses in this process."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from sqlalchemy.engine import Engine

from evidence.db import session_scope
from evidence.errors import DocumentReadError
from evidence.models import utc_now
from evidence.pubmed.parse import Reader, iter_pubmed_articles, open_pubmed_file, read_article
from evidence.pubmed.store import encoded_row, save_rows
from evidence.search.index import reindex_cited_papers

T = TypeVar("T")
Article = tuple[int, tuple[bytes, bytes]]  # position in the file, (tag name, bytes)
Row = dict[str, Any]
BATCH = 250  # articles per parse task and rows per write
IN_FLIGHT = 4  # batches handed to the parsing processes and not yet written: the bound on memory
WORKERS = 2  # parsing costs more CPU than writing: two parsers keep one writer busy
PARALLEL_FROM = 4 << 20  # bytes on disk: below, starting a process costs more than it saves


@dataclass(frozen=True)
class ImportReport:
    """How many records came from how many files, and how fast."""

    files: int
    records: int
    seconds: float

    @property
    def records_per_second(self) -> float:
        """Return the import rate."""
        return self.records / self.seconds if self.seconds else 0.0


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of at most `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def import_files(
    engine: Engine,
    paths: Sequence[Path],
    *,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
    reader: Reader = "fast",
) -> ImportReport:
    """Stream every file's records into the papers table, one transaction per file.

    `parallel`: parse in other processes while this one writes (None: for files of
    `PARALLEL_FROM` bytes or more, on a machine with a second core).
    """
    started = time.perf_counter()
    total = 0
    for path in paths:
        if not path.is_file():
            raise DocumentReadError(path, "no such file")
    with _LazyPool() as pool:
        for path in paths:
            in_parallel = _worth_a_process(path) if parallel is None else parallel
            with open_pubmed_file(path) as stream, session_scope(engine) as session:
                rows = read_rows(stream, pool=pool if in_parallel else None, reader=reader)
                for batch in rows:
                    total += save_rows(session, batch)
                    reindex_cited_papers(session, [row["pmid"] for row in batch])
                    if progress is not None:
                        progress(len(batch))
    return ImportReport(len(paths), total, time.perf_counter() - started)


def read_rows(
    stream: BinaryIO, *, pool: _LazyPool | None = None, reader: Reader = "fast"
) -> Iterator[list[Row]]:
    """Yield a stream's paper rows in batches, in file order, parsed by the pool if given."""
    batches = batched(iter_pubmed_articles(stream), BATCH)
    fetched_at = utc_now()
    if pool is None:
        for batch in batches:
            yield paper_rows(batch, reader=reader, fetched_at=fetched_at, keep_raw=True)
        return
    pending: deque[tuple[list[Article], Future[list[Row]]]] = deque()
    for batch in batches:
        task = pool.executor.submit(paper_rows, batch, reader=reader, fetched_at=fetched_at)
        pending.append((batch, task))
        if len(pending) >= IN_FLIGHT:
            yield _with_raw_xml(*pending.popleft())
    while pending:
        yield _with_raw_xml(*pending.popleft())


def paper_rows(
    articles: list[Article], *, reader: Reader, fetched_at: datetime, keep_raw: bool = False
) -> list[Row]:
    """Parse a batch of articles into paper rows, JSON encoded (the parsing process's task)."""
    rows = []
    for number, (name, element) in articles:
        record = read_article(name, element, number, reader=reader)
        row = encoded_row(record, source="import", fetched_at=fetched_at)
        if not keep_raw:
            row["raw_xml"] = None  # the sender has the bytes: not worth pickling back
        rows.append(row)
    return rows


def _with_raw_xml(articles: list[Article], task: Future[list[Row]]) -> list[Row]:
    """Return a task's rows with each article's XML put back."""
    rows = task.result()
    for row, (_, (_, element)) in zip(rows, articles, strict=True):
        row["raw_xml"] = element.decode("utf-8")  # checked by read_article
    return rows


class _LazyPool:
    """The parsing processes, started on first use; on exit, stopped, their queue dropped."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None

    @property
    def executor(self) -> ProcessPoolExecutor:
        """Return the pool, starting it the first time."""
        if self._executor is None:
            context = multiprocessing.get_context("spawn")  # see the module docstring
            self._executor = ProcessPoolExecutor(WORKERS, mp_context=context)
        return self._executor

    def __enter__(self) -> _LazyPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


def _worth_a_process(path: Path) -> bool:
    """Tell whether parsing this file in a second process would pay."""
    return (os.cpu_count() or 1) > 1 and path.stat().st_size >= PARALLEL_FROM
