"""How PubMed's fields become a record's values, shared by both article readers.

`entrez_reader` (Bio.Entrez, the reference) and `fast_reader` (lxml) walk different trees but
must give the same `PubMedRecord`; every rule that turns an element's text into a value lives
here once, so the two cannot drift apart on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from evidence.ingest.citation_patterns import expand_pages

__all__ = [
    "collapse_spaces",
    "electronic_date",
    "join_abstract",
    "name_of_author",
    "read_pub_date",
    "split_medline_pages",
    "unique_keywords",
]

_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_MONTH = re.compile(r"^\d{4}\s+([A-Z][a-z]{2})\b")


def collapse_spaces(text: str | None) -> str | None:
    """Return the text with runs of whitespace made one space; None when nothing is left."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def split_medline_pages(pages: str | None) -> tuple[str | None, str | None]:
    """Return MedlinePgn's first and last page, the last written out ("1521-9" gives 1529)."""
    first_range = re.split(r"[,;]", pages or "", maxsplit=1)[0].strip()  # "1521-9; discussion 1530"
    if not first_range:
        return None, None
    first, last = expand_pages(first_range)
    return first or None, last or None


def electronic_date(year: str | None, month: str | None, day: str | None) -> str | None:
    """Return an ArticleDate (the day the article was published online, often a year before
    its issue's PubDate) as "YYYY-MM-DD"; None unless the three are ASCII numbers of a date
    that exists."""
    numbers = [
        part if part and re.fullmatch(r"[0-9]{1,4}", part) else "" for part in (year, month, day)
    ]
    if not all(numbers) or len(numbers[0]) != 4:
        return None
    try:
        return date(*map(int, numbers)).isoformat()
    except ValueError:  # "2004-02-31"
        return None


def read_pub_date(
    medline_date: str | None, parts: Iterable[str | None]
) -> tuple[int | None, str | None, str | None]:
    """Return year, month and the date as written: from a MedlineDate, else from the parts
    (Year, Month, Day, Season)."""
    if medline_date:  # "1998 Dec-1999 Jan"
        first_year, first_month = _YEAR.search(medline_date), _MONTH.match(medline_date)
        return (
            int(first_year.group()) if first_year else None,
            first_month.group(1) if first_month else None,
            medline_date,
        )
    year_text, month, *rest = parts
    year = int(year_text) if year_text and year_text.isdigit() else None
    written = " ".join(p for p in (year_text, month, *rest) if p)
    return year, month, written or None


def name_of_author(
    collective: str | None, last_name: str | None, initials: str | None
) -> str | None:
    """Return "Surname Initials", or a collective name whole; None for an author without either."""
    if collective:
        return collective
    if last_name:
        return f"{last_name} {initials}" if initials else last_name
    return None


def join_abstract(paragraphs: Iterable[tuple[str | None, str | None]]) -> str | None:
    """Join (label, text) AbstractText parts as "LABEL: text" paragraphs, blank-line separated."""
    kept = [f"{label}: {text}" if label else text for label, text in paragraphs if text]
    return "\n\n".join(kept) or None


def unique_keywords(keywords: Iterable[str | None]) -> list[str]:
    """Return the keywords of every KeywordList (NLM's and the authors'), each once, in order."""
    return list(dict.fromkeys(k for k in keywords if k))
