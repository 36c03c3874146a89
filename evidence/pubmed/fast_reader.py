"""Read one PubMed article with lxml: the fast path, the same records as Bio.Entrez's.

`entrez_reader` is the reference: tests/test_pubmed_readers.py reads every record of tests/data
(and ../shared/pubmed/records/ when present) with both and compares them field by field. This
reader parses an article on its own, in C, without a DTD, and touches only the elements a field
reads (bench/pubmed_import_parse.py: several times Bio.Entrez's rate). An article it cannot read
that way (malformed, a named entity or a namespace prefix only the DTD declares, no PMID) gives
None, and the caller reads it with Bio.Entrez, whose answer or error is the one reported.

How it matches Bio.Entrez (escape=True, then `entrez_reader._text`): an element's text is all of
its text nodes, child markup (<i>, <sup>, MathML) dropped and comments skipped, with whitespace
collapsed; elements are looked up by name, so ones Bio.Entrez's DTD does not know are ignored
here too; an attribute the DTD defaults (CompleteYN="Y", MajorTopicYN="N") is compared so that
its absence reads as the default.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from lxml import etree

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
from evidence.pubmed.splitter import cut_reference_lists

__all__ = ["epub_date_of", "read_fast_article"]

Element = Any  # lxml's _Element (lxml ships no type stubs)
_THREAD = threading.local()


def read_fast_article(kind: str, element: bytes, raw: str) -> PubMedRecord | None:
    """Build the record of one PubmedArticle or PubmedBookArticle; None when lxml cannot."""
    try:
        root = etree.fromstring(cut_reference_lists(element), _parser())
    except etree.XMLSyntaxError:
        return None
    return _article(root, raw) if kind == "PubmedArticle" else _book(root, raw)


def _parser() -> Any:
    """Return this thread's parser: no DTD, no network, no entity expansion, no comments."""
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
            huge_tree=True,  # a 10 MB abstract is absurd but not malformed
        )
        _THREAD.parser = parser
    return parser


def _children(parent: Element | None, *names: str) -> dict[str, Element]:
    """Return the children of these names by name; the last of a name wins, as in Bio.Entrez."""
    if parent is None:
        return {}
    return {child.tag: child for child in parent.iterchildren(*names)}


def _text(element: Element | None) -> str | None:
    """Return an element's text with child markup flattened and whitespace collapsed."""
    if element is None:
        return None
    if len(element):  # mixed content: <i>, <sup>, <sub>, MathML
        return collapse_spaces("".join(element.itertext()))
    text = element.text
    return " ".join(text.split()) or None if text else None


def _authors(author_lists: list[Element]) -> tuple[list[str], bool]:
    """Return "Surname Initials" names (collective names whole) and AuthorList CompleteYN."""
    lists = [a for a in author_lists if a.get("Type") != "editors"]
    if not lists:
        return [], True
    names: list[str] = []
    for author in lists[0].iterchildren("Author"):
        if author.get("ValidYN") == "N":
            continue  # NLM keeps misspelt names as ValidYN="N", for searching only
        parts = _children(author, "CollectiveName", "LastName", "Initials")
        names_text = (_text(parts.get(k)) for k in ("CollectiveName", "LastName", "Initials"))
        if name := name_of_author(*names_text):
            names.append(name)
    return names, lists[0].get("CompleteYN") != "N"


def _pub_date(date: Element | None) -> tuple[int | None, str | None, str | None]:
    """Return year, month and the date as written, from PubDate or its MedlineDate."""
    if date is None:
        return None, None, None
    parts = _children(date, "Year", "Month", "Day", "Season", "MedlineDate")
    written = (_text(parts.get(k)) for k in ("Year", "Month", "Day", "Season"))
    return read_pub_date(_text(parts.get("MedlineDate")), written)


def _abstract(abstract: Element | None) -> str | None:
    """Return AbstractText paragraphs, structured ones as "LABEL: text", joined by blank lines."""
    parts = [] if abstract is None else abstract.iterchildren("AbstractText")
    return join_abstract((part.get("Label"), _text(part)) for part in parts)


