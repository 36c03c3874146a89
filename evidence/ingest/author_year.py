"""Citations by author and year: a manuscript whose reference list is unnumbered (Harvard, APA,
and GB/T 7714's author-year form) cites "(Smith et al., 2019)", "(Smith & Jones 2018a; Lee,
2020)", "Smith and Jones (2018)" or "（张三等，2019）".

The list itself says which names to look for: a sentence's citations are found by the surnames
of the works listed (folded: "Landewe" is "Landewé"), so no capitalised word before a year is
taken for an author unless the list has it. Inside parentheses, an "Author, year" that names no
listed work is kept too, as a marker naming nothing (a work cited but missing from the list).

A citation names a work by its first author's surname, its year and the letter after the year
("2018a"). When several listed works share these, a second author named ("Smith and Jones") or
"et al." (three authors or more) tells them apart; a letter the list does not write is read as
the list's order (the first "Smith 2018" is 2018a). A citation still naming several works names
none: it is kept as written, and verification reports it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evidence.ingest.citation_patterns import PARTICLES, UPPER
from evidence.ingest.language import is_cjk
from evidence.ingest.markers import FoundMarker
from evidence.ingest.structure import ExtractedMarker, ExtractedReference

LABEL_SIZE = 120  # a marker's label as stored (models.Marker.label)
_PARTICLE = "|".join(sorted(PARTICLES - {"in", "al", "y", "el"}, key=len, reverse=True))
_YEAR = r"(?:1[89]|20)\d{2}"
# An unnumbered reference starts with its first author: "Smith J", "Smith, J. A.,", "van der
# Heijde D", "Müller-Ladner U", "O'Brien, M.", a collective author followed by its year in
# parentheses ("World Health Organization (2020)"), or a Chinese name ("张三, 李四").
ENTRY_START = re.compile(
    rf"^(?:(?:{_PARTICLE})\s+)*{UPPER}[\w'’\-]+(?:\s{UPPER}[\w'’\-]+)?,?\s+"
    rf"(?:{UPPER}\.?\s?-?){{1,3}}(?=[,.\s(&]|$)"
    rf"|^[^()\n]{{2,120}}\(\s*{_YEAR}[a-z]?\s*\)"
    r"|^[\u4e00-\u9fff]{2,4}\s*[,，、.]"
)
_YEAR_ITEMS = (
    rf"(?P<years>{_YEAR}[a-z]?(?!\d)"
    rf"(?:\s*[,，]\s*(?:{_YEAR}[a-z]?(?!\d)|[a-z](?=\s*[,，;；)）\]])))*)"
)
_LISTED_YEAR = re.compile(rf"\(\s*({_YEAR})([a-z])?\s*[),;]")
_YEAR_ITEM = re.compile(rf"(?P<year>{_YEAR})?(?P<suffix>[a-z])?")
_WORD = rf"(?:(?i:{_PARTICLE})\s+)*{UPPER}[\w'’\-]*"  # "Smith", "van der Heijde", "Di Monte"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,3}}|[\u4e00-\u9fff]{{2,4}}"
# After the first author: "et al.", "等", or "and"/"&" and a second author, then the year(s),
# after a comma ("Smith et al., 2019"), a space ("Smith 2019") or a parenthesis ("Smith (2019)"),
# and then the citation ends: a parenthesis, a separator, a page ("2019, p. 5"), the sentence.
_AFTER_NAME = (
    rf"(?P<rest>\s+et\.?\s*al\.?|\s*等人?|\s*(?:and|&|和|与|及)\s*(?:{_NAME}))?"
    r"\s*[,，]?\s*[(（\[]?\s*" + _YEAR_ITEMS + r"(?=\s*(?:[;；)）\]，。,.:]|$))"
)
# Any "Author, year" inside parentheses, to report a citation naming no listed work: a name
# in lower case after its capital (not "ACR 2010") or a Chinese one with 等.
_ANY_CITATION = re.compile(
    rf"(?<![\w\-])(?P<first>(?:(?:(?i:{_PARTICLE})|{UPPER}[\w'’\-]*)\s+)*{UPPER}[^\W\d_A-Z][\w'’\-]*"
    rf"|[\u4e00-\u9fff]{{2,4}}(?=等))" + _AFTER_NAME
)
# Capitalised words before a year that are not authors: "(January 2019)", "(Since 2010)".
_NOT_AUTHORS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec", "spring", "summer", "autumn", "fall", "winter"}
    | {"since", "from", "until", "in", "before", "after", "between", "during", "by", "year"}
    | {"years", "version", "update", "updated", "accessed", "published", "revised", "table"}
    | {"figure", "fig", "supplement", "edition", "vol", "volume", "phase", "week", "month"}
    | {"and", "or", "see", "also"}
)
_PARENTHESES = re.compile(r"[(（][^()（）]*[)）]")
# What may stand in parentheses besides the citations: "e.g., ", "see ", "reviewed in", a page.
_ASIDE = re.compile(
    r"\bpp?\.\s*\d+(?:\s*[-–]\s*\d+)?"  # the page cited: "(Smith, 2021, p. 12)"
    r"|\b(?:e\.g|i\.e|cf|see(?: also)?|also|reviewed in|for (?:a )?review,? see|and)\b\.?"
    r"|[\s,，;；.:]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListedWork:
    """What a citation by author and year can name of one reference: its first author's
    surname, the others', its year, the letter the list writes after the year, if any."""

    reference: int
    surname: str  # folded (evidence.ingest.author_year.fold)
    others: tuple[str, ...]
    year: int
    letter: str | None
    many_authors: bool  # three or more (or "et al."): cited "Smith et al."
    lower_case: bool  # the list writes the surname in lower case first ("van der Heijde")


