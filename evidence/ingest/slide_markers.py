"""A slide's markers: in brackets ("[1]", "[2, 3]"), superscript, or glued to a word by PDF
extraction ("RANKL1", "IL-63"), each naming the references the slide (or its deck) lists."""

from __future__ import annotations

import re

from evidence.ingest.markers import (
    BRACKETS,
    LEADING_SUPERSCRIPT,
    FoundMarker,
    expand_labels,
    find_glued_markers,
)


def slide_markers(
    text: str, labels: frozenset[str], own: frozenset[str], vocabulary: frozenset[str]
) -> list[FoundMarker]:
    """Find a text's markers: in brackets (naming `labels`), superscript, or glued to a word by
    PDF extraction (as the slide's `own` list allows)."""
    bracketed = bracketed_markers(text, labels)
    glued = find_glued_markers(text, vocabulary=vocabulary, page_labels=own)
    outside = [m for m in glued if not any(b.start <= m.start < b.end for b in bracketed)]
    return sorted(bracketed + outside, key=lambda m: m.start)


def affiliation(text: str) -> bool:
    """Tell a title page's numbered affiliation ("¹Memory Clinic, …") by its leading number."""
    return LEADING_SUPERSCRIPT.match(text) is not None


def bracketed_markers(text: str, labels: frozenset[str]) -> list[FoundMarker]:
    """Find the markers written in brackets: "[1]", "[2, 3]", "[4-6]"; "[2019]" is a year
    unless the references list a 2019th."""
    found = []
    for match in BRACKETS.finditer(text):
        first = match.group("first")
        labels_written = expand_labels(
            f"{first}-{match.group('last')}" if first else match.group("labels")
        )
        if labels_written and all(len(n) < 4 or n in labels for n in labels_written):
            ranged = bool(first) or bool(re.search(r"\d\s*[-–—]\s*\d", match.group()))
            if ranged and not labels.issuperset(labels_written):
                continue  # "65 [58-72] years": a range the list does not number is a statistic
            found.append(FoundMarker(match.start(), match.end(), labels_written))
    return found
