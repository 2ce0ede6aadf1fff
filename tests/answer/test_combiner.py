"""The shipped combiner weights load, and a broken weights file is a one-line error."""

from __future__ import annotations

import pytest

from assistant.answer.combiner import Combiner
from assistant.answer.features import FEATURES, sentence_features
from assistant.errors import ConfigError


def test_the_shipped_weights_cover_every_feature_and_give_probabilities():
    model = Combiner.load()
    assert set(model.weights) == set(FEATURES)
    assert 0.0 < model.threshold < 1.0
    features = sentence_features(0.5, 0.5, 0.5, True, 0, 3)
    assert 0.0 < model.probability(features) < 1.0


def test_a_sentence_that_covers_more_of_the_question_scores_higher():
    model = Combiner.load()
    low = sentence_features(0.2, 0.1, 0.2, True, 2, 9)
    high = sentence_features(0.6, 0.8, 0.8, True, 2, 9)
    assert model.probability(high) > model.probability(low)


def test_merit_leaves_out_where_the_sentence_stands():
    model = Combiner.load()
    lead = sentence_features(0.5, 0.5, 0.5, True, 0, 0)
    deep = sentence_features(0.5, 0.5, 0.5, True, 4, 30)
    assert model.probability(lead) > model.probability(deep)
    assert model.merit(lead) == model.merit(deep)


def test_a_broken_weights_file_names_the_file(tmp_path):
    path = tmp_path / "combiner.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"combiner\.json"):
        Combiner.load(path)
