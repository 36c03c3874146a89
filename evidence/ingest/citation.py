"""Parse biomedical reference strings (Vancouver/NLM and the loose styles of slide footers).

Pure: text in, `ParsedCitation` out. A field the parser cannot read is None, never invented.

The parse reads, in order: identifiers (DOI, PMID, PMCID), the author list (Vancouver
"Surname II", forward "David A. Walsh", "... et al.", or a collective author), then the source
block anchored on the year ("2005 Nov;5(12):1731-40", "2008:4(4):767-775", "2012; 2 : e199").
What sits between the authors and the year is the title and the journal: the journal is the
last sentence before the year, with abbreviation pieces such as "Ann. Rheum. Dis." joined back.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from evidence.ingest.citation_patterns import (
    DASH,
    DOTTED_INITIAL,
    ET_AL,
    FORWARD_AUTHORS,
    FORWARD_CONTINUES,
    VANCOUVER_AUTHORS,
    clean_text,
    extract_identifiers,
    is_collective,
    normalise_text,
    split_authors,
    strip_label,
)

__all__ = ["ParsedCitation", "parse_citation", "work_key"]


@dataclass(frozen=True)
class ParsedCitation:
    """The fields of one reference string, as written (normalised only where said)."""

    raw: str
    authors: list[str] = field(default_factory=list)  # "Surname Initials", in order
    et_al: bool = False
    first_author: str | None = None  # surname of the first author
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None  # as written
    first_page: str | None = None
    last_page: str | None = None  # expanded: "1521-9" gives "1529"
    article_number: str | None = None  # e-locator or article number: "e199", "765624"
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None


@dataclass(frozen=True)
class _Source:
    """The year-anchored source block and where it starts in the text."""

    start: int
    score: int
    year: int
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None


_D = f"[{DASH}]"
_YEAR = re.compile(rf"(?<![\w/{DASH}])(?<!\d\.)((?:1[5-9]|20)\d{{2}})[a-z]?(?!\w|\s?{_D}\s?\d)")
_MONTH = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"|Spring|Summer|Autumn|Fall|Winter)"
)
_DATE_TAIL = re.compile(
    rf"\s*,?\s+(?P<month>{_MONTH}(?:\s?[-/{DASH}]\s?{_MONTH})?)"
    rf"(?:\s+\d{{1,2}}(?:\s?{_D}\s?\d{{1,2}})?)?(?![\w])"
)
_YEAR_ONLY_END = re.compile(r"\s*(?:[.,;)\]]|$)")
_SEP = re.compile(r"\s*(?P<sep>[;:,])\s*")
_PAGE = r"[A-Za-z]{0,3}\d{1,7}[A-Za-z]?"
_RANGE = rf"{_PAGE}\s?{_D}\s?{_PAGE}"
_PAGES_ONLY = re.compile(rf"(?P<pages>{_RANGE})(?![\w(])")
_VOLUME = re.compile(rf"(?P<volume>\d{{1,5}}[A-Za-z]?)(?!\w|\s?{_D}\s?\d)")
_SUPPLEMENT = re.compile(
    r"\s*(?P<supplement>(?:Suppl(?:ement)?|Supp)\.?(?:\s?[A-Z]?\d{1,3}\b|\s[A-Z]\b)?)",
    re.IGNORECASE,
)
_ISSUE = re.compile(r"\s*\((?P<issue>[^()]{1,30})\)")
_PAGES = re.compile(
    rf"(?:\s*[:,]\s*(?:pp?\.?\s*|pages?\s+)?|\s+(?={_RANGE}))(?P<pages>{_RANGE}|{_PAGE})(?![\w])"
)
_ARTICLE_NUMBER = re.compile(r"e\d+|\d{6,}")
_PAGE_PARTS = re.compile(rf"([A-Za-z]*)(\d+)([A-Za-z]?)\s?{_D}\s?([A-Za-z]*)(\d+)([A-Za-z]?)")
_SENTENCE_END = re.compile(r"[.?!][\"']?\s+")
# A piece of a dotted journal abbreviation: "Ann", "U.S.A", "Psychiatry Relat", "B Neuropsychiatr".
_ABBREVIATION = re.compile(r"(?:[A-Z][A-Za-z&\-]{0,9}|[A-Z](?:\.[A-Z])+)(?:\s[A-Z][A-Za-z&\-]{0,15}){0,2}\.")
_PROSE_END = re.compile(r"[a-z]{3,}[.?!]\s")


def _read_source(text: str, year: re.Match[str]) -> _Source | None:
    """Read the date, volume, issue and pages written after one year."""
    base = {"start": year.start(), "year": int(year.group(1))}
    pos = year.end()
    month = None
    if date := _DATE_TAIL.match(text, pos):
        month, pos = date.group("month"), date.end()
    sep = _SEP.match(text, pos)
    if sep is None:
        ok = _YEAR_ONLY_END.match(text, pos)
        return _Source(score=1, month=month, **base) if ok else None
    pos = sep.end()
    if sep.group("sep") in ";:" and (only := _PAGES_ONLY.match(text, pos)):
        return _Source(score=2, month=month, pages=only.group("pages"), **base)
    volume = issue = supplement = pages = None
    if found := _VOLUME.match(text, pos):
        volume, pos = found.group("volume"), found.end()
        if supp := _SUPPLEMENT.match(text, pos):
            supplement, pos = supp.group("supplement"), supp.end()
    if (volume or sep.group("sep") == ";") and (found_issue := _ISSUE.match(text, pos)):
        issue, pos = found_issue.group("issue").strip(), found_issue.end()
        if supplement is None and (supp := _SUPPLEMENT.search(issue)):
            supplement = supp.group("supplement")
    if (volume or issue) and (found_pages := _PAGES.match(text, pos)):
        pages = found_pages.group("pages")
    score = 1 + sum(x is not None for x in (volume, issue, pages))
    return _Source(
        score=score, month=month, volume=volume, issue=issue, supplement=supplement,
        pages=pages, **base,
    )


def _find_source(text: str) -> _Source | None:
    """Pick the year whose source block reads best; the later one on a tie."""
    best: _Source | None = None
    for year in _YEAR.finditer(text):
        source = _read_source(text, year)
        if source and (best is None or source.score >= best.score):
            best = source
    return best


def _expand_pages(pages: str) -> tuple[str, str | None]:
    """Return first and last page, the last written in full ("1521-9" gives "1529")."""
    parts = _PAGE_PARTS.fullmatch(pages)
    if parts is None:
        return pages, None
    prefix, first, suffix, last_prefix, last, last_suffix = parts.groups()
    if len(last) < len(first) and not last_prefix:
        last = first[: len(first) - len(last)] + last
    return prefix + first + suffix, (last_prefix or prefix) + last + last_suffix


def _split_authors_off(text: str) -> tuple[list[tuple[str, str]], bool, str]:
    """Return the authors, whether "et al." was written, and the text after the list."""
    et_al = ET_AL.search(text)
    if et_al and et_al.start() < 400 and not _PROSE_END.search(text[: et_al.start()] + " "):
        return split_authors(text[: et_al.start()]), True, text[et_al.end() :]
    vancouver = VANCOUVER_AUTHORS.match(text)
    ends_initial = vancouver and re.search(r"\b[A-Z]\.\s*$", vancouver.group(0))
    if vancouver and not (ends_initial and FORWARD_CONTINUES.match(text, vancouver.end())):
        return split_authors(vancouver.group(0)), False, text[vancouver.end() :]
    forward = FORWARD_AUTHORS.match(text)
    if forward and DOTTED_INITIAL.search(forward.group(0)):
        return split_authors(forward.group(0)), False, text[forward.end() :]
    first, stop, rest = re.split(r"(?<=\S)([.:]\s)", text, maxsplit=1) + ["", ""][:0] or [text, "", ""]
    if stop and rest and is_collective(first):
        return [(first.strip(), "")], False, rest
    return [], False, text


def _split_title_journal(text: str) -> tuple[str | None, str | None]:
    """Split the words before the year into title and journal (the last sentence)."""
    text = text.strip(" ,;:(")
    if not text:
        return None, None
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    journal_at = len(starts) - 1
    while journal_at > 0:
        piece = text[starts[journal_at - 1] : starts[journal_at]].strip()
        if not _ABBREVIATION.fullmatch(piece):
            break
        journal_at -= 1
    journal = text[starts[journal_at] :].strip(" .,;:\"'") or None
    title = text[: starts[journal_at]].strip(" .,;:\"'") or None
    return title, journal


def parse_citation(text: str) -> ParsedCitation:
    """Parse one reference string; never raises."""
    body, doi, pmid, pmcid = extract_identifiers(strip_label(normalise_text(text)))
    body = clean_text(strip_label(clean_text(body)))
    names, et_al, rest = _split_authors_off(body)
    rest = rest.strip(" .,;:")
    source = _find_source(rest)
    if source is None:
        title, journal = (rest.strip(" .\"'") or None), None
    else:
        title, journal = _split_title_journal(rest[: source.start])
    pages = source.pages if source else None
    first_page = last_page = article_number = None
    if pages and _ARTICLE_NUMBER.fullmatch(pages):
        article_number, pages = pages, None
    elif pages:
        first_page, last_page = _expand_pages(pages)
    return ParsedCitation(
        raw=text,
        authors=[f"{surname} {initials}".strip() for surname, initials in names],
        et_al=et_al,
        first_author=names[0][0] if names else None,
        title=title,
        journal=journal,
        year=source.year if source else None,
        month=source.month if source else None,
        volume=source.volume if source else None,
        issue=source.issue if source else None,
        supplement=source.supplement if source else None,
        pages=pages,
        first_page=first_page,
        last_page=last_page,
        article_number=article_number,
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
    )


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def work_key(c: ParsedCitation) -> str:
    """Key one paper the same however it is cited: "mihara|2005|1731"."""
    surname = re.sub(r"[^a-z]", "", _ascii_fold(c.first_author or ""))
    if surname and c.year is not None:
        locator = c.first_page or c.article_number or c.volume or ""
        return f"{surname}|{c.year}|{re.sub(r'[^a-z0-9]', '', _ascii_fold(locator))}"
    words = re.sub(r"[^a-z0-9]", "", _ascii_fold(strip_label(normalise_text(c.raw))))
    return "raw|" + hashlib.sha1(words.encode()).hexdigest()[:16]
