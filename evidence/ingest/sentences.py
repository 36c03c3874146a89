"""Sentences of a paragraph: where a full stop ends one, keeping "et al.", "Fig. 2" and
"M. tuberculosis" whole, and the citation numbers set after a full stop with its sentence."""

from __future__ import annotations

import re

# Periods that do not end a sentence: "et al.", "Fig.", "e.g.", "M. tuberculosis".
ABBREVIATION = re.compile(
    r"(?:\b(?:al|fig|figs|e\.g|i\.e|vs|ca|approx|no|nos|ref|refs|dr|mr|mrs|st|eq|eqs|cf|resp|pp|suppl|vol|sect|ch)"
    r"|\b[A-Z])\.$",
    re.IGNORECASE,
)
# A number that a list written inline counts ("as follows: 1. Age over 65; 2. Anaemia"), or one
# standing alone, is no sentence; a number ending a sentence ends it ("published in 2019.",
# "P < 0.001.", "was 55."), unless the next or the one before it counts on in the paragraph
# ("criteria were 1. Age over 65 years 2. Anaemia 3. Renal failure").
_INLINE_ITEM = re.compile(r"(?:^\d+|[:;,：；，]\s*\d{1,2})\.$")
_LAST_NUMBER = re.compile(r"(?<![\d.,])(\d{1,2})\.$")
# A sentence's end, after the superscript citation numbers that may follow its full stop
# ("in RA.¹² The"): they are the sentence's.
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻,–"
_MARKERS = rf"(?:[⁰¹²³⁴⁵⁶⁷⁸⁹][{_SUPERSCRIPTS}]*)?"  # "¹²", "¹,²", "¹⁻³", or none
# What a sentence starts with: a capital, a bracket or quote, a number ("66 patients"), or a
# word whose capitals follow a lower-case start ("mRNA", "siRNA", "p53", "eGFR").
# Citation numbers set after the full stop, in brackets ("in RA.[12] The", AMA's and
# Vancouver's order) or flattened from superscripts by PDF extraction ("in RA.12 The": after a
# word, before a capital), are the sentence's too.
_BRACKETED = r"\[\d{1,4}(?:\s*[-–—,，]\s*\d{1,4})*\](?:\s*[-–—]\s*\[\d{1,4}\])?"
GLUED_AFTER_STOP = re.compile(r"(?<=[A-Za-z)][.!?])(?P<labels>\d{1,3}(?:[,–-]\d{1,3})*)$")
SENTENCE_END = re.compile(
    rf"(?<=[.!?])(?P<latin>{_MARKERS}|{_BRACKETED})\s+(?=[A-Z\[(\"“‘]|\d|[a-z]{{1,3}}[A-Z0-9])"
    rf"|(?<=[A-Za-z)][.!?])(?P<glued>\d{{1,3}}(?:[,–-]\d{{1,3}})*)\s+(?=[A-Z])"
    rf"|(?<=[。！？])(?P<cjk>{_MARKERS})"
)
SENTENCE_CLOSE = re.compile(rf"[.!?。！？]{_MARKERS}$")  # a line ending a sentence
_LONE_PARENTHESES = re.compile(r"[(（][^()（）]*[)）][.。]?")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping "et al." and "M. tuberculosis" whole."""
    sentences: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        markers = next(name for name in ("latin", "glued", "cjk") if match.group(name) is not None)
        candidate = paragraph[start : match.end(markers)].strip()
        before = paragraph[start : match.start()].split()  # up to the full stop
        last_word = before[-1] if before else ""
        if not candidate or ABBREVIATION.search(last_word) or _INLINE_ITEM.search(candidate):
            continue
        if _counts_on(candidate, paragraph[:start], paragraph[match.end(markers) :]):
            continue
        sentences.append(candidate)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return _parentheses_joined(sentences)


def _counts_on(candidate: str, before: str, after: str) -> bool:
    """Tell whether a candidate sentence ends in a list's number: the number before it stands
    in the text `before` the candidate as "N." too, or the one after it in the text `after`."""
    number = _LAST_NUMBER.search(candidate)
    if number is None:
        return False
    n = int(number.group(1))
    earlier = before + candidate[: number.start()]
    return bool(
        (n > 1 and re.search(rf"(?<![\d.,]){n - 1}\.\s", earlier))
        or re.search(rf"(?<![\d.,]){n + 1}\.\s", after)
    )


def _parentheses_joined(sentences: list[str]) -> list[str]:
    """Give a sentence the parentheses written after its full stop: "... stand? (Smith, 2019)."
    cites for the sentence before it."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and _LONE_PARENTHESES.fullmatch(sentence):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined
