"""The candidate features the combiner reads."""

from __future__ import annotations

from assistant.answer.features import FEATURES, sentence_features


def test_every_feature_is_between_zero_and_one():
    features = sentence_features(0.7, 0.4, 0.9, True, 0, 0)
    assert set(features) == set(FEATURES)
    assert all(0.0 <= v <= 1.0 for v in features.values())


def test_lead_sentences_and_first_passages_score_higher_place_features():
    first = sentence_features(0.5, 0.5, 0.5, False, 0, 0)
    later = sentence_features(0.5, 0.5, 0.5, False, 3, 6)
    assert first["rank"] == 1.0 and later["rank"] == 0.25
    assert first["position"] == 1.0 and later["position"] == 1 / 3
    assert first["kind"] == 0.0
