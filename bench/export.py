"""Write 100,000 cited works as BibTeX; print entries/s, UTF-8 and LaTeX-escaped, against writing
the same entries with pybtex and with bibtexparser's default writer in the same run; then read the
output back with pybtex and check that every DOI and URL came back byte for byte.

Works are real PubMed records (the bundled snapshot's 14 and ../shared/pubmed/records when it is
there), repeated with varied fields (PMID, DOI, volume, pages, a title word, an accented author).

    python bench/export.py [--works 100000] [--check 20000]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import time
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pybtex.database
from bibtexparser.model import Entry as ParserEntry
from bibtexparser.model import Field as ParserField

from evidence.export import ExportOptions, ExportWork
from evidence.export.bibtex import export_bibtex
from evidence.export.citekeys import assign_citekeys, split_author
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord

PROJECT = Path(__file__).resolve().parent.parent
SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
SHARED = PROJECT.parent / "shared" / "pubmed" / "records"
ODD_DOIS = ("10.1016/S0140-6736(00)03155-X", "10.1000/a_b%2Fc#frag", "10.1002/(SICI)1097<857>")
SURNAMES = ("Stępień", "Rose-John", "Lefèvre", "Müller", "Çelik", "Øster", "Zhang")


def load_records() -> list[PubMedRecord]:
    """Read the snapshot and, when present, the shared real records."""
    records = parse_pubmed_xml(SNAPSHOT.read_bytes())
    if not SHARED.is_dir():
        print(f"{SHARED} is missing: using the snapshot's {len(records)} records only")
        return records
    for path in sorted(SHARED.rglob("*.xml*"))[:400]:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        try:
            records += parse_pubmed_xml(data)
        except Exception as error:  # a MEDLINE set or an empty answer: not EFetch XML
            print(f"skipped {path.name}: {type(error).__name__}")
    return records


def synthetic_works(records: list[PubMedRecord], count: int) -> list[ExportWork]:
    """Repeat the records' fields with variations, as `count` distinct works."""
    works = []
    for n, record in zip(range(count), itertools.cycle(records), strict=False):
        authors = list(record.authors[:6]) or ["Writing Group"]
        if n % 3 == 0:
            authors[0] = f"{SURNAMES[n % len(SURNAMES)]} JM"
        works.append(
            ExportWork(
                key="",
                resolved=n % 10 != 0,
                authors=authors,
                authors_complete=len(record.authors) <= 6,
                title=f"{record.title or 'Untitled'} ({n % 97} & β-{n % 13}%)",
                journal=record.journal,
                iso_abbrev=record.iso_abbrev,
                year=record.year,
                month=record.month,
                volume=str(n % 300),
                issue=record.issue,
                first_page=str(100 + n % 900),
                last_page=str(110 + n % 900),
                doi=ODD_DOIS[n % 3] + f".{n}" if n % 7 == 0 else f"10.1000/x{n}_{n % 11}",
                pmid=str(40_000_000 + n),
                pmcid=record.pmcid,
                as_written=None if n % 10 else f"{authors[0]} et al. {record.journal}.",
            )  # fmt: skip
        )
    return assign_citekeys(works)


def with_pybtex(works: list[ExportWork]) -> str:
    """Write the same entries (UTF-8) with pybtex's own data model and writer."""
    data = pybtex.database.BibliographyData()
    for w in works:
        persons = {"author": [pybtex.database.Person(_name(a)) for a in w.authors]}
        fields = _plain_fields(w)
        data.entries[w.key] = pybtex.database.Entry("article", fields=fields, persons=persons)
    return data.to_string("bibtex")


def with_bibtexparser(works: list[ExportWork]) -> str:
    """Write the same entries (UTF-8) with bibtexparser's default unparse stack."""
    blocks = []
    for w in works:
        fields = [ParserField("author", " and ".join(_name(a) for a in w.authors))]
        fields += [ParserField(k, v) for k, v in _plain_fields(w).items()]
        blocks.append(ParserEntry("article", w.key, fields))
    return bibtexparser.write_string(bibtexparser.Library(blocks))


def _name(author: str) -> str:
    surname, initials = split_author(author)
    return f"{surname}, {'. '.join(initials)}." if initials else "{" + surname + "}"


def _plain_fields(w: ExportWork) -> dict[str, str]:
    values = {
        "title": w.title, "journal": w.journal, "year": str(w.year or ""), "volume": w.volume,
        "number": w.issue, "pages": w.pages, "doi": w.doi, "pmid": w.pmid, "url": w.url,
    }  # fmt: skip
    return {k: v for k, v in values.items() if v}


def timed(name: str, write: Callable[[], str], n: int) -> str:
    start = time.perf_counter()
    text = write()
    seconds = time.perf_counter() - start
    size = len(text) / 1e6
    print(f"{name:<34} {n / seconds:>10,.0f} entries/s  ({seconds:.2f} s, {size:.1f} MB)")
    return text


def check_round_trip(text: str, works: list[ExportWork]) -> None:
    """Parse with pybtex (another library) and compare every DOI and URL byte for byte."""
    entries = pybtex.database.parse_string(text, "bibtex").entries
    bad = [
        w.key
        for w in works
        if entries[w.key].fields.get("doi") != w.doi or entries[w.key].fields.get("url") != w.url
    ]
    print(f"  round trip of {len(works):,} entries: {len(bad)} DOIs/URLs differ {bad[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--check", type=int, default=20_000, help="entries read back")
    args = parser.parse_args()
    records = load_records()
    works = synthetic_works(records, args.works)
    print(f"{len(records):,} real records -> {len(works):,} works")
    options = ExportOptions(status=True)
    n = len(works)
    utf8 = timed("evidence, UTF-8", lambda: export_bibtex(works, options), n)
    latex = timed(
        "evidence, LaTeX-escaped", lambda: export_bibtex(works, options, latex_escape=True), n
    )
    timed("pybtex (UTF-8, its writer)", lambda: with_pybtex(works), n)
    timed("bibtexparser (default stack)", lambda: with_bibtexparser(works), n)
    assert utf8 and latex
    sample = works[: args.check]  # pybtex reads ~2,000 entries/s: a sample, written alike
    for name, latex_escape in (("UTF-8", False), ("LaTeX", True)):
        text = export_bibtex(sample, options, latex_escape=latex_escape)
        print(name, end="")
        check_round_trip(text, sample)


if __name__ == "__main__":
    main()
