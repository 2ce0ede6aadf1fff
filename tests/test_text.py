"""The vocabulary: words, terms, tokens, word forms, weighted coverage and names."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import (
    Vocabulary,
    calendar_words,
    coverage,
    names,
    same_word,
    stem,
    terms,
    tokens,
    words,
)
from tests.helpers import SAMPLE_ARTICLES

SAMPLE_WORDS = sorted({w for path in SAMPLE_ARTICLES.glob("*.md") for w in terms(path.read_text())})
_word = st.sampled_from(SAMPLE_WORDS) | st.from_regex(r"[a-z0-9][a-z0-9'.\-]{0,12}", fullmatch=True)


def test_word_forms_of_one_word_match_and_different_words_do_not():
    for a, b in [("korea", "korean"), ("europe", "european"), ("argentina", "argentine"),
                 ("voted", "votes"), ("join", "joining"), ("arabia", "arabian"),
                 ("countries", "country"), ("voting", "voted")]:  # fmt: skip
        assert same_word(a, b), (a, b)
    for a, b in [("austria", "australia"), ("iran", "iraq"), ("news", "new"), ("rate", "ratify")]:
        assert not same_word(a, b), (a, b)


@settings(max_examples=3000, deadline=None)
@given(_word, _word)
def test_forms_of_one_word_start_with_the_same_character(a, b):
    """What lets `Vocabulary` compare a term only with the words of its first character."""
    if same_word(a, b):
        assert a[:1] == b[:1]


@settings(max_examples=300, deadline=None)
@given(_word, st.lists(_word, max_size=40))
def test_a_vocabulary_finds_a_term_exactly_when_some_word_is_a_form_of_it(term, vocabulary):
    assert (term in Vocabulary(vocabulary)) == any(same_word(term, w) for w in vocabulary)


def test_stem_gives_one_form_to_the_inflections_of_a_word():
    assert stem("voted") == stem("votes") == stem("voting") == stem("vote") == "vote"
    assert stem("countries") == stem("country")
    assert stem("gas") == "gas"
    assert stem("covid-19") == "covid-19" and stem("5.25") == "5.25"


def test_terms_drop_stop_words_possessives_and_repeats():
    assert terms("Who is joining BRICS? BRICS's members") == ["joining", "brics", "members"]


def test_coverage_weights_rare_words_more():
    weights = {"belarus": 5.0, "troops": 1.0}
    assert coverage(["belarus", "troops"], ["troops", "russia"], weights) == 1 / 6
    assert coverage(["belarus", "troops"], ["belarus", "troop"], weights) == 1.0
    assert coverage([], ["x"], weights) == 0.0


def test_words_keep_codes_and_figures_whole_and_split_plain_compounds():
    assert words("COVID-19 rose 5.25% in the U.S. and U.K.; Alaska-Hawaiian, U.S.-led") == [
        "covid-19", "rose", "5.25", "in", "the", "us", "and", "uk", "alaska", "hawaiian",
        "us", "led",
    ]  # fmt: skip
    assert words("Türkiye’s São Paulo office") == ["türkiye", "são", "paulo", "office"]


def test_tokens_are_the_words_the_index_counts_with_repeats():
    assert tokens("The votes: voters voted, and voting went on. Votes!") == [
        "votes", "voters", "voted", "voting", "went", "votes",
    ]  # fmt: skip
    assert tokens("COVID-19 in the U.S. at 5.25%") == ["covid-19", "us", "5.25"]
    # every term is a token: its rarity weight is the token's idf
    text = "What did the U.S. say about COVID-19 and the 5.25% rate they set?"
    assert terms(text) == ["us", "covid-19", "5.25", "rate", "set"]
    assert set(terms(text)) <= set(tokens(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # answer cues: names in a sentence, months and sentence openers left out
        ("On 1 January 2024, Iran and Saudi Arabia joined.", ["Iran", "Saudi Arabia"]),
        ("Leaders said Iran and Egypt will join BRICS.", ["Iran", "Egypt", "BRICS"]),
        ("BRICS leaders met on Tuesday.", ["BRICS"]),
        ("Officials said the Bank of Japan held rates.", ["Bank of Japan"]),
        ("Iran joined. Egypt did too.", []),
        # follow-ups: a question's first word is not a name, the rest as written
        ("Who met Xi Jinping in Kazan?", ["Xi Jinping", "Kazan"]),
        ("Name the country that left.", []),
        # question cues: names with hyphens and digits are one name
        ("Did the Alaska-Hawaiian deal stall Chandrayaan-3?", ["Alaska-Hawaiian", "Chandrayaan-3"]),
        ("COVID-19 cases rose in Türkiye and São Paulo.", ["COVID-19", "Türkiye", "São Paulo"]),
        (
            "In New York, the U.S. Senate met The Hague's envoy.",
            ["New York", "U.S. Senate", "Hague"],
        ),
        ("According to Reuters, However and Monday are no names.", ["Reuters"]),
    ],
)
def test_names_are_capitalized_runs_as_written(text, expected):
    assert names(text) == expected


def test_the_citation_check_also_counts_a_capitalized_word_opening_a_sentence():
    assert names("France and Iran were invited.", openers=True) == ["France", "Iran"]
    assert names("Iran joined. Egypt did too.", openers=True) == ["Iran", "Egypt"]
    assert names("However, Meridian Wire says so.", openers=True) == ["Meridian Wire"]
    assert calendar_words("Parliament voted on March 13, a Monday; rates may fall.") == [
        "march", "monday",
    ]  # fmt: skip
