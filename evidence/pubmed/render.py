"""Render records as EFetch's PubmedArticleSet XML, for the offline snapshot and the test server.

Records are plain dicts: the seed's `records.json` shape (year as text, mesh as "Descriptor /
qualifier*" strings) or `dataclasses.asdict(PubMedRecord)` (mesh as dicts, medline_ta, keywords,
comments_corrections, ...). The output copies EFetch's shape (see tests/data/pubmed/efetch/):
prologue and DOCTYPE as EFetch writes them, no whitespace inside an article, elements in the DTD's
order, ASCII only. A value that is null or missing leaves its element out, even where the DTD
requires one (PublicationStatus, Language, PubModel, ...): nothing is invented.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from evidence.pubmed.parse import split_medline_pages

__all__ = ["render_pubmed_xml"]

# EFetch's prologue (recorded/biopython_current, 2025); Bio.Entrez ships pubmed_250101.dtd.
PROLOGUE = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st '
    'January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
# MeSH publication-type UIs, as PubMed writes them (read from the recorded EFetch answers).
PUBLICATION_TYPE_UI = {
    "Case Reports": "D002363",
    "Clinical Trial": "D016430",
    "Clinical Trial, Phase II": "D017427",
    "Clinical Trial, Phase III": "D017428",
    "Comment": "D016420",
    "Comparative Study": "D003160",
    "Editorial": "D016421",
    "English Abstract": "D004740",
    "Guideline": "D016431",
    "Journal Article": "D016428",
    "Letter": "D016422",
    "Meta-Analysis": "D017418",
    "Multicenter Study": "D016448",
    "News": "D016433",
    "Observational Study": "D064888",
    "Practice Guideline": "D017065",
    "Published Erratum": "D016425",
    "Randomized Controlled Trial": "D016449",
    "Research Support, N.I.H., Extramural": "D052061",
    "Research Support, Non-U.S. Gov't": "D013485",
    "Research Support, U.S. Gov't, Non-P.H.S.": "D013486",
    "Research Support, U.S. Gov't, P.H.S.": "D013487",
    "Retracted Publication": "D016441",
    "Review": "D016454",
    "Systematic Review": "D000078182",
}
_LABELLED = re.compile(r"([A-Z][A-Z0-9 ,&/()'-]*[A-Z0-9)]): (.+)", re.S)
_CALENDAR = re.compile(r"(\d{4})(?: ([A-Z][a-z]{2}|\d{1,2})(?: (\d{1,2}))?)?")
_SEASON = re.compile(r"(\d{4}) (Spring|Summer|Autumn|Fall|Winter|[A-Z][a-z]{2}-[A-Z][a-z]{2})")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def render_pubmed_xml(records: Sequence[Mapping[str, Any]]) -> bytes:
    """Render records as one EFetch answer (prologue, DOCTYPE, PubmedArticleSet), in order."""
    articles = "".join(ET.tostring(_article(r), encoding="unicode") for r in records)
    text = PROLOGUE + "<PubmedArticleSet>\n" + articles + "</PubmedArticleSet>"
    # EFetch writes ASCII, everything else as hex character references ("&#xe9;").
    return _NON_ASCII.sub(lambda m: f"&#x{ord(m.group()):x};", text).encode("ascii")


def _add(parent: ET.Element, tag: str, text: Any = None, **attrs: str | None) -> ET.Element:
    """Append a child element with text and the attributes that have a value."""
    child = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        child.text = str(text)
    return child


def _given(record: Mapping[str, Any], key: str) -> str | None:
    """Return a field as text, None when it is null, missing or blank."""
    value = record.get(key)
    return str(value) if value is not None and str(value).strip() else None


_EPUB_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _article(record: Mapping[str, Any]) -> ET.Element:
    """Build one PubmedArticle."""
    root = ET.Element("PubmedArticle")
    citation = _add(
        root, "MedlineCitation", Status=_given(record, "status"), Owner=_given(record, "owner")
    )
    # PMID Version is 1 except for the few journals that version their articles.
    _add(citation, "PMID", record["pmid"], Version="1")
    article = _add(citation, "Article", PubModel=_given(record, "pub_model"))
    if len(journal := _journal(record)):
        article.append(journal)
    if title := _given(record, "title"):
        _add(article, "ArticleTitle", title)
    if pages := _given(record, "pages"):
        pagination = _add(article, "Pagination")
        first, last = split_medline_pages(pages)
        _add(pagination, "StartPage", first)
        if last:
            _add(pagination, "EndPage", last)
        _add(pagination, "MedlinePgn", pages)
    if elocation := _given(record, "elocation"):
        _add(article, "ELocationID", elocation, EIdType="pii", ValidYN="Y")
    if abstract := _given(record, "abstract"):
        _abstract(_add(article, "Abstract"), abstract)
    if record.get("authors"):
        _authors(article, record)
    for language in record.get("languages") or []:
        _add(article, "Language", language)
    if types := record.get("publication_types"):
        type_list = _add(article, "PublicationTypeList")
        for name in types:
            _add(type_list, "PublicationType", name, UI=PUBLICATION_TYPE_UI.get(name))
    if epub := _EPUB_DATE.fullmatch(_given(record, "epub_date") or ""):
        article_date = _add(article, "ArticleDate", DateType="Electronic")
        for tag, value in zip(("Year", "Month", "Day"), epub.groups(), strict=True):
            _add(article_date, tag, value)
    _citation_tail(citation, record)
    ids = _add(_add(root, "PubmedData"), "ArticleIdList")
    for kind, key in (("pubmed", "pmid"), ("pmc", "pmcid"), ("doi", "doi")):  # EFetch's order
        if value := _given(record, key):
            _add(ids, "ArticleId", value, IdType=kind)
    return root


def _citation_tail(citation: ET.Element, record: Mapping[str, Any]) -> None:
    """Write what follows Article: journal info, comments and corrections, MeSH, keywords."""
    # NLM's MedlineTA is the ISO abbreviation without periods for most journals (and PubMed's
    # ISOAbbreviation has none), so a record without an explicit one gets its iso_abbrev.
    if medline_ta := _given(record, "medline_ta") or _given(record, "iso_abbrev"):
        info = _add(citation, "MedlineJournalInfo")
        _add(info, "MedlineTA", medline_ta)
        if nlm_id := _given(record, "nlm_unique_id"):
            _add(info, "NlmUniqueID", nlm_id)
    if comments := record.get("comments_corrections"):
        comment_list = _add(citation, "CommentsCorrectionsList")
        for c in comments:
            entry = _add(comment_list, "CommentsCorrections", RefType=c["type"])
            if c.get("source"):
                _add(entry, "RefSource", c["source"])
            if c.get("pmid"):
                _add(entry, "PMID", c["pmid"], Version="1")
    if mesh := record.get("mesh"):
        _mesh(_add(citation, "MeshHeadingList"), mesh)
    if keywords := record.get("keywords"):
        keyword_list = _add(citation, "KeywordList")
        for keyword in keywords:
            _add(keyword_list, "Keyword", keyword)


def _journal(record: Mapping[str, Any]) -> ET.Element:
    """Build Journal: ISSN, JournalIssue (volume, issue, date), title, ISO abbreviation."""
    journal = ET.Element("Journal")
    if issn := _given(record, "issn"):
        _add(journal, "ISSN", issn)
    volume, issue = _given(record, "volume"), _given(record, "issue")
    date = _given(record, "pub_date") or " ".join(
        v for v in (_given(record, "year"), _given(record, "month")) if v
    )
    if volume or issue or date:
        journal_issue = _add(journal, "JournalIssue")
        if volume:
            _add(journal_issue, "Volume", volume)
        if issue:
            _add(journal_issue, "Issue", issue)
        if date:
            _pub_date(_add(journal_issue, "PubDate"), date)
    if title := _given(record, "journal"):
        _add(journal, "Title", title)
    if iso := _given(record, "iso_abbrev"):
        _add(journal, "ISOAbbreviation", iso)
    return journal


def _pub_date(pub_date: ET.Element, date: str) -> None:
    """Write a date as Year, Month, Day (or Season) when it is one, else as a MedlineDate."""
    if calendar := _CALENDAR.fullmatch(date):
        for tag, value in zip(("Year", "Month", "Day"), calendar.groups(), strict=True):
            if value:
                _add(pub_date, tag, value)
    elif season := _SEASON.fullmatch(date):
        _add(pub_date, "Year", season.group(1))
        _add(pub_date, "Season", season.group(2))
    else:
        _add(pub_date, "MedlineDate", date)


def _abstract(abstract: ET.Element, text: str) -> None:
    """Write paragraphs as AbstractText elements, "LABEL: text" ones with their Label."""
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if labelled := _LABELLED.fullmatch(paragraph):
            _add(abstract, "AbstractText", labelled.group(2), Label=labelled.group(1))
        elif paragraph:
            _add(abstract, "AbstractText", paragraph)


def _authors(article: ET.Element, record: Mapping[str, Any]) -> None:
    """Write "Surname Initials" names as LastName + Initials, anything else as a CollectiveName."""
    complete = "N" if record.get("authors_complete") is False else "Y"
    author_list = _add(article, "AuthorList", CompleteYN=complete)
    for name in record["authors"]:
        author = _add(author_list, "Author", ValidYN="Y")
        surname, _, initials = str(name).rpartition(" ")
        # The rule of PubMedRecord.first_author: initials are one to four capitals.
        if surname and initials.isupper() and initials.isalpha() and len(initials) <= 4:
            _add(author, "LastName", surname)
            _add(author, "Initials", initials)
        else:
            _add(author, "CollectiveName", name)


def _mesh(heading_list: ET.Element, mesh: Sequence[Any]) -> None:
    """Write MeSH terms, given as "Descriptor / qualifier*" strings or as descriptor dicts."""
    headings: list[dict[str, Any]] = []
    for term in mesh:
        heading = dict(term) if isinstance(term, Mapping) else _mesh_term(str(term))
        if headings and headings[-1]["descriptor"] == heading["descriptor"]:
            # PubMed's page lists one line per descriptor / qualifier pair: one heading again.
            headings[-1]["major"] = headings[-1]["major"] or heading["major"]
            headings[-1]["qualifiers"] = headings[-1]["qualifiers"] + heading["qualifiers"]
        else:
            headings.append(heading)
    for heading in headings:
        element = _add(heading_list, "MeshHeading")
        _add(
            element,
            "DescriptorName",
            heading["descriptor"],
            UI=heading.get("ui"),
            MajorTopicYN=_yn(heading["major"]),
        )
        for q in heading.get("qualifiers", []):
            _add(element, "QualifierName", q["name"], UI=q.get("ui"), MajorTopicYN=_yn(q["major"]))


def _yn(flag: Any) -> str:
    """Return PubMed's Y / N."""
    return "Y" if flag else "N"


def _mesh_term(term: str) -> dict[str, Any]:
    """Parse PubMed's display form "Descriptor / qualifier*" ("*" marks a major topic)."""
    descriptor, *qualifiers = (part.strip() for part in term.split(" / "))
    return {
        "descriptor": descriptor.rstrip("*"),
        "major": descriptor.endswith("*"),
        "qualifiers": [{"name": q.rstrip("*"), "major": q.endswith("*")} for q in qualifiers],
    }
