"""Notes a reference carries beside its source, for `evidence.ingest.citation` to leave out
before it reads the source: an erratum's or a correction's source, an online-first date's words,
and reference managers' forms of Science's name. Pure."""

from __future__ import annotations

import re

from evidence.ingest.citation_patterns import MONTH, YEAR

__all__ = ["without_notes"]

# Notes a reference carries beside its source, each with a source of its own that is not the
# paper's: PubMed's "Erratum in: Science 2002;297:2209." after it, a "[published correction
# appears in JAMA. 2011;305(11):1096]" inside it.
_TRAILING_NOTE = re.compile(
    r"\s*(?:Erratum|Retraction|Comment|Update|Expression of concern)s? in:.*$", re.IGNORECASE
)
_BRACKETED_NOTE = re.compile(
    r"\s*\[(?:published (?:correction|erratum)|erratum|correction|retracted|retraction)[^\]]*\]",
    re.IGNORECASE,
)
# "Science (80-. )" and "Science (1979)": reference managers' forms of Science (from its
# CrossRef title, "Science (New York, N.Y.)" since 1979), not a source of their own.
_SCIENCE_80 = re.compile(r"\bScience\s*\(80-\s*\.?\s*\)\.?")
_SCIENCE_1979 = re.compile(r"\bScience\s*\(1979\)\.?")


# An online-first date's words before its date: "Epub 2018 Nov 12", "Published online April 6,
# 2020", "[published online ahead of print May 9, 2016]" (not a title's "Published online first").
_ONLINE_FIRST = re.compile(
    rf"\b(?:Epub(?: ahead of print)?|[Pp]ublished online(?: ahead of print)?"
    rf"|advance online publication)\b[,:]?(?=\s*(?:\d|{MONTH}|$|[.;\])]))"
)
# The source's own year before an online-first date's words: right before them ("2016 Epub",
# "2010 in press. Published online"), or followed by its volume or pages ("2020);267(11):3161").
_SOURCE_YEAR_BEFORE = re.compile(
    r"(?:1[5-9]|20)\d{2}[a-z]?(?:[\s.,;:(\[]*(?:in press[\s.,;:]*)?$|\)?\s*[;:]\s*\d)",
    re.IGNORECASE,
)


_STOP = re.compile(r"\.(?:\s|$)")


def _without_online_first(text: str) -> str:
    """Drop the words of an online-first date. Alone, the date they give is the source's ("JAMA
    Neurol. Published online April 6, 2020."). Right after the source's own year, the date goes
    too, to the next stop ("Ann Neurol. 2016 Epub July 11, 2016."). In brackets, the brackets go,
    and the date with them when a year follows them."""
    found = _ONLINE_FIRST.search(text)
    if found is None:
        return text
    before = text[: found.start()]
    if opened := re.search(r"[(\[]\s*$", before):
        close = text.find(")" if opened.group().startswith("(") else "]", found.end())
        if close >= 0:
            inside, after = text[found.end() : close], text[close + 1 :]
            dated = YEAR.search(after) or _SOURCE_YEAR_BEFORE.search(before[: opened.start()])
            kept = "" if dated else f". {inside.strip()}."
            return before[: opened.start()] + kept + after
    if _SOURCE_YEAR_BEFORE.search(before) is None:
        return before + text[found.end() :]
    stop = _STOP.search(text, found.end())
    return before + (text[stop.start() :] if stop else "")


def without_notes(text: str) -> str:
    """Drop the notes of errata and corrections, an online-first date's words (and the date,
    where the source gives its own), and a reference manager's "Science (80-. )" or "Science
    (1979)"."""
    text = _BRACKETED_NOTE.sub(".", _TRAILING_NOTE.sub("", text))  # it stood where a stop does
    text = _without_online_first(text)
    text = re.sub(r"\.(?:\s*\.)+", ".", text)
    text = _SCIENCE_80.sub("Science.", text)
    if (science := _SCIENCE_1979.search(text)) and YEAR.search(_SCIENCE_1979.sub(" ", text)):
        text = text[: science.start()] + "Science." + text[science.end() :]  # another year's
    return text
