"""What a question asks for, and the things of that kind in a sentence."""

import pytest

from assistant.answer.cues import dates, names, new_things, numbers, question_cues


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many North Korean troops have been sent to Russia?", "number"),
        ("What interest rate did the Bank of Japan set?", "number"),
        ("When did Chandrayaan-3 lift off?", "date"),
        ("Who is joining BRICS?", "name"),
        ("Which Argentine president turned down the invitation?", "name"),
        ("Where was Zelenskyy speaking?", "name"),
        ("Why did the talks fail?", "any"),
    ],
)
def test_question_kind(question, kind):
    assert question_cues(question).kind == kind


def test_key_terms_are_names_and_numbers_but_not_years_or_question_words():
    cues = question_cues(
        "Which countries did the Alaska-Hawaiian deal affect in 2023, per Chandrayaan-3?"
    )
    assert cues.key_terms == ("alaska", "hawaiian", "chandrayaan-3")


def test_things_of_each_kind_are_found():
    sentence = (
        "On 1 January 2024, Iran and Saudi Arabia joined; about 1,500 troops and $1.9 billion."
    )
    assert "1,500" in numbers(sentence) and "$1.9 billion" in numbers(sentence)
    assert "2024" not in numbers(sentence)
    assert "1 January 2024" in dates(sentence)
    assert {"Iran", "Saudi Arabia"} <= set(names(sentence))


def test_new_things_leave_out_what_the_question_already_names():
    cues = question_cues("Who is joining BRICS?")
    assert new_things("BRICS leaders met on Tuesday.", cues) == []
    assert new_things("Leaders said Iran and Egypt will join BRICS.", cues) == ["Iran", "Egypt"]
