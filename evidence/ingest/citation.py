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
from dataclasses import dataclass, field, replace

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
    end: int
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
_DATE_BEFORE = re.compile(r"(?:1[5-9]|20)\d{2}[^;\d]{0,12};\s*$")
_YEAR_ONLY_END = re.compile(r"\s*(?:[.,;)\]]|$)")
_SEP = re.compile(r"\s*(?P<sep>[;:,])\s*")
_PAGE = r"[A-Za-z]{0,3}\d{1,9}[A-Za-z]?"
_RANGE = rf"{_PAGE}\s?{_D}\s?{_PAGE}"
_PAGES_ONLY = re.compile(rf"(?P<pages>{_RANGE})(?![\w(]|\s?:)")
# A volume, or a volume range before a colon ("84-86: 447-453"); not a repeated date ("2018 Nov").
_VOLUME = re.compile(
    rf"(?P<volume>\d{{1,5}}[A-Za-z]?(?:{_D}\d{{1,5}}(?=\s?:))?)(?!\w|\s?{_D}\s?\d|\s+{_MONTH})"
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
_TRAILING_SOURCE = re.compile(
    rf"(?<=[\w.)])[,.]?\s+(?P<volume>\d{{1,5}})\s*(?:\((?P<issue>[^()]{{1,30}})\))?"
    rf"\s*[:,]\s*(?:pp?\.?\s*)?(?P<pages>{_RANGE}|{_PAGE})(?![\w])"
)
_ARTICLE_NUMBER = re.compile(r"e\d+|\d{6,}")
_PAGE_PARTS = re.compile(rf"([A-Za-z]*)(\d+)([A-Za-z]?)\s?{_D}\s?([A-Za-z]*)(\d+)([A-Za-z]?)")
# A stop, or a closing quote after a quoted title: '"Adenovirus-Mediated ... Mice" Gene Therapy'.
_SENTENCE_END = re.compile(r"[.?!][\"']?\s+|(?<=[\w)])\"\s+")
# A piece of a dotted journal abbreviation: "Ann", "U.S.A", "Psychiatry Relat", "B Neuropsychiatr".
_ABBREVIATION = re.compile(r"(?:[A-Z][A-Za-z&\-]{0,9}|[A-Z](?:\.[A-Z])+)(?:\s[A-Z][A-Za-z&\-]{0,15}){0,2}\.")
_PROSE_END = re.compile(r"[a-z]{3,}[.?!]\s")
_FIRST_SENTENCE = re.compile(r"([^.:;\d]{2,120}?)[.:]{1,2}\s+(?=\S)")
# A month written just before the year: "Gene Therapy, August 1998; 5(8)", "Proc. • March 2007".
_MONTH_BEFORE = re.compile(rf"(?:[,•.]\s*|^)(?P<month>{_MONTH})(?:\s+\d{{1,2}})?,?\s*$")
# Words that mark a title, not a journal, when a title runs into the journal without a stop.
_FUNCTION_WORDS = frozenset(
    "with from into over under between among after before during without their through "
    "and the for von und der des les".split()
)
_JOURNAL_WORD = re.compile(r"(?:[A-Z][A-Za-z'\-]*[.,:]?|&|\([A-Z][a-z]*\))")
_JOURNAL_JOINER = frozenset({"and", "of", "&", "the", "for", "in", "on"})


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
        return _Source(end=pos, score=1, month=month, **base) if ok else None
    pos = sep.end()
    if sep.group("sep") in ";:" and (only := _PAGES_ONLY.match(text, pos)):
        return _Source(end=only.end(), score=2, month=month, pages=only.group("pages"), **base)
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
    return _Source(
        end=pos,
        score=score, month=month, volume=volume, issue=issue, supplement=supplement,
        pages=pages, **base,
    )


def _find_source(text: str) -> _Source | None:
    """Pick the year whose source block reads best; the later one on a tie."""
    best: _Source | None = None
    for year in _YEAR.finditer(text):
        if _DATE_BEFORE.search(text, 0, year.start()):
            continue  # "2019 Jan 2; 2019 Jan 2": a second (online) date, not the source
        source = _read_source(text, year)
        if source and (best is None or source.score >= best.score):
            best = source
    return best


def _read_trailing_source(text: str, source: _Source) -> tuple[_Source, str]:
    """Read "Journal 17(6):395-412" after a bare "(2018)" (Harvard, APA); return the words before."""
    if source.score > 1 or not (found := _TRAILING_SOURCE.search(text, source.end)):
        return source, text[: source.start]
    parts = {k: found.group(k) for k in ("volume", "issue", "pages")}
    supplement = _SUPPLEMENT.search(parts["issue"] or "")
    trailing = replace(
        source, score=4, supplement=supplement.group("supplement") if supplement else None, **parts
    )
    return trailing, text[source.end : found.start()].lstrip(" .,;:)")


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
    collective = _FIRST_SENTENCE.match(text)
    if collective and is_collective(collective.group(1)):
        return [(collective.group(1), "")], False, text[collective.end() :]
    return [], False, text


def _journal_tail(piece: str) -> int:
    """Find where a journal starts in a sentence that runs on from the title without a stop."""
    tokens = [t.group() for t in re.finditer(r"\S+", piece)]
    words = (t.strip(",:;()") for t in tokens)
    if not any(re.fullmatch(r"[a-z][a-z\-]{3,}", w) and w not in _FUNCTION_WORDS for w in words):
        return 0  # only capitalised and function words: "Therapeutics and Clinical Risk ..."
    at = len(tokens)
    while at > 0:
        word = tokens[at - 1].lstrip(".")
        joins = at > 1 and word in _JOURNAL_JOINER and _JOURNAL_WORD.fullmatch(tokens[at - 2])
        if not (_JOURNAL_WORD.fullmatch(word) or joins):
            break
        at -= 1
    if at in (0, len(tokens)):
        return 0
    offsets = [m.start() for m in re.finditer(r"\S+", piece)]
    return offsets[at] + len(tokens[at]) - len(tokens[at].lstrip("."))


def _split_title_journal(text: str) -> tuple[str | None, str | None]:
    """Split the words before the year into title and journal (the last sentence)."""
    text = text.strip(" ,;:(")
    if not text:
        return None, None
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    journal_at = len(starts) - 1
    single_words = " " not in text[starts[-1] :].strip()
    while journal_at > 0:
        piece = text[starts[journal_at - 1] : starts[journal_at]].strip()
        # "Ann. Rheum. Dis.": short dotted pieces join the journal; a one-word title
        # ("Vancomycin. Mayo Clin Proc") does not, unless the journal is dotted word by word.
        short = len(piece) <= 7 or single_words
        if not (short and _ABBREVIATION.fullmatch(piece)):
            break
        single_words = single_words and " " not in piece
        journal_at -= 1
    start = starts[journal_at]
    if journal_at == len(starts) - 1:
        start += _journal_tail(text[start:])
    journal = text[start:].strip(" ,;:\"'")
    if ". " not in journal:
        journal = journal.rstrip(".")
    title = text[:start].strip(" .,;:\"'")
    return title or None, journal or None


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
        source, before = _read_trailing_source(rest, source)
        if source.month is None and (month := _MONTH_BEFORE.search(before)):
            source = replace(source, month=month.group("month"))
            before = before[: month.start()]
        title, journal = _split_title_journal(before)
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
