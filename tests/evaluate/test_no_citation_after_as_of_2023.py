"""Acceptance: no citation is ever dated after the time its question is asked as of, over
every question of RealTimeQA 2023q1 (skips when ../shared/corpora is absent)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from assistant.evaluate.dataset import Question
from assistant.evaluate.realtimeqa2023 import ARTICLES, load_realtimeqa2023
from assistant.index.build import NewsIndex
from assistant.ingest.loaded import loaded_articles
from assistant.ingest.loaders import article_from_record
from assistant.settings import load_settings
from assistant.types import Article
from tests.helpers import CORPORA, HEAD_WORDS, assert_nothing_cited_after_as_of, first_paragraphs

AFTER = timedelta(days=14)


def reduced_2023_corpus(questions: Sequence[Question]) -> list[Article]:
    """The articles that support each question, and every article published in the two weeks
    after a question's date (the ones that must not be cited), cut to their first
    paragraphs: the same ids, outlets and dates as the full corpus, a sixth of its articles."""
    path = CORPORA / ARTICLES
    lines = path.read_text(encoding="utf-8").splitlines()
    records = {json.loads(line)["url"]: (n, json.loads(line)) for n, line in enumerate(lines, 1)}
    wanted = {url for q in questions for url in q.articles}
    for url, (_, record) in records.items():
        published = datetime.fromisoformat(record["published"]).date()
        if any(q.as_of.date() < published <= q.as_of.date() + AFTER for q in questions):
            wanted.add(url)
    articles = []
    for url in sorted(wanted):
        number, record = records[url]
        head = first_paragraphs(record["text"], HEAD_WORDS)
        articles.append(article_from_record({**record, "text": head}, f"{path}:{number}"))
    return articles


@pytest.mark.slow
@pytest.mark.skipif(
    not (CORPORA / "realtimeqa-2023q1").is_dir(), reason="no ../shared/corpora/realtimeqa-2023q1"
)
def test_realtimeqa_2023q1_every_question_cites_nothing_after_its_date(tmp_path, embedder):
    questions = load_realtimeqa2023(CORPORA, "all").questions
    assert len(questions) == 157
    articles = reduced_2023_corpus(questions)
    assert 300 < len(articles) < 400
    # the most tempting late articles: 17 questions have a supporting one dated after them
    by_url = {a.url: a for a in articles}
    tempted = [q for q in questions if any(by_url[u].published > q.as_of for u in q.articles)]
    assert len(tempted) >= 15
    settings = load_settings(indexes_dir=tmp_path)
    with NewsIndex.open(settings, "rtqa23-reduced", embedder=embedder, create=True) as index:
        report = index.ingest_articles(loaded_articles(articles))
        assert not report.failed, report.failed
        assert_nothing_cited_after_as_of(index, questions, embedder)
