"""Bio.Entrez, offline: one article's bytes in, Bio.Entrez's dict out.

Each article goes to one Bio.Entrez parser per thread (it reads the DTD once), fed article by
article (`Entrez.parse` refuses a PubmedArticleSet: its root is a dict, not a list), with the
subtrees evidence never reads cut out first (`_UNREAD`): Bio.Entrez spends ~5 us per element in
Python, and reference lists, affiliations and histories are most of an article's elements
(~1,100 records/s, 4x Entrez.read's rate).

DTDs: the document's own DOCTYPE is never given to Bio.Entrez. The parser's prologue names the
newest pubmed_*.dtd that Biopython ships, whatever version the input names (NLM renames the DTD
every year: pubmed_250101.dtd, pubmed_260101.dtd, ...), and validation is off, so an element newer
than that DTD is skipped (it stays in `raw_xml`). `_OfflineHandler` makes a missing DTD an error
instead of a download: Bio.Entrez otherwise fetches any DTD it does not ship from NCBI.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from typing import Any, BinaryIO, cast
from xml.parsers import expat

from Bio.Entrez.Parser import DataHandler

from evidence.errors import PubMedError
from evidence.pubmed.splitter import cut_reference_lists

__all__ = ["parse_entrez_article"]

# Never-nesting subtrees no field reads (DTD pubmed_250101: the order of MedlineCitation,
# PubmedData and BookDocument); Cites lists are dropped (see evidence.pubmed.parse).
_UNREAD = re.compile(
    rb"<((?:AffiliationInfo|History|ChemicalList|GrantList|CoiStatement|DataBankList|ForeName|"
    rb"InvestigatorList|SupplMeshList|GeneSymbolList|PersonalNameSubjectList|OtherAbstract|"
    rb"ObjectList|Identifier|DateCompleted|DateRevised|CitationSubset|Country|"
    rb"CopyrightInformation|GeneralNote|OtherID)(?=[ >])|CommentsCorrections(?= RefType=\"Cites\"))"
)
_THREAD = threading.local()


def parse_entrez_article(kind: str, element: bytes, number: int) -> Any:
    """Return Bio.Entrez's dict for one PubmedArticle or PubmedBookArticle (its bytes)."""
    return _parse(kind, _trim(element), number)


def _trim(element: bytes) -> bytes:
    """Cut the subtrees no field reads out of one article (they stay in `raw_xml`)."""
    element = cut_reference_lists(element)
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


def _parse(kind: str, element: bytes, number: int) -> Any:
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
