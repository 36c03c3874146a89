"""`evidence pubmed import` of a 30,000-record file, end to end (gunzip, parse, write to SQLite),
in a fresh process each: records/s and peak memory, against the naive way (Bio.Entrez.read of
the whole file, then one ORM row per record) on a 3,690-record file in the same run.

The big file is NCBI-baseline-sized: the 3,690 real records of ../shared/pubmed/records/
elbert5770_alzheimers_efetch repeated with their PMIDs shifted, so every row is new.

    python bench/pubmed_import.py [--records 30000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT.parent / "shared" / "pubmed" / "records" / "elbert5770_alzheimers_efetch"


def build_file(out: Path, records: int) -> int:
    """Write one gzipped PubmedArticleSet of about `records` records with distinct PMIDs."""
    bodies = []
    for path in sorted(FILES.glob("*.xml.gz")):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        bodies.append(text[text.index("<PubmedArticle>") : text.rindex("</PubmedArticleSet>")])
    head = gzip.decompress(sorted(FILES.glob("*.xml.gz"))[0].read_bytes()).decode("utf-8")
    head = head[: head.index("<PubmedArticle>")]
    body = "".join(bodies)
    per_copy = body.count("<PubmedArticle>")
    copies = max(1, round(records / per_copy))
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write(head)
        for copy in range(copies):
            # Shift only the article's own PMID (the first of each MedlineCitation).
            handle.write(
                re.sub(
                    r'(<MedlineCitation[^>]*>\s*<PMID Version="\d+">)(\d+)',
                    lambda m, c=copy: f"{m.group(1)}{int(m.group(2)) + c * 100_000_000}",
                    body,
                )
            )
        handle.write("</PubmedArticleSet>\n")
    return per_copy * copies


def run_ours(path: str, database: str) -> dict[str, float]:
    from evidence.db import make_engine, prepare_database
    from evidence.pubmed.importer import import_files

    engine = make_engine(f"sqlite:///{database}")
    prepare_database(engine)
    report = import_files(engine, [Path(path)])
    return {"records": report.records, "seconds": report.seconds}


def run_naive(path: str, database: str) -> dict[str, float]:
    from Bio import Entrez
    from sqlmodel import Session

    from evidence.db import make_engine, prepare_database
    from evidence.models import Paper

    engine = make_engine(f"sqlite:///{database}")
    prepare_database(engine)
    started = time.perf_counter()
    with gzip.open(path, "rb") as handle:
        articles = Entrez.read(handle, validate=False)["PubmedArticle"]
    with Session(engine) as session:
        for article in articles:
            citation = article["MedlineCitation"]
            session.add(
                Paper(pmid=str(citation["PMID"]), title=str(citation["Article"]["ArticleTitle"]))
            )
        session.commit()
    return {"records": len(articles), "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--run", choices=["ours", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        result = (run_ours if args.run == "ours" else run_naive)(args.file, args.database)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if not FILES.is_dir():
        print(f"{FILES} is missing (it comes with ../shared/): nothing to measure")
        return
    with tempfile.TemporaryDirectory() as folder:
        big, small = Path(folder) / "baseline-sized.xml.gz", Path(folder) / "one-copy.xml.gz"
        count, small_count = build_file(big, args.records), build_file(small, 1)
        rows = []
        for label, way, path in [
            (f"evidence pubmed import, {count:,} records", "ours", big),
            (f"evidence pubmed import, {small_count:,} records", "ours", small),
            (f"naive (Entrez.read + ORM), {small_count:,} records", "naive", small),
        ]:
            database = Path(folder) / f"{way}-{path.stem}.db"
            command = [sys.executable, __file__, "--run", way, "--file", str(path)]
            output = subprocess.run(
                [*command, "--database", str(database)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            rows.append((label, json.loads(output.strip().splitlines()[-1])))
    print(f"{'run':48}{'records':>9}{'seconds':>9}{'records/s':>11}{'peak RSS':>11}")
    for label, r in rows:
        rate = r["records"] / r["seconds"]
        figures = f"{r['records']:>9.0f}{r['seconds']:>9.1f}{rate:>11.0f}{r['peak_mb']:>8.0f} MB"
        print(f"{label:48}{figures}")
    ours, naive = rows[1][1], rows[2][1]
    speed = (ours["records"] / ours["seconds"]) / (naive["records"] / naive["seconds"])
    print(
        f"on the same {small_count:,} records ours is {speed:.1f}x faster "
        f"and uses {naive['peak_mb'] / ours['peak_mb']:.1f}x less memory"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
