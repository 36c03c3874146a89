"""Compare a citation as written with its PubMed record, field by field. Pure.

Formatting is not an error: an en dash for a hyphen, an abbreviated page range (`1731–1740` is
`1731-40`), `Rheumatology(Oxford)` for `Rheumatology (Oxford)`, diacritics, stray underscores
from PDF extraction, `1-16` written for an article that has an e-locator instead of pages. A
wrong first author, year, journal, volume, issue, first or last page, or article number is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.ingest.citation import ParsedCitation
from evidence.ingest.citation_patterns import surname_of
from evidence.pubmed.journal_match import cites_journal
from evidence.pubmed.match import e_pages_without_e, same_volume, without_e
from evidence.pubmed.names import forename_written_out, same_surname
from evidence.pubmed.records import PubMedRecord


@dataclass(frozen=True)
class FieldDifference:
    """One field whose written value is not PubMed's: names as in the citation JSON."""

    field: str
    written: str
    pubmed: str


def _page(value: str | None) -> str:
    """Fold a page for comparison: "0088" -> "88", "S4" -> "s4", "e199" -> "e199", and PLOS's
    "e0111899" (as its DOIs write it) -> "e111899" (as PubMed does)."""
    if not value:
        return ""
    folded = re.sub(r"[\s_]", "", value).lower().lstrip("0") or "0"
    return re.sub(r"^([a-z]+)0+(?=\d)", r"\1", folded)


def _last_page(value: str | None) -> tuple[str, str]:
    """Fold a last page into the page and Cell Press's supplement pages: "1298.e7" -> ("1298",
    "e7"); "1298" -> ("1298", ""). Written without them, "1284-1298" is the same range. PubMed's
    supplement range ("1-15.e1-4") ends where its last number says: ("15", "e4")."""
    page, _, extra = _page(value).partition(".")
    if ranged := re.fullmatch(r"([a-z]*)(\d+)-[a-z]*(\d+)", extra):
        start, end = ranged.group(2), ranged.group(3)
        extra = ranged.group(1) + (start[: len(start) - len(end)] + end)
    return page, extra


def _other_initial(written: str, pubmed: str) -> bool:
    """Tell whether two authors of one surname have other first initials ("Braak E", "Braak
    H"); False when either has no initials to compare."""
    written_initials = written.rpartition(" ")[2]
    pubmed_initials = pubmed.rpartition(" ")[2]
    if not (written_initials.isupper() and pubmed_initials.isupper()):
        return False
    if " " not in written or " " not in pubmed or len(written_initials) > 4:
        return False
    return written_initials[0] != pubmed_initials[0]


def _issue(value: str | None) -> str:
    """Fold an issue: "Suppl 2" -> "suppl2", "(4)" -> "4"."""
    return re.sub(r"[^a-z0-9]", "", (value or "").lower()).replace("supplement", "suppl")


def compare_fields(citation: ParsedCitation, record: PubMedRecord) -> list[FieldDifference]:
    """Return every field where the citation says something other than PubMed."""
    differences: list[FieldDifference] = []

    def differ(field: str, written: object, pubmed: object) -> None:
        differences.append(FieldDifference(field, str(written), str(pubmed)))

    pubmed_author = surname_of(record.authors[0]) if record.authors else None
    cited_author = citation.first_author
    written_first = citation.authors[0] if citation.authors else ""
    if record.authors and forename_written_out(written_first, record.authors[0]):
        pass  # "Elmore Monica RP" for PubMed's "Elmore MR"
    elif cited_author and pubmed_author and not _first_author_named(cited_author, record.authors):
        differ("first_author", cited_author, pubmed_author)
    elif (
        citation.authors
        and record.authors
        and _other_initial(citation.authors[0], record.authors[0])
    ):
        # "Braak E, Braak H" for PubMed's "Braak H, Braak E": the authors in another order.
        differ("first_author", citation.authors[0], record.authors[0])
    if citation.year and record.year and citation.year not in record.years:
        differ("year", citation.year, record.year)  # neither the issue's nor the e-pub year
    pubmed_journal = record.iso_abbrev or record.journal
    if citation.journal and pubmed_journal and not cites_journal(citation, record, misspelt=False):
        differ("journal", citation.journal, pubmed_journal)  # another journal, or misspelt
    if citation.volume and record.volume and not same_volume(citation.volume, record.volume):
        differ("volume", citation.volume, record.volume)
    written_issues = {_issue(citation.issue), _issue(citation.supplement)} - {""}
    if written_issues and record.issue and _issue(record.issue) not in written_issues:
        differ("issue", citation.issue or citation.supplement, record.issue)
    differences += _page_differences(citation, record)
    return differences


def _first_author_named(cited: str, authors: list[str]) -> bool:
    """Tell whether the author cited first is PubMed's first author, or its first person's when
    PubMed lists a group first ("SPRINT MIND Investigators for the SPRINT Research Group",
    then "Williamson JD": the journal prints Williamson first)."""
    if same_surname(cited, surname_of(authors[0])) or _same_group(cited, authors[0]):
        return True
    if surname_of(authors[0]) != authors[0]:
        return False  # a person is first
    person = next((author for author in authors if surname_of(author) != author), None)
    return person is not None and same_surname(cited, surname_of(person))


def _same_group(cited: str, listed: str) -> bool:
    """Tell whether two names of a group are one, their words in any order and "The" aside
    ("Consortium GTEx" and "The GTEx Consortium" for PubMed's "GTEx Consortium")."""

    def words(name: str) -> set[str]:
        return {word.lower() for word in name.split()} - {"the"}

    return len(words(listed)) > 1 and surname_of(listed) == listed and words(cited) == words(listed)


def _page_differences(citation: ParsedCitation, record: PubMedRecord) -> list[FieldDifference]:
    """Compare pages, or article numbers for an article that has an e-locator and no pages."""
    written_first = citation.article_number or citation.first_page
    field = "article_number" if citation.article_number else "first_page"
    written = {_page(written_first)}
    if written_first and citation.issue and not written_first[:1].isdigit():
        # Sci Transl Med's "147ra111" written "ra111" in issue 147: the issue left out of it.
        written.add(_page(citation.issue + written_first))
    paged = bool(record.first_page) and _page(record.first_page) != _page(record.elocation)
    if not paged:
        # Only an e-locator ("e199", "a016295"): "1-16" written for it is the PDF's page count,
        # and its number written without the "e" ("93621" for "e93621") is the same.
        page_count = citation.first_page == "1" and not citation.article_number
        eloc = _page(record.elocation)
        found = without_e(eloc) in {without_e(page) for page in written}
        if eloc and written_first and not page_count and not found:
            return [FieldDifference("article_number", written_first, record.elocation or "")]
        return []
    if e_pages_without_e(citation, record):
        return []  # "1452-1460" for Neurology's "e1452-e1460"
    differences = []
    if written_first and not written & {_page(record.first_page), _page(record.elocation)}:
        differences.append(FieldDifference(field, written_first, record.first_page or ""))
    last = citation.last_page
    if last and record.last_page:
        (written_page, written_extra), (page, extra) = (
            _last_page(last),
            _last_page(record.last_page),
        )
        if _page(record.first_page).startswith("e"):  # e-pages: "1460" for "e1460" is the page
            written_page, page = without_e(written_page), without_e(page)
        if written_page != page or (written_extra and written_extra != extra):
            differences.append(FieldDifference("last_page", last, record.last_page))
    return differences
