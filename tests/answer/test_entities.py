"""Which entity labels a question asks for, and the new entities a sentence holds."""

from __future__ import annotations

import pytest

from assistant.answer.entities import (
    ANY,
    PERSON,
    PLACE,
    QUANTITY,
    TIME,
    Entity,
    EntityTagger,
    asked_labels,
    new_entities,
)


@pytest.mark.parametrize(
    ("question", "wanted", "not_wanted"),
    [
        ("How many people were evacuated?", QUANTITY, PERSON),
        ("When did the strike end?", TIME, PLACE),
        ("Which countries will join BRICS?", {"GPE"}, QUANTITY),
        ("Where is the summit being held?", {"GPE", "LOC"}, TIME),
        ("Who was named chief executive?", PERSON, TIME),
        ("Which company bought the port?", {"ORG"}, TIME),
    ],
)
def test_the_question_word_sets_the_entity_labels(question, wanted, not_wanted):
    labels = asked_labels(question)
    assert set(wanted) <= labels
    assert not set(not_wanted) & labels


def test_a_question_naming_no_kind_accepts_every_label():
    assert asked_labels("What did the images show?") == ANY


def test_entities_the_question_already_names_are_not_new():
    text = "Saudi Arabia and Egypt will join BRICS."
    entities = [Entity(0, 12, "GPE"), Entity(17, 22, "GPE"), Entity(33, 38, "ORG")]
    found = new_entities(text, entities, "Will Saudi Arabia join BRICS?", ANY)
    assert [text[e.start : e.end] for e in found] == ["Egypt"]


def test_the_tagger_finds_countries_and_caches_what_it_tagged():
    tagger = EntityTagger(cache_size=2)
    text = "Egypt, Ethiopia and Argentina will join BRICS in January, Cyril Ramaphosa said."
    (entities,) = tagger.tag([text])
    by_label = {text[e.start : e.end]: e.label for e in entities}
    assert by_label["Egypt"] == "GPE" and by_label["Argentina"] == "GPE"
    assert by_label["Cyril Ramaphosa"] == "PERSON"
    assert tagger.tag([text]) == [entities]  # from the cache
    tagger.tag(["One.", "Two sentences here.", "Three of them now."])
    assert len(tagger._cache) == 2  # bounded