def _ids(id_lists: list[Element | None]) -> dict[str, str]:
    """Return ArticleIdList entries by IdType, the first of each kind."""
    ids: dict[str, str] = {}
    for id_list in id_lists:
        for entry in [] if id_list is None else id_list.iterchildren("ArticleId"):
            kind, value = entry.get("IdType"), _text(entry)
            if kind and value:
                ids.setdefault(kind, value)
    return ids


def _locations(elocations: list[Element]) -> tuple[str | None, str | None]:
    """Return the first e-locator (pii, e-page) and the first DOI of ELocationID elements."""
    other = [_text(e) for e in elocations if e.get("EIdType") != "doi"]
    dois = [  # ValidYN="N": NLM found the publisher's DOI wrong
        _text(e) for e in elocations if e.get("EIdType") == "doi" and e.get("ValidYN") != "N"
    ]
    return (other[0] if other else None), (dois[0] if dois else None)


def _mesh(headings: Element | None) -> list[dict[str, Any]]:
    """Return MeSH headings as descriptor dicts with their qualifiers."""
    mesh = []
    for heading in [] if headings is None else headings.iterchildren("MeshHeading"):
        qualifiers = []
        descriptor = None
        for term in heading.iterchildren("DescriptorName", "QualifierName"):
            if term.tag == "DescriptorName":
                descriptor = term
            else:
                major = term.get("MajorTopicYN") == "Y"
                qualifiers.append({"name": _text(term), "ui": term.get("UI"), "major": major})
        if descriptor is not None:
            mesh.append(
                {
                    "descriptor": _text(descriptor),
                    "ui": descriptor.get("UI"),
                    "major": descriptor.get("MajorTopicYN") == "Y",
                    "qualifiers": qualifiers,
                }
            )
    return mesh


def _comments(entries: Element | None) -> list[dict[str, Any]]:
    """Return CommentsCorrections but "Cites" (dropped, see evidence.pubmed.parse)."""
    comments = []
    for entry in [] if entries is None else entries.iterchildren("CommentsCorrections"):
        kind = entry.get("RefType")
        if kind != "Cites":
            fields = _children(entry, "PMID", "RefSource")
            pmid, source = _text(fields.get("PMID")), _text(fields.get("RefSource"))
            comments.append({"type": kind, "pmid": pmid, "source": source})
    return comments


def _strings(values: Iterable[Element]) -> list[str]:
    """Return the non-empty texts of some elements."""
    return [t for t in map(_text, values) if t]


def _keywords(keyword_lists: Iterable[Element]) -> list[str]:
    """Return the keywords of every KeywordList, each once."""
    keywords = (k for group in keyword_lists for k in group.iterchildren("Keyword"))
    return unique_keywords(map(_text, keywords))


_ARTICLE_PARTS = (
    "ArticleTitle", "VernacularTitle", "Journal", "Pagination", "Abstract", "AuthorList",
    "PublicationTypeList",
)  # fmt: skip
_CITATION_PARTS = (
    "PMID", "Article", "MedlineJournalInfo", "MeshHeadingList", "CommentsCorrectionsList"
)  # fmt: skip


_ARTICLE_DATES = re.compile(rb"<ArticleDate[\s>].*?</ArticleDate>", re.DOTALL)


def epub_date_of(raw_xml: str) -> str | None:
    """Return the ArticleDate of an article's stored XML, read from its ArticleDate elements
    alone (what a migration reads of every stored paper: parsing whole articles is 20 times
    slower)."""
    dates = [
        etree.fromstring(found, _parser()) for found in _ARTICLE_DATES.findall(raw_xml.encode())
    ]
    return _epub_date(dates)


def _epub_date(dates: list[Element]) -> str | None:
    """Return the first well-formed electronic ArticleDate as "YYYY-MM-DD"."""
    for date in dates:
        if date.get("DateType") in (None, "Electronic"):
            parts = _children(date, "Year", "Month", "Day")
            if found := electronic_date(*(_text(parts.get(n)) for n in ("Year", "Month", "Day"))):
                return found
    return None


