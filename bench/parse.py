"""Measure the citation parser's per-field F1 on tagged references, against a naive regex.

Run: `python bench/parse.py`. Reads `../shared/eval/parsing/` next to the project; says so and
exits 0 when it is missing.

Corpora
- pmc_jats_refs: 426 references from 9 PMC articles. The input is the Vancouver rendering the
  collector made from the JATS fields (the verbatim JATS text has no separators between fields);
  rows rendered as "." (no fields at all) are skipped.
- grobid: the TEI `<bibl>` entries of GROBID's citation corpus, input = the entry's text with tags
  removed. Only the Vancouver-style entries are scored, selected on the raw text alone by the rule
  VANCOUVER below: a year (optionally "Mon" / "Mon DD") followed by ";" and a digit, the NLM
  "2005 Nov;5(12)" source form. Gold fields are the tags: first `<author>`, `<date>`, `<title
  level="j">`, `<biblScope>` volume / issue / page.

Scoring, per field: precision = correct / predicted, recall = correct / gold-present. A field
predicted but wrong counts against precision (and, when gold has it, recall); a gold field not
predicted counts against recall; a field predicted where gold has none counts against precision.
Comparisons: year as an integer; volume, issue, first page case-insensitively with whitespace
collapsed; the first page is the parser's `first_page` or, for e-locators, `article_number`
(JATS puts "e1000204" in `fpage`); a supplement written "(Suppl 2)" is the issue, as in JATS;
journal after normalising case, punctuation and whitespace only; first author as the surname
folded to ASCII letters. For GROBID's `<author>` text the gold surname is the first name's
words without trailing initials ("Chelluri L L" -> "Chelluri"), or its last word when it starts
with initials ("R. Colacito" -> "Colacito").
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidence.ingest.citation import ParsedCitation, parse_citation

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "parsing"
FIELDS = ("first_author", "year", "volume", "issue", "first_page", "journal")
VANCOUVER = re.compile(
    r"\b(?:1[89]|20)\d{2}[a-z]?(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?)?\s*;\s*\d"
)
Gold = dict[str, str | None]


@dataclass
class Tally:
    """Counts for one field."""

    predicted: int = 0
    gold: int = 0
    correct: int = 0

    def scores(self) -> tuple[float, float, float]:
        """Return precision, recall and F1."""
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Score:
    """Tallies for every field."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})

    def add(self, predicted: Gold, gold: Gold) -> None:
        """Count one reference."""
        for name in FIELDS:
            tally, guess, truth = self.tallies[name], predicted.get(name), gold.get(name)
            tally.predicted += guess is not None
            tally.gold += truth is not None
            tally.correct += guess is not None and guess == truth


