"""Read one PubMed article with Bio.Entrez, offline: the reference reader.

`entrez_parser` turns the article's bytes into Bio.Entrez's dict (offline, never downloading a
DTD); this module turns that dict into a `PubMedRecord`. `fast_reader` gives the same records at
several times this rate; this one reads what lxml cannot read without the DTD.
"""

from __future__ import annotations

import html
import re
from typing import Any, cast

from evidence.errors import PubMedError
from evidence.pubmed.entrez_parser import parse_entrez_article
from evidence.pubmed.fields import (
    collapse_spaces,
    electronic_date,
    join_abstract,
    name_of_author,
    read_pub_date,
    split_medline_pages,
    unique_keywords,
)
from evidence.pubmed.records import PubMedRecord

__all__ = ["read_entrez_article"]

_TAG = re.compile(r"<[^>]*>")


def read_entrez_article(kind: str, element: bytes, number: int, raw: str) -> PubMedRecord:
    """Build the record of one PubmedArticle or PubmedBookArticle (its bytes) with Bio.Entrez."""
    parsed = parse_entrez_article(kind, element, number)
    try:
        return _article(parsed, raw) if kind == "PubmedArticle" else _book(parsed, raw)
    except KeyError as exc:  # no MedlineCitation, BookDocument or PMID
        raise PubMedError(f"PubMed XML, {kind} {number}, has no {exc}") from exc


def _text(value: Any) -> str | None:
    """Return an element's text with child markup (HTML, MathML) flattened and spaces collapsed."""
    if value is None:
        return None
    text = str(value)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:  # Bio.Entrez escaped the text (escape=True) to tell it from child markup
        text = html.unescape(text)
    return collapse_spaces(text)


def _attr(element: Any, name: str) -> str | None:
    """Return an attribute of a Bio.Entrez element."""
    return cast("str | None", getattr(element, "attributes", {}).get(name))


def _authors(author_lists: list[Any]) -> tuple[list[str], bool]:
    """Return "Surname Initials" names (collective names whole) and AuthorList CompleteYN."""
    lists = [a for a in author_lists if _attr(a, "Type") != "editors"]
    if not lists:
        return [], True
    names: list[str] = []
    for author in lists[0]:
        if _attr(author, "ValidYN") == "N":
            continue  # NLM keeps misspelt names as ValidYN="N", for searching only
        parts = (author.get(k) for k in ("CollectiveName", "LastName", "Initials"))
        if name := name_of_author(*map(_text, parts)):
            names.append(name)
    return names, _attr(lists[0], "CompleteYN") != "N"


def _pub_date(date: Any) -> tuple[int | None, str | None, str | None]:
    """Return year, month and the date as written, from PubDate or its MedlineDate."""
    if not date:
        return None, None, None
    parts = (_text(date.get(k)) for k in ("Year", "Month", "Day", "Season"))
    return read_pub_date(_text(date.get("MedlineDate")), parts)


def _abstract(abstract: Any) -> str | None:
    """Return AbstractText paragraphs, structured ones as "LABEL: text", joined by blank lines."""
    parts = (abstract or {}).get("AbstractText", [])
    return join_abstract((_attr(part, "Label"), _text(part)) for part in parts)


def _ids(id_lists: list[Any]) -> dict[str, str]:
    """Return ArticleIdList entries by IdType, the first of each kind."""
    ids: dict[str, str] = {}
    for entry in (e for id_list in id_lists for e in id_list):
        kind, value = _attr(entry, "IdType"), _text(entry)
        if kind and value:
            ids.setdefault(kind, value)
    return ids


def _locations(elocations: list[Any]) -> tuple[str | None, str | None]:
    """Return the first e-locator (pii, e-page) and the first DOI of ELocationID elements."""
    other = [_text(e) for e in elocations if _attr(e, "EIdType") != "doi"]
    dois = [  # ValidYN="N": NLM found the publisher's DOI wrong
        _text(e) for e in elocations if _attr(e, "EIdType") == "doi" and _attr(e, "ValidYN") != "N"
    ]
    return (other[0] if other else None), (dois[0] if dois else None)


def _flag(element: Any) -> bool:
    """Tell whether an element is marked MajorTopicYN="Y"."""
    return _attr(element, "MajorTopicYN") == "Y"


def _mesh(headings: list[Any]) -> list[dict[str, Any]]:
    """Return MeSH headings as descriptor dicts with their qualifiers."""
    return [
        {
            "descriptor": _text(h["DescriptorName"]),
            "ui": _attr(h["DescriptorName"], "UI"),
            "major": _flag(h["DescriptorName"]),
            "qualifiers": [
                {"name": _text(q), "ui": _attr(q, "UI"), "major": _flag(q)}
                for q in h.get("QualifierName", [])
            ],
        }
        for h in headings
        if "DescriptorName" in h
    ]


