"""Snippets: a claim's text with the words a query matched in <mark>."""

from __future__ import annotations

import html
import re

from evidence.ingest.language import INDEX_WORD, is_cjk, latin_token


def highlight(text_: str, tokens: list[str]) -> str:
    """Return the text, HTML-escaped, with the words that match the query in <mark>."""
    wanted = set(tokens)
    cjk = sorted((t for t in wanted if t and is_cjk(t[0])), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in cjk)) if cjk else None
    pieces: list[str] = []
    cursor = 0
    for match in INDEX_WORD.finditer(text_):
        pieces.append(html.escape(text_[cursor : match.start()]))
        word = match.group()
        if is_cjk(word[0]) and pattern:
            # 破骨细胞 asks for 破骨, 骨细, 细胞: mark every character any of them covers.
            covered = [False] * len(word)
            for start in range(len(word)):
                hit = pattern.match(word, start)
                if hit:
                    covered[start : hit.end()] = [True] * (hit.end() - start)
            pieces.append(_mark_runs(word, covered))
        elif not is_cjk(word[0]) and latin_token(word) in wanted:
            pieces.append(f"<mark>{html.escape(word)}</mark>")
        else:
            pieces.append(html.escape(word))
        cursor = match.end()
    pieces.append(html.escape(text_[cursor:]))
    return "".join(pieces)


def _mark_runs(word: str, covered: list[bool]) -> str:
    out: list[str] = []
    start = 0
    for end in range(1, len(word) + 1):
        if end == len(word) or covered[end] != covered[start]:
            chunk = html.escape(word[start:end])
            out.append(f"<mark>{chunk}</mark>" if covered[start] else chunk)
            start = end
    return "".join(out)
