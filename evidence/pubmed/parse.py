"""Read PubMed's XML (EFetch answers, NCBI's annual baseline files) into `PubMedRecord`s, offline.

A byte-level splitter cuts the stream into its top-level elements, so each record's `raw_xml` is
the PubmedArticle exactly as PubMed sent it and memory holds one 1 MiB block and one article at a
time, however long the file. Each article goes to one Bio.Entrez parser per thread (it reads the
DTD once), fed article by article (`Entrez.parse` refuses a PubmedArticleSet: its root is a dict,
not a list), with the subtrees evidence never reads cut out first (`_UNREAD`): Bio.Entrez spends
~5 us per element in Python, and reference lists, affiliations and histories are most of an
article's elements (bench/pubmed_import_parse.py: ~1,100 records/s, 4x Entrez.read's rate).

DTDs: the document's own DOCTYPE is never given to Bio.Entrez. The parser's prologue names the
newest pubmed_*.dtd that Biopython ships, whatever version the input names (NLM renames the DTD
every year: pubmed_250101.dtd, pubmed_260101.dtd, ...), and validation is off, so an element newer
than that DTD is skipped (it stays in `raw_xml`). `_OfflineHandler` makes a missing DTD an error
instead of a download: Bio.Entrez otherwise fetches any DTD it does not ship from NCBI.

Skipped on purpose: DeleteCitation (the PMID lists that end update files) and "Cites" entries of
CommentsCorrectionsList (a paper's reference list, often hundreds of entries; `raw_xml` keeps
them). PubmedBookArticle (books and chapters in the NCBI Bookshelf) gives pmid, title (chapter,
else book), authors (not editors), year, doi, abstract, languages and publication types;
`journal` stays None.
"""

from __future__ import annotations

import functools
import gzip
import html
import io
import os
import re
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from xml.parsers import expat

from Bio.Entrez.Parser import DataHandler

from evidence.errors import PubMedError
from evidence.ingest.citation_patterns import expand_pages
from evidence.pubmed.records import PubMedRecord

__all__ = ["iter_pubmed_records", "open_pubmed_file", "parse_pubmed_xml", "split_medline_pages"]

_BLOCK = 1 << 20
_ARTICLES = (b"PubmedArticle", b"PubmedBookArticle")
# Never-nesting subtrees no field reads (DTD pubmed_250101: the order of MedlineCitation,
# PubmedData and BookDocument); Cites lists are dropped, see the module docstring.
_UNREAD = re.compile(
    rb"<((?:AffiliationInfo|History|ChemicalList|GrantList|CoiStatement|DataBankList|ForeName|"
    rb"InvestigatorList|SupplMeshList|GeneSymbolList|PersonalNameSubjectList|OtherAbstract|"
    rb"ObjectList|Identifier|DateCompleted|DateRevised|ArticleDate|CitationSubset|Country|"
    rb"CopyrightInformation|GeneralNote|OtherID)(?=[ >])|CommentsCorrections(?= RefType=\"Cites\"))"
)
_TAG = re.compile(r"<[^>]*>")
_NONSPACE = re.compile(rb"\S")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_THREAD = threading.local()
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_MONTH = re.compile(r"^\d{4}\s+([A-Z][a-z]{2})\b")


def open_pubmed_file(path: Path) -> BinaryIO:
    """Open a PubMed XML file for reading, gunzipping it when it is gzip (by its magic bytes)."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return cast(BinaryIO, gzip.open(path, "rb")) if gzipped else open(path, "rb")


def parse_pubmed_xml(data: bytes) -> list[PubMedRecord]:
    """Parse one EFetch answer (a PubmedArticleSet) into records."""
    return list(iter_pubmed_records(io.BytesIO(data)))


def iter_pubmed_records(stream: BinaryIO) -> Iterator[PubMedRecord]:
    """Yield the records of a PubmedArticleSet stream one by one, in bounded memory."""
    for number, (name, element) in enumerate(_Splitter(stream).elements(), start=1):
        if name not in _ARTICLES:
            continue  # DeleteCitation, see the module docstring
        try:
            raw = element.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PubMedError(f"PubMed XML is not UTF-8: {exc}") from exc
        parsed = _read_article(name.decode(), _trim(element), number)
        try:
            record = _article(parsed, raw) if name == b"PubmedArticle" else _book(parsed, raw)
        except KeyError as exc:  # no MedlineCitation, BookDocument or PMID
            raise PubMedError(f"PubMed XML, {name.decode()} {number}, has no {exc}") from exc
        yield record


def split_medline_pages(pages: str | None) -> tuple[str | None, str | None]:
    """Return MedlinePgn's first and last page, the last written out ("1521-9" gives 1529)."""
    first_range = re.split(r"[,;]", pages or "", maxsplit=1)[0].strip()  # "1521-9; discussion 1530"
    if not first_range:
        return None, None
    first, last = expand_pages(first_range)
    return first or None, last or None


