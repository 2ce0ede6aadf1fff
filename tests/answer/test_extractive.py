"""Sentence choice and the refusal rule on small literal inputs."""

from __future__ import annotations

from assistant.answer.combiner import default_combiner
from assistant.answer.cues import question_cues
from assistant.answer.entities import Entity
from assistant.answer.extractive import ScoredSentence, adds_to, decide
from assistant.types import Article, Sentence
from tests.helpers import LiteralSource, scored


def test_a_supported_answer_cites_the_best_sentence_verbatim():
    q = "How many residents left after the volcano erupted?"
    answer = decide(q, question_cues(q), [scored(1, 0.8), scored(0, 0.3)], LiteralSource())
    assert not answer.refused
    assert answer.text == "About 4,000 residents left their homes. [1]"
    assert answer.citations[0].outlet == "Island News"


def test_below_the_score_threshold_the_answer_is_a_refusal():
    q = "How many residents left after the volcano erupted?"
    answer = decide(
        q, question_cues(q), [scored(1, default_combiner().threshold - 0.01)], LiteralSource()
    )
    assert answer.refused and answer.citations


def test_a_name_the_source_never_mentions_means_refusal():
    q = "How many residents left after the Etna eruption?"
    answer = decide(q, question_cues(q), [scored(1, 0.9)], LiteralSource())
    assert answer.refused and "etna" in answer.text


def test_a_typed_question_without_a_thing_of_that_kind_is_refused():
    q = "How many residents left after the volcano erupted?"
    answer = decide(q, question_cues(q), [scored(0, 0.9, kind=0.0)], LiteralSource())
    assert answer.refused


def test_a_second_sentence_joins_only_when_it_names_a_new_thing_of_the_asked_kind():
    q = "When did the volcano erupt and how many left?"
    lead = scored(1, 0.9, entities=(Entity(6, 11, "CARDINAL"),))  # "4,000"
    monday = scored(0, 0.8, entities=(Entity(22, 28, "DATE"),))  # "Monday"
    nothing_new = scored(0, 0.8)
    assert adds_to(monday, [lead])
    assert not adds_to(nothing_new, [lead])
    answer = decide(q, question_cues(q), [lead, nothing_new], LiteralSource())
    assert len(answer.citations) == 1


def test_the_sentence_before_a_lead_that_opens_with_a_pronoun_joins():
    text = "Mayor Ana Ruiz resigned on Friday. She had led the town since 2019."
    article = Article.create(title="Mayor resigns", text=text, outlet="Island News")
    first = Sentence(article.id, 0, 0, 34, text[0:34])
    second = Sentence(article.id, 1, 35, len(text), text[35:])
    lead = ScoredSentence(second, article, 0, 0.9, {"kind": 1.0})
    before = ScoredSentence(first, article, 0, 0.6, {"kind": 1.0})
    assert adds_to(before, [lead])
    assert not adds_to(lead, [before])
