"""The windows a question's time words set, relative to its as-of time (pure)."""

from datetime import UTC, datetime

import pytest

from assistant.retrieve.timescope import (
    asks_for_current,
    is_time_phrase,
    time_scope,
    without_news_request,
)

FRIDAY = datetime(2023, 1, 13, 18, 0, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("question", "since_day"),
    [
        ("How much did the jackpot grow after no winner was announced on Tuesday?", 10),
        ("Flights were delayed early Wednesday because of what?", 11),
        ("Beyoncé made history Sunday. When did she win her first Grammy?", 8),
        ("On Friday, which company said it would cut jobs?", 13),
        ("Who won the election this week, the vote counted on Tuesday?", 6),  # "this week" first
    ],
)
def test_a_weekday_named_as_a_day_sets_a_window_from_its_latest_date(question, since_day):
    scope = time_scope(question, FRIDAY)
    assert scope.since == datetime(2023, 1, since_day, tzinfo=UTC)
    assert scope.until == FRIDAY


@pytest.mark.parametrize(
    "question",
    [
        "How much did shoppers spend on Black Friday?",
        "Who won the most states on Super Tuesday?",
        "What will the council decide next Monday?",
        "Who won the Super Bowl on Sunday, February 12?",
        "Which bill passed on Tuesday, June 14?",
        "Who runs the port?",
    ],
)
def test_a_weekday_in_a_name_after_next_or_beside_a_date_sets_no_window(question):
    scope = time_scope(question, FRIDAY)
    assert scope.since is None and scope.until is None


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("latest news on the bridge", "the bridge"),
        ("What's the latest on BRICS?", "What's BRICS?"),
        ("Any updates about the ferry strike?", "the ferry strike?"),
        ("What is new with Alaska Airlines?", "Alaska Airlines?"),
        ("News from the Red Sea", "the Red Sea"),
        ("What are the latest developments in the strike?", "the strike?"),
    ],
)
def test_a_request_for_news_on_a_subject_asks_for_now_and_leaves_the_subject(question, subject):
    assert asks_for_current(question)
    assert without_news_request(question) == subject


@pytest.mark.parametrize(
    "question",
    [
        "Who runs the port?",
        "Which outlet broke the news on Tuesday?",
        "What is the newest phone called?",
        "This walkout was the latest in three months of stoppages. Who called it?",
    ],
)
def test_a_question_on_a_fact_keeps_its_words(question):
    assert without_news_request(question) == question


@pytest.mark.parametrize(
    ("question", "published"),
    [
        ("Who took over this week?", "this week"),
        ("What did the bank do in March?", "in March"),
        ("What has changed since 2021?", "since 2021"),
        ("What did the council announce on Tuesday?", "on Tuesday"),
        ("What happened yesterday?", "yesterday"),
    ],
)
def test_a_window_is_said_in_words_that_follow_published(question, published):
    assert time_scope(question, FRIDAY).published == published


@pytest.mark.parametrize(
    ("text", "only_time"),
    [
        ("in March", True),
        ("last year", True),
        ("now", True),
        ("on Tuesday", True),
        ("since 2021", True),
        ("March", False),  # a month alone sets no window
        ("the bridge", False),
        ("in March the bank", False),
        ("", False),
    ],
)
def test_a_phrase_of_time_words_alone_is_told_from_one_with_a_subject(text, only_time):
    assert is_time_phrase(text) is only_time


@pytest.mark.parametrize(
    ("question", "since", "label"),
    [
        ("what did the bank do in march?", datetime(2022, 3, 1, tzinfo=UTC), "in march"),
        ("In March, who ran the port?", datetime(2022, 3, 1, tzinfo=UTC), "in March"),
        ("Since 2021, who has run it?", datetime(2021, 1, 1, tzinfo=UTC), "since 2021"),
    ],
)
def test_a_month_typed_in_lower_case_or_a_window_opening_the_question_sets_it(
    question, since, label
):
    scope = time_scope(question, FRIDAY)
    assert scope.since == since and scope.label == label


def test_may_in_lower_case_is_left_to_be_the_verb():
    assert not time_scope("Which rates in may rise?", FRIDAY).window
