"""Measure `evidence pubmed import`'s parsers against the naive Bio.Entrez.read, speed and memory.

Run: `python bench/pubmed_import_parse.py [--times 8]`. Reads the 3,690 real EFetch records of
`../shared/pubmed/records/elbert5770_alzheimers_efetch/` (37 gzipped files of 100, 86 MB of XML,
2025 DTD); says so and exits 0 when they are missing.

Each run is a fresh Python process, so its peak RSS (VmHWM) is that run's alone; the table shows
it above the peak RSS of a process that only imported both parsers. Runs:
- the 37 files as they are, with `iter_pubmed_records` (full `PubMedRecord`s, `raw_xml` included)
  by the fast reader (lxml, the default) and by the Bio.Entrez reader (`reader="entrez"`), and
  with `Bio.Entrez.read` of each whole file (Bio.Entrez's dicts only, no records built);
- the same records as ONE file (like NCBI's annual baseline files, 30,000 records each);
- evidence only: that file's body `--times` times over in one stream (29,520 records by
  default), to show that memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from Bio import Entrez

from evidence.pubmed.parse import Reader, iter_pubmed_records, open_pubmed_file

SHARED = Path(__file__).resolve().parents[2] / "shared" / "pubmed" / "records"
FILES = SHARED / "elbert5770_alzheimers_efetch"
SET_END = b"</PubmedArticleSet>"


class ChainedStream(io.RawIOBase):
    """A read-only stream over byte blocks produced on demand."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._rest = b""

    def readable(self) -> bool:
        """Tell io that this stream reads."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill `buffer` from the next blocks."""
        while not self._rest:
            self._rest = next(self._blocks, b"")
            if not self._rest:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def write_one_file(files: list[Path], folder: Path) -> tuple[Path, Path, Path]:
    """Write the files' records as one PubmedArticleSet: head, gzipped body, tail."""
    head = gzip.decompress(files[0].read_bytes()).partition(b"<PubmedArticle>")[0]
    paths = folder / "head.xml", folder / "body.xml.gz", folder / "tail.xml"
    paths[0].write_bytes(head)
    paths[2].write_bytes(SET_END + b"\n")
    with gzip.open(paths[1], "wb", compresslevel=1) as body:
        for path in files:
            data = gzip.decompress(path.read_bytes())
            body.write(data[data.index(b"<PubmedArticle>") : data.rindex(SET_END)])
    return paths


def one_file_stream(parts: list[Path], times: int) -> BinaryIO:
    """Stream head, the gzipped body `times` over, and tail, never holding the body."""

    def blocks() -> Iterator[bytes]:
        yield parts[0].read_bytes()
        for _ in range(times):
            with gzip.open(parts[1], "rb") as body:
                while block := body.read(1 << 20):
                    yield block
        yield parts[2].read_bytes()

    return io.BufferedReader(ChainedStream(blocks()), 1 << 20)


def count_evidence(streams: Iterator[BinaryIO], reader: Reader = "fast") -> int:
    """Parse with evidence's streaming parser, building every record."""
    total = 0
    for stream in streams:
        with stream:
            total += sum(1 for _ in iter_pubmed_records(stream, reader=reader))
    return total


def count_naive(streams: Iterator[BinaryIO]) -> int:
    """Parse with Bio.Entrez.read, the whole file at once."""
    total = 0
    for stream in streams:
        with stream:
            result = Entrez.read(stream)  # type: ignore[no-untyped-call]
        total += len(result["PubmedArticle"]) + len(result["PubmedBookArticle"])
    return total


def measure(run: str, parts: list[Path], times: int) -> None:
    """Do one run in this process and print its figures as JSON."""
    files = sorted(FILES.glob("*.xml.gz"))
    streams: Iterator[BinaryIO]
    if run.endswith("files"):
        streams = (open_pubmed_file(p) for p in files)
    else:
        streams = iter([one_file_stream(parts, times if run == "evidence-big" else 1)])
    started = time.perf_counter()
    if run == "imports":
        records = 0
    elif "naive" in run:
        records = count_naive(streams)
    else:
        records = count_evidence(streams, "entrez" if run.startswith("entrez") else "fast")
    seconds = time.perf_counter() - started
    print(json.dumps({"records": records, "seconds": seconds, "peak_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """Return this process's peak RSS: VmHWM on Linux (ru_maxrss survives exec, so it would
    count the parent that spawned us), else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux, BSD: KiB


def main() -> None:
    """Run every measurement in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=8, help="body repeats of the big file")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--parts", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        measure(args.run, args.parts, args.times)
        return
    files = sorted(FILES.glob("*.xml.gz"))
    if not files:
        print(f"{FILES} is missing: nothing to measure")
        return
    runs = {
        "imports": "imports only (the RSS baseline)",
        "evidence-files": f"evidence, lxml reader, {len(files)} files",
        "entrez-files": f"evidence, Bio.Entrez reader, {len(files)} files",
        "naive-files": f"naive Bio.Entrez.read, {len(files)} files",
        "evidence-one": "evidence, lxml reader, one file",
        "entrez-one": "evidence, Bio.Entrez reader, one file",
        "naive-one": "naive Bio.Entrez.read, one file",
        "evidence-big": f"evidence, lxml reader, one file x{args.times}",
    }
    with tempfile.TemporaryDirectory() as folder:
        parts = write_one_file(files, Path(folder))
        print(f"PubMed EFetch XML: {FILES.name}, {len(files)} gzipped files\n")
        print(f"{'run':50} {'records':>8} {'seconds':>8} {'records/s':>10} {'peak RSS':>10}")
        base = 0.0
        for run, label in runs.items():
            command = [sys.executable, __file__, "--run", run, "--times", str(args.times)]
            out = subprocess.run(
                [*command, "--parts", *map(str, parts)], capture_output=True, text=True, check=True
            )
            figures = json.loads(out.stdout)
            if run == "imports":
                base = figures["peak_mb"]
                print(f"{label:50} {'':>8} {'':>8} {'':>10} {base:>7.1f} MB")
                continue
            rate = figures["records"] / figures["seconds"]
            over = figures["peak_mb"] - base
            print(
                f"{label:50} {figures['records']:>8} {figures['seconds']:>8.1f} {rate:>10.0f}"
                f" {over:>+7.1f} MB"
            )


if __name__ == "__main__":
    main()
