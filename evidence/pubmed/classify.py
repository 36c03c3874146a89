"""Tell references that PubMed cannot hold from those it may: a Chinese journal, a congress
abstract, data on file, a prescribing information, a web page, a book. Pure."""

from __future__ import annotations

import re

from evidence.ingest.citation import ParsedCitation
from evidence.ingest.citation_patterns import MONTH
from evidence.ingest.language import count_cjk

NOT_IN_PUBMED = "not_in_pubmed"  # a resolution's status for a reference of one of these kinds

KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("data_on_file", re.compile(r"data on file|内部资料|数据存档", re.IGNORECASE)),
    (
        "prescribing_information",
        re.compile(
            r"prescribing information|package insert|summary of product characteristics|"
            r"\bSmPC\b|label(?:ing)?\s+\(|说明书",
            re.IGNORECASE,
        ),
    ),
    (
        "congress_abstract",
        re.compile(
            r"\b(?:abstract|poster|congress|annual meeting|scientific sessions|symposium)\b|"
            r"\b(?:EULAR|ACR|APLAR|ASCO|ESMO|ASH)\s*(?:19|20)\d{2}\b|\[abstract\]|会议|摘要",
            re.IGNORECASE,
        ),
    ),
    ("book", re.compile(r"\[M\]|\bIn:\s|\b(?:eds?\.|editors?|Press|Publishers?)\b")),
    ("web_page", re.compile(r"https?://(?!(?:dx\.)?doi\.org)|\bwww\.|accessed\s", re.IGNORECASE)),
]
# A month read as a journal: "retrieved November 17, 2011" gives "November", volume 17, page 2011.
_MONTH = re.compile(rf"{MONTH}$", re.IGNORECASE)


def classify_reference(citation: ParsedCitation) -> str | None:
    """Return the kind of a reference PubMed cannot hold, or None when PubMed may hold it."""
    if citation.pmid or citation.doi or citation.pmcid:
        return None  # an identifier says where to look
    text = citation.raw
    for kind, pattern in KINDS:
        if pattern.search(text) and not (kind == "web_page" and _located_in_a_journal(citation)):
            return kind
    if count_cjk(citation.journal or "") or (count_cjk(text) > 4 and "[J]" in text):
        return "chinese_journal"
    return None


def _located_in_a_journal(citation: ParsedCitation) -> bool:
    """Tell whether a reference gives an article's place in a journal (a journal, a volume and
    first page or article number): one with a link as well ("Neuron [Internet]. 2018;97:1023-31.e7.
    Available from: http://...", as reference managers write it) is still an article."""
    journal = (citation.journal or "").strip()
    located = citation.volume and (citation.first_page or citation.article_number)
    return bool(journal and not _MONTH.match(journal) and located)
