"""The filter a failed filtered Chroma query falls back to (`where_predicate`) keeps
exactly the chunks Chroma's own `where` keeps, for the filters newsqa builds."""

from __future__ import annotations

import numpy as np

from assistant.index.vector_store import ChunkVectorStore, where_predicate

DAY = 86_400
RECORDS = [
    {"article_id": "a1", "outlet": "Meridian Wire", "published_ts": 100 * DAY},
    {"article_id": "a2", "outlet": "Harbour Post", "published_ts": 200 * DAY},
    {"article_id": "a3", "outlet": "Meridian Wire", "published_ts": 300 * DAY},
    {"article_id": "a4", "outlet": "Valley Echo"},  # undated
    {"article_id": "a5", "outlet": "Harbour Post", "published_ts": 150 * DAY},
]
WHERES = [
    {"outlet": {"$in": ["Meridian Wire"]}},
    {"published_ts": {"$lte": 200 * DAY}},
    {"published_ts": {"$gte": 150 * DAY}},
    {"$and": [{"published_ts": {"$gte": 120 * DAY}}, {"published_ts": {"$lte": 250 * DAY}}]},
    {"$or": [{"published_ts": {"$lte": 160 * DAY}}, {"article_id": {"$in": ["a4"]}}]},
    {
        "$and": [
            {"outlet": {"$in": ["Harbour Post", "Valley Echo"]}},
            {"$or": [{"published_ts": {"$lte": 160 * DAY}}, {"article_id": {"$in": ["a4"]}}]},
        ]
    },
    {"outlet": "Valley Echo"},
]


def test_the_fallback_filter_keeps_what_chroma_keeps(tmp_path):
    store = ChunkVectorStore.open(path=tmp_path / "chroma", url=None, name="newsqa-filter")
    ids = [f"{r['article_id']}:0" for r in RECORDS]
    vectors = np.eye(len(RECORDS), 8, dtype=np.float32)
    store.upsert(ids, vectors, RECORDS)
    for where in WHERES:
        by_chroma = {hit.id for hit in store.query(vectors[0], len(ids), where)}
        by_us = {i for i, r in zip(ids, RECORDS, strict=True) if where_predicate(where)(r)}
        assert by_us == by_chroma, where
        assert by_chroma  # each filter keeps something, and none keeps everything
        assert by_chroma != set(ids)
