"""The extractive answer as data: its sentences, citation numbers and answering words."""

from __future__ import annotations

from assistant.answer.combiner import default_combiner
from assistant.answer.cues import question_cues
from assistant.answer.extractive import decide
from assistant.types import AnswerSentence
from tests.helpers import LiteralSource, scored


def test_an_answer_holds_its_sentences_and_each_citation_the_span_that_answers():
    q = "How many residents left after the volcano erupted?"
    answer = decide(q, question_cues(q), [scored(1, 0.8), scored(0, 0.3)], LiteralSource())
    assert answer.sentences == (AnswerSentence("About 4,000 residents left their homes.", (1,)),)
    [cited] = answer.citations
    assert [cited.text[a:b] for a, b in cited.answer_spans] == ["4,000"]
    assert answer.as_json()["citations"][0]["answer_spans"] == [[6, 11]]
    assert answer.as_json()["sources"] == [
        {
            "article_id": cited.article_id, "title": "Volcano erupts near fishing town",
            "outlet": "Island News", "published": None, "url": None, "also_carried_by": [],
            "citations": [1],
        }
    ]  # fmt: skip


def test_a_refusal_holds_its_reason_and_no_sentences_or_answering_words():
    q = "How many residents left after the Etna eruption?"
    refused = decide(q, question_cues(q), [scored(1, 0.9)], LiteralSource())
    assert refused.refused and refused.sentences == ()
    assert refused.refusal_reason == "the sources do not mention etna"
    assert all(c.answer_spans == () for c in refused.citations)
    weak = decide(
        q, question_cues(q), [scored(1, default_combiner().threshold - 0.01)], LiteralSource()
    )
    assert weak.refused and weak.refusal_reason is None
