"""Different figures from different sources become a conflict; agreement does not."""

from assistant.answer.conflicts import Claim, figure_conflict, figure_value

Q = "How many North Korean troops have been sent to Russia?"


def test_figures_keep_their_qualifier_and_skip_numbers_in_the_question():
    assert (
        figure_value("North Korea has sent about 1,500 special forces troops.", Q) == "about 1,500"
    )
    assert (
        figure_value("Of the 3 brigades, 10,000 soldiers are ready.", "How many of the 3?")
        == "10,000"
    )
    assert figure_value("No figure here.", Q) is None


def test_two_sources_with_different_figures_conflict():
    conflict = figure_conflict(
        [
            Claim(1, "a", "North Korea has sent about 1,500 special forces troops to Russia."),
            Claim(2, "b", "Zelenskyy said North Korea is preparing 10,000 soldiers."),
        ],
        Q,
    )
    assert conflict is not None
    assert conflict.values == (("about 1,500", 1), ("10,000", 2))


def test_agreeing_sources_or_one_source_do_not_conflict():
    agree = [Claim(1, "a", "It sent 1,500 troops."), Claim(2, "b", "Some 1,500 troops went.")]
    same_article = [Claim(1, "a", "It sent 1,500 troops."), Claim(2, "a", "Later 3,000 went.")]
    assert figure_conflict(agree, Q) is None
    assert figure_conflict(same_article, Q) is None