def _article(root: Element, raw: str) -> PubMedRecord | None:
    """Build the record of one PubmedArticle."""
    top = _children(root, "MedlineCitation", "PubmedData")
    citation = _children(top.get("MedlineCitation"), *_CITATION_PARTS)
    if "PMID" not in citation:
        return None  # Bio.Entrez's reader reports what is missing
    article = _children(citation.get("Article"), *_ARTICLE_PARTS)
    journal = _children(article.get("Journal"), "Title", "ISOAbbreviation", "ISSN", "JournalIssue")
    issue = _children(journal.get("JournalIssue"), "Volume", "Issue", "PubDate")
    info = _children(citation.get("MedlineJournalInfo"), "MedlineTA", "NlmUniqueID", "ISSNLinking")
    year, month, pub_date = _pub_date(issue.get("PubDate"))
    pagination = _children(article.get("Pagination"), "MedlinePgn", "StartPage", "EndPage")
    pages = _text(pagination.get("MedlinePgn"))
    first, last = split_medline_pages(pages)
    if not pages:
        first, last = _text(pagination.get("StartPage")), _text(pagination.get("EndPage"))
    medline_citation, article_element = top["MedlineCitation"], citation.get("Article")
    elocation, located_doi = _locations(_all(article_element, "ELocationID"))
    ids = _ids([_children(top.get("PubmedData"), "ArticleIdList").get("ArticleIdList")])
    authors, complete = _authors([article["AuthorList"]] if "AuthorList" in article else [])
    types = article.get("PublicationTypeList")
    return PubMedRecord(
        pmid="".join(citation["PMID"].itertext()),
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
        epub_date=_epub_date(_all(article_element, "ArticleDate")),
        volume=_text(issue.get("Volume")),
        issue=_text(issue.get("Issue")),
        pages=pages,
        first_page=first,
        last_page=last,
        elocation=elocation,
        doi=ids.get("doi") or located_doi,
        pmcid=ids.get("pmc"),
        abstract=_abstract(article.get("Abstract")),
        mesh=_mesh(citation.get("MeshHeadingList")),
        keywords=_keywords(_all(medline_citation, "KeywordList")),
        publication_types=_strings(_all(types, "PublicationType")),
        comments_corrections=_comments(citation.get("CommentsCorrectionsList")),
        languages=_strings(_all(article_element, "Language")),
        raw_xml=raw,
    )


def _book(root: Element, raw: str) -> PubMedRecord | None:
    """Build the record of one PubmedBookArticle (a book or a chapter)."""
    top = _children(root, "BookDocument", "PubmedBookData")
    document = top.get("BookDocument")
    parts = _children(document, "PMID", "Book", "ArticleTitle", "Abstract", "ArticleIdList")
    if "PMID" not in parts:
        return None  # Bio.Entrez's reader reports what is missing
    book = parts.get("Book")
    book_parts = _children(book, "BookTitle", "PubDate")
    year, month, pub_date = _pub_date(book_parts.get("PubDate"))
    book_data = _children(top.get("PubmedBookData"), "ArticleIdList")
    ids = _ids([parts.get("ArticleIdList"), book_data.get("ArticleIdList")])
    authors, complete = _authors(_all(document, "AuthorList") + _all(book, "AuthorList"))
    return PubMedRecord(
        pmid="".join(parts["PMID"].itertext()),
        title=_text(parts.get("ArticleTitle")) or _text(book_parts.get("BookTitle")),
        authors=authors,
        authors_complete=complete,
        year=year,
        month=month,
        pub_date=pub_date,
        doi=ids.get("doi") or _locations(_all(book, "ELocationID"))[1],
        pmcid=ids.get("pmc"),
        abstract=_abstract(parts.get("Abstract")),
        keywords=_keywords(_all(document, "KeywordList")),
        publication_types=_strings(_all(document, "PublicationType")),
        languages=_strings(_all(document, "Language")),
        raw_xml=raw,
    )


def _all(parent: Element | None, name: str) -> list[Element]:
    """Return every child of that name, in order."""
    return [] if parent is None else list(parent.iterchildren(name))
