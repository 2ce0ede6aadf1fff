"""Building an index with the real model and embedded Chroma: idempotent, replacing,
deduplicating, refusing mismatched settings, deleting, repairing."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import IndexMismatchError, IndexNotFoundError
from assistant.index.build import NewsIndex
from assistant.index.locking import DIRTY_MARKER
from assistant.index.prepare import embedding_text
from assistant.settings import load_settings
from tests.helpers import SAMPLE_ARTICLES, write_article


def open_index(settings, embedder, name="test"):
    return NewsIndex.open(settings, name, embedder=embedder, create=True)


def everywhere(index: NewsIndex) -> tuple[set[str], set[str], set[str]]:
    """Chunk ids in the catalog, in Chroma and in BM25."""
    return index.catalog.chunk_ids(), index.vectors.ids(), set(index.bm25.ids)


def test_reingesting_the_same_articles_adds_nothing(settings, embedder, small_corpus):
    with open_index(settings, embedder) as index:
        first = index.ingest([small_corpus])
        counts = index.catalog.counts()
        second = index.ingest([small_corpus])
        assert len(first.added) == 4 and not first.failed
        assert (len(second.added), len(second.updated), len(second.unchanged)) == (0, 0, 4)
        assert second.chunks_written == 0
        assert index.catalog.counts() == counts
        catalog_ids, chroma_ids, bm25_ids = everywhere(index)
        assert catalog_ids == chroma_ids == bm25_ids and len(catalog_ids) == counts[1]


def test_changed_text_under_the_same_url_replaces_the_old_chunks(settings, embedder, small_corpus):
    with open_index(settings, embedder) as index:
        index.ingest([small_corpus])
        write_article(
            small_corpus,
            "rates.md",
            "Central bank cuts interest rate to 5%",
            "Correction: the central bank cut its main rate to 5% on Wednesday.",
            outlet="Money Daily",
            url="https://money-daily.example/rates",
        )
        report = index.ingest([small_corpus])
        assert len(report.updated) == 1 and len(report.unchanged) == 3
        article = index.require_article(report.updated[0])
        assert article.title == "Central bank cuts interest rate to 5%"
        chunks = index.catalog.chunks_of([article.id])
        assert [c.text for c in chunks] == [
            "Correction: the central bank cut its main rate to 5% on Wednesday."
        ]
        catalog_ids, chroma_ids, bm25_ids = everywhere(index)
        assert catalog_ids == chroma_ids == bm25_ids
        # the chunk's vector is the corrected text's, not the first version's
        (chunk,) = chunks
        stored = index.vectors.get([chunk.id], with_embeddings=True)[chunk.id]
        now = embedder.embed([embedding_text(article.title, chunk.text)])[0]
        assert float(np.dot(stored.metadata["_embedding"], now)) > 0.999


def test_identical_text_under_another_name_is_stored_once(settings, embedder, tmp_path):
    body = "Floods closed the coastal road on Tuesday. Repairs will take a week."
    write_article(tmp_path / "c", "one.md", "Floods close road", body, url="https://a.example/1")
    write_article(tmp_path / "c", "two.md", "Road shut by flood", body, url="https://b.example/2")
    with open_index(settings, embedder) as index:
        report = index.ingest([tmp_path / "c"])
        assert len(report.added) == 1 and len(report.copies) == 1
        assert index.catalog.counts()[0] == 1
        assert [c.url for c in index.catalog.copies()[report.added[0]]] == ["https://b.example/2"]


def test_opening_an_index_with_other_chunking_settings_fails_clearly(
    settings, embedder, small_corpus
):
    with open_index(settings, embedder) as index:
        index.ingest([small_corpus])
    other = load_settings(chunking={"max_words": 120})
    with pytest.raises(IndexMismatchError, match="chunking"):
        open_index(other, embedder)


def test_opening_a_missing_index_without_create_names_the_folder(settings):
    with pytest.raises(IndexNotFoundError, match=r"no index at .*nothing-here"):
        NewsIndex.open(settings, "nothing-here")


def test_bad_sources_fail_alone_and_indexed_articles_stay(
    settings, embedder, small_corpus, tmp_path
):
    with open_index(settings, embedder) as index:
        index.ingest([small_corpus])
        before = index.catalog.counts()
        (tmp_path / "bad").mkdir()
        (tmp_path / "bad" / "empty.txt").write_text("")
        write_article(tmp_path / "bad", "good.md", "Bridge opens", "The bridge opened today.")
        report = index.ingest([tmp_path / "bad", tmp_path / "missing.md"])
        assert [f.source for f in report.failed] == [
            str(tmp_path / "bad" / "empty.txt"),
            str(tmp_path / "missing.md"),
        ]
        assert len(report.added) == 1
        assert index.catalog.counts()[0] == before[0] + 1


def test_delete_removes_an_article_from_catalog_chroma_and_bm25(settings, embedder, small_corpus):
    with open_index(settings, embedder) as index:
        report = index.ingest([small_corpus])
        victim = report.added[0]
        deleted, missing = index.delete([victim, "no-such-id"])
        assert (deleted, missing) == ([victim], ["no-such-id"])
        for ids in everywhere(index):
            assert not any(chunk_id.startswith(f"{victim}:") for chunk_id in ids)
        assert index.catalog.counts()[0] == 3


def test_an_interrupted_write_is_repaired_on_the_next_write(settings, embedder, small_corpus):
    with open_index(settings, embedder) as index:
        index.ingest([small_corpus])
        # What a crash between the Chroma write and the catalog commit leaves behind:
        # vectors the catalog does not know, and the in-progress marker.
        index.vectors.upsert(["ghost:0"], embedder.embed(["ghost"]), [{"article_id": "ghost"}])
        (index.folder / DIRTY_MARKER).write_text("12345")
    with open_index(settings, embedder) as index:
        report = index.ingest([small_corpus])
        assert len(report.unchanged) == 4
        assert "ghost:0" not in index.vectors.ids()
        assert not (index.folder / DIRTY_MARKER).exists()


def test_every_sample_chunk_fits_the_model_window(settings, embedder):
    """No chunk of the bundled corpus is cut by the model's 256 word-piece limit."""
    with open_index(settings, embedder) as index:
        report = index.ingest([SAMPLE_ARTICLES])
        assert not report.failed, report.failed
        assert len(report.added) >= 20
        limit = embedder.max_tokens
        for article in index.catalog.articles():
            for chunk in index.catalog.chunks_of([article.id]):
                pieces = embedder.count_tokens_as_embedded(
                    embedding_text(article.title, chunk.text)
                )
                assert pieces <= limit, (chunk.id, pieces)
                assert article.text[chunk.start : chunk.end] == chunk.text


def test_stats_report_articles_chunks_outlets_and_dates(settings, embedder, small_corpus):
    with open_index(settings, embedder) as index:
        index.ingest([small_corpus])
        stats = index.stats()
    assert stats["articles"] == 4
    assert stats["chunks"] == stats["vectors_stored"] >= 4
    assert set(stats["outlets"]) == {"Wire One", "Money Daily", "Sport Weekly", "Island News"}
    assert (stats["published_from"], stats["published_to"]) == ("2023-08-24", "2024-05-25")
    assert stats["model"] == embedder.name
