"""What a piece of text is written in: Chinese characters, Latin words, how much of each."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*")


def is_cjk(char: str) -> bool:
    """Tell whether a character is a CJK ideograph."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def count_cjk(text: str) -> int:
    """Count the CJK ideographs in a text."""
    return sum(1 for char in text if is_cjk(char))


def content_size(text: str) -> int:
    """Measure how much a text says: one per Chinese character, one per Latin word."""
    return count_cjk(text) + len(LATIN_WORD.findall(text))


def detect_language(text: str) -> str:
    """Return "zh" for text with Chinese characters, "en" otherwise."""
    return "zh" if count_cjk(text) else "en"


@lru_cache(maxsize=4096)
def _word_spans(text: str) -> tuple[int, ...]:
    ends: list[int] = []
    position = 0
    for word in jieba.cut(text, HMM=False):
        position += len(word)
        ends.append(position)
    return tuple(ends)


def splits_a_word(left: str, right: str) -> bool:
    """Tell whether joining two Chinese fragments mends a word that a line break cut in two.

    "可诱" + "导B细胞" is one sentence broken inside 诱导; "作用" + "B细胞" is two labels.
    """
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or not (is_cjk(left[-1]) and is_cjk(right[0])):
        return False
    tail, head = left[-4:], right[:4]
    return len(tail) not in _word_spans(tail + head)
