"""What a piece of text is written in: Chinese characters, Latin words, how much of each."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

import jieba
import snowballstemmer

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


# snowballstemmer's stemmers keep state while stemming: one per thread (the API answers in a
# thread pool, and a shared one returned wrong stems under load).
_THREAD = threading.local()
# Words of a text for the search index: a run of Chinese, or a Latin word with inner hyphens
# ("IL-6", "sIL-6R", "TNF-α"), or a number.
INDEX_WORD = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-zα-ωΑ-Ω]+(?:[-‐][0-9A-Za-zα-ωΑ-Ω]+)*"
)
# Full-width forms, as a Chinese input method types Latin letters, digits and signs ("ＩＬ－６",
# "６６例"), and the ideographic space: read as their ASCII forms, a character for a character.
_FULL_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
)


def fold_width(text: str) -> str:
    """Return the text with full-width forms as ASCII ("ＩＬ－６" → "IL-6"); same length."""
    return text.translate(_FULL_WIDTH)


_STOPWORDS = "a an and are as at be by for from has have in is it of on or that the their this to"
STOPWORDS = frozenset(f"{_STOPWORDS} was were which with".split())


def _stem(word: str) -> str:
    stemmer = getattr(_THREAD, "stemmer", None)
    if stemmer is None:
        stemmer = _THREAD.stemmer = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


@lru_cache(maxsize=65536)
def latin_token(word: str) -> str:
    """Fold a Latin word for the index: "IL-6" → "il6", "anaemia" → "anemia", "cells" → "cell";
    a Greek final sigma as any other ("ΟΔΟΣ" lower-cases to "οδος": "οδοσ")."""
    folded = re.sub(r"[-‐]", "", word.lower()).replace("ae", "e").replace("ς", "σ")
    return folded if any(c.isdigit() for c in folded) else _stem(folded)


# A possessive's "'s" ("Alzheimer's"), which would be a token "s" every query for it asks for.
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’][sS]\b")
_HYPHEN = re.compile(r"[-‐]")


def _words(text: str) -> list[str]:
    """Return INDEX_WORD's words of a text, full-width forms folded, possessives left out."""
    return INDEX_WORD.findall(_POSSESSIVE.sub("", fold_width(text)))


def word_parts(word: str) -> list[tuple[int, int]]:
    """Return the spans of the parts of a hyphenated word that are words of their own, or []:
    "amyloid-positive" → amyloid, positive; "IL-6-mediated" → IL-6, mediated (a part that
    starts with a digit stays with the one before it: "IL-6", "sIL-6R", "COVID-19" are one)."""
    parts: list[tuple[int, int]] = []
    start = 0
    for piece in _HYPHEN.split(word):
        end = start + len(piece)
        if parts and piece[:1].isdigit():
            parts[-1] = (parts[-1][0], end)
        else:
            parts.append((start, end))
        start = end + 1
    return parts if len(parts) > 1 else []


def _latin_tokens(word: str) -> list[str]:
    """Return a Latin word's tokens: the word folded whole, then each of its parts that is a
    word of its own (word_parts): "anti-IL-6" holds "antiil6", "anti" and "il6"."""
    tokens = [latin_token(word)] if word.lower() not in STOPWORDS else []
    for start, end in word_parts(word):
        part = word[start:end]
        if part.lower() not in STOPWORDS:
            tokens.append(latin_token(part))
    return tokens


def index_tokens(text: str) -> list[str]:
    """Cut a text (a claim, a topic, a paper) into the tokens the search index holds.

    A run of Chinese gives each of its characters and each pair of neighbouring characters
    (破骨细胞: 破 骨 细 胞 破骨 骨细 细胞), so any word of one or two characters inside it is found,
    however jieba would cut the run (jieba cuts 破骨细胞 as 破 + 骨细胞, which lost 破骨). Latin
    words are lower-cased, de-hyphenated and stemmed, and a hyphenated one gives its parts too
    ("amyloid-positive": amyloidposit, amyloid, posit), so "amyloid" finds it; a possessive's
    "'s" is left out. `query_tokens` cuts queries to match.
    """
    tokens: list[str] = []
    for word in _words(text):
        if is_cjk(word[0]):
            tokens.extend(word)
            tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            tokens.extend(_latin_tokens(word))
    return tokens


def query_tokens(text: str) -> list[str]:
    """Cut a query into index tokens (distinct, in order) that a matching text must all hold.

    jieba segments a run of Chinese into words, and the run is cut only between two words of two
    or more characters (贫血疲劳 → 贫血 | 疲劳, so the pair 血疲 that spans them is not asked for);
    a single character stays with its neighbours (jieba's 破 + 骨细胞 → 破骨细胞). Each piece
    becomes its character pairs (破骨 骨细 细胞), which `index_tokens` stored for any text that
    holds the piece; a lone character is itself. Latin words as `index_tokens` folds them, a
    hyphenated one whole ("pre-eclampsia": preeclampsia).
    """
    tokens: list[str] = []
    for word in _words(text):
        if not is_cjk(word[0]):
            # The word whole: "pre-eclampsia" finds "preeclampsia" too (the index holds both
            # "amyloid-positive" and its parts, so "amyloid" finds it).
            if word.lower() not in STOPWORDS:
                tokens.append(latin_token(word))
            continue
        for piece in _query_pieces(word):
            pairs = [piece[i : i + 2] for i in range(len(piece) - 1)]
            tokens.extend(pairs or [piece])
    return list(dict.fromkeys(tokens))


def _query_pieces(run: str) -> list[str]:
    pieces: list[str] = []
    for part in jieba.cut(run):
        if pieces and (len(part) == 1 or len(pieces[-1]) == 1):
            pieces[-1] += part
        else:
            pieces.append(part)
    return pieces
