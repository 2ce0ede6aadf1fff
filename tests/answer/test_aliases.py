"""Other names of one thing hold a question's name (the key-term check: test_extractive)."""

from __future__ import annotations

from assistant.answer.aliases import aliased
from assistant.text import terms


def test_a_people_is_held_by_its_country_and_a_country_by_its_people():
    assert aliased(["americans"], terms("Rents in the US rose again.")) == ["americans"]
    assert aliased(["americans"], terms("The United States raised rates.")) == ["americans"]
    assert aliased(["china"], terms("The data of Chinese citizens leaked.")) == ["china"]
    assert aliased(["americans", "china"], terms("Residents of Mexico City.")) == []


def test_every_word_of_a_many_word_name_must_be_held():
    assert aliased(["meps"], terms("The European Parliament approved it.")) == ["meps"]
    assert aliased(["meps"], terms("The parliament approved it.")) == []