@dataclass(frozen=True)
class AuthorYearCitation:
    """One work cited: `sentence[start:end]` names it; `label` as a marker keeps it."""

    start: int
    end: int
    label: str
    reference: int | None  # None: it names no listed work, or several
    listed: bool  # its author is one the list has


def plain(text: str) -> str:
    """Take accents off, one character for one, so positions in the text hold."""
    return "".join(unicodedata.normalize("NFKD", ch)[:1] or ch for ch in text)


def fold(text: str) -> str:
    """Compare names by this: without accents, in lower case ("Landewé" is "landewe")."""
    return "".join(ch.lower()[:1] for ch in plain(text))


def starts_entry(line: str) -> bool:
    """Tell whether a line starts an unnumbered reference (its first author, then more)."""
    return bool(ENTRY_START.match(line.strip()))


def split_entries(lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join an unnumbered list's lines into its references, with the page each starts on: a
    blank line ends one, and so does a line starting with an author once the one before has
    its year (a wrapped line rarely starts with a name, and no reference lacks a year)."""
    entries: list[tuple[int, list[str]]] = []
    ended = True
    for page, line in lines:
        text = line.strip()
        if not text:
            ended = True
            continue
        held = " ".join(entries[-1][1]) if entries else ""
        if ended or (starts_entry(text) and re.search(_YEAR, held)):
            entries.append((page, [text]))
        else:
            entries[-1][1].append(text)
        ended = False
    return [(page, " ".join(parts)) for page, parts in entries]


def reads_as_author_year_list(entries: Sequence[tuple[int, str]]) -> bool:
    """Tell whether the first references of a list read as an author-year list's."""
    first = entries[:8]
    listed = [text for _, text in first if starts_entry(text) and re.search(_YEAR, text)]
    return len(listed) >= min(2, len(first)) and bool(listed)


def listed_works(references: Sequence[ExtractedReference]) -> list[ListedWork]:
    """Return what citations by author and year can name of each reference with a year."""
    works: list[ListedWork] = []
    for reference in references:
        parsed = reference.parsed
        surnames = [_surname(author) for author in parsed.authors]
        first = surnames[0] if surnames else _lead_author(reference.as_written)
        # The year these lists write after the authors, "(2010)", "(2018a)", rather than one
        # the parser may take from a title ("trials in 2000 and 2006").
        written = _LISTED_YEAR.search(reference.as_written)
        year = int(written.group(1)) if written else parsed.year
        if year is None or not first:
            continue
        letter = written.group(2) if written else None
        if written is None and (
            after := re.search(rf"(?<!\d){year}([a-z])\b", reference.as_written)
        ):
            letter = after.group(1)  # GB/T 7714: "张三, 李四, 2019a."
        works.append(
            ListedWork(
                reference.index, fold(first), tuple(fold(s) for s in surnames[1:]), year,
                letter, parsed.et_al or len(surnames) >= 3, first[:1].islower(),
            )
        )  # fmt: skip
    return works


class AuthorYearIndex:
    """The works of a reference list, to find the citations of a sentence by."""

    def __init__(self, works: Sequence[ListedWork]) -> None:
        self.works = list(works)
        self._lower_case = frozenset(work.surname for work in works if work.lower_case)
        names = sorted({work.surname for work in works}, key=len, reverse=True)
        latin = "|".join(re.escape(n) for n in names if not is_cjk(n[0]))
        cjk = "|".join(re.escape(n) for n in names if is_cjk(n[0]))
        alternatives = [f"(?<![\\w\\-])(?i:{latin})(?![\\w\\-])"] if latin else []
        alternatives += [f"(?:{cjk})"] if cjk else []
        self._pattern = (
            re.compile(f"(?P<first>{'|'.join(alternatives)})" + _AFTER_NAME)
            if alternatives
            else None
        )

    def citations(self, sentence: str) -> list[AuthorYearCitation]:
        """Return the works a sentence cites by author and year, in the order written."""
        found: list[AuthorYearCitation] = []
        unaccented = plain(sentence)
        if self._pattern is not None:
            for match in self._pattern.finditer(unaccented):
                if self._reads_as_name(sentence, match):
                    found += self._cited(sentence, match, known=True)
        taken = [(c.start, c.end) for c in found]
        for group in _PARENTHESES.finditer(unaccented):  # cited, but no listed work by that name
            for match in _ANY_CITATION.finditer(unaccented, group.start(), group.end()):
                if fold(match.group("first")).split()[-1] in _NOT_AUTHORS:
                    continue
                if not any(start < match.end() and match.start() < end for start, end in taken):
                    found += self._cited(sentence, match, known=False)
        return sorted(found, key=lambda c: c.start)

    def _reads_as_name(self, sentence: str, match: re.Match[str]) -> bool:
        """Tell a surname the list holds from the same word in lower case ("Long" from
        "long"): capitalised, Chinese, or written in lower case by the list too ("d'Errico")."""
        if not sentence[match.start()].islower():
            return True
        return fold(match.group("first")) in self._lower_case

    def _cited(
        self, sentence: str, match: re.Match[str], *, known: bool
    ) -> list[AuthorYearCitation]:
        authors = " ".join(sentence[match.start() : match.start("years")].split())
        authors = authors.rstrip(" ,，(（[")
        rest = fold(match.group("rest") or "")
        cited: list[AuthorYearCitation] = []
        year = ""
        for item in re.split(r"\s*[,，]\s*", match.group("years")):
            parts = _YEAR_ITEM.fullmatch(item)
            if parts is None:
                continue
            year = parts.group("year") or year  # "2019a, b": b is 2019's too
            letter = parts.group("suffix")
            label = f"{authors}, {year}{letter or ''}"[:LABEL_SIZE]
            reference = self._named(fold(match.group("first")), rest, int(year), letter)
            cited.append(
                AuthorYearCitation(
                    match.start(), match.end(), label, reference if known else None, known
                )
            )
        return cited

    def _named(self, surname: str, rest: str, year: int, letter: str | None) -> int | None:
        """Return the reference a citation names, or None when it names none or several."""
        same = [w for w in self.works if w.surname == surname and w.year == year]
        if letter is not None:
            written = [w for w in same if w.letter == letter]
            if written or any(w.letter for w in same):
                same = written
            elif len(same) > 1:  # letters the list does not write: its order
                position = ord(letter) - ord("a")
                same = same[position : position + 1]
        if len(same) > 1 and rest.strip() and not rest.strip().startswith(("et", "等")):
            same = [w for w in same if w.others and w.others[0] in rest]
        elif len(same) > 1 and rest.strip():
            same = [w for w in same if w.many_authors]
        elif len(same) > 1:
            same = [w for w in same if not w.others]  # "Smith, 2019": Smith alone
        return same[0].reference if len(same) == 1 else None


def markers_of(citations: Sequence[AuthorYearCitation]) -> list[ExtractedMarker]:
    """Return the citations as a claim's markers."""
    return [ExtractedMarker(c.start, c.label, c.reference) for c in citations]


def removable(sentence: str, citations: Sequence[AuthorYearCitation]) -> list[FoundMarker]:
    """Return the parentheses that hold only citations ("(Smith et al., 2019; Lee, 2020)",
    "(e.g., Lee 2020)"), to take out of the claim's text; a citation the sentence's words name
    ("Smith et al. (2019) showed") stays part of it."""
    spans: list[FoundMarker] = []
    for group in _PARENTHESES.finditer(sentence):
        inside = [c for c in citations if group.start() < c.start and c.end <= group.end()]
        if not inside:
            continue
        held = list(sentence[group.start() + 1 : group.end() - 1])
        for citation in inside:
            held[citation.start - group.start() - 1 : citation.end - group.start() - 1] = [
                " " for _ in range(citation.end - citation.start)
            ]
        if not _ASIDE.sub("", "".join(held)):
            spans.append(FoundMarker(group.start(), group.end(), ()))
    return spans


def _surname(author: str) -> str:
    """Return the surname of "Surname Initials" ("van der Heijde D"), or a Chinese name whole."""
    head, _, initials = author.rpartition(" ")
    if head and initials.replace(".", "").replace("-", "").isupper() and len(initials) <= 4:
        return head
    return author


def _lead_author(as_written: str) -> str | None:
    """Return what a reference the parser found no authors in starts with, up to its first
    comma or parenthesis: a collective author ("World Health Organization. (2020)") or a
    surname it could not read ("López De La Paz, M.")."""
    found = re.match(r"^([^,(]{2,100}?)\.?\s*[,(]", as_written)
    return found.group(1).strip() if found else None
