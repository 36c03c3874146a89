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

from evidence.greek import SMALL, VARIANTS
from evidence.ingest.citation import ParsedCitation
from evidence.ingest.citation_patterns import surname_of
from evidence.pubmed.journal_match import cites_journal
from evidence.pubmed.names import fold, forename_written_out, misspelt_surname, same_surname
from evidence.pubmed.records import PubMedRecord

WEIGHTS = {
    "author": 3.0, "year": 2.0, "journal": 2.0, "volume": 2.0, "first_page": 3.0, "title": 3.0,
}  # fmt: skip
ACCEPT = 0.8  # weighted agreement needed to accept a candidate
MARGIN = 0.15  # how far the best must stand above the next to be chosen over it
MIN_FIELDS = 3  # fields compared before any decision
# A record is the paper cited, whatever else the citation got wrong, when its first author is
# the one cited, the title as written is its title (word order aside: a title of this many
# words at least), and the year is right or one off: a wrong first page and a wrong volume
# are then errors for verification to name, not a reason to leave the citation unresolved.
SAME_TITLE = 90
TITLE_WORDS = 4
MISSPELT_AUTHOR = 0.8  # the author field's agreement for a misspelt first author (names)


def comparable_title(title: str) -> str:
    """Return a title's words for comparing: lower case, a Greek letter by its name, as titles
    are written in ASCII ("Aβ" as "Abeta", "β-amyloid" as "beta-amyloid"), punctuation as
    spaces ("(1-42)")."""
    text = unicodedata.normalize("NFKC", title).lower()
    named = "".join(_GREEK.get(c, c) for c in text)
    return " ".join(re.findall(r"[^\W_]+", named))


_GREEK = {letter: name for letter, name in SMALL.items() if name != "final sigma"}
_GREEK |= {variant: _GREEK[letter] for variant, letter in VARIANTS.items()}


def same_volume(written: str, pubmed: str) -> bool:
    """Tell whether two volumes are one: by the number that leads each (Brain's "123 ( Pt 4)"
    is volume 123, as "123" written is)."""
    return _volume_number(written) == _volume_number(pubmed)


def _volume_number(value: str) -> str:
    leading = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)\b", value)
    return leading.group(1).lower() if leading else value.strip().lower()


def _pages_equal(written: str | None, record: str | None) -> bool:
    if not written or not record:
        return False
    return _folded_page(written) == _folded_page(record)


def _folded_page(page: str | None) -> str:
    return re.sub(r"[\s_]", "", page or "").lower().lstrip("0")


def e_pages_without_e(citation: ParsedCitation, record: PubMedRecord) -> bool:
    """Tell whether the pages written are the record's electronic pages with their "e" left
    out, at both ends ("1452-1460" for Neurology's "e1452-e1460", "1316-1325" for PNAS's
    "E1316-E1325"). A first page alone says too little: a volume may hold page 1 and page e1,
    two articles."""
    first, last = _folded_page(citation.first_page), _folded_page(citation.last_page)
    pubmed_first, pubmed_last = _folded_page(record.first_page), _folded_page(record.last_page)
    if not (first and last and pubmed_first.startswith("e") and pubmed_last):
        return False
    return (first, without_e(last)) == (without_e(pubmed_first), without_e(pubmed_last))


def without_e(page: str) -> str:
    """An electronic page's number without its "e" ("e1452" -> "1452"; "s4" stays "s4")."""
    return re.sub(r"^e(?=\d)", "", page)


