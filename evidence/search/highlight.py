"""Snippets: a claim's text with the words a query matched in <mark>."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from evidence.ingest.language import fold_width, is_cjk, latin_token, word_parts

# INDEX_WORD's Latin words: Chinese runs never hold one, so they are found on their own.
WORD_CHARS = "0-9A-Za-zα-ωΑ-Ω"
LATIN_WORD = re.compile(f"[{WORD_CHARS}]+(?:[-‐][{WORD_CHARS}]+)*")
# Where LATIN_WORD's finditer starts a word: at a word character that neither a word character
# nor a word character and a hyphen precede (those would carry on the word before). Checked
# behind the word's first character, once it has matched: the regex engine then skips ahead to
# the next character that can start a word, rather than looking behind at every position.
AFTER_WORD_START = f"(?<![{WORD_CHARS}].)(?<![{WORD_CHARS}][-‐].)"
HYPHENATED = re.compile(f"[{WORD_CHARS}]{AFTER_WORD_START}[{WORD_CHARS}]*(?:[-‐][{WORD_CHARS}]+)+")

Span = tuple[int, int]


def highlight(text_: str, tokens: list[str]) -> str:
    """Return the text, HTML-escaped, with the words that match the query in <mark>: a Latin
    word whose index token is asked for, and every Chinese character a query token covers
    (破骨细胞 asks for 破骨, 骨细, 细胞: the whole word), one <mark> a covered run."""
    wanted = {token for token in tokens if token}
    seen = fold_width(text_)  # "ＩＬ－６" is found as "IL-6" (the same positions)
    cjk = sorted((t for t in wanted if is_cjk(t[0])), key=len, reverse=True)
    spans: list[Span] = []
    if cjk:  # a lookahead finds every start, overlapping ones too, in one pass
        starts = re.compile(f"(?=({'|'.join(map(re.escape, cjk))}))")
        spans += _joined([(m.start(), m.start() + len(m.group(1))) for m in starts.finditer(seen)])
    latin = wanted.difference(cjk)
    if latin:
        words = _latin_words_from(frozenset(token[0] for token in latin)).finditer(seen)
        spans += [m.span() for m in words if latin_token(m.group()) in wanted]
        for word in HYPHENATED.finditer(seen):  # "amyloid" in "Amyloid-positive"
            spans += [
                (word.start() + start, word.start() + end)
                for start, end in word_parts(word.group())
                if latin_token(word.group()[start:end]) in wanted
            ]
    pieces: list[str] = []
    cursor = 0
    for start, end in _joined(sorted(spans)):
        pieces += [
            html.escape(text_[cursor:start]),
            f"<mark>{html.escape(text_[start:end])}</mark>",
        ]
        cursor = end
    pieces.append(html.escape(text_[cursor:]))
    return "".join(pieces)


@lru_cache(maxsize=1024)
def _latin_words_from(firsts: frozenset[str]) -> re.Pattern[str]:
    """Return a pattern finding LATIN_WORD's words (the same spans) that can fold to a token
    starting with one of `firsts`: those starting with it in either case, with "a" when one is
    "e" ("aetiology" folds to "etiology"), and with "ς" when one is "σ". Folding keeps a word's
    first letter otherwise (it lower-cases, drops inner hyphens, stems the end), so the words
    left out can match no token, and a snippet's loop over a claim's words looks only at the
    few that can."""
    letters = set(firsts)
    letters |= {"a"} if "e" in letters else set()
    letters |= {"ς"} if "σ" in letters else set()
    cased = "".join(sorted({case for letter in letters for case in (letter, letter.upper())}))
    first = f"[{re.escape(cased)}]{AFTER_WORD_START}"
    return re.compile(f"{first}[{WORD_CHARS}]*(?:[-‐][{WORD_CHARS}]+)*")


def _joined(spans: list[Span]) -> list[Span]:
    """Join spans (in order of start) that overlap or touch into runs."""
    runs: list[Span] = []
    for start, end in spans:
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs
