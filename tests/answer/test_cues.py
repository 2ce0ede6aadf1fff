"""What a question asks for, and the things of that kind in a sentence."""

import pytest

from assistant.answer.cues import (
    asked_for,
    dates,
    gives_the_date,
    names,
    new_things,
    numbers,
    question_cues,
)


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


def test_a_source_must_name_what_the_question_clause_names_not_its_context():
    cues = question_cues(
        "US gas prices have been falling for more than 50 days. What was the record high "
        "average price for a gallon of gas, set in June by AAA?"
    )
    assert "50" in cues.key_terms
    assert cues.required_terms == ("aaa",)
    single = question_cues("Which Argentine president turned down BRICS?")
    assert single.required_terms == single.key_terms == ("argentine", "brics")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("The IRS started accepting returns this week. When is the deadline to file?", "date"),
        ("Which Ivy League school will eliminate student loans?", "organisation"),
        ("Which popular singer will launch a Las Vegas residency?", "person"),
        ("Pelosi made a visit to which area this week?", "place"),
        ("US household debt passed which massive figure this week?", "number"),
        ("Which wildly popular show was green lit for a new season?", "named"),
        ("Cindy Williams, who played Shirley, also appeared in which of these films?", "named"),
        ("Who was in charge when the bridge fell?", "person"),
        ("Which item showed one of the largest price spikes?", "thing"),
        # the asking phrase ends at its verb: "officials" and "lawmakers" are not asked for
        ("Which virus is making officials reconsider an emergency?", "thing"),
        ("Which measure did lawmakers leave out?", "thing"),
        ("What was the magnitude of the quake?", "number"),
        ("What was the record high average price for a gallon of gas?", "number"),
        ("Which of the following US cities saw the biggest increase?", "place"),
        # ... or at a comma: "country" is not what is asked for
        ("Shops cannot stock which condiment, sparking outrage in the country?", "thing"),
    ],
)
def test_the_asked_kind_is_read_from_the_question_clause_and_its_head_word(question, asked):
    assert asked_for(question) == asked


def test_the_head_word_that_named_the_kind_is_kept():
    assert question_cues("Which wildly popular show was green lit?").head == "show"
    assert question_cues("Pelosi made a visit to which area this week?").head == "area"
    assert question_cues("Who was in charge when the bridge fell?").head is None
    # "who is the <role>" asks for a person by a noun, as "which <role>" does
    chief = question_cues("Who is the chief executive of MGM Resorts?")
    assert (chief.asked, chief.head) == ("person", "chief")
    assert question_cues("Who is joining BRICS?").head is None


def test_dates_told_relative_to_the_report_are_dates():
    assert dates("Shots could begin as early as next week.") == ["next week"]
    assert dates("The boosters will be ready later this year.") == ["later this year"]


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


def test_asked_when_something_will_happen_a_weekday_already_past_is_no_answer():
    ahead = question_cues("How soon could the vaccines be available for children?")
    assert ahead.future and ahead.kind == "date"
    assert new_things("Advisers voted unanimously on Wednesday to back the vaccines.", ahead) == []
    assert new_things("Shots could begin as early as next week.", ahead) == ["next week"]
    assert new_things("The advisers are expected to vote Saturday.", ahead) == ["Saturday"]
    past = question_cues("When did the advisers vote on the vaccines?")
    assert not past.future
    assert new_things("Advisers voted unanimously on Wednesday.", past) == ["Wednesday"]


def test_a_date_gives_what_is_asked_only_when_it_holds_the_month_or_year_asked_for():
    assert not gives_the_date("Wednesday", None)
    assert gives_the_date("next month", None)
    assert gives_the_date("May 11", "month") and not gives_the_date("this week", "month")
    assert gives_the_date("1992", "year") and not gives_the_date("May 11", "year")
    assert question_cues("In which month will the emergency end?").head == "month"