@dataclass(frozen=True)
class Match:
    """How well a record fits a citation: per-field agreement (None: not comparable)."""

    record: PubMedRecord
    fields: dict[str, float | None] = field(default_factory=dict)
    author_listed: bool = True
    identified: bool = False  # first author, title and year name the record (SAME_TITLE)

    @property
    def accepted(self) -> bool:
        """Tell whether the record fits well enough to be the paper cited."""
        return self.score >= ACCEPT or self.identified

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
        first = surname_of(record.authors[0])
        written_first = citation.authors[0] if citation.authors else ""
        if (
            same_surname(citation.first_author or "", first)
            or (cited in surnames[0] and len(cited) >= 4)
            or forename_written_out(written_first, record.authors[0])
        ):
            fields["author"] = 1.0
        elif cited in surnames or any(
            same_surname(citation.first_author or "", surname_of(a)) for a in record.authors
        ):
            fields["author"] = 0.6  # cited, but not first
        else:
            fields["author"] = 0.0
            # With a complete author list, a surname that is not in it rules the record out.
            author_listed = not record.authors_complete
    if citation.year and record.year:
        gap = min(abs(citation.year - year) for year in record.years)
        # One off: an e-pub year against the issue's, where PubMed gives no ArticleDate.
        fields["year"] = 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0
    if citation.journal and (record.journal or record.iso_abbrev):
        fields["journal"] = 1.0 if cites_journal(citation, record) else 0.0
    if citation.volume and record.volume:
        fields["volume"] = 1.0 if same_volume(citation.volume, record.volume) else 0.0
    written_page = citation.article_number or citation.first_page
    record_page = record.first_page or record.elocation
    if written_page and record_page:
        fields["first_page"] = float(
            _pages_equal(written_page, record.first_page)
            or _pages_equal(written_page, record.elocation)
            or e_pages_without_e(citation, record)
        )
    if fields["author"] == 0.0 and _misspelt_first_author(citation, record, fields):
        fields["author"], author_listed = MISSPELT_AUTHOR, True
    identified = False
    if citation.title and record.title:
        written, title = comparable_title(citation.title), comparable_title(record.title)
        fields["title"] = fuzz.token_set_ratio(written, title) / 100
        identified = (
            fields["author"] == 1.0
            and (fields["year"] or 0) >= 0.5
            and len(citation.title.split()) >= TITLE_WORDS  # as written: "IL-6 in RA" is 3
            and fuzz.token_sort_ratio(written, title) >= SAME_TITLE
        )
    return Match(record, fields, author_listed, identified)


def _misspelt_first_author(
    citation: ParsedCitation, record: PubMedRecord, fields: dict[str, float | None]
) -> bool:
    """Tell whether the first author cited is the record's misspelt (MISSPELT_SURNAME_LETTERS):
    only where the rest of the citation names the record alone, its year, journal, volume and
    first page all agreeing, and the first initial too when both give one. Schmitt and Schmidt
    are two authors as often as one misspelt: in the same journal and volume, a paper of one
    is not the other's."""
    if not misspelt_surname(citation.first_author or "", surname_of(record.authors[0])):
        return False
    if any(fields[name] != 1.0 for name in ("year", "journal", "volume", "first_page")):
        return False
    written = citation.authors[0].rpartition(" ")[2] if citation.authors else ""
    listed = record.authors[0].rpartition(" ")[2]
    return not (written.isupper() and listed.isupper() and written[0] != listed[0])


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
    if not best.accepted:  # none fits on the fields' weights: one its title names, if any
        best = next((m for m in matches if m.identified), best)
    runners = [m for m in matches if m.record.pmid != best.record.pmid]
    close = [m for m in runners if m.accepted and abs(best.score - m.score) < MARGIN]
    if best.accepted and not close:
        differing = best.disagreements()
        note = f"; differs in {', '.join(differing)}" if differing else ""
        return Decision(
            "resolved", best, [best.record.pmid], f"{best.compared} fields compared{note}"
        )
    if best.accepted:
        pmids = [best.record.pmid, *(m.record.pmid for m in close)]
        return Decision("ambiguous", None, pmids, f"{len(pmids)} candidates fit equally well")
    return Decision(
        "not_found",
        None,
        [m.record.pmid for m in matches[:5] if m.score >= 0.5],
        f"best candidate agrees on {best.score:.0%} of the fields compared",
    )
