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

INITIALS = re.compile(r"[A-Z](?:-?[A-Z]){0,4}")
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
    if head and INITIALS.fullmatch(tail):
        return head, tail
    return name.strip(), None


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
