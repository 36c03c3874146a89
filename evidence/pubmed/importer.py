"""Import PubMed records from files (EFetch output, NCBI's annual baseline files) in bounded
memory: records stream from the file and are written in batches; each file is one transaction,
so a file that breaks half-way leaves nothing of itself behind."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy.engine import Engine

from evidence.db import session_scope
from evidence.errors import DocumentReadError
from evidence.pubmed.parse import iter_pubmed_records, open_pubmed_file
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.store import save_records

BATCH = 1000  # records per write


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


def batched(records: Iterable[PubMedRecord], size: int) -> Iterator[list[PubMedRecord]]:
    """Yield lists of at most `size` records."""
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def import_files(
    engine: Engine, paths: Sequence[Path], *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Stream every file's records into the papers table, one transaction per file."""
    started = time.perf_counter()
    total = 0
    for path in paths:
        if not path.is_file():
            raise DocumentReadError(path, "no such file")
        with open_pubmed_file(path) as stream, session_scope(engine) as session:
            for batch in batched(iter_pubmed_records(stream), BATCH):
                total += save_records(session, batch, source="import")
                if progress is not None:
                    progress(len(batch))
    return ImportReport(len(paths), total, time.perf_counter() - started)
