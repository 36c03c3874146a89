"""Measure resolution on real reference strings nobody here wrote: PubMed reference lists with
the PMID NCBI linked each to (../shared/eval/resolution/), served from a loopback E-utilities
holding the full records of ../shared/pubmed/records/.

A fresh random sample each run: `--known` strings whose cited record the server has, and
`--unknown` strings whose cited paper it has not (any PMID returned for those is wrong).
Prints precision, recall, abstentions, wrong PMIDs and requests.

    python bench/resolve.py [--known 500] [--unknown 100] [--seed N]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import io
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence.config import Settings  # noqa: E402
from evidence.db import make_engine, prepare_database, session_scope  # noqa: E402
from evidence.ingest.citation import parse_citation  # noqa: E402
from evidence.pubmed.client import EUtilsClient  # noqa: E402
from evidence.pubmed.journals import JournalNames  # noqa: E402
from evidence.pubmed.parse import iter_pubmed_records, open_pubmed_file  # noqa: E402
from evidence.pubmed.records import PubMedRecord  # noqa: E402
from evidence.pubmed.resolve import Resolution, Resolver  # noqa: E402
from evidence.pubmed.store import LocalPubMed  # noqa: E402
from tests.eutils_server import EUtilsServer  # noqa: E402

SHARED = ROOT.parent / "shared"
CITATIONS = SHARED / "eval" / "resolution" / "pubmed_referencelist_citations.tsv.gz"
RECORDS = SHARED / "pubmed" / "records"


def load_records() -> dict[str, PubMedRecord]:
    """Read every PubmedArticle under ../shared/pubmed/records."""
    records: dict[str, PubMedRecord] = {}
    for path in sorted(RECORDS.rglob("*")):
        if path.suffix not in (".xml", ".gz") or "MedlineCitationSet" in path.read_bytes()[
            :400
        ].decode("latin-1"):
            continue
        try:
            with open_pubmed_file(path) as stream:
                for record in iter_pubmed_records(stream):
                    records[record.pmid] = record
        except Exception as error:  # noqa: BLE001 - a file we cannot read is reported, not fatal
            print(f"skipped {path.relative_to(SHARED)}: {error}")
    return records


def load_rows() -> list[dict[str, str]]:
    with gzip.open(CITATIONS, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read()), delimiter="\t"))


async def resolve(url: str, citations: list[str]) -> tuple[list[Resolution], int, float]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        prepare_database(engine)
        settings = Settings(eutils_url=url, ncbi_api_key="bench")  # 10 requests/s
        async with EUtilsClient(settings) as client:
            with session_scope(engine) as session:
                resolver = Resolver(
                    local=LocalPubMed(session),
                    journals=JournalNames(session, client),
                    client=client,
                )
                resolutions = await resolver.resolve([parse_citation(c) for c in citations])
            requests = client.requests_sent
        engine.dispose()
    return resolutions, requests, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--known", type=int, default=500)
    parser.add_argument("--unknown", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if not CITATIONS.exists() or not RECORDS.is_dir():
        print(f"no evaluation data: {CITATIONS} or {RECORDS} is missing (it comes with ../shared/)")
        return
    records = load_records()
    rows = [r for r in load_rows() if r["ref_pmid"]]
    rng = random.Random(args.seed)
    known = rng.sample([r for r in rows if r["ref_pmid"] in records], args.known)
    unknown = rng.sample([r for r in rows if r["ref_pmid"] not in records], args.unknown)
    sample = known + unknown
    server = EUtilsServer(records.values()).start()
    try:
        resolutions, requests, seconds = asyncio.run(
            resolve(server.url, [r["citation"] for r in sample])
        )
        by_utility = Counter(f"{r.utility} {r.params.get('db', 'pubmed')}" for r in server.log)
    finally:
        server.stop()
    right = wrong = abstained = 0
    for row, resolution in zip(known, resolutions, strict=False):
        if resolution.pmid is None:
            abstained += 1
        elif resolution.pmid == row["ref_pmid"]:
            right += 1
        else:
            wrong += 1
            print(f"WRONG {resolution.pmid} for {row['ref_pmid']}: {row['citation'][:120]}")
    false_hits = [r for r in resolutions[len(known) :] if r.pmid is not None]
    for resolution in false_hits:
        print(f"WRONG {resolution.pmid} for a paper the server does not have")
    print(f"{len(records)} records served; {len(known)} known + {len(unknown)} unknown strings")
    answered = right + wrong + len(false_hits)
    print(
        f"precision {right / answered if answered else 1:.3f}  recall {right / len(known):.3f}  "
        f"abstained {abstained}  wrong {wrong + len(false_hits)}"
    )
    print(
        f"requests {requests} ({requests * 1000 / len(sample):.0f} per 1,000 strings), "
        f"{seconds:.1f} s"
    )
    print("by utility: " + ", ".join(f"{k}: {n}" for k, n in sorted(by_utility.items())))


if __name__ == "__main__":
    main()
