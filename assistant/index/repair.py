"""The vector store brought back to the catalog, which is the truth: vectors of no catalog
chunk are deleted and chunks without a vector are embedded again (after a write cut short
between the two, or a lost or emptied `chroma/`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.index.catalog import Catalog, IndexedArticle
from assistant.index.vector_store import ChunkVectorStore
from assistant.types import article_of_chunk


def vector_gap(catalog: Catalog, store: ChunkVectorStore) -> tuple[int, int]:
    """(catalog chunks without a vector, vectors of no catalog chunk)."""
    known, stored = catalog.chunk_ids(), store.ids()
    return len(known - stored), len(stored - known)


def restore_vectors(
    catalog: Catalog,
    store: ChunkVectorStore,
    embed_and_store: Callable[[Sequence[IndexedArticle]], list[IndexedArticle]],
) -> tuple[int, int]:
    """Delete the stray vectors and re-embed the missing chunks (with their articles'
    sentences, for the sentence vectors); returns (stray deleted, chunks restored)."""
    known = catalog.chunk_ids()
    stored = store.ids()
    orphans = sorted(stored - known)
    missing = sorted(known - stored)
    store.delete_ids(orphans)
    if missing:
        article_ids = sorted({article_of_chunk(chunk_id) for chunk_id in missing})
        wanted = set(missing)
        for article_id in article_ids:
            article = catalog.article(article_id)
            chunks = [c for c in catalog.chunks_of([article_id]) if c.id in wanted]
            if article and chunks:
                sentences = catalog.sentences_of(article_id)
                embed_and_store([IndexedArticle(article, sentences, chunks)])
    return len(orphans), len(missing)
