"""Follow-ups are rewritten into standalone questions (pure)."""

import pytest

from assistant.chat.session import condense, topic_names

PREVIOUS = ["Who is joining BRICS?"]


@pytest.mark.parametrize(
    ("follow_up", "standalone"),
    [
        ("And which countries applied?", "Which countries applied - BRICS?"),
        ("What about Argentina?", "Argentina - BRICS?"),
        ("When did they decide it?", "When did they decide it - BRICS?"),
    ],
)
def test_follow_ups_borrow_the_names_of_the_previous_question(follow_up, standalone):
    assert condense(follow_up, PREVIOUS) == standalone


@pytest.mark.parametrize(
    ("follow_up", "standalone"),
    [
        ("And in March?", "Who is joining BRICS in March?"),
        ("What about last year?", "Who is joining BRICS last year?"),
        ("and now?", "Who is joining BRICS now?"),
        ("And Tuesday?", "Who is joining BRICS Tuesday?"),
        ("In 2023?", "Who is joining BRICS in 2023?"),
    ],
)
def test_a_follow_up_of_time_words_alone_asks_the_previous_question_of_that_time(
    follow_up, standalone
):
    assert condense(follow_up, PREVIOUS) == standalone


def test_a_question_with_its_own_subject_stands_as_it_is():
    question = "How many North Korean troops are in Russia?"
    assert condense(question, PREVIOUS) == question


def test_the_first_question_is_never_rewritten():
    assert condense("And which countries applied?", []) == "And which countries applied?"


def test_topic_names_skip_the_first_word():
    assert topic_names("Who met Xi Jinping in Kazan?") == ["Xi Jinping", "Kazan"]
