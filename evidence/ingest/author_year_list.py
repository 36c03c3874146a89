"""An unnumbered reference list (Harvard, APA, GB/T 7714's author-year form): where each
reference starts, and what a citation by author and year can name of it (evidence.ingest.
author_year finds those citations)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evidence.ingest.citation_patterns import PARTICLES, UPPER, surname_of
from evidence.ingest.structure import ExtractedReference

PARTICLE = "|".join(sorted(PARTICLES - {"in", "al", "y", "el"}, key=len, reverse=True))
YEAR = r"(?:1[89]|20)\d{2}"
# What stands for the year of a work not out yet, in the list and in citations.
UNDATED = r"in press|n\.\s?d\.|forthcoming"
# An unnumbered reference starts with its first author: "Smith J", "Smith, J. A.,", "van der
# Heijde D", "Müller-Ladner U", "O'Brien, M.", a collective author followed by its year in
# parentheses ("World Health Organization (2020)", "Kidney Disease: Improving Global Outcomes
# (KDIGO) Anemia Work Group (2012)"), or Chinese names ("张三, 李四", "中华医学会风湿病学分会,
# 2018.").
ENTRY_START = re.compile(
    rf"^(?:(?:{PARTICLE})\s+)*{UPPER}[\w'’\-]+(?:\s{UPPER}[\w'’\-]+)?,?\s+"
    rf"(?:{UPPER}\.?\s?-?){{1,3}}(?=[,.\s(&]|$)"
    rf"|^(?:[^()\n]|\([^()\n]{{1,20}}\)){{2,160}}?\(\s*(?:{YEAR}[a-z]?|{UNDATED})\s*\)"
    r"|^[\u4e00-\u9fff]{2,4}\s*[,，、.]"
    rf"|^[\u4e00-\u9fff]{{2,24}}\s*[,，.]\s*{YEAR}"
)
_BULLET = re.compile(r"^[-*•●▪◦]\s+")
_DATED = re.compile(rf"{YEAR}|\(\s*(?:{UNDATED})\s*\)", re.IGNORECASE)
# How a reference ends: a full stop, a page or volume, a parenthesis, a DOI or an address.
_ENDED = re.compile(r"(?:[.)\]\d]|\S+/\S+)\s*$")
_ONLY_DATED = re.compile(rf"\(\s*(?:{YEAR}[a-z]?|{UNDATED})\s*\)\.?$", re.IGNORECASE)
# The year these lists write after the authors: "(2010)", "(2018a)", "(in press)".
_LISTED_YEAR = re.compile(rf"\(\s*({YEAR}|{UNDATED})([a-z])?\s*[),;]", re.IGNORECASE)


@dataclass(frozen=True)
class ListedWork:
    """What a citation by author and year can name of one reference: its first author's
    surname, the others', its year, the letter the list writes after the year, if any."""

    reference: int
    surname: str  # folded (fold)
    others: tuple[str, ...]
    year: str  # "2019", or "in press", "n.d."
    letter: str | None
    many_authors: bool  # three or more (or "et al."): cited "Smith et al."
    lower_case: bool  # the list writes the surname in lower case first ("van der Heijde")
    initial: str | None = None  # the first author's first initial: APA cites "(J. Smith, 2019)"


def plain(text: str) -> str:
    """Take accents off, and read ’ as ', one character for one, so positions in the text
    hold ("O’Dell" is "O'Dell")."""
    return "".join(unicodedata.normalize("NFKD", ch)[:1] or ch for ch in text).replace("’", "'")


def fold(text: str) -> str:
    """Compare names by this: without accents, in lower case ("Landewé" is "landewe")."""
    return "".join(ch.lower()[:1] for ch in plain(text))


def year_key(year: str) -> str:
    """Fold a year as a citation or the list writes it: "2019", "in press", "n.d."."""
    return re.sub(r"\s", "", year.lower())


def starts_entry(line: str) -> bool:
    """Tell whether a line starts an unnumbered reference (its first author, then more)."""
    return bool(ENTRY_START.match(_unbulleted(line)))


def _unbulleted(line: str) -> str:
    """Return a line without the bullet a list may give each reference ("- Smith, J. ...")."""
    return _BULLET.sub("", line.strip(), count=1)


def split_entries(lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join an unnumbered list's lines into its references, with the page each starts on: a
    blank line ends one, and so does a line starting with an author once the one before has
    its year and has ended (a full stop, a page): a wrapped title ("... effects of\\nVitamin D
    supplementation ...") carries on the reference it belongs to."""
    entries: list[tuple[int, list[str]]] = []
    ended = True
    for page, line in lines:
        text = _unbulleted(line)
        if not text:
            ended = True
            continue
        held = " ".join(entries[-1][1]) if entries else ""
        if ended or (starts_entry(text) and _complete(held)):
            entries.append((page, [text]))
        else:
            entries[-1][1].append(text)
        ended = False
    return [(page, " ".join(parts)) for page, parts in entries]


def _complete(held: str) -> bool:
    """Tell whether a reference's lines so far make a whole one: dated, ended (a full stop, a
    page), and not just its authors and year ("Bolland, M. J., & Avenell, A. (2018).")."""
    return bool(_DATED.search(held) and _ENDED.search(held) and not _ONLY_DATED.search(held))


def reads_as_author_year_list(entries: Sequence[tuple[int, str]]) -> bool:
    """Tell whether the first references of a list read as an author-year list's."""
    first = entries[:8]
    listed = [text for _, text in first if starts_entry(text) and _DATED.search(text)]
    return len(listed) >= min(2, len(first)) and bool(listed)


def listed_works(references: Sequence[ExtractedReference]) -> list[ListedWork]:
    """Return what citations by author and year can name of each reference with a year."""
    works: list[ListedWork] = []
    for reference in references:
        parsed = reference.parsed
        surnames = [surname_of(author) for author in parsed.authors]
        first = surnames[0] if surnames else _lead_author(reference.as_written)
        initials = parsed.authors[0][len(surnames[0]) :].strip() if surnames else ""
        # The year these lists write after the authors, "(2010)", "(2018a)", rather than one
        # the parser may take from a title ("trials in 2000 and 2006").
        written = _LISTED_YEAR.search(reference.as_written)
        year = written.group(1) if written else (str(parsed.year) if parsed.year else None)
        if year is None or not first:
            continue
        letter = written.group(2) if written else None
        if written is None and (
            after := re.search(rf"(?<!\d){year}([a-z])\b", reference.as_written)
        ):
            letter = after.group(1)  # GB/T 7714: "张三, 李四, 2019a."
        works.append(
            ListedWork(
                reference.index, fold(first), tuple(fold(s) for s in surnames[1:]),
                year_key(year), letter, parsed.et_al or len(surnames) >= 3, first[:1].islower(),
                initials[:1].upper() or None,
            )
        )  # fmt: skip
    return works


def _lead_author(as_written: str) -> str | None:
    """Return what a reference the parser found no authors in starts with, up to its first
    comma or parenthesis: a collective author ("World Health Organization. (2020)") or a
    surname it could not read ("López De La Paz, M.")."""
    found = re.match(r"^([^,(]{2,100}?)\.?\s*[,(]", as_written)
    return found.group(1).strip() if found else None
