"""A PubMed record as evidence keeps it: pure data, filled by `evidence.pubmed.parse`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evidence.ingest.citation_patterns import surname_of


@dataclass(frozen=True)
class PubMedRecord:
    """What PubMed says about one paper (one PubmedArticle)."""

    pmid: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)  # "Surname Initials"; collective names whole
    authors_complete: bool = True  # AuthorList CompleteYN
    journal: str | None = None  # Journal/Title, e.g. "Nature reviews. Drug discovery"
    iso_abbrev: str | None = None  # Journal/ISOAbbreviation, e.g. "Nat Rev Drug Discov"
    medline_ta: str | None = None  # MedlineJournalInfo/MedlineTA: what [ta] and ECitMatch want
    nlm_unique_id: str | None = None
    issn: str | None = None
    year: int | None = None
    month: str | None = None  # "Jun", as PubMed writes it
    pub_date: str | None = None  # as written: "2005 Nov", or a MedlineDate "1998 Dec-1999 Jan"
    epub_date: str | None = None  # ArticleDate, published online: "2004-11-12"
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # MedlinePgn as written, e.g. "1521-9"
    first_page: str | None = None
    last_page: str | None = None  # expanded: "1529"
    elocation: str | None = None  # ELocationID of type pii/e-locator, e.g. "e199"
    doi: str | None = None
    pmcid: str | None = None
    abstract: str | None = None  # structured sections as "LABEL: text" paragraphs
    mesh: list[dict[str, Any]] = field(default_factory=list)
    # {"descriptor": "Anemia", "ui": "D000740", "major": False,
    #  "qualifiers": [{"name": "etiology", "ui": "Q000209", "major": True}]}
    keywords: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    comments_corrections: list[dict[str, Any]] = field(default_factory=list)
    # {"type": "RetractionIn", "pmid": "123", "source": "Nature. 2020;..."}
    languages: list[str] = field(default_factory=list)
    raw_xml: str | None = None  # the PubmedArticle element as PubMed sent it

    @property
    def first_author(self) -> str | None:
        """Return the first author's surname (or the collective name)."""
        if not self.authors:
            return None
        return surname_of(self.authors[0])

    @property
    def years(self) -> set[int]:
        """Return the years a citation may rightly give: its issue's (PubDate) and, when PubMed
        gives one, the year it was published online (ArticleDate), often the one before."""
        years = {self.year} if self.year else set()
        if self.epub_date and self.epub_date[:4].isdigit():
            years.add(int(self.epub_date[:4]))
        return years

    @property
    def is_retracted(self) -> bool:
        """Tell whether PubMed marks the paper retracted."""
        return "Retracted Publication" in self.publication_types or any(
            c.get("type") == "RetractionIn" for c in self.comments_corrections
        )
