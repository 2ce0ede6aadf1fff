"""Public sets as corpus + questions (skip when ../shared/corpora is absent)."""

import pytest

from assistant.evaluate.realtimeqa import MIN_WORDS, load_realtimeqa
from assistant.evaluate.rgb import load_rgb
from tests.conftest import REPO

CORPORA = REPO.parent / "shared" / "corpora"


@pytest.mark.skipif(not (CORPORA / "realtimeqa").is_dir(), reason="no RealTimeQA here")
def test_realtimeqa_keeps_real_articles_and_questions_that_point_at_them():
    data = load_realtimeqa(CORPORA, "all")
    assert len(data.questions) > 150 and data.dropped_questions > 0
    ids = {a.id for a in data.articles}
    assert all(len(a.text.split()) >= MIN_WORDS for a in data.articles)
    assert len({" ".join(a.text.split()) for a in data.articles}) == len(data.articles)
    assert all(set(q.articles) <= ids and q.answers for q in data.questions)
    dev, test = load_realtimeqa(CORPORA, "dev"), load_realtimeqa(CORPORA, "test")
    assert not {q.id for q in dev.questions} & {q.id for q in test.questions}


@pytest.mark.skipif(not (CORPORA / "rgb").is_dir(), reason="no RGB here")
def test_rgb_positive_corpus_answers_and_negative_corpus_must_be_refused():
    positive, negative = load_rgb(CORPORA), load_rgb(CORPORA, negative=True)
    assert len(positive.questions) == len(negative.questions) == 100
    assert all(q.answerable and q.answers for q in positive.questions)
    assert not any(q.answerable for q in negative.questions)
    assert positive.articles and negative.articles
