"""Acceptance: no citation is ever dated after the time its question is asked as of, over
every question of RealTimeQA 2022 (skips when ../shared/corpora is absent). The 2023 set is
in test_no_citation_after_as_of_2023.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.index.build import NewsIndex
from assistant.ingest.loaded import loaded_articles
from assistant.settings import load_settings
from tests.helpers import CORPORA, HEAD_WORDS, assert_nothing_cited_after_as_of, first_paragraphs


@pytest.fixture(scope="module")
def realtimeqa_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The RealTimeQA 2022 corpus (every week's gold articles, each cut to its first
    paragraphs: the same ids, outlets and dates), indexed once for this module."""
    if not (CORPORA / "realtimeqa").is_dir():
        pytest.skip("no ../shared/corpora/realtimeqa")
    articles = [
        replace(a, text=first_paragraphs(a.text, HEAD_WORDS))
        for a in load_realtimeqa(CORPORA, "all").articles
    ]
    folder = tmp_path_factory.mktemp("realtimeqa") / "index"
    settings = load_settings(indexes_dir=folder.parent)
    with NewsIndex.open(settings, str(folder), embedder=embedder, create=True) as index:
        report = index.ingest_articles(loaded_articles(articles))
    assert not report.failed, report.failed
    return folder


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
