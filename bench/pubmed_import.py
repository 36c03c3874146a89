"""`evidence pubmed import` of a 30,000-record file, end to end (gunzip, parse, write to SQLite),
the new way against the old way in the same run, each in a fresh process: records/s, CPU seconds
and peak memory (VmHWM of the importing process; for the new way also the largest peak of the
two parsing processes it starts: the whole import's peak is at most importer + 2 x parser).

- new: `import_files` as it is: lxml (`fast_reader`) parsing in two more processes while this
  one writes, JSON encoded by the parsers, batched upserts;
- old: the import as it was before: Bio.Entrez (`entrez_reader`) in the importing process
  (`reader="entrez", parallel=False`), with the same batched upserts.

The file is NCBI-baseline-sized: the 3,690 real records of ../shared/pubmed/records/
elbert5770_alzheimers_efetch repeated with their PMIDs shifted, so every row is new. The
machine's other load counts: the CPU seconds say what each way costs whatever the load.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT.parent / "shared" / "pubmed" / "records" / "elbert5770_alzheimers_efetch"
WAYS = {
    "new": "new: lxml in 2 parser processes, batched",
    "old": "old: Bio.Entrez in-process, batched",
}


def build_file(out: Path, records: int) -> int:
    """Write one gzipped PubmedArticleSet of about `records` records with distinct PMIDs."""
    paths = sorted(FILES.glob("*.xml.gz"))
    head = gzip.decompress(paths[0].read_bytes()).decode("utf-8")
    head = head[: head.index("<PubmedArticle>")]
    per_copy = sum(gzip.decompress(p.read_bytes()).count(b"<PubmedArticle>") for p in paths)
    copies = max(1, round(records / per_copy))
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write(head)
        for copy in range(copies):
            for path in paths:  # one source file at a time: memory stays small
                text = gzip.decompress(path.read_bytes()).decode("utf-8")
                body = text[text.index("<PubmedArticle>") : text.rindex("</PubmedArticleSet>")]
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


def peak_rss_mb() -> float:
    """Return this process's peak RSS: VmHWM (ru_maxrss survives exec, so it would count the
    parent that spawned us)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(way: str, path: str, database: str) -> dict[str, float]:
    """Import the file one way into a new SQLite database; return its figures."""
    from evidence.db import make_engine, prepare_database
    from evidence.pubmed.importer import import_files

    engine = make_engine(f"sqlite:///{database}")
    prepare_database(engine)
    if way == "new":
        report = import_files(engine, [Path(path)])
    else:
        report = import_files(engine, [Path(path)], reader="entrez", parallel=False)
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "records": report.records,
        "seconds": report.seconds,
        "cpu": own.ru_utime + own.ru_stime,
        "child_cpu": children.ru_utime + children.ru_stime,
        "peak_mb": peak_rss_mb(),
        "child_peak_mb": children.ru_maxrss / 1024,  # the largest parsing process
    }


def main() -> None:
    """Build the file, import it both ways in fresh processes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--run", choices=list(WAYS), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args.file, args.database)))
        return
    if not FILES.is_dir():
        print(f"{FILES} is missing (it comes with ../shared/): nothing to measure")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline-sized.xml.gz"
        count = build_file(path, args.records)
        results = {}
        for way in WAYS:
            database = Path(folder) / f"{way}.db"
            command = [sys.executable, __file__, "--run", way, "--file", str(path)]
            output = subprocess.run(
                [*command, "--database", str(database)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            results[way] = json.loads(output.strip().splitlines()[-1])
    print(f"a {count:,}-record PubmedArticleSet (.xml.gz) into SQLite\n")
    print(f"{'way':46}{'seconds':>8}{'records/s':>10}{'CPU s':>12}{'peak RSS':>16}")
    for way, r in results.items():
        cpu = f"{r['cpu']:.1f}+{r['child_cpu']:.1f}" if r["child_cpu"] else f"{r['cpu']:.1f}"
        peak = f"{r['peak_mb']:.0f}+2x{r['child_peak_mb']:.0f} MB" if r["child_cpu"] else ""
        peak = peak or f"{r['peak_mb']:.0f} MB"
        rate = r["records"] / r["seconds"]
        print(f"{WAYS[way]:46}{r['seconds']:>8.1f}{rate:>10.0f}{cpu:>12}{peak:>16}")
    new, old = results["new"], results["old"]
    speed = (new["records"] / new["seconds"]) / (old["records"] / old["seconds"])
    print(
        f"\nnew / old: {speed:.1f}x the records/s (CPU: importer+parsers, RSS: importer+2x parser)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
