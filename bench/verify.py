"""Measure verification on real references: strings from PubMed reference lists, each compared
field by field with the record NCBI linked it to (../shared/eval/resolution/ and the records of
../shared/pubmed/records/). The record is the paper cited, so a difference is either the
reference's own error (a wrong volume, a garbled page) or verification's (a parse gone wrong,
formatting taken for an error). Prints how many references show a difference, by field, with
examples to read, against a naive check in the same run (each field's text compared after
folding case and spaces, pages as written).

    python bench/verify.py [--references 20000] [--seed 3] [--examples 5]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.resolve import CITATIONS, RECORDS, load_records, load_rows  # noqa: E402
from evidence.ingest.citation import ParsedCitation, parse_citation  # noqa: E402
from evidence.pubmed.records import PubMedRecord  # noqa: E402
from evidence.verify.fields import compare_fields  # noqa: E402


def naive_differences(citation: ParsedCitation, record: PubMedRecord) -> list[str]:
    """The fields whose text differs, folded for case and spaces only."""

    def fold(value: object) -> str:
        return " ".join(str(value or "").lower().split())

    pairs = {
        "first_author": (citation.authors[0] if citation.authors else None, record.authors[0]),
        "year": (citation.year, record.year),
        "journal": (citation.journal, record.iso_abbrev or record.journal),
        "volume": (citation.volume, record.volume),
        "issue": (citation.issue, record.issue),
        "pages": (citation.pages, record.pages),
    }
    return [
        field
        for field, (written, pubmed) in pairs.items()
        if written and pubmed and fold(written) != fold(pubmed)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--references", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--examples", type=int, default=5, help="shown per field")
    args = parser.parse_args()
    if not CITATIONS.exists() or not RECORDS.is_dir():
        print(f"no evaluation data: {CITATIONS} or {RECORDS} is missing (it comes with ../shared/)")
        return
    records = load_records()
    linked = [row for row in load_rows() if row["ref_pmid"] in records]
    rng = random.Random(args.seed)
    sample = rng.sample(linked, min(args.references, len(linked)))
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    naive: Counter[str] = Counter()
    ours_any = naive_any = 0
    for row in sample:
        citation, record = parse_citation(row["citation"]), records[row["ref_pmid"]]
        differences = compare_fields(citation, record)
        ours_any += bool(differences)
        for difference in differences:
            found[difference.field].append((difference.written, difference.pubmed, row["citation"]))
        naive_fields = naive_differences(citation, record)
        naive_any += bool(naive_fields)
        naive.update(naive_fields)
    print(f"{len(sample):,} real references, with the records NCBI linked (seed {args.seed})")
    print(
        f"with a difference: {ours_any:,} ({ours_any / len(sample):.1%});"
        f" naive field-by-field text: {naive_any:,} ({naive_any / len(sample):.1%});"
        f" {naive_any / max(ours_any, 1):.1f}x as many"
    )
    print(f"naive, by field: {', '.join(f'{f} {n:,}' for f, n in naive.most_common())}")
    for field, items in sorted(found.items(), key=lambda kv: -len(kv[1])):
        print(f"{field}: {len(items):,}")
        for written, pubmed, text in rng.sample(items, min(args.examples, len(items))):
            print(f"    {written[:36]!r} vs {pubmed[:30]!r}  | {text[-90:]}")


if __name__ == "__main__":
    main()