def fold(text: str) -> str:
    """Lower-case ASCII letters only."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(
        r"[^a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    )


def norm(value: str | None, *, kind: str) -> str | None:
    """Normalise one field value for comparison; None when empty."""
    if value is None:
        return None
    if kind == "first_author":
        out = fold(value)
    elif kind == "journal":
        out = " ".join(re.sub(r"[^\w\s]", " ", value.lower()).split())
    elif kind == "year":
        found = re.search(r"\d{4}", value)
        out = found.group(0) if found else ""
    else:
        out = " ".join(value.lower().split())
    return out or None


def predicted_fields(c: ParsedCitation) -> Gold:
    """The parser's answer in the gold's terms."""
    raw = {
        "first_author": c.first_author,
        "year": str(c.year) if c.year is not None else None,
        "volume": c.volume,
        "issue": c.issue,
        "first_page": c.first_page or c.article_number,
        "journal": c.journal,
    }
    return {k: norm(v, kind=k) for k, v in raw.items()}


_NAIVE = re.compile(r"(\d{4})[^;]{0,12};\s*(\d+)\s*(?:\(([^)]+)\))?\s*:\s*([A-Za-z]?\d+)")


def naive_fields(text: str) -> Gold:
    """The naive way: one NLM regex, first word as author, the sentence before the year."""
    found = _NAIVE.search(text)
    first = re.match(r"\s*(?:\d+\.\s*)?([^\s,.]+)", text)
    out: Gold = {"first_author": first.group(1) if first else None}
    if found:
        before = text[: found.start()].rstrip(" .").rsplit(". ", 1)[-1]
        out.update(year=found.group(1), volume=found.group(2), issue=found.group(3))
        out.update(first_page=found.group(4), journal=before)
    return {k: norm(out.get(k), kind=k) for k in FIELDS}


def pmc_cases(path: Path) -> Iterator[tuple[str, Gold]]:
    """Yield (input text, gold fields) from the PMC JATS jsonl."""
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row.get("rendered_vancouver_by_collector") or ""
        if text.strip(" .") == "":
            continue
        authors = row.get("authors") or []
        first = (authors[0].get("surname") or authors[0].get("collab")) if authors else None
        gold = {
            "first_author": first,
            "year": row.get("year"),
            "volume": row.get("volume"),
            "issue": row.get("issue"),
            "first_page": row.get("fpage"),
            "journal": row.get("source"),
        }
        yield text, {k: norm(v, kind=k) for k, v in gold.items()}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _gold_surname(author: str) -> str | None:
    first = re.split(r",|;|\band\b|&", author.strip(), maxsplit=1)[0].split()
    while len(first) > 1 and re.fullmatch(r"(?:[A-Z]\.?-?){1,4}|Jr\.?|Sr\.?|II|III", first[-1]):
        first.pop()
    if len(first) > 1 and re.fullmatch(r"(?:[A-Z]\.-?)+", first[0]):
        return first[-1]
    return " ".join(first) or None


def _scope(bibl: ET.Element, *names: str) -> str | None:
    for el in bibl.iter():
        if _local(el.tag) == "biblScope":
            kind = el.get("unit") or el.get("type") or ""
            if kind in names:
                return el.get("from") or "".join(el.itertext()).strip() or None
    return None


def grobid_cases(folder: Path) -> Iterator[tuple[str, Gold]]:
    """Yield (raw text, gold fields) for the Vancouver-style GROBID entries."""
    for path in sorted(folder.glob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for bibl in (el for el in root.iter() if _local(el.tag) == "bibl"):
            text = " ".join("".join(bibl.itertext()).split())
            if not VANCOUVER.search(text):
                continue
            tags: dict[str, str] = {}
            for el in bibl.iter():
                name = _local(el.tag)
                if name == "title" and el.get("level") == "j":
                    name = "journal"
                tags.setdefault(name, " ".join("".join(el.itertext()).split()))
            page = _scope(bibl, "page", "pp", "pages")
            gold = {
                "first_author": _gold_surname(tags["author"]) if "author" in tags else None,
                "year": tags.get("date"),
                "volume": _scope(bibl, "volume", "vol"),
                "issue": _scope(bibl, "issue"),
                "first_page": re.split(r"\s*[-\u2013\u2014]\s*", page)[0] if page else None,
                "journal": tags.get("journal"),
            }
            yield text, {k: norm(v, kind=k) for k, v in gold.items()}


def run(cases: list[tuple[str, Gold]], parse: Callable[[str], Gold]) -> Score:
    """Score one parser over the cases."""
    score = Score()
    for text, gold in cases:
        score.add(parse(text), gold)
    return score


def print_table(title: str, n: int, ours: Score, naive: Score) -> None:
    """Print precision / recall / F1 per field, ours against the naive regex."""
    print(f"\n{title}  (n={n})")
    print(f"{'field':<13}{'P':>7}{'R':>7}{'F1':>7}   {'naive F1':>8}  {'gold':>5}")
    for name in FIELDS:
        p, r, f1 = ours.tallies[name].scores()
        naive_f1 = naive.tallies[name].scores()[2]
        gold = ours.tallies[name].gold
        print(f"{name:<13}{p:7.3f}{r:7.3f}{f1:7.3f}   {naive_f1:8.3f}  {gold:5d}")


def main() -> int:
    """Score both corpora and print the tables."""
    if not SHARED.is_dir():
        print(f"bench/parse.py: evaluation data not found at {SHARED}; nothing measured.")
        return 0
    corpora = [
        (
            "PMC JATS references (Vancouver renderings)",
            pmc_cases,
            SHARED / "pmc_jats_refs" / "pmc_jats_references.jsonl",
        ),
        ("GROBID corpus, Vancouver-style subset", grobid_cases, SHARED / "grobid" / "corpus"),
    ]
    for title, reader, path in corpora:
        if not path.exists():
            print(f"\n{title}: {path} missing; skipped.")
            continue
        cases = list(reader(path))
        ours = run(cases, lambda t: predicted_fields(parse_citation(t)))
        print_table(title, len(cases), ours, run(cases, naive_fields))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
