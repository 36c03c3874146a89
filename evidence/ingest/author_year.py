"""Citations by author and year: a manuscript whose reference list is unnumbered (Harvard, APA,
and GB/T 7714's author-year form) cites "(Smith et al., 2019)", "(Smith & Jones 2018a; Lee,
2020)", "(Bolland, Grey, & Avenell, 2018)", "Smith and Jones (2018)", "（张三等，2019）" or
"Smolen等（2016）".

The list itself says which names to look for (evidence.ingest.author_year_list): a sentence's
citations are found by the surnames of the works listed (folded: "Landewe" is "Landewé"), and
only in parentheses or before a year in parentheses, so neither a capitalised word before a year
nor "in March 2019" is taken for a citation unless it reads as one. Inside parentheses, an
"Author, year" (with a comma, "et al." or a second author) that names no listed work is kept
too, as a marker naming nothing (a work cited but missing from the list). A collective author
cited by the abbreviation it is given once ("World Health Organization [WHO], 2020", then
"(WHO, 2020)") is found by either.

A citation names a work by its first author's surname, its year and the letter after the year
("2018a"). When several listed works share these, a second author named ("Smith and Jones") or
"et al." (three authors or more) tells them apart; a letter the list does not write is read as
the list's order (the first "Smith 2018" is 2018a). A citation still naming several works names
none: it is kept as written, and verification reports it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from evidence.ingest.author_year_list import (
    PARTICLE,
    UNDATED,
    YEAR,
    ListedWork,
    fold,
    plain,
    year_key,
)
from evidence.ingest.citation_patterns import PARTICLES
from evidence.ingest.language import is_cjk
from evidence.ingest.markers import FoundMarker
from evidence.ingest.structure import ExtractedMarker

LABEL_SIZE = 120  # a marker's label as stored (models.Marker.label)
_LATIN = "0-9A-Za-z\u00c0-\u024f"  # what a Latin name is made of (Chinese may touch it)
_CAPITAL = "A-ZÀ-ÖØ-Þ"
# A surname's word: lower-case particles, then a capital ("Smith", "van der Heijde"); a
# capitalised particle ("Van Eldik") is a word of its own. The alternatives of each regex below
# are disjoint, and runs of spaces possessive (*+): no input makes them backtrack far.
_WORD = rf"(?:(?:{PARTICLE})\s+)*[{_CAPITAL}][{_LATIN}'\-]*+"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,3}}|[\u4e00-\u9fff]{{2,4}}"
_YEAR_ITEM = rf"(?:{YEAR}[a-z]?(?!\d)|{UNDATED})"
_YEAR_ITEMS = (
    rf"(?P<years>{_YEAR_ITEM}"
    rf"(?:\s*+[,，]\s*+(?:{_YEAR_ITEM}|[a-z](?=\s*[,，;；)）\]])))*)"
)
# Years alone after a semicolon, in parentheses that cite: "(Smith et al. 2019; 2020)".
_YEARS_ALONE = re.compile(
    rf"[;；]\s*+(?P<years>{_YEAR_ITEM}(?:\s*+[,，]\s*+{_YEAR_ITEM})*)\s*+(?=[;；)）])"
)
_YEAR_PARTS = re.compile(rf"(?P<year>{YEAR}|{UNDATED})?(?P<suffix>[a-z])?")
# After the first author: "et al." (", et al.'s"), "等", "and colleagues", every other author
# ("Bolland, Grey, & Avenell"), a possessive; an abbreviation given ("[WHO]"); then the year(s)
# after a comma ("Smith et al., 2019"), a space ("Smith 2019") or a parenthesis ("Smith (2019)"),
# and then the citation ends: a parenthesis, a separator, a page ("2019, p. 5"), the sentence.
_AFTER_NAME = (
    r"(?P<rest>\s++et\.?\s*+al\.?(?:'s)?|\s*+等人?|\s++and\s++colleagues'?"
    rf"|(?:\s*+,\s*+(?:{_NAME})){{0,5}}\s*+,?\s*+(?:and|&|和|与|及)\s*+(?:{_NAME})(?:'s)?|'s)?"
    r"(?P<abbreviation>\s*+\[[A-Z]{2,10}\])?"
    r"\s*+[,，]?\s*+(?P<open>[(（\[])?\s*+" + _YEAR_ITEMS + r"(?=\s*+(?:[;；)）\]，。,.:]|$))"
)
# Any "Author, year" inside parentheses, to report a citation naming no listed work: a Latin
# name in lower case after its capital (not "ACR 2010"), or a Chinese one with 等.
_ANY_CITATION = re.compile(
    rf"(?<![{_LATIN}\-])(?P<first>(?:(?:{PARTICLE}|[{_CAPITAL}][{_LATIN}'\-]*+)\s+)*"
    rf"[{_CAPITAL}][a-zà-öø-ÿ][{_LATIN}'\-]*+|[\u4e00-\u9fff]{{2,4}}(?=等))" + _AFTER_NAME
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
_ET_AL = re.compile(r"\s*(?:et\.?\s*al|等|and\s+colleagues)")
# Initials right before a surname, as APA writes them to tell two authors of one surname apart:
# "J. Smith", "J. S. Smith", "J.-P. Martin".
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s*+(?:-\s*+)?){1,3}\s*+\Z")
# What may stand in parentheses besides the citations: "e.g., ", "see ", "reviewed in", a page
# ("p. 12", "pp. 3-4", ": 1818"), a table or figure ("Table 3", "Fig. 2").
_ASIDE = re.compile(
    r"\bpp?\.\s*\d+(?:\s*[-–]\s*\d+)?|:\s*\d+(?:\s*[-–]\s*\d+)?"
    r"|\b(?:table|fig(?:ure)?|box|chapter|chap)\.?\s*[\dA-Z]+[a-z]?"
    r"|\b(?:e\.g|i\.e|cf|see(?: also)?|also|reviewed in|for (?:a )?review,? see|and)\b\.?"
    r"|[\s,，;；.:]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AuthorYearCitation:
    """One work cited: `sentence[start:end]` names it; `label` as a marker keeps it."""

    start: int
    end: int
    label: str
    reference: int | None  # None: it names no listed work, or several
    listed: bool  # its author is one the list has
    # Who cites, for a year after a semicolon that carries on ("(Smith et al. 2019; 2020)"):
    # the authors as written, the first surname folded, what follows it folded.
    authors: str = ""
    surname: str = ""
    rest: str = ""
    initial: str | None = None  # the first author's initial written before the surname


class AuthorYearIndex:
    """The works of a reference list, to find the citations of a document's sentences by."""

    def __init__(self, works: Sequence[ListedWork], body: str = "") -> None:
        """Index the works; `body`, the document's text, tells the abbreviations its collective
        authors are given ("World Health Organization [WHO]")."""
        self.works = list(works)
        self._lower_case = frozenset(work.surname for work in works if work.lower_case)
        self._aliases = _abbreviations(self.works, plain(body))
        names = {work.surname for work in works} | set(self._aliases)
        ordered = sorted(names, key=len, reverse=True)
        latin = "|".join(re.escape(n) for n in ordered if not is_cjk(n[0]))
        cjk = "|".join(re.escape(n) for n in ordered if is_cjk(n[0]))
        alternatives = [f"(?<![{_LATIN}\\-])(?i:{latin})(?![{_LATIN}\\-])"] if latin else []
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
        groups = [group.span() for group in _PARENTHESES.finditer(unaccented)]
        if self._pattern is not None:
            for match in self._pattern.finditer(unaccented):
                if self._reads_as_name(sentence, match) and _cites(match, groups):
                    found += self._cited(sentence, match, known=True)
        for start, end in groups:  # "(Smith et al. 2019; 2020)": the year after ";" is Smith's
            for alone in _YEARS_ALONE.finditer(unaccented, start, end):
                before = [c for c in found if start < c.start and c.end <= alone.start()]
                if before:
                    at = replace(before[-1], start=alone.start("years"), end=alone.end("years"))
                    found += self._years_cited(at, alone.group("years"))
        taken = [(c.start, c.end) for c in found]
        for start, end in groups:  # cited, but no listed work by that name
            for match in _ANY_CITATION.finditer(unaccented, start, end):
                if fold(match.group("first")).split()[-1] in _NOT_AUTHORS or not _named_as(match):
                    continue
                if not any(s < match.end() and match.start() < e for s, e in taken):
                    found += self._cited(sentence, match, known=False)
                    taken.append(match.span())
        # Named by the sentence's words, the year in parentheses, and not listed: "Lee et al.
        # (2020) showed". Without "et al." a name may be anything ("Protocol (2019)", "the
        # United States and Canada (2019)").
        for match in _ANY_CITATION.finditer(unaccented):
            if not (match.group("open") and _ET_AL.match(match.group("rest") or "")):
                continue
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            start = _name_start(match)
            if fold(unaccented[start : match.end("first")]) not in _NOT_AUTHORS:
                found += self._cited(sentence, match, known=False, start=start)
        return sorted(found, key=lambda c: c.start)

    def _reads_as_name(self, sentence: str, match: re.Match[str]) -> bool:
        """Tell a surname the list holds from the same word in lower case ("Long" from
        "long"): capitalised, Chinese, or written in lower case by the list too ("d'Errico")."""
        if not sentence[match.start()].islower():
            return True
        first = fold(match.group("first"))
        return first in self._lower_case or first.split()[0] in PARTICLES

    def _cited(
        self, sentence: str, match: re.Match[str], *, known: bool, start: int | None = None
    ) -> list[AuthorYearCitation]:
        """Return the works a match names; from `start` when the name starts after the match
        does ("In Jones and Brown (2015)"), or before it, at the initials APA writes when two
        first authors share a surname ("(J. Smith, 2019)")."""
        if start is None:
            initials = _INITIALS.search(plain(sentence), 0, match.start())
            start = initials.start() if initials else match.start()
        initial = plain(sentence)[start] if start < match.start("first") else None
        authors = " ".join(sentence[start : match.start("years")].split())
        first = fold(plain(sentence)[max(start, match.start()) : match.end("first")])
        who = AuthorYearCitation(
            start, match.end(), "", None, known,
            authors=authors.rstrip(" ,，(（["),
            surname=self._aliases.get(first, first),
            rest=fold(match.group("rest") or ""),
            initial=initial if initial and initial.isupper() else None,
        )  # fmt: skip
        return self._years_cited(who, match.group("years"))

    def _years_cited(self, who: AuthorYearCitation, years: str) -> list[AuthorYearCitation]:
        """Return a citation for each year these authors are cited with ("2019a, b, 2020")."""
        cited: list[AuthorYearCitation] = []
        year = ""
        for item in re.split(r"\s*[,，]\s*", years):
            parts = _YEAR_PARTS.fullmatch(item)
            if parts is None:
                continue
            year = parts.group("year") or year  # "2019a, b": b is 2019's too
            letter = parts.group("suffix")
            label = f"{who.authors}, {year}{letter or ''}"[:LABEL_SIZE]
            named = self._named(who.surname, who.rest, year_key(year), letter, who.initial)
            cited.append(replace(who, label=label, reference=named if who.listed else None))
        return cited

    def _named(
        self, surname: str, rest: str, year: str, letter: str | None, initial: str | None = None
    ) -> int | None:
        """Return the reference a citation names, or None when it names none or several."""
        same = [w for w in self.works if w.surname == surname and w.year == year]
        if len(same) > 1 and initial and any(w.initial == initial for w in same):
            same = [w for w in same if w.initial == initial]  # "(J. Smith, 2019)"
        if letter is not None:
            written = [w for w in same if w.letter == letter]
            if written or any(w.letter for w in same):
                same = written
            elif len(same) > 1:  # letters the list does not write: its order
                position = ord(letter) - ord("a")
                same = same[position : position + 1]
        rest = rest.strip()
        if len(same) > 1 and rest and not rest.startswith(("et", "等", "and colleagues", "'s")):
            same = [w for w in same if w.others and _says(rest, w.others[0])]
        elif len(same) > 1 and rest:
            same = [w for w in same if w.many_authors]
        elif len(same) > 1:
            same = [w for w in same if not w.others]  # "Smith, 2019": Smith alone
        return same[0].reference if len(same) == 1 else None


