"""Different figures from different sources become a conflict; agreement does not."""

from assistant.answer.conflicts import (
    Claim,
    counts_any,
    figure_conflict,
    figure_value,
    of_the_measure,
)

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
    assert figure_value("About 1,500 troops have crossed.", Q) == "About 1,500"


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


def test_figures_that_measure_different_things_never_conflict():
    q = "How much has the jackpot grown to?"
    pairs = [
        ("The jackpot grew to $940 million.", "After 23 drawings, nobody has won."),
        ("Egg prices rose 7% this year.", "A dozen eggs cost $4.25 in December."),
        ("The last such funeral was 600 years ago.", "The mass began at 9:30 a.m."),
        ("Benedict died aged 95.", "He was the first pontiff in nearly 600 years to quit."),
        ("Benedict died Saturday at age 95.", "He was the first pontiff in 600 years to quit."),
        ("The 95-year-old pope died.", "He was the first pontiff in nearly 600 years to quit."),
    ]
    for first, second in pairs:
        assert figure_conflict([Claim(1, "a", first), Claim(2, "b", second)], q) is None, first
    money = [Claim(1, "a", "It grew to $940 million."), Claim(2, "b", "It is now $1.35 billion.")]
    assert figure_conflict(money, q) is not None


def test_a_figure_keeps_its_scale_word_and_is_compared_with_it():
    q = "How much has the jackpot grown to?"
    assert figure_value("The jackpot grew to $940 million on Friday.", q) == "$940 million"
    assert figure_value("It sold some 2 thousand tickets.", q) == "some 2 thousand"
    scaled = [Claim(1, "a", "It grew to $1 billion."), Claim(2, "b", "It is now $1 million.")]
    conflict = figure_conflict(scaled, q)
    assert conflict is not None
    assert conflict.values == (("$1 billion", 1), ("$1 million", 2))
    same = [Claim(1, "a", "It grew to $1 billion."), Claim(2, "b", "It is now $1,000 million.")]
    assert figure_conflict(same, q) is None


def test_figures_conflict_only_over_the_measure_the_question_names():
    q = "What magnitude did the quake reach?"
    tolls = [
        Claim(1, "a", "The death toll has passed 5,000 after the earthquake."),
        Claim(2, "b", "In Syria, the death toll is now above 1,800."),
    ]
    assert figure_conflict(tolls, q, "magnitude") is None
    readings = [
        Claim(1, "a", "The magnitude 7.8 quake struck before dawn."),
        Claim(2, "b", "Seismologists put its magnitude at 7.5."),
    ]
    assert figure_conflict(readings, q, "magnitude") is not None
    fares = [Claim(1, "a", "The fare rose to $3.80."), Claim(2, "b", "About 40 boats sail daily.")]
    fares_too = [Claim(1, "a", "The fare rose to $3.80."), Claim(2, "b", "It now costs $4.10.")]
    assert figure_conflict(fares, "What is the fare?", "fare") is None
    assert figure_conflict(fares_too, "What is the fare?", "fare") is not None
    debt = [Claim(1, "a", "Debt passed $16 trillion."), Claim(2, "b", "Debt hit $15 trillion.")]
    assert figure_conflict(debt, "Debt passed which figure?", "figure") is not None


def test_a_currency_named_after_the_scale_word_is_money():
    q = "What is the largest fine a firm can face?"
    assert of_the_measure("Firms may be fined up to 20 million euros.", q, "fine")
    assert of_the_measure("The penalty can reach 3 billion yen.", q, "fine")
    assert not of_the_measure("Some 20 million users were affected.", q, "fine")
    fines = [
        Claim(1, "a", "Firms may be fined up to 20 million euros."),
        Claim(2, "b", "The cap on fines is 30 million euros."),
    ]
    assert figure_conflict(fines, q, "fine") is not None


def test_a_count_may_name_what_the_question_counts_by_another_noun_news_uses_for_it():
    q = "How many troops has North Korea sent?"
    assert counts_any("North Korea is preparing 10,000 soldiers to send.", q, ("troops",))
    assert counts_any("The firm cut 3,700 jobs.", "How many employees?", ("employees",))
    assert not counts_any("North Korea fired 10 missiles.", q, ("troops",))


def test_a_count_names_what_the_question_counts():
    q = "How many employees were laid off?"
    assert counts_any("The company cut 3,700 employees on Friday.", q, ("employees",))
    assert not counts_any(
        "Musk completed his $44 billion purchase of the company.", q, ("employees",)
    )
    assert not counts_any("Employees are waiting to hear about cuts.", q, ("employees",))
    recalled = ("strollers", "seats")
    assert counts_any("Regulators recalled 2 million strollers.", "How many?", recalled)
