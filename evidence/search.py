"""Find claims by topic, in Chinese or English, on SQLite (FTS5) and PostgreSQL (tsvector) alike.

A claim is found by its own text, its slide's topic, and the evidence it cites (the linked papers'
titles, abstracts, MeSH headings and keywords), so "anemia" finds the deck's claims about 贫血.
"""

from __future__ import annotations

from pydantic import BaseModel

from evidence.views import ClaimPublic

MAX_LIMIT = 100


class ClaimHit(ClaimPublic):
    """A claim found by a search, with its relevance and a highlighted snippet."""

    score: float | None  # higher is more relevant; None when listing without a query
    snippet: str | None  # the claim's text with the matched words in <mark>…</mark>


class ClaimPage(BaseModel):
    """One page of claims; pass `next_cursor` back as `cursor` for the next page."""

    items: list[ClaimHit]
    next_cursor: str | None
