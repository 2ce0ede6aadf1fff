"""Other names of one thing hold a question's name in the key-term check."""

from __future__ import annotations

from assistant.answer.aliases import aliased
from assistant.answer.cues import question_cues
from assistant.answer.extractive import MIN_KEY_COVERAGE, key_coverage
from assistant.text import terms
from assistant.types import Article
from tests.helpers import LiteralSource


def test_a_people_is_held_by_its_country_and_a_country_by_its_people():
    assert aliased(["americans"], terms("Rents in the US rose again.")) == ["americans"]
    assert aliased(["americans"], terms("The United States raised rates.")) == ["americans"]
    assert aliased(["china"], terms("The data of Chinese citizens leaked.")) == ["china"]
    assert aliased(["americans", "china"], terms("Residents of Mexico City.")) == []


def test_every_word_of_a_many_word_name_must_be_held():
    assert aliased(["meps"], terms("The European Parliament approved it.")) == ["meps"]
    assert aliased(["meps"], terms("The parliament approved it.")) == []


def test_the_key_term_check_holds_a_body_named_by_its_members_title():
    q = "How many MEPs backed the rules?"
    voted = Article.create(title="Rules", text="The European Parliament backed the rules 523-46.")
    other = Article.create(title="Rules", text="The parliament backed the rules 523-46.")
    cues = question_cues(q)
    assert cues.required_terms == ("meps",)
    assert key_coverage(cues, voted, LiteralSource()) == 1.0
    assert key_coverage(cues, other, LiteralSource()) < MIN_KEY_COVERAGE
