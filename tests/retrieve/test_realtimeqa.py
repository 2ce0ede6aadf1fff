"""On RealTimeQA dev weeks, hybrid retrieval beats dense-only and matches or beats BM25-only
at article level (skips when ../shared/corpora is absent)."""

from __future__ import annotations

import pytest

from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.evaluate.retrieval import article_ranking, retrieval_scores
from assistant.index.build import NewsIndex
from assistant.retrieve.search import HybridSearch
from assistant.settings import load_settings
from tests.conftest import REPO

CORPORA = REPO.parent / "shared" / "corpora"


@pytest.mark.slow
@pytest.mark.skipif(not (CORPORA / "realtimeqa").is_dir(), reason="no ../shared/corpora/realtimeqa")
def test_hybrid_beats_dense_and_matches_bm25_on_realtimeqa_dev(tmp_path, embedder):
    data = load_realtimeqa(CORPORA, "dev")
    assert len(data.questions) >= 90
    with NewsIndex.open(load_settings(indexes_dir=tmp_path), "rtqa", embedder=embedder,
                        create=True) as index:  # fmt: skip
        index.ingest_articles((i + 1, len(data.articles), a) for i, a in enumerate(data.articles))
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