class _Splitter:
    """Cut a PubmedArticleSet byte stream into its top-level elements, one block in memory."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buf = b""
        self._pos = 0
        self._eof = False

    def elements(self) -> Iterator[tuple[bytes, bytes]]:
        """Yield (tag name, element bytes) for each child of the root, checking the root first."""
        if self._open_root():
            return
        while True:
            start = self._next_nonspace()
            if start < 0:
                raise PubMedError("PubMed XML is truncated: it ends before </PubmedArticleSet>")
            if self._buf[start : start + 1] != b"<":
                raise PubMedError("PubMed XML has text between records: not an EFetch answer")
            name, text, length = self._tag()
            if text.startswith(b"/"):
                return  # </PubmedArticleSet>
            if text.startswith((b"!", b"?")) or text.endswith(b"/"):
                self._pos += length
                continue  # a comment, a processing instruction or an empty element
            close = b"</" + name + b">"
            stop = self._find(close)
            if stop < 0:
                raise PubMedError(f"PubMed XML is truncated inside a <{name.decode()}> element")
            element = self._buf[self._pos : stop + len(close)]
            self._pos = stop + len(close)
            if name == b"ERROR":
                raise PubMedError(f"NCBI answered with an error: {_plain(element)}")
            yield name, element

    def _open_root(self) -> bool:
        """Read up to the root's start tag; tell whether the set is empty (self-closing)."""
        start = self._next_nonspace()
        if start < 0:
            raise PubMedError("PubMed sent an empty answer")
        if self._buf.startswith(b"\xef\xbb\xbf", start):
            self._pos = start + 3
            start = self._next_nonspace()
        while start >= 0 and self._buf[start : start + 1] == b"<":
            name, text, length = self._tag()
            if text.startswith(b"?xml"):
                encoding = _ENCODING.search(text)
                if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii"):
                    raise PubMedError(f"PubMed XML in {encoding.group(1).decode()}, not UTF-8")
            elif text.lower().startswith(b"!doctype html") or name.lower() == b"html":
                raise PubMedError(f"NCBI answered with an HTML page, not XML: {self._snippet()}")
            elif name == b"PubmedArticleSet":
                self._pos += length
                return text.endswith(b"/")
            elif not text.startswith((b"?", b"!")):
                if b"<ERROR>" in self._buf[self._pos : self._pos + 65536] or name == b"ERROR":
                    raise PubMedError(f"NCBI answered with an error: {self._snippet()}")
                raise PubMedError(f"not a PubMed EFetch answer: the root is <{name.decode()}>")
            self._pos += length
            start = self._next_nonspace()
        raise PubMedError(f"PubMed sent something that is not XML: {self._snippet()}")

    def _tag(self) -> tuple[bytes, bytes, int]:
        """Return the name, text and length of the markup at the position (tag, comment, ...)."""
        closer = b"-->" if self._buf.startswith(b"<!--", self._pos) else b">"
        end = self._find(closer)
        if end < 0:
            raise PubMedError("PubMed XML is truncated inside a tag")
        text = self._buf[self._pos + 1 : end]
        name = text.split(None, 1)[0].rstrip(b"/") if text.strip() else b""
        return name, text, end + len(closer) - self._pos

    def _find(self, needle: bytes) -> int:
        """Return where `needle` starts at or after the position, reading on; -1 at the end."""
        start = self._pos
        while (found := self._buf.find(needle, start)) < 0:
            scanned = len(self._buf) - self._pos
            if not self._more():
                return -1
            start = max(0, scanned - len(needle) + 1)
        return found

    def _next_nonspace(self) -> int:
        """Move past whitespace and return where the next byte is; -1 at the end."""
        while (match := _NONSPACE.search(self._buf, self._pos)) is None:
            self._pos = len(self._buf)
            if not self._more():
                return -1
        self._pos = match.start()
        return self._pos

    def _more(self) -> bool:
        """Append the next block to the unread part of the buffer; tell whether there was one."""
        if self._eof:
            return False
        try:
            block = self._stream.read(_BLOCK)
        except (OSError, EOFError, zlib.error) as exc:  # a corrupt or cut .gz
            raise PubMedError(f"cannot read the PubMed file: {exc}") from exc
        if not block:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + block
        self._pos = 0
        return True

    def _snippet(self) -> str:
        """Return the start of the unread text, tags removed, for an error message."""
        while len(self._buf) - self._pos < 4096 and self._more():
            pass
        return _plain(self._buf[self._pos : self._pos + 4096])[:200]


def _plain(data: bytes) -> str:
    """Return markup as one line of text."""
    return " ".join(html.unescape(_TAG.sub(" ", data.decode("utf-8", "replace"))).split())


def _trim(element: bytes) -> bytes:
    """Cut the subtrees no field reads out of one article (they stay in `raw_xml`)."""
    first, last = element.find(b"<ReferenceList>"), element.rfind(b"</ReferenceList>")
    if 0 <= first < last:  # ReferenceList* closes PubmedData and BookDocument; it nests
        element = element[:first] + element[last + len(b"</ReferenceList>") :]
    parts: list[bytes] = []
    pos = 0
    while match := _UNREAD.search(element, pos):
        close = b"</" + match.group(1).split(b" ")[0] + b">"
        stop = element.find(close, match.end())
        if stop < 0:
            break  # malformed: left for the parser to report
        parts.append(element[pos : match.start()])
        pos = stop + len(close)
    return b"".join(parts) + element[pos:] if parts else element


