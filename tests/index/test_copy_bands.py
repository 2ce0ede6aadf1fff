"""Copy detection through the catalog's band keys (LSH): a stored story's copy is found by
an indexed lookup among the stories of nearby weeks, deleting a story deletes its keys, and
an older catalog gets its keys."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pytest

from assistant.index.build import CATALOG_FILE, NewsIndex
from assistant.index.syndication import (
    BANDS,
    COPY_THRESHOLD,
    band_keys,
    candidate_probability,
    copy_week,
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


def ingest_one(settings, embedder, folder, name, title, body, url, published="2024-05-01"):
    write_article(folder, name, title, body, url=url, published=published)
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


@pytest.mark.parametrize(
    ("published", "copied"),
    [("2024-05-07", True), ("2024-04-25", True), ("2024-05-20", False), ("2024-04-12", False)],
)
def test_a_copy_is_looked_for_among_the_stories_of_nearby_weeks(
    settings, embedder, tmp_path, published, copied
):
    """Within 7 days of the stored story (2024-05-01) a copy is found, before or after it;
    more than 13 days away the text is kept as an article of its own."""
    ingest_one(settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t")
    second = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t", published
    )
    assert (len(second.copies), len(second.added)) == ((1, 0) if copied else (0, 1))


def test_two_copies_in_one_ingest_are_compared_by_week_too(settings, embedder, tmp_path):
    write_article(tmp_path, "a.md", "Tunnel reopens", WIRE, published="2024-05-01")
    write_article(tmp_path, "b.md", "Tunnel back", COPY, published="2024-05-03")
    write_article(tmp_path, "c.md", "Tunnel, again", COPY + " Later.", published="2024-06-20")
    with NewsIndex.open(settings, "bands", embedder=embedder, create=True) as index:
        report = index.ingest([tmp_path])
    assert (len(report.added), len(report.copies)) == (2, 1)


def test_deleting_a_story_deletes_its_band_keys(settings, embedder, tmp_path):
    first = ingest_one(
        settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t"
    )
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        keys = band_keys(signature(WIRE))
        week = copy_week(index.require_article(first.added[0]))
        assert [c[0] for c in index.catalog.copy_candidates(keys, week)] == first.added
        index.delete(first.added)
        assert index.catalog.copy_candidates(keys, week) == []
        with closing(sqlite3.connect(index.folder / CATALOG_FILE)) as db:
            for table in ("copy_keys", "copy_signatures"):
                assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    again = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t"
    )
    assert (len(again.added), len(again.copies)) == (1, 0)


def stored_then_made_older(settings, embedder, tmp_path, make_older) -> tuple[list[str], int]:
    """Store the wire story, then turn its catalog into an older newsqa's with `make_older`
    (given the story's signature)."""
    first = ingest_one(
        settings, embedder, tmp_path, "a.md", "Tunnel reopens", WIRE, "https://a.example/t"
    )
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        path = index.folder / CATALOG_FILE
        week = copy_week(index.require_article(first.added[0]))
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM copy_keys")
        db.execute("DELETE FROM copy_signatures")
        make_older(db, signature(WIRE).tobytes())
    return first.added, week


def made_before_the_band_table(db, _blob) -> None:  # no keys, no signatures
    db.execute("DELETE FROM meta WHERE key = 'copy_bands'")


def made_with_keys_by_article_id(db, blob) -> None:  # signatures in the article rows
    db.execute(
        "CREATE TABLE copy_bands (key INTEGER, article_id TEXT, PRIMARY KEY (key, article_id))"
    )
    article_id = db.execute("SELECT id FROM articles").fetchone()[0]
    keys = band_keys(np.frombuffer(blob, dtype=np.uint32))
    db.executemany("INSERT INTO copy_bands VALUES (?, ?)", [(k, article_id) for k in keys])
    db.execute("UPDATE articles SET minhash = ?", (blob,))
    db.execute(
        "UPDATE meta SET value = 'minhash 128 slots, 64 bands of 2' WHERE key = 'copy_bands'"
    )


@pytest.mark.parametrize("make_older", [made_before_the_band_table, made_with_keys_by_article_id])
def test_an_older_catalog_gets_its_keys_once(settings, embedder, tmp_path, make_older):
    stored, week = stored_then_made_older(settings, embedder, tmp_path, make_older)
    second = ingest_one(
        settings, embedder, tmp_path, "b.md", "Tunnel back", COPY, "https://b.example/t"
    )
    assert (len(second.added), len(second.copies)) == (0, 1)
    with NewsIndex.open(settings, "bands", embedder=embedder) as index:
        assert index.catalog.copy_bands_current()
        assert set(index.catalog.copies()) == set(stored)
        found = index.catalog.copy_candidates(band_keys(signature(WIRE)), week)
        assert [c[0] for c in found] == stored
        assert np.array_equal(np.frombuffer(found[0][2], dtype=np.uint32), signature(WIRE))
        with closing(sqlite3.connect(index.folder / CATALOG_FILE)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            assert "copy_bands" not in tables
