"""Scores, computed in Python from what the backend matched, so both backends give the same.

Claims found by their own words score in (1, 2], those found through their evidence in (0, 1):
own words always rank first. Scores are rounded to 6 places, and a cursor holds the rounded
score, so the page after it compares equal to what is computed again (keyset pagination must
neither skip nor repeat).
"""

from __future__ import annotations

from collections.abc import Sequence

K1, B = 1.2, 0.75  # BM25's usual constants (Robertson & Zaragoza 2009)
UNRANKED_OWN = 1.0  # own-word matches beyond the ranked candidates (see evidence.search)
LOWEST_RANKED_OWN = 1.000001


Counted = tuple[int, list[int], int]  # (claim id, each query token's frequency, its length)


def own_scores(candidates: Sequence[tuple[int, str]], tokens: Sequence[str]) -> dict[int, float]:
    """Score claims that hold every token in their own words, in (1, 2]: BM25's saturating term
    frequency and length normalisation over the claim's tokens. Every candidate holds every
    word, so IDF (a constant per word) is left out: the query's words weigh alike."""
    counted = [(claim_id, *token_counts(own, tokens)) for claim_id, own in candidates]
    return {i: max(LOWEST_RANKED_OWN, round(1 + score, 6)) for i, score in bm25(counted).items()}


def token_counts(own: str, tokens: Sequence[str]) -> tuple[list[int], int]:
    """Return how often each token is one of a claim's own tokens, and how many it has: what
    `own.split()` and `list.count` give, several times faster (a page ranks up to RANK_CAP
    claims, so this is the search's innermost loop)."""
    # isprintable: no whitespace but the ASCII space (Python counts other spaces as separators).
    if not own or not own.isprintable() or "  " in own or own[0] == " " or own[-1] == " ":
        words = own.split()  # not the single-spaced tokens index_claims writes
        return [words.count(t) for t in tokens], len(words)
    return [_count(own, t) for t in tokens], own.count(" ") + 1


def _count(own: str, token: str) -> int:
    """Count a token among single-spaced tokens: its occurrences that spaces or the ends bound.
    An occurrence that is not bounded cannot overlap one that is (tokens hold no spaces), so the
    search for the next one starts where this one ends."""
    count, size, length = 0, len(token), len(own)
    start = own.find(token)
    while start >= 0:
        end = start + size
        if (start == 0 or own[start - 1] == " ") and (end == length or own[end] == " "):
            count += 1
        start = own.find(token, end)
    return count


def evidence_scores(counted: Sequence[Counted]) -> dict[int, float]:
    """Score claims found through their evidence, in (0, 1): BM25 as for own words, where a
    word's frequency is its count in the claim's own words plus the number of papers the claim
    rests on that hold it, and the length is the claim's own."""
    return {i: round(score, 6) for i, score in bm25(counted).items()}


def bm25(counted: Sequence[Counted]) -> dict[int, float]:
    """Return each claim's BM25 sum (without IDF) squashed into (0, 1) as s / (1 + s)."""
    if not counted:
        return {}
    average = sum(length for _, _, length in counted) / len(counted) or 1.0
    # K1 * (1 - B + B * length / average), as a constant plus a constant times the length.
    base, per_token, saturation = K1 * (1 - B), K1 * B / average, K1 + 1
    scores: dict[int, float] = {}
    for claim_id, counts, length in counted:
        norm = base + per_token * length
        total = 0.0
        for n in counts:
            total += n * saturation / (n + norm)
        scores[claim_id] = total / (1 + total)
    return scores
