"""Tell reference lines ("1. Garbers C, et al. Nat Rev Drug Discov, 2018.") from other text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.ingest.language import count_cjk

# "1. Smith J", "[1] Smith J", "1、…", and a number set superscript ("¹Smith J", as
# evidence.ingest.readers.superscripts writes it): the reference list of a deck's footer.
NUMBERED = re.compile(
    r"^\s*(?:\[(?P<bracket>\d{1,3})\]|(?P<plain>\d{1,3})\s*[.、)）]"
    r"|(?P<raised>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*[.、)）]?)\s*(?P<body>.+)$"
)
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
ET_AL = re.compile(r"\bet\s*al\b|等\s*[.,]", re.IGNORECASE)
VOLUME_PAGES = re.compile(r"\d+\s*(?:\([^)]{0,20}\))?\s*[:;：_]\s*[eES]?\d+")
# "Tamura T, ...", "Sukoff Rizzo SJ, ...", "T. Robak ...", "Jean-Michel Dayer ...", and APA's
# "Smolen, J. S., ...".
NAME_START = re.compile(
    r"^(?:[A-Z][A-Za-z'’\-]+(?:\s(?:van|von|der|den|de|del|da|di|du|la|le|ter|ten)\b)*"
    r"(?:\s[A-Z][a-z'’\-]+)?\s+[A-Z]{1,3}\b"
    r"|[A-Z][A-Za-z'’\-]+,\s(?:[A-Z]\.\s?-?){1,3}(?=[,&(\s]|$)"
    r"|[A-Z]\.\s?(?:[A-Z]\.\s?)*[A-Z][a-z]"
    r"|[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+(?:[A-Z]\.\s*)*[A-Z][a-z]+)"
)
APA_YEAR = re.compile(r"\(\s*(?:1[89]|20)\d{2}[a-z]?\s*\)\.")  # "Smolen, J. S. (2019). Title."
GB_T_7714 = re.compile(r"\[[JMCD]\]")  # Chinese references mark the kind: [J] journal, [M] book


# What announces a slide's sources: "Source:", "References:", "Adapted from", "来源：" (a colon
# but after "Adapted from": "Data from Smolen et al. 2008 show …" is a claim).
SOURCES = re.compile(
    r"^\s*(?:(?:(?:data\s+)?sources?|references?|refs?\.?|citations?|data\s+from"
    r"|资料来源|来源|参考文献|出处)\s*[:：]|adapted\s+from\b:?|引自[:：]?)\s*(?=\S)",
    re.IGNORECASE,
)
# Where one reference of a sources line ends and the next starts: a semicolon before a number
# or a name ("…2014;311:682-91; Banerjee S, et al. …"), not "2014;311".
_NEXT_SOURCE = re.compile(
    r";\s+(?=\[\d{1,3}\]|\d{1,3}\.\s|[A-Z][A-Za-z'’\-]+(?:\s[a-z]+)*\s+[A-Z]{1,3}\b)"
)


def split_sources(line: str) -> list[str] | None:
    """Return the references of a line that announces its sources ("Source: Smith J, et al. …;
    Lee K, et al. …"), each as a line of its own; None for any other line."""
    announced = SOURCES.match(line)
    if announced is None or not YEAR.search(line):
        return None
    parts = [part.strip() for part in _NEXT_SOURCE.split(line[announced.end() :])]
    return [part for part in parts if part]


@dataclass(frozen=True)
class ReferenceLine:
    """A line that is a reference: its label (None when unnumbered) and its text."""

    label: str | None
    body: str


def numbered_label(numbered: re.Match[str]) -> str:
    """Return the number of a NUMBERED match, in ASCII digits."""
    groups = numbered.groupdict()
    label = groups["bracket"] or groups["plain"] or groups.get("raised")
    return str(label).translate(_FROM_SUPERSCRIPT)


def match_reference_line(line: str, *, announced: bool = False) -> ReferenceLine | None:
    """Return the reference on this line, or None when it is not a reference; `announced`: a
    sources line said it is one, so it needs the signals of a numbered one only."""
    stripped = line.strip()
    numbered = NUMBERED.match(stripped)
    if numbered:
        body = numbered.group("body").strip()
        # A superscript number also starts a claim that cites ("¹IL-6 is raised in RA, Smith et
        # al. 2019"): the reference it numbers must read as one with no number at all.
        if looks_like_reference(body, numbered=numbered.group("raised") is None):
            return ReferenceLine(numbered_label(numbered), body)
        return None
    if looks_like_reference(stripped, numbered=announced):
        return ReferenceLine(None, stripped)
    return None


def reads_as_listed_reference(text: str) -> bool:
    """Tell whether an item of an automatically numbered list is a reference, so that its
    number is worth showing: it reads as a reference with no number (names first), or it is a
    Chinese reference (GB/T 7714's [J]). A numbered claim that cites by author and year
    ("Tocilizumab improved ACR20 (Smolen et al., 2008)") is not."""
    return looks_like_reference(text, numbered=False) or bool(
        GB_T_7714.search(text) and YEAR.search(text)
    )


def looks_like_reference(text: str, *, numbered: bool) -> bool:
    """Tell whether a text reads as a bibliographic reference.

    A numbered line needs a year and either "et al." or a volume:page group or a name first;
    an unnumbered one needs a name first, a year and one of the others.
    """
    if not YEAR.search(text) or len(text) < 15:
        return False
    if count_cjk(text) and not (GB_T_7714.search(text) or ET_AL.search(text)):
        return False
    signals = [bool(ET_AL.search(text)), bool(VOLUME_PAGES.search(text))]
    signals.append(bool(APA_YEAR.search(text)))
    name_first = bool(NAME_START.match(text))
    if numbered:
        return any(signals) or name_first
    return name_first and any(signals)
