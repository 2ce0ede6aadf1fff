"""Copy detection through the catalog's band keys (LSH): a stored story's copy is found by
an indexed lookup, deleting a story deletes its keys, and an older catalog gets its keys."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np

from assistant.index.build import CATALOG_FILE, NewsIndex
from assistant.index.syndication import (
    BANDS,
    COPY_THRESHOLD,
    band_keys,
    candidate_probability,
    signature,
)
from tests.helpers import write_article

WIRE = (
    "The city council voted on Tuesday to build a second bridge over the Marrow River, "
    "ending a ten-year debate about traffic on the old crossing. Construction starts next "
    "spring and should take three years, the mayor said. The bridge will carry two lanes "
    "for cars, a bus lane and a path for cyclists, and will cost 210 million dollars, "
    "two thirds of it paid by the state. Residents near the planned site asked for noise "
    "barriers, which the council agreed to study before the final design is approved."
)
COPY = "This story was carried from a news agency. " + WIRE + " Our reporter was there."


def test_band_keys_agree_exactly_on_the_bands_whose_slots_agree():
    row = signature(WIRE)
    changed = row.copy()
    changed[:2] += np.uint32(1)  # the first band's two slots
    before, after = band_keys(row), band_keys(changed)
    assert len(before) == BANDS
    assert before[1:] == after[1:] and before[0] != after[0]
    assert len(set(before)) == BANDS  # equal slots in two bands still give two keys


def test_banding_misses_a_copy_at_the_lowest_measured_similarity_almost_never():
    assert 1 - candidate_probability(0.39) < 1e-4
    assert 1 - candidate_probability(COPY_THRESHOLD) < 0.01
    assert candidate_probability(0.0) == 0.0


def ingest_one(settings, embedder, folder, name, title, body, url):
    write_article(folder, name, title, body, url=url)
    with NewsIndex.open(settings, "bands", embedder=embedder, create=True) as index:
        return index.ingest([folder / name])


def test_the_copy_of_a_story_stored_by_an_earlier_ingest_is_found(settings, embedder, tmp_path):
    first = ingest_one(
        settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t"
    )
    second = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t"
    )
    assert (len(first.added), len(second.added), len(second.copies)) == (1, 0, 1)
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        assert set(index.catalog.copies()) == set(first.added)


def test_deleting_a_story_deletes_its_band_keys(settings, embedder, tmp_path):
    first = ingest_one(
        settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t"
    )
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        keys = band_keys(signature(WIRE))
        assert [c[0] for c in index.catalog.copy_candidates(keys)] == first.added
        index.delete(first.added)
        assert index.catalog.copy_candidates(keys) == []
        with closing(sqlite3.connect(index.folder / CATALOG_FILE)) as db:
            assert db.execute("SELECT COUNT(*) FROM copy_bands").fetchone()[0] == 0
    again = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t"
    )
    assert (len(again.added), len(again.copies)) == (1, 0)


def test_an_index_stored_before_the_band_table_gets_its_keys_once(settings, embedder, tmp_path):
    first = ingest_one(
        settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t"
    )
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        path = index.folder / CATALOG_FILE
    with closing(sqlite3.connect(path)) as db, db:  # an older newsqa's: no keys, no signatures
        db.execute("DROP TABLE copy_bands")
        db.execute("DELETE FROM meta WHERE key = 'copy_bands'")
        db.execute("UPDATE articles SET minhash = NULL")
    second = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t"
    )
    assert (len(second.added), len(second.copies)) == (0, 1)
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        assert index.catalog.copy_bands_current()
        assert set(index.catalog.copies()) == set(first.added)
        found = index.catalog.copy_candidates(band_keys(signature(WIRE)))
        assert [c[0] for c in found] == first.added
        assert np.array_equal(np.frombuffer(found[0][1], dtype=np.uint32), signature(WIRE))
