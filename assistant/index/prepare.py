"""An article made ready for the index: split into sentences and model-sized chunks, the
chunks embedded (headline first) into the vector store, and every sentence given a unit
vector pooled from the chunks it is in, so answers need not embed sentences at query time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assistant.index.catalog import IndexedArticle
from assistant.index.embeddings import Embedder
from assistant.index.vector_store import ChunkVectorStore
from assistant.ingest.split import chunk_sentences, split_sentences
from assistant.settings import ChunkingSettings, Settings
from assistant.types import Article

if TYPE_CHECKING:
    import numpy as np

SPLITTER = "nupunkt"


def chunking_recipe(settings: Settings) -> dict[str, Any]:
    """How articles are cut and embedded, as the manifest records it: an index opens only
    with the recipe it was built with."""
    return {**settings.chunking.model_dump(), "splitter": SPLITTER, "embedded": "title+chunk"}


def embedding_text(title: str, chunk_text: str) -> str:
    """What the model reads for a chunk: the headline gives short chunks their topic."""
    return f"{title}\n{chunk_text}"


def chunk_metadata(article: Article) -> dict[str, str | int]:
    """Chroma metadata for a chunk: what filters and deletes select on (the rest is read
    from the catalog); None values are left out (Chroma rejects them)."""
    meta: dict[str, str | int | None] = {
        "article_id": article.id,
        "outlet": article.outlet,
        "published_ts": article.published_ts,
    }
    return {k: v for k, v in meta.items() if v is not None}


def sentence_vectors(
    item: IndexedArticle,
    pooled: Sequence[Sequence[tuple[np.ndarray, int]]],
    dimensions: int,
) -> np.ndarray:
    """Unit vectors for the sentences of `item` from the pooled spans of its chunks (one
    entry per chunk, in order), summing every chunk a sentence is in (overlap and cut
    sentences included)."""
    import numpy as np

    sums = np.zeros((len(item.sentences), dimensions), dtype=np.float32)
    for chunk, spans in zip(item.chunks, pooled, strict=True):
        for offset, (total, _count) in enumerate(spans):
            sums[chunk.sentence_start + offset] += total
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.maximum(norms, 1e-12)


def prepare_article(
    article: Article, embedder: Embedder, chunking: ChunkingSettings
) -> IndexedArticle:
    """Split an article into sentences and chunks that fit the model with the headline."""
    sentences = split_sentences(article.id, article.text)
    title_tokens = embedder.count_tokens([article.title + "\n"])[0]
    chunks = chunk_sentences(
        sentences,
        article.text,
        count_tokens=embedder.count_tokens,
        max_words=chunking.max_words,
        max_tokens=min(chunking.max_tokens, embedder.max_tokens),
        overlap=chunking.overlap_sentences,
        reserved_tokens=2 + title_tokens,
    )
    return IndexedArticle(article, sentences, chunks)


def embed_and_store(
    items: Sequence[IndexedArticle], embedder: Embedder, store: ChunkVectorStore
) -> list[IndexedArticle]:
    """Embed the chunks of `items` into `store`; returns the items with sentence vectors."""
    pairs = [(item, c) for item in items for c in item.chunks]
    if not pairs:
        return list(items)
    texts, spans = [], []
    for item, chunk in pairs:
        prefix = len(item.article.title) + 1  # embedding_text puts "title\n" first
        texts.append(embedding_text(item.article.title, chunk.text))
        spans.append(
            [
                (
                    prefix + max(s.start, chunk.start) - chunk.start,
                    prefix + min(s.end, chunk.end) - chunk.start,
                )
                for s in item.sentences[chunk.sentence_start : chunk.sentence_end]
            ]
        )
    chunk_vectors, pooled = embedder.embed_with_spans(texts, spans)
    store.upsert(
        [c.id for _, c in pairs],
        chunk_vectors,
        [chunk_metadata(item.article) for item, _ in pairs],
    )
    embedded, start = [], 0
    for item in items:  # pairs run item by item, so each item's spans are one slice
        end = start + len(item.chunks)
        vectors_of_item = sentence_vectors(item, pooled[start:end], embedder.dimensions)
        embedded.append(replace(item, sentence_vectors=vectors_of_item))
        start = end
    return embedded
