"""Parse biomedical reference strings (Vancouver/NLM and the loose styles of slide footers).

Pure: text in, `ParsedCitation` out. A field the parser cannot read is None, never invented.

The parse reads, in order: identifiers (DOI, PMID, PMCID), the author list (Vancouver
"Surname II", forward "David A. Walsh", "... et al.", or a collective author), then the source
block anchored on the year ("2005 Nov;5(12):1731-40", "2008:4(4):767-775", "2012; 2 : e199"),
or, after a bare "(2018)", the "17(6):395-412" written before it (Nature) or after it (Harvard).
What sits between the authors and the source is the title and the journal: the journal is the
last sentence, with abbreviation pieces such as "Ann. Rheum. Dis." joined back.

Normalised on the way in: full-width punctuation, curly quotes, mojibake, stray underscores and
runs of whitespace. Dashes are kept as written, so `pages` reads "1731–1740" as in the source.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from evidence.ingest.citation_patterns import (
    CJK_AUTHORS,
    DASH,
    DOTTED_INITIAL,
    ET_AL,
    FORWARD_AUTHORS,
    FORWARD_CONTINUES,
    MONTH,
    VANCOUVER_AUTHORS,
    YEAR,
    ascii_letters,
    clean_text,
    expand_pages,
    extract_identifiers,
    is_collective,
    normalise_text,
    split_authors,
    strip_label,
)
from evidence.ingest.reference_notes import without_notes
from evidence.ingest.title_journal import split_title_journal

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
    end: int
    score: int
    year: int
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None


_D = f"[{DASH}]"
_DATE_TAIL = re.compile(
    rf"\s*,?\s+(?P<month>{MONTH}(?:\s?[{DASH}/]\s?{MONTH})?)"
    rf"(?:\s+\d{{1,2}}(?:\s?{_D}\s?\d{{1,2}})?)?(?![\w])"
)
_DATE_BEFORE = re.compile(r"(?:1[5-9]|20)\d{2}[^;\d]{0,12};\s*$")
_YEAR_ONLY_END = re.compile(r"\s*(?:[.,;)\]]|$|in press\b)", re.IGNORECASE)  # "2010 in press."
_SEP = re.compile(r"\s*(?P<sep>[;:,])\s*")
# A page or e-locator: "1731", "S77", "e199", "ii14", "89ra57" (Sci Transl Med), "1031.e7",
# "1298 e12" (Cell Press's supplement pages, as Nature's style writes them).
_PAGE = r"[A-Za-z]{0,4}\d{1,9}(?:[a-z]{2}\d{1,5}|[.\s]e\d{1,4}(?!\w)|[A-Za-z])?"
_RANGE = rf"{_PAGE}\s?{_D}\s?{_PAGE}"
_PAGES_ONLY = re.compile(rf"(?P<pages>{_RANGE})(?![\w(]|\s?:)")
# A volume, or a volume range before a colon ("84-86: 447-453"); not a repeated date ("2018 Nov").
_VOLUME = re.compile(
    rf"(?P<volume>\d{{1,5}}[A-Za-z]?(?:{_D}\d{{1,5}}(?=\s?:))?)(?!\w|\s?{_D}\s?\d|\s+{MONTH})"
)
_SUPPLEMENT = re.compile(
    r"\s*(?P<supplement>(?:Suppl(?:ement)?|Supp)\.?(?:\s?[A-Z]?\d{1,3}\b|\s[A-Z]\b)?)",
    re.IGNORECASE,
)
_ISSUE = re.compile(r"\s*\((?P<issue>[^()]{1,30})\)")
_PAGES = re.compile(
    rf"(?:\s*[:,]{{1,2}}\s*(?:pp?\.?\s*|pages?\s+|Article(?:\s+(?:ID|No\.?))?\s+)?"
    rf"|\s*;\s*(?={_RANGE})|\s+(?={_RANGE}))(?P<pages>{_RANGE}|{_PAGE})(?![\w])"
)
_BLOCK = (
    rf"(?P<volume>\d{{1,5}})\s*(?:\((?P<issue>[^()]{{1,30}})\))?"
    rf"(?:\s*[:,]\s*(?:pp?\.?\s*)?|\s+(?={_RANGE}))(?P<pages>{_RANGE}|{_PAGE})"
)
# "Journal 17(6):395-412" after "(2018)" (Harvard, APA), or "Nat. Med.25, 270-276" before it.
_TRAILING_SOURCE = re.compile(rf"(?<=[\w.)])[,.]?\s+{_BLOCK}(?![\w])")
# Glued to a word of three letters or more too: "Science356, eaal3222", "Proc. Natl Acad. Sci.
# USA106, 4012–4017" (not "J. Neurosci l6", an OCR'd 16).
_LEADING_SOURCE = re.compile(rf"(?:(?<=[\s.])|(?<=[A-Za-z]{{3}})){_BLOCK}[\s.,;(]*$")
_ARTICLE_NUMBER = re.compile(r"e[a-z]{0,3}\d+|\d{6,}|\d+[a-z]{2}\d+")
_NLM_DATE = re.compile(rf"\s*(?:1[5-9]|20)\d{{2}}(?:\s+{MONTH}[^;]{{0,12}})?;")
_PROSE_END = re.compile(r"[a-z]{3,}[.?!]\s")
_FIRST_SENTENCE = re.compile(r"([^.:;\d]{2,120}?)[.:]{1,2}\s+(?=\S)")
_LEADING_YEAR = re.compile(r"^\(\s?(?:1[5-9]|20)\d{2}[a-z]?\s?\)[.,:]?\s*")
# A month written just before the year: "Gene Therapy, August 1998; 5(8)", "Proc. • March 2007",
# "Sci. 10 Jun 2021";
# or after the journal's name with no stop between, abbreviated with a stop or written out:
# "Nat Genet Feb. 2009;41(2)". Not "Mar.": marine journals end with it ("Sci Mar. 2004").
_MONTH_AFTER_JOURNAL = (
    r"(?:Jan|Feb|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\."
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_BEFORE = re.compile(
    rf"(?:[,•.]\s*|^)(?:\d{{1,2}}\s+)?(?P<month>{MONTH})(?:\s+\d{{1,2}})?,?\s*$"
    rf"|(?<=[A-Za-z.])\s(?P<after_journal>{_MONTH_AFTER_JOURNAL})\s*$"
)


def _read_source(text: str, year: re.Match[str]) -> _Source | None:
    """Read the date, volume, issue and pages written after one year."""
    start, found_year = year.start(), int(year.group(1))
    pos = year.end()
    month = None
    if date := _DATE_TAIL.match(text, pos):
        month, pos = date.group("month"), date.end()
    sep = _SEP.match(text, pos)
    if sep is None:
        if not _YEAR_ONLY_END.match(text, pos):
            return None
        return _Source(start=start, end=pos, score=1, year=found_year, month=month)
    pos = sep.end()
    if sep.group("sep") in ";:" and (only := _PAGES_ONLY.match(text, pos)):
        pages = only.group("pages")
        return _Source(start, only.end(), 2, found_year, month=month, pages=pages)
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
        pages, pos = found_pages.group("pages"), found_pages.end()
    score = 1 + sum(x is not None for x in (volume, issue, pages))
    return _Source(start, pos, score, found_year, month, volume, issue, supplement, pages)


def _find_source(text: str) -> _Source | None:
    """Pick the year whose source block reads best; on a tie, a year in parentheses over
    another year (Harvard, APA: "(2010) ... Science 330:1774", whose page reads as a year), else
    the later one (the same year again: "(2016). Title. Database (Oxford), 2016.")."""
    best: _Source | None = None
    best_bracketed = False
    for year in YEAR.finditer(text):
        if _DATE_BEFORE.search(text, max(0, year.start() - 24), year.start()):
            continue  # "2019 Jan 2; 2019 Jan 2": a second (online) date, not the source
        source = _read_source(text, year)
        if source is None:
            continue
        before, after = text[year.start() - 1 : year.start()], text[source.end :]
        bracketed = before == "(" and after.startswith(")")
        ties = best is not None and source.score == best.score
        if (
            best is None
            or source.score > best.score
            or (ties and (bracketed or not best_bracketed or source.year == best.year))
        ):
            best, best_bracketed = source, bracketed
    return best


def _with_source(source: _Source, found: re.Match[str]) -> _Source:
    """Fill volume, issue and pages from a block written apart from a bare year."""
    issue = found.group("issue")
    supplement = _SUPPLEMENT.search(issue or "")
    return replace(
        source,
        score=4,
        volume=found.group("volume"),
        issue=issue,
        supplement=supplement.group("supplement") if supplement else None,
        pages=found.group("pages"),
    )


def _read_source_around(text: str, source: _Source) -> tuple[_Source, str, bool]:
    """Complete a bare "(2018)" from the volume and pages written next to it; say whether they
    were written before it, right after the journal (Nature's style)."""
    before = text[: source.start]
    if source.score > 1:
        return source, before, False
    if found := _LEADING_SOURCE.search(before):  # Nature: "Nat. Genet 47, 291-295 (2015)"
        return _with_source(source, found), before[: found.start()], True
    if found := _TRAILING_SOURCE.search(text, source.end):  # Harvard, APA: "(2018) ... 17:395"
        return _with_source(source, found), text[source.end : found.start()].lstrip(" .,;:)"), False
    return source, before, False


def _split_authors_off(text: str) -> tuple[list[tuple[str, str]], bool, str]:
    """Return the authors, whether "et al." was written, and the text after the list."""
    et_al = ET_AL.search(text)
    if et_al and et_al.start() < 400 and not _PROSE_END.search(text[: et_al.start()] + " "):
        return split_authors(text[: et_al.start()]), True, text[et_al.end() :]
    if vancouver := VANCOUVER_AUTHORS.match(text):
        names, end = vancouver.group(0), vancouver.end()
        continues = re.search(r"\b[A-Z]\.\s*$", names) and FORWARD_CONTINUES.match(text, end)
        # "EMBO J. 1988 May;7(5):1365-70": a journal and its source, no authors.
        journal_only = not re.search(r"[,;&]|\band\b", names) and _NLM_DATE.match(text, end)
        if not continues and not journal_only:
            return split_authors(names), False, text[end:]
    if cjk := CJK_AUTHORS.match(text):
        return split_authors(cjk.group(0)), False, text[cjk.end() :]
    forward = FORWARD_AUTHORS.match(text)
    if forward and DOTTED_INITIAL.search(forward.group(0)):
        return split_authors(forward.group(0)), False, text[forward.end() :]
    collective = _FIRST_SENTENCE.match(text)
    # "JAMA. 2011 Jan 19;305(3):275-83": a journal, its date, volume and pages; not a group of
    # authors ("WHO. 2012; Dementia: a public health priority").
    date = _NLM_DATE.match(text, collective.end()) if collective else None
    journal_only = date is not None and re.match(r"\s*\d+\s*[(:]", text[date.end() :])
    if collective and is_collective(collective.group(1)) and not journal_only:
        return [(collective.group(1), "")], False, text[collective.end() :]
    return [], False, text


def parse_citation(text: str) -> ParsedCitation:
    """Parse one reference string; never raises."""
    body, doi, pmid, pmcid = extract_identifiers(normalise_text(text))
    body = without_notes(strip_label(clean_text(body)))
    names, et_al, rest = _split_authors_off(body)
    rest = rest.strip(" .,;:")
    source = _find_source(rest)
    if source is None:
        title, journal = (rest.strip(" .\"'") or None), None
    else:
        source, before, nature_style = _read_source_around(rest, source)
        if source.month is None and (month := _MONTH_BEFORE.search(before)):
            source = replace(source, month=month.group("month") or month.group("after_journal"))
            before = before[: month.start()]
        # The year in parentheses after the authors, when a later one is the source's
        # ("Ladu M. J. (2011). Introducing … Int. J. Alzheimers Dis. 2011, 810981."): not title.
        title, journal = split_title_journal(
            _LEADING_YEAR.sub("", before), journal_after_comma=nature_style
        )
    pages = re.sub(r"\s+(?=e\d)", ".", source.pages) if source and source.pages else None
    first_page = last_page = article_number = None
    if pages and _ARTICLE_NUMBER.fullmatch(pages):
        article_number, pages = pages, None
    elif pages:
        first_page, last_page = expand_pages(pages)
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
    return ascii_letters(text).lower()


def work_key(c: ParsedCitation) -> str:
    """Key one paper the same however it is cited: "mihara|2005|1731"."""
    folded = _ascii_fold(c.first_author or "")
    # Letters only, ASCII after folding; a name in another script ("李明") keeps its letters.
    surname = re.sub(r"[^a-z]", "", folded) or "".join(ch for ch in folded if ch.isalpha())
    if surname and c.year is not None:
        locator = c.first_page or c.article_number or c.volume or ""
        return f"{surname}|{c.year}|{re.sub(r'[^a-z0-9]', '', _ascii_fold(locator))}"
    words = re.sub(r"[^a-z0-9]", "", _ascii_fold(strip_label(normalise_text(c.raw))))
    return "raw|" + hashlib.sha1(words.encode(), usedforsecurity=False).hexdigest()[:16]
