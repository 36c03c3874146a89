"""Find citation markers in a claim's text: `[1]`, `[2, 3]`, `[1]-[9]`, `¹²`, and the superscript
numbers that PDF extraction glues to the end of a word (`RANKL1`, `疼痛5`, `IL-63` = IL-6 + 3).

A glued number is a marker only where it could not be part of a name. The document's own
vocabulary decides: `IL-63` splits into `IL-6` + 3 because `IL-6` stands on its own elsewhere in
the document and `IL-63` never does; `IL-6` itself never loses its 6.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from evidence.ingest.language import is_cjk

# A term: letters first, then letters, digits and inner hyphens ("IL-6", "sIL-6R", "gp130").
TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# What may follow a marker: the end, a space, closing or sentence punctuation.
_AFTER_MARKER = r"(?=$|\s|[，。；;,.:：)）\]】•●*])"
# A number a decimal point or a per cent follows is a quantity ("发生率为12.6%"), not a marker.
GLUED = re.compile(
    r"(?<![\d.])(?P<labels>\d{1,2}(?:[,，\-–]\d{1,2})*)(?![.,]\d|\d|%)" + _AFTER_MARKER
)
# Up to four digits: a review's list may pass 999 ("[1000]"); a year in brackets ("[2019]") is
# told from a reference number by the list (evidence.ingest.manuscript).
BRACKETS = re.compile(
    r"\[(?P<first>\d{1,4})\]\s*[-–—]\s*\[(?P<last>\d{1,4})\]"
    r"|\[(?P<labels>\d{1,4}(?:\s*[-–—,，]\s*\d{1,4})*)\]"
)
SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*")
# Superscript numbers that are not citations: the affiliations of a title page's author list
# ("John Smith¹, Mary Jones²") and the numbered affiliations themselves ("¹Department of ...").
LEADING_SUPERSCRIPT = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]")
# A name that a superscript numbers ("Smith¹", "Jones*¹,²", "张三¹"): a capitalised word, or two
# or three Chinese characters standing alone, where a claim's citation follows a lower-case
# word or a longer phrase ("hepcidin¹", "铁调素升高¹").
_NAMED = re.compile(
    r"(?:[A-Z][a-z][\w'’\-]*|(?:^|(?<=[\s,，、;；]))[\u4e00-\u9fff]{2,3})[*†‡§]*[⁰¹²³⁴⁵⁶⁷⁸⁹]"
)


def numbers_names(text: str) -> bool:
    """Tell an author line from a claim citing: every superscript in it numbers a name."""
    numbered = len(SUPERSCRIPT.findall(text))
    return bool(numbered) and len(_NAMED.findall(text)) >= numbered


_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰⁻", "1234567890-")
_CLOSING = "，。；;,.:：)）]】!?！？"  # what a marker's space before is taken out ahead of
MAX_RANGE = 200  # "[1-999]" is a typo, not 999 citations


@dataclass(frozen=True)
class FoundMarker:
    """A citation marker: `text[start:end]` is the marker, `labels` the references it names."""

    start: int
    end: int
    labels: tuple[str, ...]


def expand_labels(spec: str) -> tuple[str, ...]:
    """Expand "2, 3", "25–33" or "1-3" into each label, in order, without repeats."""
    labels: list[str] = []
    for part in re.split(r"\s*[,，]\s*", spec.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            first, last = int(bounds[0]), int(bounds[1])
            if first < last <= first + MAX_RANGE:
                labels.extend(str(n) for n in range(first, last + 1))
                continue
        labels.extend(b for b in bounds if b.isdigit())
    return tuple(dict.fromkeys(str(int(label)) for label in labels))


def document_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Collect the terms that stand where no marker could be glued to them.

    A term followed by more text ("IL-6可由", "RANKL产生") is a name in its own right; a term
    seen only at the end of a line or before punctuation ("IL-63") may carry a marker.
    """
    known: set[str] = set()
    for text in texts:
        for match in TERM.finditer(text):
            following = text[match.end() : match.end() + 1]
            if following and not re.match(r"[\s，。；;,.:：)）\]】•●*]", following):
                known.add(match.group())
            elif not match.group()[-1].isdigit():
                known.add(match.group())  # nothing glued to it: a name whatever follows
    return frozenset(known)


def find_bracket_markers(text: str) -> list[FoundMarker]:
    """Find manuscript markers: `[1]`, `[2, 3]`, `[25–33]`, `[1]-[9]` and superscripts."""
    found: list[FoundMarker] = []
    for match in BRACKETS.finditer(text):
        if match.group("first"):
            spec = f"{match.group('first')}-{match.group('last')}"
        else:
            spec = match.group("labels")
        labels = expand_labels(spec)
        if labels:
            found.append(FoundMarker(match.start(), match.end(), labels))
    found.extend(_superscripts(text))
    return sorted(found, key=lambda m: m.start)


def _superscripts(text: str) -> list[FoundMarker]:
    found = []
    for match in SUPERSCRIPT.finditer(text):
        labels = expand_labels(match.group().translate(_SUPERSCRIPT_DIGITS).replace("-", "–"))
        if labels:
            found.append(FoundMarker(match.start(), match.end(), labels))
    return found