def markers_of(citations: Sequence[AuthorYearCitation]) -> list[ExtractedMarker]:
    """Return the citations as a claim's markers."""
    return [ExtractedMarker(c.start, c.label, c.reference) for c in citations]


def removable(sentence: str, citations: Sequence[AuthorYearCitation]) -> list[FoundMarker]:
    """Return the parentheses that hold only citations ("(Smith et al., 2019; Lee, 2020)",
    "(e.g., Lee 2020, p. 4)"), to take out of the claim's text; a citation the sentence's words
    name ("Smith et al. (2019) showed") stays part of it."""
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


def _cites(match: re.Match[str], groups: Sequence[tuple[int, int]]) -> bool:
    """Tell a citation from a name before a year in running text ("until March 2019"): it
    stands in parentheses, or its year does ("Smith et al. (2019) showed")."""
    if match.group("open"):
        return True
    return any(start < match.start() and match.end() < end for start, end in groups)


def _name_start(match: re.Match[str]) -> int:
    """Return where an unlisted author's name starts in a match of _ANY_CITATION outside
    parentheses: at its last capitalised word, with the particles before it ("van Eldik"),
    not at the capitalised words a sentence starts with ("In Jones and Brown (2015)")."""
    words = list(re.finditer(r"\S+", match.group("first")))
    start = words[-1].start()
    for word in reversed(words[:-1]):
        folded = fold(word.group())
        if folded not in PARTICLES or (word.group()[0].isupper() and folded in _NOT_AUTHORS):
            break
        start = word.start()
    return match.start("first") + start


def _named_as(match: re.Match[str]) -> bool:
    """Tell an unlisted author from a word before a year ("(Protocol 2019)", "（北京，2019）"):
    "et al.", a second author or 等, or a comma before the year in a Latin name."""
    if match.group("rest"):
        return True
    return not is_cjk(match.group("first")[0]) and bool(
        re.search(r"[,，]", match.string[match.end("first") : match.start("years")])
    )


def _says(text: str, name: str) -> bool:
    """Tell whether a name stands in a text as whole words ("liu" is not in "and li")."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _abbreviations(works: Sequence[ListedWork], body: str) -> dict[str, str]:
    """Return, folded, the abbreviations the body gives collective authors ("World Health
    Organization [WHO]" or "(WHO)"), each with the surname it stands for."""
    aliases: dict[str, str] = {}
    for surname in {work.surname for work in works if " " in work.surname}:
        given = re.compile(rf"(?i:{re.escape(surname)})\s*[\[(](?P<short>[A-Z]{{2,10}})[\])]")
        for found in given.finditer(body):
            aliases.setdefault(found.group("short").lower(), surname)
    return aliases
