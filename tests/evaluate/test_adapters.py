"""Public sets as corpus + questions (skip when ../shared/corpora is absent)."""

import json
from datetime import timedelta

import pytest

from assistant.evaluate.realtimeqa import DEV_WEEKS, FOLDER, MIN_WORDS, load_realtimeqa
from assistant.evaluate.realtimeqa2023 import load_realtimeqa2023, split_of
from assistant.evaluate.rgb import load_rgb
from tests.helpers import CORPORA


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
    assert len(dev.questions) + len(test.questions) == len(data.questions)


@pytest.mark.skipif(not (CORPORA / "realtimeqa").is_dir(), reason="no RealTimeQA here")
def test_realtimeqa_questions_carry_their_quiz_date_and_every_split_sees_all_weeks():
    folder = CORPORA / FOLDER
    quiz_dates = {
        record["question_id"]: record["question_date"]
        for path in folder.glob("*_qa.jsonl")
        for record in map(json.loads, path.read_text().splitlines())
    }
    everything = load_realtimeqa(CORPORA, "all")
    for split in ("dev", "test"):
        data = load_realtimeqa(CORPORA, split)
        # the index holds every week's articles: a question must find its own week itself
        assert {a.id for a in data.articles} == {a.id for a in everything.articles}
        for q in data.questions:
            assert q.as_of.strftime("%Y/%m/%d") == quiz_dates[q.id], q.id
            assert (q.as_of.hour, q.as_of.minute, q.as_of.utcoffset()) == (23, 59, timedelta(0))
        # while the questions still come only from the split's own weeks
        weeks = {q.id.split("_")[0] for q in data.questions}
        assert weeks <= set(DEV_WEEKS) if split == "dev" else not weeks & set(DEV_WEEKS)


@pytest.mark.skipif(not (CORPORA / "rgb").is_dir(), reason="no RGB here")
def test_rgb_positive_corpus_answers_and_negative_corpus_must_be_refused():
    positive, negative = load_rgb(CORPORA), load_rgb(CORPORA, negative=True)
    assert len(positive.questions) == len(negative.questions) == 100
    assert all(q.answerable and q.answers for q in positive.questions)
    assert not any(q.answerable for q in negative.questions)
    assert positive.articles and negative.articles


@pytest.mark.skipif(not (CORPORA / "rgb").is_dir(), reason="no RGB here")
def test_an_rgb_snippet_holds_only_its_own_words_not_the_question():
    data = load_rgb(CORPORA, negative=True)
    asked = {q.question for q in data.questions}
    assert not any(a.title in asked for a in data.articles)
    assert all(a.text.startswith(a.title.rstrip(". ")[:40]) for a in data.articles)


@pytest.mark.skipif(not (CORPORA / "realtimeqa-2023q1").is_dir(), reason="no RealTimeQA 2023")
def test_realtimeqa_2023q1_splits_its_dated_questions_and_keeps_every_article():
    everything, test = load_realtimeqa2023(CORPORA, "all"), load_realtimeqa2023(CORPORA, "test")
    dev = [q for q in everything.questions if split_of(q) == "dev"]
    assert [q.id for q in test.questions] == [
        q.id for q in everything.questions if split_of(q) == "test"
    ]
    assert (len(dev), len(test.questions), len(everything.questions)) == (98, 59, 157)
    assert len(test.articles) == len(everything.articles) == 2150
    assert max(q.as_of for q in dev).date().isoformat() == "2023-02-24"
    # week 2023-03-03 asked some of its questions on the 2nd: still a test week
    assert min(q.as_of for q in test.questions).date().isoformat() == "2023-03-02"
    assert {q.id[5:13] for q in dev} <= {f"2023{m:02d}{d:02d}" for m in (1, 2) for d in range(32)}
    assert sum(not q.answerable for q in test.questions) == 24  # the last two weeks
    urls = {a.url for a in everything.articles}
    assert all(set(q.articles) <= urls for q in everything.questions)
    # the set's own fields ride along, unread
    assert {"choices", "gold_choice", "article_scores"} <= set(everything.questions[0].extra)
