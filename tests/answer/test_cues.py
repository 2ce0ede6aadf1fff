"""What a question asks for, and the things of that kind in a sentence."""

import pytest

from assistant.answer.cues import (
    asked_for,
    counted_nouns,
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


def test_the_words_asking_for_news_on_a_subject_are_no_terms_a_sentence_must_hold():
    cues = question_cues("latest news on the Key Bridge")
    assert cues.terms == ("key", "bridge") and cues.current
    fact = question_cues("What is the newest Pixel phone called?")
    assert "newest" in fact.terms and fact.current  # the newest phone is the thing asked about
    assert not question_cues("Who runs the port?").current


def test_a_source_must_name_what_the_question_clause_names_not_its_context():
    cues = question_cues(
        "Diesel prices have dropped for more than 40 days. What was the highest ever mean "
        "price for a litre of diesel, set in May by AAA?"
    )
    assert "40" in cues.key_terms
    assert cues.required_terms == ("aaa",)
    single = question_cues("Which Argentine president turned down BRICS?")
    assert single.required_terms == single.key_terms == ("argentine", "brics")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("The tax agency began taking filings on Monday. When is the last day to file?", "date"),
        ("Which Ivy League school will drop tuition for nurses?", "organisation"),
        ("Which famous singer will open a run of shows in Reno?", "person"),
        ("The speaker paid a visit to which area on Friday?", "place"),
        ("Student debt in the US topped which huge figure this month?", "number"),
        ("Which hugely popular show was renewed for a third season?", "named"),
        ("Ada Brandt, who played the mayor, also starred in which of these films?", "named"),
        ("Who was in charge when the bridge fell?", "person"),
        ("Which item saw one of the steepest price rises?", "thing"),
        # the asking phrase ends at its verb: "officials" and "lawmakers" are not asked for
        ("Which virus is making officials reconsider an emergency?", "thing"),
        ("Which measure did senators drop from the bill?", "thing"),
        ("What was the magnitude of the earthquake?", "number"),
        ("What was the highest ever mean price for a litre of diesel?", "number"),
        ("Which of these US cities had the sharpest rise?", "place"),
        # ... or at a comma: "country" is not what is asked for
        ("Shops cannot stock which spice, angering buyers across the country?", "thing"),
    ],
)
def test_the_asked_kind_is_read_from_the_question_clause_and_its_head_word(question, asked):
    assert asked_for(question) == asked


def test_the_head_word_that_named_the_kind_is_kept():
    assert question_cues("Which hugely popular show was renewed?").head == "show"
    assert question_cues("The speaker paid a visit to which area on Friday?").head == "area"
    assert question_cues("Who was in charge when the bridge fell?").head is None
    # "who is the <role>" asks for a person by a noun, as "which <role>" does
    chief = question_cues("Who is the chief executive of MGM Resorts?")
    assert (chief.asked, chief.head) == ("person", "chief")
    assert question_cues("Who is joining BRICS?").head is None


def test_dates_told_relative_to_the_report_are_dates():
    assert dates("Doses could arrive as soon as next week.") == ["next week"]
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
    assert new_things("Doses could arrive as soon as next week.", ahead) == ["next week"]
    assert new_things("The panel is expected to meet Saturday.", ahead) == ["Saturday"]
    past = question_cues("When did the advisers vote on the vaccines?")
    assert not past.future
    assert new_things("Advisers voted unanimously on Wednesday.", past) == ["Wednesday"]


def test_a_date_gives_what_is_asked_only_when_it_holds_the_month_or_year_asked_for():
    assert not gives_the_date("Wednesday", None)
    assert gives_the_date("next month", None)
    assert gives_the_date("May 11", "month") and not gives_the_date("this week", "month")
    assert gives_the_date("1992", "year") and not gives_the_date("May 11", "year")
    assert question_cues("In which month will the emergency end?").head == "month"


@pytest.mark.parametrize(
    ("clause", "counted"),
    [
        ("How many Twitter employees were laid off in the first round?", ("employees",)),
        ("Roughly how many strollers and seats were recalled?", ("strollers", "seats")),
        ("How many new members will join BRICS?", ("members",)),
        ("How many months was the ban extended?", ("months",)),
        ("How many were killed in the blast?", ()),
        ("How many people left the city?", ("people", "left")),
        ("How many times has she won the title?", ()),
        ("How much did the toll rise?", ()),
    ],
    ids=[
        "a name before the noun",
        "nouns joined by and",
        "a modifier",
        "a unit",
        "none",
        "a verb of another form",
        "times",
        "how much",
    ],
)
def test_what_how_many_counts_is_read_from_the_phrase_after_it(clause, counted):
    assert counted_nouns(clause) == counted
    assert question_cues(clause).counted == counted


def test_the_digits_of_a_name_are_no_figure():
    sentence = "4moms recalled 2 million swings; G7 leaders met as COVID-19 and BA.5 spread."
    assert numbers(sentence) == ["2 million"]
    assert numbers("The 10th ballot, a 4K screen, a £15m fee, 13.1% and $1.35 billion.") == [
        "10",
        "4",
        "£15",
        "13.1%",
        "$1.35 billion",
    ]
