"""The loopback E-utilities' search: the NLM catalog's journal table it serves, and a useful
subset of PubMed's query language (fielded terms, quoted phrases, AND/OR/NOT, parentheses),
evaluated over the records it holds. Used by tests/eutils_server.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence.pubmed.records import PubMedRecord

RECORDED = Path(__file__).parent / "data" / "pubmed" / "recorded"


def load_journals(path: Path = RECORDED / "nlmcatalog_journals.biopython.xml") -> list[Journal]:
    """Read NLM catalog records (SerialsSet XML, as EFetch db=nlmcatalog gave them)."""
    journals = []
    for serial in ET.parse(path).getroot().iter("Serial"):
        journals.append(
            Journal(
                nlm_unique_id=serial.findtext("NlmUniqueID", "").strip(),
                title=serial.findtext("Title", "").strip(),
                medline_ta=serial.findtext("MedlineTA"),
                iso_abbrev=serial.findtext("ISOAbbreviation"),
                issns=tuple(
                    (i.text.strip(), i.get("IssnType", "")) for i in serial.iter("ISSN") if i.text
                ),
            )
        )
    return journals


@dataclass(frozen=True)
class Journal:
    """One NLM catalog entry of the server's journal table."""

    nlm_unique_id: str
    title: str  # as the catalog writes it, e.g. "Nature reviews. Drug discovery"
    medline_ta: str | None = None
    iso_abbrev: str | None = None
    issns: tuple[tuple[str, str], ...] = ()  # (ISSN, "Print" | "Electronic")

    def summary(self) -> dict[str, Any]:
        """Return the entry as ESummary's JSON for db=nlmcatalog writes it."""
        title = self.title if self.title.endswith(".") else self.title + "."
        return {
            "uid": self.nlm_unique_id,
            "nlmuniqueid": self.nlm_unique_id,
            "titlemainsort": fold(self.title),
            "titlemainlist": [{"title": title, "sorttitle": fold(self.title)}],
            "medlineta": self.medline_ta or "",
            "isoabbreviation": self.iso_abbrev or "",
            "issnlist": [{"issn": i, "issntype": t, "validyn": "Y"} for i, t in self.issns],
        }


# ---- the query language: a useful subset of PubMed's ------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<paren>[()])|"(?P<phrase>[^"]*)"\s*(?:\[(?P<ptag>[^\]]*)\])?'
    r"|\[(?P<tag>[^\]]*)\]|(?P<word>[^\s()\"\[]+)(?:\[(?P<wtag>[^\]]*)\])?)"
)
_TAGS = {  # PubMed's tags and the long names its query translation uses
    "1au": "1au", "author - first": "1au", "au": "au", "auth": "au", "author": "au",
    "ta": "ta", "journal": "ta", "jour": "ta", "dp": "dp", "pdat": "dp",
    "publication date": "dp", "vi": "vi", "volume": "vi", "ip": "ip", "issue": "ip",
    "pg": "pg", "pagination": "pg", "doi": "doi", "aid": "doi", "lid": "doi",
    "pmid": "pmid", "uid": "pmid", "ti": "ti", "title": "ti", "tiab": "tiab",
    "title/abstract": "tiab", "all fields": "tiab", "all": "tiab",
    "issn": "issn", "nlmid": "nlmid", "nlm unique id": "nlmid", "filter": "filter",
    "sb": "filter", "subset": "filter",
}  # fmt: skip


@dataclass(frozen=True)
class Term:
    """One search term: its text, its field tag (None: all fields) and whether it was quoted."""

    text: str
    tag: str | None = None
    quoted: bool = False


Node = Term | tuple[str, "Node", "Node"]


def fold(text: str | None) -> str:
    """Fold text for comparison: lower case, punctuation as spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def parse_query(term: str) -> Node | None:
    """Parse Entrez query syntax; operators bind left to right, as PubMed's do."""
    items: list[Term | str] = []
    pending: list[str] = []  # untagged words: a following tag applies to all ("smith j[au]")

    def flush() -> None:
        items.extend(Term(w) for w in pending)
        pending.clear()

    for match in _TOKEN.finditer(term):
        if match["paren"]:
            flush()
            items.append(match["paren"])
        elif match["phrase"] is not None:
            flush()
            items.append(Term(match["phrase"], match["ptag"], quoted=True))
        elif match["tag"] is not None:
            if pending:
                items.append(Term(" ".join(pending), match["tag"]))
                pending.clear()
        elif match["word"] in ("AND", "OR", "NOT"):
            flush()
            items.append(match["word"])
        elif match["wtag"] is not None:
            items.append(Term(" ".join([*pending, match["word"]]), match["wtag"]))
            pending.clear()
        else:
            pending.append(match["word"])
    flush()
    node, _ = _parse_items(items, 0)
    return node


