"""Measure citations by author and year: manuscripts written from real PubMed records (their
authors as PubMed has them: particles, hyphens, accents, collective names, one author's several
papers of one year), in APA and Harvard style, each sentence citing known works. Prints how many
citations were linked to the right reference, to a wrong one, or to none, against a naive
reader (a capitalised word, then a year: the first reference of that surname and year), and how
long reading took.

A fresh random sample each run (`--seed` to repeat one). Reads ../shared/pubmed/records.

    python bench/author_year.py [--documents 100] [--references 40] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.resolve import RECORDS, load_records  # noqa: E402
from evidence.ingest.manuscript import extract_manuscript  # noqa: E402
from evidence.pubmed.records import PubMedRecord  # noqa: E402

NAIVE = re.compile(r"([A-Z][A-Za-z'\-]+)(?: et al\.?| (?:and|&) [A-Z][A-Za-z'\-]+)?,? \(?(\d{4})")


def surname(author: str) -> str:
    head, _, initials = author.rpartition(" ")
    return head if head and initials.isupper() and len(initials) <= 4 else author


def apa_author(author: str) -> str:
    head, _, initials = author.rpartition(" ")
    if not head or not initials.isupper():
        return author
    return f"{head}, {' '.join(f'{i}.' for i in initials)}"


def reference(record: PubMedRecord, style: str, letter: str) -> str:
    authors = record.authors[:7]
    year = f"{record.year}{letter}"
    source = f"{record.iso_abbrev or record.journal}"
    if style == "apa":
        names = [apa_author(a) for a in authors]
        written = names[0] if len(names) == 1 else f"{', '.join(names[:-1])}, & {names[-1]}"
        issue = f"({record.issue})" if record.issue else ""
        volume = f"{record.volume}{issue}"
        return f"{written} ({year}). {record.title} {source}, {volume}, {record.pages}."
    written = ", ".join(authors[:3]) + (" et al" if len(authors) > 3 else "")
    return f"{written} ({year}) {record.title} {source} {record.volume}:{record.pages}"


def in_text(record: PubMedRecord, style: str, letter: str, narrative: bool, plain: bool) -> str:
    names = [surname(a) for a in record.authors]
    if plain:  # written without accents, as writers often do ("ø", which has none, stays)
        names = [_unaccented(n) for n in names]
    joiner = " & " if style == "apa" else " and "
    if len(names) >= 3:
        who = f"{names[0]} et al."
    elif len(names) == 2:
        who = f"{names[0]}{' and ' if narrative else joiner}{names[1]}"
    else:
        who = names[0]
    year = f"{record.year}{letter}"
    if narrative:
        return f"{who} ({year})"
    return f"{who}, {year}" if style == "apa" else f"{who} {year}"


def _unaccented(name: str) -> str:
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in name)


def usable(record: PubMedRecord) -> bool:
    return bool(record.authors and record.year and record.title and record.volume and record.pages)


def manuscript(
    records: list[PubMedRecord], style: str, rng: random.Random
) -> tuple[str, list[list[int]]]:
    """Return a manuscript citing each record once or twice, and each sentence's references
    (their places in the list, which is sorted by author as these styles sort it)."""
    listed = sorted(records, key=lambda r: (r.authors[0], r.year or 0, r.title or ""))
    letters: dict[str, str] = {}
    seen: dict[tuple[str, int | None], list[PubMedRecord]] = defaultdict(list)
    for record in listed:
        seen[(surname(record.authors[0]), record.year)].append(record)
    for group in seen.values():
        for n, record in enumerate(group):
            letters[record.pmid] = "abcdefgh"[n] if len(group) > 1 else ""
    sentences: list[str] = []
    truth: list[list[int]] = []
    order = list(range(len(listed)))
    rng.shuffle(order)
    while order:
        cited = [order.pop() for _ in range(min(len(order), rng.choice([1, 1, 2])))]
        narrative = len(cited) == 1 and rng.random() < 0.3
        plain = rng.random() < 0.2
        marks = [
            in_text(listed[i], style, letters[listed[i].pmid], narrative, plain) for i in cited
        ]
        topic = " ".join((listed[cited[0]].title or "").split()[:8]).rstrip(".")
        if narrative:
            sentences.append(f"{marks[0]} reported findings on {topic.lower()}.")
        else:
            sentences.append(f"Findings were reported on {topic.lower()} ({'; '.join(marks)}).")
        truth.append(cited)
    refs = [reference(r, style, letters[r.pmid]) for r in listed]
    text = "\n\n".join(["A review", *sentences, "References", *refs])
    return text, truth


def by_sentence(text: str, sentences: int, claims: list[Any]) -> list[list[int | None]]:
    """Return the references each written sentence's claims link, in order: a sentence the
    reader splits in two (a title "Neurodegeneration. C9orf72 repeat expansions ...") gives
    two claims, and zipping claims with sentences would shift every later one. A claim found
    in no sentence (two sentences read as one) is left out: its citations count as none."""
    written = text.split("\n\n")[1 : 1 + sentences]
    found: list[list[int | None]] = [[] for _ in written]
    at = 0
    for claim in claims:
        where = next((n for n in range(at, len(written)) if claim.as_written in written[n]), None)
        if where is not None:
            at = where
            found[at] += [marker.reference for marker in claim.markers]
    return found


def naive_links(text: str) -> list[list[int | None]]:
    body, _, refs = text.partition("\n\nReferences\n\n")
    keys = [
        (surname(r.split(",")[0].split(" (")[0]), re.search(r"\((\d{4})", r))
        for r in refs.split("\n\n")
    ]  # the first author's surname and the year of each reference
    index = {(s, m.group(1)): n for n, (s, m) in reversed(list(enumerate(keys))) if m}
    return [
        [index.get((name, year)) for name, year in NAIVE.findall(sentence)]
        for sentence in body.split("\n\n")[1:]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--references", type=int, default=40)
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args()
    if not RECORDS.exists():
        sys.exit(f"{RECORDS} is missing: this benchmark needs ../shared/pubmed/records")
    rng = random.Random(args.seed)
    records = [r for r in load_records().values() if usable(r)]
    by_surname: dict[str, list[PubMedRecord]] = defaultdict(list)
    for record in records:
        by_surname[surname(record.authors[0])].append(record)
    shared = [group for group in by_surname.values() if len(group) > 1]
    print(f"{len(records):,} usable records; seed {args.seed}")
    for style in ("apa", "harvard"):
        counts = {"right": 0, "wrong": 0, "none": 0}
        naive = {"right": 0, "wrong": 0, "none": 0}
        seconds = 0.0
        for _ in range(args.documents):
            # Mostly random works, and some by one first author (whose works a year can share).
            chosen = {r.pmid: r for r in rng.sample(records, args.references)}
            for group in rng.sample(shared, 3):
                chosen.update({r.pmid: r for r in group[:4]})
            text, truth = manuscript(list(chosen.values()), style, rng)
            started = time.perf_counter()
            document = extract_manuscript([text])
            seconds += time.perf_counter() - started
            claims = document.claims if document else []
            found = by_sentence(text, len(truth), claims)
            for tally, links in ((counts, found), (naive, naive_links(text))):
                for expected, got in zip(truth, links + [[]] * len(truth), strict=False):
                    for n, want in enumerate(expected):
                        link = got[n] if n < len(got) else None
                        key = "none" if link is None else "right" if link == want else "wrong"
                        tally[key] += 1
        total = sum(counts.values())
        for name, tally in (("evidence", counts), ("naive", naive)):
            print(
                f"{style:8} {name:9} {total:,} citations: right {tally['right'] / total:.3f},"
                f" wrong {tally['wrong']} ({tally['wrong'] / total:.4f}),"
                f" none {tally['none'] / total:.3f}"
            )
        print(f"{style:8} reading: {seconds / args.documents * 1000:.1f} ms a manuscript")


if __name__ == "__main__":
    main()
