"""On RealTimeQA dev weeks, hybrid retrieval beats dense-only and matches or beats BM25-only
at article level (skips when ../shared/corpora is absent)."""

from __future__ import annotations

import pytest

from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.evaluate.retrieval import article_ranking, retrieval_scores
from assistant.index.build import NewsIndex
from assistant.ingest.loaded import loaded_articles
from assistant.retrieve.search import HybridSearch
from assistant.settings import load_settings
from tests.helpers import CORPORA


@pytest.mark.slow
@pytest.mark.skipif(not (CORPORA / "realtimeqa").is_dir(), reason="no ../shared/corpora/realtimeqa")
def test_hybrid_beats_dense_and_matches_bm25_on_realtimeqa_dev(tmp_path, embedder):
    data = load_realtimeqa(CORPORA, "dev")
    assert len(data.questions) >= 90
    # the dev weeks' articles only, as this was measured: the adapter's corpus holds all 22
    # weeks (for eval with dates), where BM25 ranks a gold article in the top 5 slightly
    # more often than hybrid (0.969 against 0.959 on these questions)
    wanted = {article_id for q in data.questions for article_id in q.articles}
    articles = [a for a in data.articles if a.id in wanted]
    with NewsIndex.open(load_settings(indexes_dir=tmp_path), "rtqa", embedder=embedder,
                        create=True) as index:  # fmt: skip
        index.ingest_articles(loaded_articles(articles))
        search = HybridSearch(index, embedder, collapse_copies=False)
        vectors = {q.id: embedder.embed([q.question])[0] for q in data.questions}
        scores = {
            mode: retrieval_scores(
                data.questions,
                lambda q, m=mode: article_ranking(
                    search.search(q.question, 10, mode=m, query_vector=vectors[q.id])
                ),
            )
            for mode in ("hybrid", "dense", "bm25")
        }
    hybrid, dense, bm25 = scores["hybrid"], scores["dense"], scores["bm25"]
    for metric in ("hits@1", "hits@5", "mrr@10"):
        assert hybrid[metric] >= dense[metric], (metric, scores)
        assert hybrid[metric] >= bm25[metric], (metric, scores)
    assert hybrid["hits@1"] > dense["hits@1"] and hybrid["mrr@10"] > dense["mrr@10"]
