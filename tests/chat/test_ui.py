"""What the chat shows of an answer (its text, sources grouped by article, dates, answering
words), and how it reads the as-of box (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.chat.ui import answer_markdown, cited_paragraphs, read_as_of, source_html
from assistant.errors import ConfigError
from assistant.types import Answer, AnswerSentence, CitedArticle, Conflict
from tests.helpers import citation

TROOPS = Answer(
    question="How many troops?",
    sentences=(AnswerSentence("Sentence 1.", (1,)), AnswerSentence("Sentence 3.", (3,))),
    citations=(
        citation(1, "Northgate Chronicle", datetime(2024, 10, 17, 16, 5, tzinfo=UTC)),
        citation(2, "Han River <b>Daily</b>", datetime(2024, 10, 10, tzinfo=UTC)),
        citation(3, None, None),
    ),
    earlier=(2,),
)


def test_the_chat_answer_ends_with_each_cited_source_and_its_date():
    shown = answer_markdown(TROOPS)
    assert shown.startswith(
        "As of 17 October 2024 (Northgate Chronicle): Sentence 1. [1] Sentence 3. [3]\n\n"
        "Earlier (10 October 2024, Han River &lt;b&gt;Daily&lt;/b&gt;): Sentence 2. [2]"
    )
    assert shown.endswith(
        "Sources:\n"
        "- [1] Northgate Chronicle, 17 October 2024\n"
        "- [2] Han River &lt;b&gt;Daily&lt;/b&gt;, 10 October 2024 (earlier report)\n"
        "- [3] Story 3, undated"
    )


def test_the_chat_lists_an_article_cited_twice_once_with_both_numbers():
    when = datetime(2023, 12, 30, tzinfo=UTC)
    answer = Answer(
        question="Who is joining BRICS?",
        sentences=(AnswerSentence("Iran joins.", (1,)), AnswerSentence("Egypt joins.", (2,))),
        citations=(
            citation(1, "Meridian Wire", when, article="brics"),
            citation(2, "Meridian Wire", when, article="brics"),
        ),
    )
    assert answer_markdown(answer).endswith("Sources:\n- [1][2] Meridian Wire, 30 December 2023")


def test_markup_in_article_text_is_escaped_but_our_own_bold_is_kept():
    answer = Answer(
        question="How many?",
        sentences=(AnswerSentence("About *1,500* <i>troops</i>.", (1,)),),
        citations=(citation(1, "A **Wire**", None), citation(2, "B", None)),
        conflicts=(Conflict("figure", (("*1,500*", 1), ("10,000", 2))),),
    )
    first, second = answer_markdown(answer).split("\n\n")[:2]
    assert first == "**Sources differ:** A \\*\\*Wire\\*\\*: \\*1,500\\* [1]; B: 10,000 [2]."
    assert second == "About \\*1,500\\* &lt;i&gt;troops&lt;/i&gt;. [1]"


def test_a_refusal_lists_its_closest_sources_with_dates():
    refusal = Answer(question="q", citations=TROOPS.citations[:1], refused=True)
    assert answer_markdown(refusal) == (
        "I found nothing in the articles that answers this. The closest sources are [1].\n\n"
        "Closest sources:\n- [1] Northgate Chronicle, 17 October 2024"
    )


def test_a_refusal_without_sources_says_why_and_lists_nothing():
    refusal = Answer(question="q", refused=True, refusal_reason="the sources do not mention <x>")
    assert answer_markdown(refusal) == (
        "I found nothing in the articles that answers this (the sources do not mention &lt;x&gt;)."
    )


def test_the_sources_panel_marks_an_earlier_report():
    earlier = source_html(CitedArticle(TROOPS.citations[1:2]), "Sentence 2.", earlier=(2,))
    assert 'class="source earlier"' in earlier and "2024-10-10 · earlier report" in earlier
    current = source_html(CitedArticle(TROOPS.citations[:1]), "Sentence 1.", earlier=(2,))
    assert "earlier report" not in current


def test_an_article_cited_now_and_as_an_earlier_report_is_one_entry_labelling_the_older_one():
    when = datetime(2023, 12, 30, tzinfo=UTC)
    both = (
        citation(3, "Meridian Wire", when, article="brics", text="It was the first time."),
        citation(4, "Meridian Wire", when, article="brics", text="Six were invited."),
    )
    answer = Answer("q", sentences=(AnswerSentence("It was the first time.", (3,)),),
                    citations=both, earlier=(4,))  # fmt: skip
    assert answer_markdown(answer).endswith(
        "- [3][4] Meridian Wire, 30 December 2023 (earlier report [4])"
    )
    shown = source_html(answer.sources[0], "Six were invited. It was the first time.", (4,))
    assert 'class="source"' in shown and "· earlier report" not in shown
    assert '<b class="n">[4]</b> <i>earlier report:</i> Six were invited.' in shown
    assert '<b class="n">[3]</b> It was the first time.' in shown


ARTICLE = (
    "Leaders met in Johannesburg.\n\n"
    "Iran & Egypt were invited. Ethiopia was too.\n\n"
    "Analysts were surprised.\n\n"
    "Argentina said no."
)


def test_one_source_entry_shows_each_paragraph_once_with_its_cited_sentences_and_answer_words():
    when = datetime(2023, 12, 30, tzinfo=UTC)
    cited = (
        citation(1, "Wire", when, article="brics", text="Iran & Egypt were invited.",
                 spans=((0, 4), (7, 12))),
        citation(2, "Wire", when, article="brics", text="Argentina said no.", spans=((0, 9),)),
        citation(3, "Wire", when, article="brics", text="Ethiopia was too.", spans=((0, 8),)),
    )  # fmt: skip
    shown = source_html(CitedArticle(cited), ARTICLE)
    assert shown.count('class="source"') == 1 and "<b>[1][2][3]</b> Story brics" in shown
    assert cited_paragraphs(ARTICLE, cited) == (
        '<p><span class="cited"><b class="n">[1]</b> <mark>Iran</mark> &amp; <mark>Egypt</mark>'
        ' were invited.</span> <span class="cited"><b class="n">[3]</b> <mark>Ethiopia</mark>'
        " was too.</span></p>"
        '<p><span class="cited"><b class="n">[2]</b> <mark>Argentina</mark> said no.</span></p>'
    )


def test_a_cited_sentence_missing_from_the_article_text_is_shown_on_its_own():
    gone = citation(1, "Wire", None, text="<b>Gone</b>.")
    assert cited_paragraphs("", (gone,)) == (
        '<p><span class="cited"><b class="n">[1]</b> &lt;b&gt;Gone&lt;/b&gt;.</span></p>'
    )


def test_the_as_of_box_reads_a_date_as_the_end_of_that_day_and_empty_as_now():
    assert read_as_of("2024-10-21") == datetime(2024, 10, 21, 23, 59, 59, 999_999, tzinfo=UTC)
    assert read_as_of("2999-01-01") is not None  # the future is allowed
    assert read_as_of("") is None and read_as_of("  ") is None


def test_an_unreadable_as_of_box_names_the_value():
    with pytest.raises(ConfigError, match=r"^as of: cannot read 'last week' as a date"):
        read_as_of("last week")
