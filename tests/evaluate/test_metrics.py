"""Retrieval and answer metrics on small literal inputs."""

import pytest

from assistant.evaluate.metrics import answer_found, first_relevant_rank, hits_at, mrr_at


def test_ranks_hits_and_mrr():
    ranks = [
        first_relevant_rank(["x", "a"], ["a"]),
        first_relevant_rank(["a"], ["a"]),
        first_relevant_rank(["x"], ["a"]),
    ]
    assert ranks == [2, 1, None]
    assert hits_at(ranks, 1) == pytest.approx(1 / 3)
    assert hits_at(ranks, 5) == pytest.approx(2 / 3)
    assert mrr_at(ranks, 10) == pytest.approx((1 / 2 + 1) / 3)
    assert mrr_at(ranks, 1) == pytest.approx(1 / 3)


def test_answers_match_across_case_quotes_punctuation_and_digit_groups():
    assert answer_found("“Squid Game”", 'Netflix renewed "squid game" for season two.')
    assert answer_found("1500", "about 1,500 troops")
    assert answer_found("2%", "cut the rate to 2%.")
    assert not answer_found("2%", "cut the rate to 2.25%.")
    assert not answer_found("Iran", "Iranian officials")