def _parse_items(items: list[Term | str], pos: int) -> tuple[Node | None, int]:
    node: Node | None = None
    op = "AND"
    while pos < len(items):
        item = items[pos]
        pos += 1
        if item == ")":
            break
        if item in ("AND", "OR", "NOT"):
            op = str(item)
            continue
        operand: Node | None = item if isinstance(item, Term) else None
        if item == "(":
            operand, pos = _parse_items(items, pos)
        if operand is not None:
            node = operand if node is None else (op, node, operand)
        op = "AND"
    return node, pos


def evaluate(node: Node | None, match: Callable[[Term], set[str]]) -> set[str]:
    """Return the ids a parsed query selects; `match` answers single terms."""
    if node is None:
        return set()
    if isinstance(node, Term):
        return match(node)
    op, left, right = node
    a, b = evaluate(left, match), evaluate(right, match)
    return a & b if op == "AND" else a | b if op == "OR" else a - b


def _words_in(text: str | None, term: Term) -> bool:
    have, want = f" {fold(text)} ", fold(term.text)
    if term.quoted or " " in want:
        return f" {want} " in have
    if want.endswith("*") or term.text.endswith("*"):  # PubMed's truncation
        return f" {want.rstrip('*')}" in have
    return f" {want} " in have


def _year_in(year: int | None, text: str) -> bool:
    bounds = [int(b[:4]) for b in re.findall(r"\d{4}", text)]
    if year is None or not bounds:
        return False
    return bounds[0] <= year <= bounds[-1]


def _record_matches(record: PubMedRecord, field_: str | None, term: Term) -> bool:
    want = fold(term.text)
    if field_ in (None, "ti"):
        return _words_in(record.title, term)
    if field_ == "tiab":
        return _words_in(record.title, term) or _words_in(record.abstract, term)
    if field_ == "1au":
        return bool(record.authors) and author_matches(record.authors[0], term.text)
    if field_ == "au":
        return any(author_matches(a, term.text) for a in record.authors)
    if field_ == "ta":
        return want in {fold(record.medline_ta), fold(record.iso_abbrev), fold(record.journal)}
    if field_ == "dp":
        return _year_in(record.year, term.text)
    exact = {
        "vi": record.volume,
        "ip": record.issue,
        "doi": record.doi,
        "pmid": record.pmid,
        "pg": record.first_page,
    }
    return field_ in exact and fold(exact[field_]) == want != ""


def search_pubmed(term: str, records: list[PubMedRecord]) -> tuple[list[str], list[str]]:
    """Return (PMIDs newest first, unknown field tags) for a PubMed query over the records."""
    everything = {r.pmid for r in records}
    unknown: list[str] = []

    def match(t: Term) -> set[str]:
        field_ = _TAGS.get(t.tag.strip().lower()) if t.tag is not None else None
        if t.tag is not None and field_ is None:
            unknown.append(f"[{t.tag}]")  # NCBI ignores the term and says so in its errorlist
            return set(everything)
        return {r.pmid for r in records if _record_matches(r, field_, t)}

    found = evaluate(parse_query(term), match)
    return sorted(found, key=int, reverse=True), unknown


def search_journals(term: str, journals: list[Journal]) -> tuple[list[str], list[str]]:
    """Return (NLM ids, unknown field tags) for an NLM catalog query over the journal table."""
    everything = {j.nlm_unique_id for j in journals}
    unknown: list[str] = []

    def match(t: Term) -> set[str]:
        field_ = _TAGS.get(t.tag.strip().lower()) if t.tag is not None else "ti"
        if field_ == "filter":  # every journal of the table is one of ncbijournals
            return set(everything) if fold(t.text) == "ncbijournals" else set()
        if field_ not in ("ti", "ta", "issn", "nlmid"):
            unknown.append(f"[{t.tag}]")
            return set(everything)
        hits = set()
        for j in journals:
            if field_ == "ti":
                ok = _words_in(j.title, t) or _words_in(j.medline_ta, t)
            elif field_ == "ta":
                ok = fold(t.text) in {fold(j.medline_ta), fold(j.iso_abbrev)}
            elif field_ == "issn":
                ok = any(fold(i) == fold(t.text) for i, _ in j.issns)
            else:
                ok = j.nlm_unique_id == t.text.strip()
            if ok:
                hits.add(j.nlm_unique_id)
        return hits

    found = evaluate(parse_query(term), match)
    return [j.nlm_unique_id for j in journals if j.nlm_unique_id in found], unknown


def author_matches(author: str, query: str) -> bool:
    """Tell whether "Garbers C" answers a query "garbers", "garbers c" or "garbers ch"."""
    have, want = fold(author).split(), fold(query).split()
    if not want or len(want) > len(have):
        return False
    if have[: len(want)] == want:
        return True
    return len(want) == len(have) and have[:-1] == want[:-1] and have[-1].startswith(want[-1])
