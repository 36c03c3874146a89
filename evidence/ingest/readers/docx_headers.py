"""Word's page headers and footers. Medical and regulatory documents cite in the footer
("Source: Smith J et al. N Engl J Med 2019;380:123-130", or a numbered list that the body's `[1]`
refers to); the header holds a running title. What reads as a reference joins the document's
numbered reference list at its end, so the manuscript extractor resolves markers to it like to
any other reference. The rest (running titles, notices, page numbers) repeats on every page and
states nothing, so it is left out rather than made into claims.

Each header and footer that Word shows is read once: one linked to the previous section's is
that one, and a reference repeated in several sections is one reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docx.document import Document as WordDocument

from evidence.ingest.reference_lines import NUMBERED, looks_like_reference, numbered_label

# A section always shows its default pair; the first-page pair only with "different first page"
# (w:titlePg), the even-page pair only with "different odd and even pages" (w:evenAndOddHeaders).
_DEFAULT = ("header", "footer")
_FIRST_PAGE = ("first_page_header", "first_page_footer")
_EVEN_PAGE = ("even_page_header", "even_page_footer")
# "3", "- 3 -", "Page 3 of 10", "p. 3/10", "第 3 页 共 10 页": a page number field and its words.
PAGE_NUMBER = re.compile(
    r"[\W_]*(?:(?:page|pg|p|seite|página)\.?\s*)?\d*(?:\s*(?:of|/|von|de)\s*\d*)?[\W_]*"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?",
    re.IGNORECASE,
)
# Where the next of several numbered references run together in one line begins: "…987-997.
# 2. Nishimoto …" (after a sentence's end, a number and its dot or bracket, then a space).
_NEXT_NUMBERED = re.compile(r"(?<=[.;])\s+(?=(?:\[\d{1,3}\]|\d{1,3}[.)])\s)")
_PAGE_OF = re.compile(r"\bpage\s+\d+\s+of\s+\d+\b", re.IGNORECASE)  # beside a citation
# What introduces a citation in a footer; the citation follows it.
_SOURCE_LEAD = re.compile(
    r"(?:(?:sources?|references?|refs?|quelle|fuente|来源|资料来源|出处|参考文献)\s*[:：]"
    r"|(?:adapted|reproduced|modified|data)\s+from\b:?)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RunningReference:
    """A reference read from a header or footer: its written number (None if unnumbered)."""

    label: str | None
    text: str


def header_footer_roots(document: WordDocument) -> list[Any]:
    """Return the root element (w:hdr, w:ftr) of each header and footer shown, once each."""
    sections = list(document.sections)
    kinds = [*_DEFAULT, *(_EVEN_PAGE if document.settings.odd_and_even_pages_header_footer else ())]
    roots: dict[str, Any] = {}
    for index, section in enumerate(sections):
        first = _FIRST_PAGE if section.different_first_page_header_footer else ()
        for kind in [*first, *kinds]:  # in the order of the pages they are on
            # A linked header is the previous section's; python-docx would add an empty one
            # to the first section on access, so walk back without touching an undefined one.
            owner = index
            while owner > 0 and getattr(sections[owner], kind).is_linked_to_previous:
                owner -= 1
            header_footer = getattr(sections[owner], kind)
            if not header_footer.is_linked_to_previous:
                part = header_footer.part
                roots.setdefault(str(part.partname), part.element)
    return list(roots.values())


def find_running_references(
    header_lines: Iterable[str], footer_lines: Iterable[str]
) -> list[RunningReference]:
    """Return the header and footer lines that are references, each text once, in order. A
    header's must be numbered or follow a "Source:" lead: a citation on its own there is the
    running head of the article itself ("Ann Rheum Dis 2019;78:123-130"), not what it cites."""
    found: dict[str, RunningReference] = {}
    for lines, standalone in ((header_lines, False), (footer_lines, True)):
        for line in lines:
            text = " ".join(_PAGE_OF.sub(" ", line).split())
            if PAGE_NUMBER.fullmatch(text):
                continue
            for reference in _as_references(text, standalone=standalone):
                found.setdefault(reference.text, reference)
    return list(found.values())


def _as_references(text: str, *, standalone: bool) -> list[RunningReference]:
    """Read a line as references: numbered ones (several may run together), one after a
    "Source:" lead (at the start, or after a notice: "Confidential | Source: …"), or, when
    `standalone`, a citation on its own."""
    lead = _SOURCE_LEAD.search(text)
    body = text[lead.end() :] if lead else text
    leading = lead is not None and lead.start() == 0
    numbered = [NUMBERED.match(piece) for piece in _NEXT_NUMBERED.split(body)]
    if all(numbered) and all(
        looks_like_reference(m.group("body").strip(), numbered=True) for m in numbered if m
    ):
        return [RunningReference(numbered_label(m), m.group("body").strip()) for m in numbered if m]
    # A "Source:" that opens the line says a citation follows, as a number would.
    if (lead or standalone) and looks_like_reference(body, numbered=leading):
        return [RunningReference(None, body)]
    return []


def number_references(
    references: Iterable[RunningReference], *, taken: set[int]
) -> list[tuple[int, str]]:
    """Number references as written; one unnumbered, or whose number is taken, gets the next
    number after all others (its marker in the body, if any, cannot be told apart).

    A number two footers give to different references (lists that start again in each
    section) is given to neither: the body's markers of that number are left unresolved, which
    verification reports, rather than all linked to the first section's reference."""
    references = list(references)
    texts_of: dict[int, set[str]] = {}
    for reference in references:
        if reference.label:
            texts_of.setdefault(int(reference.label), set()).add(reference.text)
    used = set(taken) | {number for number, texts in texts_of.items() if len(texts) > 1}
    numbered: list[tuple[int, str]] = []
    pending: list[str] = []
    for reference in references:
        number = int(reference.label) if reference.label else None
        if number is not None and number not in used:
            used.add(number)
            numbered.append((number, reference.text))
        else:
            pending.append(reference.text)
    last = max(used, default=0)
    numbered += [(last + offset, text) for offset, text in enumerate(pending, start=1)]
    return sorted(numbered)
