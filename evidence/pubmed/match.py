"""Compare a citation as written with a PubMed record, field by field, and decide.

Pure. A citation with one wrong field (a wrong volume) still matches on the fields that are
right, so that verification can show the error; a candidate whose authors do not include the
cited first author is never accepted, whatever else agrees (ECitMatch keys on journal, volume
and page, and returns a clean but wrong PMID when the author is wrong).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from evidence.ingest.citation import ParsedCitation
from evidence.pubmed.records import PubMedRecord

WEIGHTS = {
    "author": 3.0, "year": 2.0, "journal": 2.0, "volume": 2.0, "first_page": 3.0, "title": 3.0,
}  # fmt: skip
ACCEPT = 0.8  # weighted agreement needed to accept a candidate
MARGIN = 0.15  # how far the best must stand above the next to be chosen over it
MIN_FIELDS = 3  # fields compared before any decision
JOURNAL_STOPWORDS = {"of", "and", "the", "for", "in", "on", "de", "la"}


def fold(text: str | None) -> str:
    """Fold a name to lower-case ASCII letters: "Rose-John" → "rosejohn", "Stępień" → "stepien"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", ascii_text.lower())


def surname_of(author: str) -> str:
    """Return the surname of a "Surname Initials" author (a collective name whole)."""
    head, _, initials = author.rpartition(" ")
    return head if head and initials.isupper() and len(initials) <= 4 else author


def journal_words(name: str) -> list[str]:
    """Split a journal name into lower-case words without punctuation or stop words."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    return [w for w in words if w not in JOURNAL_STOPWORDS]


def same_journal(written: str, record: PubMedRecord) -> bool:
    """Tell whether a journal as written names the record's journal (full, ISO or NLM form)."""
    words = journal_words(written)
    if not words:
        return False
    for name in (record.journal, record.iso_abbrev, record.medline_ta):
        if not name:
            continue
        other = journal_words(re.sub(r"\(([^)]*), [^)]*\)", r"(\1)", name))  # "(Oxford, England)"
        if words == other or _abbreviates(words, other) or _abbreviates(other, words):
            return True
        if fuzz.ratio(" ".join(words), " ".join(other)) >= 92:
            return True
    return False


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Tell whether each word of `short` begins the matching word of `full` (ISO style)."""
    pairs = zip(short, full, strict=False)
    return len(short) == len(full) and all(f.startswith(s) for s, f in pairs)


def _pages_equal(written: str | None, record: str | None) -> bool:
    if not written or not record:
        return False
    return written.strip().lower().lstrip("0") == record.strip().lower().lstrip("0")


@dataclass(frozen=True)
class Match:
    """How well a record fits a citation: per-field agreement (None: not comparable)."""

    record: PubMedRecord
    fields: dict[str, float | None] = field(default_factory=dict)
    author_listed: bool = True

    @property
    def score(self) -> float:
        """Return the weighted share of agreeing fields among those compared."""
        compared = {k: v for k, v in self.fields.items() if v is not None}
        if not compared:
            return 0.0
        total = sum(WEIGHTS[k] for k in compared)
        score = sum(WEIGHTS[k] * v for k, v in compared.items()) / total
        return score if self.author_listed else min(score, 0.5)

    @property
    def compared(self) -> int:
        """Count the fields compared."""
        return sum(1 for v in self.fields.values() if v is not None)

    def disagreements(self) -> list[str]:
        """Name the fields that disagree."""
        return [k for k, v in self.fields.items() if v is not None and v < 0.5]


def compare(citation: ParsedCitation, record: PubMedRecord) -> Match:
    """Compare a citation with a record field by field."""
    fields: dict[str, float | None] = dict.fromkeys(WEIGHTS)
    author_listed = True
    cited = fold(citation.first_author)
    if cited and record.authors:
        surnames = [fold(surname_of(a)) for a in record.authors]
        if surnames[0] == cited or cited in surnames[0] and len(cited) >= 4:
            fields["author"] = 1.0
        elif cited in surnames:
            fields["author"] = 0.6  # cited, but not first
        else:
            fields["author"] = 0.0
            # With a complete author list, a surname that is not in it rules the record out.
            author_listed = not record.authors_complete
    if citation.year and record.year:
        gap = abs(citation.year - record.year)
        fields["year"] = 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0  # e-pub vs print year
    if citation.journal and (record.journal or record.iso_abbrev):
        fields["journal"] = 1.0 if same_journal(citation.journal, record) else 0.0
    if citation.volume and record.volume:
        fields["volume"] = 1.0 if citation.volume.strip() == record.volume.strip() else 0.0
    written_page = citation.article_number or citation.first_page
    record_page = record.first_page or record.elocation
    if written_page and record_page:
        fields["first_page"] = float(
            _pages_equal(written_page, record.first_page)
            or _pages_equal(written_page, record.elocation)
        )
    if citation.title and record.title:
        fields["title"] = fuzz.token_set_ratio(citation.title.lower(), record.title.lower()) / 100
    return Match(record, fields, author_listed)


@dataclass(frozen=True)
class Decision:
    """The outcome of weighing candidates: a chosen record, or why there is none."""

    status: str  # "resolved", "ambiguous", "not_found"
    match: Match | None
    candidates: list[str]
    reason: str


def decide(citation: ParsedCitation, records: Sequence[PubMedRecord]) -> Decision:
    """Choose the record a citation means, or say it is ambiguous or not found."""
    matches = sorted((compare(citation, r) for r in records), key=lambda m: -m.score)
    matches = [m for m in matches if m.compared >= MIN_FIELDS]
    if not matches:
        return Decision("not_found", None, [], "no candidate to compare enough fields with")
    best = matches[0]
    runners = [m for m in matches[1:] if m.record.pmid != best.record.pmid]
    close = [m for m in runners if m.score >= ACCEPT and best.score - m.score < MARGIN]
    if best.score >= ACCEPT and not close:
        differing = best.disagreements()
        note = f"; differs in {', '.join(differing)}" if differing else ""
        return Decision(
            "resolved", best, [best.record.pmid], f"{best.compared} fields compared{note}"
        )
    if best.score >= ACCEPT:
        pmids = [best.record.pmid, *(m.record.pmid for m in close)]
        return Decision("ambiguous", None, pmids, f"{len(pmids)} candidates fit equally well")
    return Decision(
        "not_found",
        None,
        [m.record.pmid for m in matches[:5] if m.score >= 0.5],
        f"best candidate agrees on {best.score:.0%} of the fields compared",
    )
