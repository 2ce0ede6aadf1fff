"""Reciprocal-rank fusion is a pure function of ranks."""

import pytest

from assistant.retrieve.fusion import reciprocal_rank_fusion


def test_items_ranked_well_by_both_lists_come_first():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert [item for item, _ in fused] == ["b", "a", "c"]
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 63)


def test_an_item_in_one_list_only_still_counts():
    fused = dict(reciprocal_rank_fusion([["a"], ["b", "a"]], k=1))
    assert fused == {"a": pytest.approx(1 / 2 + 1 / 3), "b": pytest.approx(1 / 2)}


def test_weights_scale_each_ranking():
    fused = reciprocal_rank_fusion([["a"], ["b"]], k=0, weights=[1.0, 2.0])
    assert fused[0][0] == "b"


def test_ties_keep_first_seen_order_and_empty_input_gives_nothing():
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]
    assert reciprocal_rank_fusion([]) == []
    with pytest.raises(ValueError, match="2 weights for 1 rankings"):
        reciprocal_rank_fusion([["a"]], weights=[1, 2])
