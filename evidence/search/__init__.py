"""Find claims by topic, in Chinese or English, on SQLite (FTS5) and PostgreSQL (tsvector) alike.

A claim is found by its own words (its text and its slide's topic) and by the evidence it cites
(the linked papers' titles, abstracts, MeSH headings and keywords), so "anemia" finds the deck's
claims about 贫血. Both backends only *match* (FTS5 / GIN); evidence ranks in Python from what
they return, so the same data gives the same results, in the same order, on both.

How the work stays bounded at a million claims (`bench/search.py` measures it):

- Each paper's words are indexed once (`paper_search`, one row a paper), not copied into every
  claim that cites it; `claim_paper` links a paper to the claims resting on it.
- Claims whose own words hold every query word come first. Of those, the `RANK_CAP` (200)
  most recent (highest id) are ranked (BM25 over the claim's own tokens, score in (1, 2]); a
  word so common that more claims hold it ranks only those, and the older ones follow, newest
  first, unranked (score exactly 1); the page says so (`ranking_capped`). The page query
  reads at most `RANK_CAP` + 1 matches.
- Then the claims found through their evidence (every word in their own words or in a paper
  they cite, at least one only in a paper; score in (0, 1)): ranked by how many of their papers
  hold each word. A word that more than `PAPER_CAP` (200) papers hold is looked for in the
  `PAPER_CAP` most recent of them only, so a claim found through an older paper holding such a
  common word is not returned: the page says so (`evidence_capped`). With a document filter
  only the papers that document's claims cite are looked in, so a reviewer's search of one
  document is exact unless it cites more than `PAPER_CAP` papers holding the word.

Pages are keyset-paged on (score, id), best score first, newest first among equals.
"""

from evidence.search.coverage import coverage_note
from evidence.search.highlight import highlight
from evidence.search.index import index_claims, index_papers
from evidence.search.query import (
    MAX_LIMIT,
    PAPER_CAP,
    RANK_CAP,
    ClaimHit,
    ClaimPage,
    claim_ids_found,
    search_claims,
)

__all__ = [
    "MAX_LIMIT",
    "PAPER_CAP",
    "RANK_CAP",
    "ClaimHit",
    "ClaimPage",
    "claim_ids_found",
    "coverage_note",
    "highlight",
    "index_claims",
    "index_papers",
    "search_claims",
]
