"""Snippets: a claim's text with the words a query matched in <mark>."""

from __future__ import annotations

import html
import re

from evidence.ingest.language import is_cjk, latin_token

# INDEX_WORD's Latin words: Chinese runs never hold one, so they are found on their own.
LATIN_WORD = re.compile(r"[0-9A-Za-zα-ωΑ-Ω]+(?:[-‐][0-9A-Za-zα-ωΑ-Ω]+)*")

Span = tuple[int, int]


def highlight(text_: str, tokens: list[str]) -> str:
    """Return the text, HTML-escaped, with the words that match the query in <mark>: a Latin
    word whose index token is asked for, and every Chinese character a query token covers
    (破骨细胞 asks for 破骨, 骨细, 细胞: the whole word), one <mark> a covered run."""
    wanted = {token for token in tokens if token}
    cjk = sorted((t for t in wanted if is_cjk(t[0])), key=len, reverse=True)
    spans: list[Span] = []
    if cjk:  # a lookahead finds every start, overlapping ones too, in one pass
        starts = re.compile(f"(?=({'|'.join(map(re.escape, cjk))}))")
        spans += _joined([(m.start(), m.start() + len(m.group(1))) for m in starts.finditer(text_)])
    if len(cjk) < len(wanted):
        words = LATIN_WORD.finditer(text_)
        spans += [m.span() for m in words if latin_token(m.group()) in wanted]
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        pieces += [
            html.escape(text_[cursor:start]),
            f"<mark>{html.escape(text_[start:end])}</mark>",
        ]
        cursor = end
    pieces.append(html.escape(text_[cursor:]))
    return "".join(pieces)


def _joined(spans: list[Span]) -> list[Span]:
    """Join spans (in order of start) that overlap or touch into runs."""
    runs: list[Span] = []
    for start, end in spans:
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs
