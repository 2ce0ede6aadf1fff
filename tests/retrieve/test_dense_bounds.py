"""A date-bounded dense search ranks the chunks of narrow bounds exactly, and for wider ones asks
Chroma without the filter for more chunks and keeps those inside the bounds: either way it finds
the chunks Chroma's own filtered query finds, in the same order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.index.build import NewsIndex
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import OVERFETCH, HybridSearch
from assistant.settings import load_settings

QUESTION = "Which countries are joining BRICS?"


@pytest.fixture(scope="module")
def sample_index(sample_index_dir: Path, embedder):
    settings = load_settings(indexes_dir=sample_index_dir.parent)
    with NewsIndex.open(settings, str(sample_index_dir), embedder=embedder) as index:
        yield index


def chroma_filtered(search: HybridSearch, vector, filters: Filters) -> list[str]:
    with search.reading() as view:
        where = search._chroma_where(view, filters)
    return [h.id for h in search.index.vectors.query(vector, search.candidates, where=where)]


@pytest.mark.parametrize("exact_limit", [0, 10_000], ids=["widening", "exact"])
@pytest.mark.parametrize("candidates", [3, 5, 8])
def test_bounded_dense_hits_are_chromas_filtered_hits(
    sample_index, embedder, candidates, exact_limit
):
    search = HybridSearch(sample_index, embedder, candidates=candidates, exact_limit=exact_limit)
    vector = embedder.embed([QUESTION])[0]
    low, high = sample_index.catalog.date_range()
    assert low and high and sample_index.catalog.counts()[1] > candidates * OVERFETCH
    middle = low + (high - low) / 2
    bounds = [
        Filters(as_of=middle),  # about half the chunks inside: the first ids asked suffice
        Filters(since=middle),
        Filters(since=high - timedelta(days=1)),  # narrow: widened to every chunk
        Filters(until=low + timedelta(days=1)),
    ]
    for filters in bounds:
        with search.reading() as view:
            found = search._dense_hits(view, vector, filters)
        assert found == chroma_filtered(search, vector, filters), filters


def test_bounds_after_the_newest_article_find_nothing(sample_index, embedder):
    search = HybridSearch(sample_index, embedder)
    vector = embedder.embed([QUESTION])[0]
    later = Filters(since=datetime(2100, 1, 1, tzinfo=UTC))
    with search.reading() as view:
        assert search._dense_hits(view, vector, later) == []
    assert chroma_filtered(search, vector, later) == []