def _comments(entries: list[Any]) -> list[dict[str, Any]]:
    """Return CommentsCorrections but "Cites" (dropped, see evidence.pubmed.parse)."""
    return [
        {
            "type": _attr(c, "RefType"),
            "pmid": _text(c.get("PMID")),
            "source": _text(c.get("RefSource")),
        }
        for c in entries
        if _attr(c, "RefType") != "Cites"
    ]


def _strings(values: list[Any]) -> list[str]:
    """Return the non-empty texts of a list of elements."""
    return [t for t in map(_text, values) if t]


def _keywords(keyword_lists: list[Any]) -> list[str]:
    """Return the keywords of every KeywordList, each once."""
    return unique_keywords(_text(k) for group in keyword_lists for k in group)


def _epub_date(dates: list[Any]) -> str | None:
    """Return the first well-formed electronic ArticleDate as "YYYY-MM-DD"."""
    for date in dates:
        if _attr(date, "DateType") in (None, "Electronic"):
            parts = (_text(date.get(name)) for name in ("Year", "Month", "Day"))
            if found := electronic_date(*parts):
                return found
    return None


def _article(parsed: Any, raw: str) -> PubMedRecord:
    """Build the record of one PubmedArticle."""
    citation = parsed["MedlineCitation"]
    article = citation.get("Article", {})
    journal = article.get("Journal", {})
    info = citation.get("MedlineJournalInfo", {})
    year, month, pub_date = _pub_date(journal.get("JournalIssue", {}).get("PubDate"))
    pagination = article.get("Pagination", {})
    pages = _text(pagination.get("MedlinePgn"))
    first, last = split_medline_pages(pages)
    if not pages:
        first, last = _text(pagination.get("StartPage")), _text(pagination.get("EndPage"))
    elocation, located_doi = _locations(article.get("ELocationID", []))
    ids = _ids([parsed.get("PubmedData", {}).get("ArticleIdList", [])])
    authors, complete = _authors([article["AuthorList"]] if "AuthorList" in article else [])
    return PubMedRecord(
        pmid=str(citation["PMID"]),
        title=_text(article.get("ArticleTitle")) or _text(article.get("VernacularTitle")),
        authors=authors,
        authors_complete=complete,
        journal=_text(journal.get("Title")),
        iso_abbrev=_text(journal.get("ISOAbbreviation")),
        medline_ta=_text(info.get("MedlineTA")),
        nlm_unique_id=_text(info.get("NlmUniqueID")),
        issn=_text(journal.get("ISSN")) or _text(info.get("ISSNLinking")),
        year=year,
        month=month,
        pub_date=pub_date,
        epub_date=_epub_date(article.get("ArticleDate", [])),
        volume=_text(journal.get("JournalIssue", {}).get("Volume")),
        issue=_text(journal.get("JournalIssue", {}).get("Issue")),
        pages=pages,
        first_page=first,
        last_page=last,
        elocation=elocation,
        doi=ids.get("doi") or located_doi,
        pmcid=ids.get("pmc"),
        abstract=_abstract(article.get("Abstract")),
        mesh=_mesh(citation.get("MeshHeadingList", [])),
        keywords=_keywords(citation.get("KeywordList", [])),
        publication_types=_strings(article.get("PublicationTypeList", [])),
        comments_corrections=_comments(citation.get("CommentsCorrectionsList", [])),
        languages=_strings(article.get("Language", [])),
        raw_xml=raw,
    )


def _book(parsed: Any, raw: str) -> PubMedRecord:
    """Build the record of one PubmedBookArticle (a book or a chapter)."""
    document = parsed["BookDocument"]
    book = document.get("Book", {})
    year, month, pub_date = _pub_date(book.get("PubDate"))
    book_data = parsed.get("PubmedBookData", {})
    ids = _ids([document.get("ArticleIdList", []), book_data.get("ArticleIdList", [])])
    authors, complete = _authors(document.get("AuthorList", []) + book.get("AuthorList", []))
    return PubMedRecord(
        pmid=str(document["PMID"]),
        title=_text(document.get("ArticleTitle")) or _text(book.get("BookTitle")),
        authors=authors,
        authors_complete=complete,
        year=year,
        month=month,
        pub_date=pub_date,
        doi=ids.get("doi") or _locations(book.get("ELocationID", []))[1],
        pmcid=ids.get("pmc"),
        abstract=_abstract(document.get("Abstract")),
        keywords=_keywords(document.get("KeywordList", [])),
        publication_types=_strings(document.get("PublicationType", [])),
        languages=_strings(document.get("Language", [])),
        raw_xml=raw,
    )
