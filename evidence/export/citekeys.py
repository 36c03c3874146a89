"""Citekeys: stable, unique, readable ASCII keys (`nakahara2003anti`, then `...a`, `...b` on a
collision), and the name splitting every format shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidence.export import ExportWork

# PubMed's initials: capitals, any alphabet's ("ÉA", "JÅ"), a hyphen between a hyphenated name's
# ("J-M"), an initial of two letters ("Si" for Shin-ichi, "Ch" for Christoph).
INITIALS = re.compile(r"(?:-?[^\W\d_][a-z]?){1,5}")
INITIAL = re.compile(r"-?([^\W\d_][a-z]?)")
# English words that join a collective name's ("Consortium on DLB", "Study Group for RA"), where
# a person's surname holds particles ("van der Heijde", "de los Santos", "zur Hausen"): a name
# holding one is a group's, whatever capitals end it.
_COLLECTIVE_WORDS = frozenset({"on", "of", "for", "and", "the", "to", "with", "against", "at"})
# Words that never make a citekey: articles, prepositions, conjunctions (English, as PubMed).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "and",
        "or",
        "to",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "its",
        "their",
        "into",
        "via",
        "about",
        "after",
        "against",
        "between",
        "during",
        "under",
        "over",
        "new",
    ]
)
SPECIAL_LETTERS = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
    "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "ı": "i", "ð": "d", "Ð": "D",
}  # fmt: skip


def split_author(name: str) -> tuple[str, str | None]:
    """Split PubMed's "Surname Initials" into its parts; a collective name has no initials."""
    head, _, tail = name.strip().rpartition(" ")
    initials = INITIALS.fullmatch(tail) if head else None
    capitals = initials and all(found.group(1)[0].isupper() for found in INITIAL.finditer(tail))
    collective = any(word in _COLLECTIVE_WORDS for word in head.split())
    return (head, tail) if capitals and not collective else (name.strip(), None)


def given_initials(initials: str) -> str:
    """Write PubMed's initials as a bibliography's given name: "JM" → "J. M.", "J-M" → "J.-M.",
    "ÉA" → "É. A.", "Si" → "Si."."""
    return "-".join(
        " ".join(f"{found.group(1)}." for found in INITIAL.finditer(part))
        for part in initials.split("-")
    )


class _FoldTable(dict[int, str]):
    """A str.translate table that folds each character to ASCII letters and digits, lazily."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if char in SPECIAL_LETTERS:
            folded = SPECIAL_LETTERS[char]
        else:
            base = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in base if c.isascii() and c.isalnum())
        self[codepoint] = folded
        return folded


FOLD = _FoldTable()


def ascii_word(text: str) -> str:
    """Fold a word to lower-case ASCII letters and digits (`Stępień` → `stepien`)."""
    return text.translate(FOLD).lower()


def citekey_base(work: ExportWork) -> str:
    """Return a work's citekey before collisions: surname, year, first significant title word."""
    surname = ascii_word(split_author(work.authors[0])[0]) if work.authors else ""
    words = re.split(r"[\s\-‐–—/:;,.()\[\]]+", work.title or work.journal or "")
    word = next(
        (w for w in (ascii_word(w) for w in words) if w and w not in STOP_WORDS and w.isalpha()),
        "",
    )
    return f"{surname or 'anon'}{work.year or 'nd'}{word}"


def assign_citekeys(works: Sequence[ExportWork]) -> list[ExportWork]:
    """Give every work a unique key: colliding bases get a, b, c, ... in the works' order."""
    bases = [citekey_base(work) for work in works]
    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    seen: dict[str, int] = {}
    keyed = []
    for work, base in zip(works, bases, strict=True):
        key = base
        if counts[base] > 1:
            index = seen.get(base, 0)
            seen[base] = index + 1
            key = base + _suffix(index)
        keyed.append(replace(work, key=key))
    return keyed


def _suffix(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
