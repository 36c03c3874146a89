"""Read PubMed's XML (EFetch answers, NCBI's annual baseline files) into `PubMedRecord`s, offline.

`ArticleSplitter` cuts the stream into its top-level elements byte for byte, so each record's
`raw_xml` is the PubmedArticle exactly as PubMed sent it and memory holds one 1 MiB block and one
article at a time, however long the file. Each article is then read by one of two readers that
give the same record (tests/test_pubmed_readers.py compares them field by field):

- `fast_reader` (lxml, the default, for `evidence pubmed import` and EFetch answers alike):
  ~20,000 articles/s, the rate a 30,000-record baseline file needs;
- `entrez_reader` (Bio.Entrez, offline, ~1,100 articles/s): the reference, and the reader of
  every article lxml cannot read without the DTD (a MathML entity, say) or finds malformed, so
  that such an article reads, or fails, exactly as it does with Biopython. `reader="entrez"`
  uses it for every article. It never downloads a DTD (see `entrez_reader`).

Skipped on purpose: DeleteCitation (the PMID lists that end update files) and "Cites" entries of
CommentsCorrectionsList (a paper's reference list, often hundreds of entries; `raw_xml` keeps
them). PubmedBookArticle (books and chapters in the NCBI Bookshelf) gives pmid, title (chapter,
else book), authors (not editors), year, doi, abstract, languages and publication types;
`journal` stays None.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Literal, cast

from evidence.errors import PubMedError
from evidence.pubmed.entrez_reader import read_entrez_article
from evidence.pubmed.fast_reader import read_fast_article
from evidence.pubmed.fields import split_medline_pages
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.splitter import ArticleSplitter

__all__ = [
    "Reader",
    "iter_pubmed_records",
    "open_pubmed_file",
    "parse_pubmed_xml",
    "read_article",
    "split_medline_pages",
]

Reader = Literal["fast", "entrez"]
_ARTICLES = (b"PubmedArticle", b"PubmedBookArticle")


def open_pubmed_file(path: Path) -> BinaryIO:
    """Open a PubMed XML file for reading, gunzipping it when it is gzip (by its magic bytes)."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return cast(BinaryIO, gzip.open(path, "rb")) if gzipped else open(path, "rb")


def parse_pubmed_xml(data: bytes, *, reader: Reader = "fast") -> list[PubMedRecord]:
    """Parse one EFetch answer (a PubmedArticleSet) into records."""
    return list(iter_pubmed_records(io.BytesIO(data), reader=reader))


def iter_pubmed_records(stream: BinaryIO, *, reader: Reader = "fast") -> Iterator[PubMedRecord]:
    """Yield the records of a PubmedArticleSet stream one by one, in bounded memory."""
    for number, (name, element) in iter_pubmed_articles(stream):
        yield read_article(name, element, number, reader=reader)


def iter_pubmed_articles(stream: BinaryIO) -> Iterator[tuple[int, tuple[bytes, bytes]]]:
    """Yield (position, (tag name, bytes)) of each PubmedArticle and PubmedBookArticle."""
    for number, (name, element) in enumerate(ArticleSplitter(stream).elements(), start=1):
        if name in _ARTICLES:  # not DeleteCitation, see the module docstring
            yield number, (name, element)


def read_article(
    name: bytes, element: bytes, number: int, *, reader: Reader = "fast"
) -> PubMedRecord:
    """Build the record of one article's bytes (`number`: its position, for error messages)."""
    try:
        raw = element.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PubMedError(f"PubMed XML is not UTF-8: {exc}") from exc
    kind = name.decode()
    if reader == "fast" and (record := read_fast_article(kind, element, raw)) is not None:
        return record
    return read_entrez_article(kind, element, number, raw)