def find_glued_markers(
    text: str, *, vocabulary: frozenset[str], page_labels: frozenset[str]
) -> list[FoundMarker]:
    """Find the superscript numbers that PDF extraction glued to words of a slide's text.

    `page_labels` are the labels of the page's reference list; when it is empty, markers are
    still found (and later reported as dangling), but only where no name could be meant.
    """
    found = _superscripts(text)
    for match in GLUED.finditer(text):
        marker = _glued_marker(text, match, vocabulary=vocabulary, page_labels=page_labels)
        if marker is not None:
            found.append(marker)
    return sorted(found, key=lambda m: m.start)


def _glued_marker(
    text: str, match: re.Match[str], *, vocabulary: frozenset[str], page_labels: frozenset[str]
) -> FoundMarker | None:
    start, end = match.start(), match.end()
    labels = expand_labels(match.group("labels"))
    if not labels or "0" in labels or start == 0:
        return None
    if not _followed_well(text, end):
        return None  # "注射1 μg", "在6 min": a quantity and its unit
    before = text[start - 1]
    if is_cjk(before):
        return FoundMarker(start, end, labels)
    if before.isspace():
        # "介导 1": a marker set off by a space after Chinese text.
        preceding = text[:start].rstrip()
        if preceding and is_cjk(preceding[-1]) and len(labels) == 1:
            return FoundMarker(start, end, labels)
        return None
    if before in ")）" and set(labels) <= page_labels:
        return FoundMarker(start, end, labels)
    term_match = _term_ending_at(text, end)
    if term_match is None:
        return None
    term = term_match.group()
    if before == "-":
        return _split_hyphen_term(term, end, vocabulary=vocabulary, page_labels=page_labels)
    if before.isalpha() and term not in vocabulary:
        stem = term[: len(term) - (end - start)]
        if (page_labels and set(labels) <= page_labels) or (not page_labels and stem in vocabulary):
            return FoundMarker(start, end, labels)
    return None


# A Latin term whose last digits run straight into Chinese text: "PBMC2源性" (PBMC + 2), but
# also "CD4细胞" and "STAT3通路", names; only the page's references can tell them apart.
GLUED_BEFORE_CJK = re.compile(
    r"(?<![A-Za-z0-9-])(?P<stem>[A-Za-z][A-Za-z0-9-]*?[A-Za-z])(?P<label>[1-9]\d?)(?=[\u3400-\u9fff])"
)


def find_markers_before_cjk(text: str, *, uncited_labels: frozenset[str]) -> list[FoundMarker]:
    """Find numbers glued between a Latin term and Chinese text that name one of the page's
    references no other marker cites ("PBMC2源性" on a page whose reference 2 is cited nowhere
    else); a number that could be part of a name ("CD4细胞") is left alone otherwise."""
    found: list[FoundMarker] = []
    wanted = set(uncited_labels)
    for match in GLUED_BEFORE_CJK.finditer(text):
        label = match.group("label")
        if label in wanted:
            wanted.discard(label)  # one reference, one marker
            found.append(FoundMarker(match.start("label"), match.end("label"), (label,)))
    return found


def _followed_well(text: str, end: int) -> bool:
    """Tell whether what follows a marker is Chinese text, punctuation or the end."""
    rest = text[end:].lstrip()
    return not rest or is_cjk(rest[0]) or not rest[0].isalnum()


def _term_ending_at(text: str, end: int) -> re.Match[str] | None:
    for match in TERM.finditer(text):
        if match.end() == end:
            return match
        if match.start() >= end:
            break
    return None


def _split_hyphen_term(
    term: str, end: int, *, vocabulary: frozenset[str], page_labels: frozenset[str]
) -> FoundMarker | None:
    """Split "IL-63" into the known term "IL-6" and the marker 3; never split "IL-6" or "IL-17"."""
    if term in vocabulary:
        return None
    head, _, digits = term.rpartition("-")
    for cut in range(1, len(digits)):
        stem, label = f"{head}-{digits[:cut]}", digits[cut:]
        if stem in vocabulary and label != "0" and not label.startswith("0"):
            if page_labels and label not in page_labels:
                continue
            return FoundMarker(end - len(label), end, (str(int(label)),))
    return None


def remove_markers(text: str, markers: Iterable[FoundMarker]) -> str:
    """Return the text with its markers taken out, and the space each leaves before
    punctuation or another space taken out with it ("hepcidin [2]." is "hepcidin."), runs of
    spaces made one; a space before punctuation stays as written ("P = .04")."""
    kept = ""
    cursor = 0
    for marker in sorted(markers, key=lambda m: m.start):
        kept += text[cursor : marker.start]
        cursor = marker.end
        following = text[cursor : cursor + 1]
        if not following or following.isspace() or following in _CLOSING:
            kept = kept.rstrip()
    kept += text[cursor:]
    return re.sub(r"\s{2,}", " ", kept).strip()