class _OfflineHandler(DataHandler):
    """Bio.Entrez's parser, except that a DTD or schema it lacks is an error, not a download."""

    def open_dtd_file(self, filename: str) -> BinaryIO:
        """Open a DTD Biopython ships (or the user cached); never fall through to `urlopen`."""
        handle = super().open_dtd_file(filename)  # type: ignore[no-untyped-call]
        if handle is None:
            raise PubMedError(f"Bio.Entrez has no {filename} and evidence never downloads DTDs")
        return cast(BinaryIO, handle)

    def schemaHandler(self, name: str, attrs: dict[str, str]) -> None:  # Biopython's name
        """Refuse XML Schema references, which Bio.Entrez would download."""
        raise PubMedError("PubMed XML does not reference XML Schemas: not an EFetch answer")


@functools.cache
def _prologue() -> bytes:
    """Return the prologue Bio.Entrez reads: the newest pubmed DTD that Biopython ships."""
    dtds = os.listdir(DataHandler.global_dtd_dir)
    shipped = [name for name in dtds if re.fullmatch(r"pubmed_\d{6}\.dtd", name)]
    if not shipped:
        raise PubMedError("this Biopython ships no pubmed_*.dtd")
    dtd = max(shipped)  # pubmed_YYMMDD.dtd: 2002 (020114) to now sort as text
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC '
        b'"-//NLM//DTD PubMedArticle//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/'
        + dtd.encode()
        + b'">\n<PubmedArticleSet>\n'
    )


def _read_article(kind: str, element: bytes, number: int) -> Any:
    """Return Bio.Entrez's dict for one PubmedArticle or PubmedBookArticle."""
    parser: DataHandler | None = getattr(_THREAD, "entrez", None)
    try:
        if parser is None:
            # One open PubmedArticleSet per thread, fed article by article whatever stream they
            # come from: Bio.Entrez reads the DTD (~20 ms) once per thread, not once per answer.
            parser = _OfflineHandler(  # type: ignore[no-untyped-call]
                validate=False, escape=True, ignore_errors=False
            )
            parser.parser.Parse(_prologue(), False)
            _THREAD.entrez = parser
        parser.parser.Parse(element, False)
        done = parser.record[kind]
        if len(done) != 1:
            raise ValueError(f"Bio.Entrez returned {len(done)} records for one {kind}")
        return done.pop()
    except (PubMedError, expat.ExpatError, ValueError, RuntimeError, KeyError) as exc:
        _THREAD.entrez = None  # expat cannot go on after an error
        pmid = re.search(rb"<PMID[^>]*>(\d+)<", element)
        which = f"PMID {pmid.group(1).decode()}" if pmid else f"element {number}"
        raise PubMedError(f"PubMed XML, {kind} {which}, is not readable: {exc}") from exc
    except BaseException:
        _THREAD.entrez = None
        raise


def _text(value: Any) -> str | None:
    """Return an element's text with child markup (HTML, MathML) flattened and spaces collapsed."""
    if value is None:
        return None
    text = str(value)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:  # Bio.Entrez escaped the text (escape=True) to tell it from child markup
        text = html.unescape(text)
    return " ".join(text.split()) or None


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
        if collective := _text(author.get("CollectiveName")):
            names.append(collective)
        elif last := _text(author.get("LastName")):
            initials = _text(author.get("Initials"))
            names.append(f"{last} {initials}" if initials else last)
    return names, _attr(lists[0], "CompleteYN") != "N"


def _pub_date(date: Any) -> tuple[int | None, str | None, str | None]:
    """Return year, month and the date as written, from PubDate or its MedlineDate."""
    if not date:
        return None, None, None
    if medline := _text(date.get("MedlineDate")):  # "1998 Dec-1999 Jan"
        first_year, first_month = _YEAR.search(medline), _MONTH.match(medline)
        return (
            int(first_year.group()) if first_year else None,
            first_month.group(1) if first_month else None,
            medline,
        )
    parts = [_text(date.get(k)) for k in ("Year", "Month", "Day", "Season")]
    year = int(parts[0]) if parts[0] and parts[0].isdigit() else None
    return year, parts[1], " ".join(p for p in parts if p) or None


def _abstract(abstract: Any) -> str | None:
    """Return AbstractText paragraphs, structured ones as "LABEL: text", joined by blank lines."""
    paragraphs = []
    for part in (abstract or {}).get("AbstractText", []):
        text, label = _text(part), _attr(part, "Label")
        if text:
            paragraphs.append(f"{label}: {text}" if label else text)
    return "\n\n".join(paragraphs) or None


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
    """Return CommentsCorrections but "Cites" (dropped, see the module docstring)."""
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
    """Return the keywords of every KeywordList (NLM's and the authors'), each once."""
    return list(dict.fromkeys(_strings([k for group in keyword_lists for k in group])))


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
