"""token_counts: the fast way of counting a claim's own tokens gives what split and count give."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.search.rank import own_scores, token_counts


@pytest.mark.parametrize(
    ("own", "tokens"),
    [
        ("il6 il6 il6 贫血", ["il6", "贫血"]),  # neighbouring equal tokens each count
        ("贫 血 贫血 贫血 血贫", ["贫血", "血"]),  # a pair is not counted inside another pair
        ("anemia anemias anemia", ["anemia"]),  # a token inside a longer one is not it
        ("il6", ["il6", "tnf"]),
        ("", ["il6"]),
        ("  il6  il6 ", ["il6"]),  # not single-spaced: counted by splitting
        ("il6\til6", ["il6"]),
        ("il6\u3000il6", ["il6"]),  # an ideographic space splits too
    ],
)
def test_token_counts_equal_split_and_count(own: str, tokens: list[str]) -> None:
    words = own.split()
    assert token_counts(own, tokens) == ([words.count(t) for t in tokens], len(words))


def test_own_scores_rank_more_occurrences_and_shorter_claims_higher() -> None:
    scores = own_scores([(1, "il6 tnf tnf tnf"), (2, "il6 il6 tnf tnf"), (3, "il6")], ["il6"])
    assert scores[3] > scores[2] > scores[1] > 1


@given(
    words=st.lists(st.sampled_from(["il6", "il", "6", "贫血", "贫", "血", "缺铁性贫血", "il66"])),
    tokens=st.lists(st.sampled_from(["il6", "贫血", "血", "il", "6"]), min_size=1, max_size=3),
)
def test_token_counts_equal_split_and_count_for_any_single_spaced_tokens(
    words: list[str], tokens: list[str]
) -> None:
    own = " ".join(words)
    assert token_counts(own, tokens) == ([words.count(t) for t in tokens], len(words))
