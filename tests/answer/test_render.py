"""The one text rendering of an answer, from its data (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.answer.render import answer_text
from assistant.types import Answer, AnswerSentence, Conflict
from tests.helpers import citation

JUNE = datetime(2025, 6, 30, tzinfo=UTC)
JANUARY = datetime(2025, 1, 20, tzinfo=UTC)


def test_sentences_are_joined_each_followed_by_its_markers():
    answer = Answer(
        "q",
        sentences=(
            AnswerSentence("Iran will join.", (1,)),
            AnswerSentence("So will Egypt.", (2, 3)),
        ),
        citations=tuple(citation(n, "Wire", None) for n in (1, 2, 3)),
    )
    assert answer.text == "Iran will join. [1] So will Egypt. [2][3]"


def test_an_answer_with_an_earlier_report_is_dated_by_its_lead_and_the_report_follows():
    answer = Answer(
        "Who leads the port?",
        sentences=(AnswerSentence("Tobias Renn leads it.", (1,)),),
        citations=(
            citation(1, "Harbourside Times", JUNE),
            citation(2, None, JANUARY, text="Mara Quint [was] named."),
        ),
        earlier=(2,),
    )
    assert answer.text == (
        "As of 30 June 2025 (Harbourside Times): Tobias Renn leads it. [1]\n\n"
        "Earlier (20 January 2025, Story 2): Mara Quint (was) named. [2]"
    )


def test_a_conflict_opens_the_answer_with_each_figure_and_its_source():
    answer = Answer(
        "How many troops?",
        sentences=(AnswerSentence("About 1,500.", (1,)), AnswerSentence("10,000.", (2,))),
        citations=(citation(1, "Han River Daily", None), citation(2, None, None)),
        conflicts=(Conflict("figure", (("about 1,500", 1), ("10,000", 2))),),
    )
    assert answer.text == (
        "**Sources differ:** Han River Daily: about 1,500 [1]; Story 2: 10,000 [2].\n\n"
        "About 1,500. [1] 10,000. [2]"
    )


def test_a_refusal_gives_its_reason_and_the_closest_sources():
    refusal = Answer(
        "q",
        citations=(citation(1, "Wire", None), citation(2, "Wire", None)),
        refused=True,
        refusal_reason="the sources do not mention etna",
    )
    assert refusal.text == (
        "I found nothing in the articles that answers this (the sources do not mention etna). "
        "The closest sources are [1], [2]."
    )
    assert Answer("q", refused=True).text == "I found nothing in the articles that answers this."


def test_an_escape_applies_to_article_strings_and_never_to_the_markup():
    answer = Answer(
        "q",
        sentences=(AnswerSentence("A*B", (1,)),),
        citations=(citation(1, "O*", None), citation(2, "P", None)),
        conflicts=(Conflict("figure", (("1*", 1), ("2", 2))),),
    )
    shown = answer_text(answer, lambda s: s.replace("*", "\\*"))
    assert shown == "**Sources differ:** O\\*: 1\\* [1]; P: 2 [2].\n\nA\\*B [1]"
