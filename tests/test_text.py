"""Word forms and weighted term coverage."""

from assistant.text import coverage, same_word, stem, terms


def test_word_forms_of_one_word_match_and_different_words_do_not():
    for a, b in [("korea", "korean"), ("europe", "european"), ("argentina", "argentine"),
                 ("voted", "votes"), ("join", "joining"), ("arabia", "arabian")]:  # fmt: skip
        assert same_word(a, b), (a, b)
    for a, b in [("austria", "australia"), ("iran", "iraq"), ("news", "new"), ("rate", "ratify")]:
        assert not same_word(a, b), (a, b)


def test_stem_removes_one_inflection_only_from_long_enough_words():
    assert stem("voted") == stem("votes") == "vot"
    assert stem("gas") == "gas"


def test_terms_drop_stop_words_possessives_and_repeats():
    assert terms("Who is joining BRICS? BRICS's members") == ["joining", "brics", "members"]


def test_coverage_weights_rare_words_more():
    weights = {"belarus": 5.0, "troops": 1.0}
    assert coverage(["belarus", "troops"], ["troops", "russia"], weights) == 1 / 6
    assert coverage(["belarus", "troops"], ["belarus", "troop"], weights) == 1.0
    assert coverage([], ["x"], weights) == 0.0
