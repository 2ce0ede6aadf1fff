"""The answering words inside a cited sentence, as character spans (pure)."""

from __future__ import annotations

from assistant.answer.cues import question_cues
from assistant.answer.spans import answer_spans

BRICS = (
    "The six countries invited to join were Iran, Egypt, Ethiopia, the United Arab Emirates "
    "(UAE), Saudi Arabia and Argentina, with membership due to take effect on 1 January 2024."
)


def words_at(sentence: str, question: str) -> list[str]:
    return [sentence[start:end] for start, end in answer_spans(sentence, question_cues(question))]


def test_a_who_question_marks_the_names_the_question_does_not_give():
    assert words_at(BRICS, "Who is joining BRICS?") == [
        "Iran", "Egypt", "Ethiopia", "United Arab Emirates", "UAE", "Saudi Arabia", "Argentina",
    ]  # fmt: skip
    assert "Iran" not in words_at(BRICS, "Is Iran joining BRICS with its neighbours?")


def test_a_when_question_marks_the_date_and_a_how_many_question_the_number():
    assert words_at(BRICS, "When does BRICS membership take effect?") == ["1 January 2024"]
    troops = "North Korea has sent about 10,000 troops to Russia, officials said."
    assert words_at(troops, "How many North Korean troops were sent to Russia?") == ["10,000"]


def test_a_repeated_name_is_marked_where_each_stands_and_a_final_full_stop_is_left_out():
    sentence = "The talks began when Lula met Xi, then Lula met the U.S. envoy and Modi."
    spans = answer_spans(sentence, question_cues("Who met at the talks?"))
    assert [sentence[a:b] for a, b in spans] == ["Lula", "Xi", "Lula", "U.S.", "Modi"]
    assert spans[0][0] == sentence.index("Lula") and spans[2][0] == sentence.rindex("Lula")


def test_a_question_of_no_particular_kind_marks_nothing():
    assert answer_spans(BRICS, question_cues("Why is BRICS growing?")) == ()
