"""Search syntax a query may hold that the search reads as words: every word is required, and
nothing else is an operator. Saying so beats returning, quietly, the opposite of what was asked
("sleep -melatonin" finds claims about melatonin)."""

from __future__ import annotations

import re

# "OR", "AND", "NOT", "NEAR" in capitals between words; a word led by "-"; quotes; a "*".
_OPERATORS = re.compile(r"(?:^|\s)(?:OR|AND|NOT|NEAR)(?=\s|$|\()|(?:^|\s)-\w|[\"“”*]")


def syntax_note(query: str | None) -> str | None:
    """Return a note when a query holds search syntax that is read as words; else None."""
    if not query or not _OPERATORS.search(query):
        return None
    return (
        "every word of a query is required and found as a word: OR, NOT, NEAR, a leading '-',"
        " quotes and '*' are not operators here (search once for each alternative)"
    )
