"""Resolve N synthetic citations against a loopback E-utilities with realistic latency, at NCBI's
rate without a key (3 requests/s), and print requests sent, requests per 1,000 citations and
wall time, against the naive way (one ESearch plus one EFetch per citation) in the same run.

The naive way needs two requests per citation, so at 3 requests/s it takes N * 2 / 3 seconds;
it is run on a sample (`--naive-sample`, 30 by default) and its time scaled to N, as printed.

    python bench/enrich.py [--citations 1000] [--latency 0.05]

Records come from ../shared/pubmed/records (real PubMed XML); the citations are rendered from
them in Vancouver style with the ISO journal abbreviation, so ECitMatch can match them.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence.config import Settings  # noqa: E402
from evidence.db import make_engine, prepare_database, session_scope  # noqa: E402
from evidence.ingest.citation import parse_citation  # noqa: E402
from evidence.pubmed.client import EUtilsClient  # noqa: E402
from evidence.pubmed.journals import JournalNames  # noqa: E402
from evidence.pubmed.parse import parse_pubmed_xml  # noqa: E402
from evidence.pubmed.records import PubMedRecord  # noqa: E402
from evidence.pubmed.resolve import Resolver  # noqa: E402
from evidence.pubmed.store import LocalPubMed  # noqa: E402
from tests.eutils_server import EUtilsServer  # noqa: E402

RECORDS = ROOT.parent / "shared" / "pubmed" / "records" / "elbert5770_alzheimers_efetch"


def load_records(limit: int) -> list[PubMedRecord]:
    """Read real records, only those a Vancouver citation can be rendered from."""
    records: list[PubMedRecord] = []
    for path in sorted(RECORDS.glob("*.xml.gz")):
        for record in parse_pubmed_xml(gzip.decompress(path.read_bytes())):
            if record.authors and record.year and record.volume and record.first_page:
                records.append(record)
        if len(records) >= limit:
            break
    return records[:limit]


def vancouver(record: PubMedRecord) -> str:
    """Render a record as a reference list would cite it."""
    authors = ", ".join(record.authors[:3]) + (", et al" if len(record.authors) > 3 else "")
    issue = f"({record.issue})" if record.issue else ""
    journal = record.iso_abbrev or record.journal
    return (
        f"{authors}. {record.title} {journal}. {record.year};{record.volume}{issue}:{record.pages}."
    )


async def ours(url: str, database_url: str, citations: list[str]) -> tuple[int, int, float]:
    """Resolve all citations our way; return (right, requests, seconds)."""
    engine = make_engine(database_url)
    prepare_database(engine)
    started = time.perf_counter()
    async with EUtilsClient(Settings(eutils_url=url)) as client:
        with session_scope(engine) as session:
            resolver = Resolver(
                local=LocalPubMed(session), journals=JournalNames(session, client), client=client
            )
            resolutions = await resolver.resolve([parse_citation(c) for c in citations])
        requests = client.requests_sent
    return sum(r.pmid is not None for r in resolutions), requests, time.perf_counter() - started


async def naive(url: str, citations: list[str]) -> tuple[int, float]:
    """One ESearch and one EFetch per citation, as peers do; return (requests, seconds)."""
    started = time.perf_counter()
    async with EUtilsClient(Settings(eutils_url=url)) as client:
        for text in citations:
            parsed = parse_citation(text)
            pmids = await client.esearch(f'"{parsed.first_author}"[1au] AND {parsed.year}[dp]')
            if pmids:
                await client.efetch_pubmed(pmids[:1])
        requests = client.requests_sent
    return requests, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citations", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--naive-sample", type=int, default=30)
    args = parser.parse_args()
    if not RECORDS.is_dir():
        print(f"no benchmark data: {RECORDS} is missing (it comes with ../shared/)")
        return
    records = load_records(args.citations)
    citations = [vancouver(r) for r in random.Random(7).sample(records, len(records))]
    server = EUtilsServer(records, latency=args.latency).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            right, requests, seconds = asyncio.run(
                ours(server.url, f"sqlite:///{folder}/bench.db", citations)
            )
        sample = citations[: args.naive_sample]
        naive_requests, naive_seconds = asyncio.run(naive(server.url, sample))
    finally:
        server.stop()
    n = len(citations)
    scale = n / len(sample)
    print(f"{n} citations rendered from real PubMed records; {args.latency * 1000:.0f} ms latency")
    print(f"{'way':<34}{'requests':>10}{'per 1,000':>11}{'seconds':>10}")
    print(
        f"{'ours (batched, 3 req/s)':<34}{requests:>10}{requests * 1000 / n:>11.1f}{seconds:>10.1f}"
    )
    print(
        f"{'naive, scaled from ' + str(len(sample)):<34}{naive_requests * scale:>10.0f}"
        f"{naive_requests * 1000 / len(sample):>11.1f}{naive_seconds * scale:>10.1f}"
    )
    print(f"resolved: {right}/{n}; ours is {naive_seconds * scale / seconds:.0f}x faster")


if __name__ == "__main__":
    main()
