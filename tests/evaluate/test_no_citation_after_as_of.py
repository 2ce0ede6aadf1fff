"""Acceptance: no citation is ever dated after the time its question is asked as of, over
every question of the public sets with dates (skips when ../shared/corpora is absent)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.evaluate.dataset import Question
from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.evaluate.realtimeqa2023 import ARTICLES, load_realtimeqa2023
from assistant.index.build import NewsIndex
from assistant.ingest.loaded import loaded_articles
from assistant.ingest.loaders import article_from_record
from assistant.pipeline import Assistant
from assistant.retrieve.search import HybridSearch
from assistant.settings import load_settings
from assistant.types import Article
from tests.helpers import REPO

CORPORA = REPO.parent / "shared" / "corpora"

# a reduced 2023 corpus: each article cut to its first paragraphs, about one chunk
HEAD_WORDS = 150
AFTER = timedelta(days=14)


@pytest.fixture(scope="module")
def realtimeqa_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The RealTimeQA 2022 corpus (every week's gold articles) indexed once for this module."""
    if not (CORPORA / "realtimeqa").is_dir():
        pytest.skip("no ../shared/corpora/realtimeqa")
    articles = load_realtimeqa(CORPORA, "all").articles
    folder = tmp_path_factory.mktemp("realtimeqa") / "index"
    settings = load_settings(indexes_dir=folder.parent)
    with NewsIndex.open(settings, str(folder), embedder=embedder, create=True) as index:
        report = index.ingest_articles(loaded_articles(articles))
    assert not report.failed, report.failed
    return folder


def assert_nothing_cited_after_as_of(index: NewsIndex, questions: Sequence[Question], embedder):
    """Ask every question as of its date, as `newsqa eval` does, and check every citation."""
    assistant = Assistant(HybridSearch(index, embedder))
    late, dated = [], 0
    for q in questions:
        answer = assistant.ask(q.question, as_of=q.as_of)
        assert answer.as_of == q.as_of
        # a citation shows its own date and those of the outlets that also carried the story
        shown = [(c.n, c.published) for c in answer.citations]
        shown += [(c.n, k.published) for c in answer.citations for k in c.also_carried_by]
        late += [(q.id, q.as_of, n, when) for n, when in shown if when and when > q.as_of]
        dated += any(c.published for c in answer.citations)
    assert late == []
    # not vacuous: most questions are answered with dated citations
    assert dated > len(questions) / 2


@pytest.mark.slow
@pytest.mark.skipif(not (CORPORA / "realtimeqa").is_dir(), reason="no ../shared/corpora/realtimeqa")
def test_realtimeqa_2022_every_question_of_every_week_cites_nothing_after_its_date(
    realtimeqa_index_dir: Path, embedder
):
    questions = load_realtimeqa(CORPORA, "all").questions
    assert len(questions) > 190 and all(q.as_of for q in questions)
    settings = load_settings(indexes_dir=realtimeqa_index_dir.parent)
    with NewsIndex.open(settings, str(realtimeqa_index_dir), embedder=embedder) as index:
        # the index holds articles published after many questions' dates
        newest = max(a.published for a in index.catalog.articles() if a.published)
        assert sum(q.as_of < newest for q in questions) > 150
        assert_nothing_cited_after_as_of(index, questions, embedder)


def first_paragraphs(text: str, words: int) -> str:
    kept, count = [], 0
    for paragraph in (p for p in text.split("\n") if p.strip()):
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(kept)


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
