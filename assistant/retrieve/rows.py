"""What searching reads from the catalog, read when a question needs it and kept in
bounded caches across catalog generations: a write drops only the articles it changed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

from assistant.index.catalog import Catalog
from assistant.types import Article, Chunk, Sentence, article_of_chunk

if TYPE_CHECKING:
    import numpy as np

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Entries kept: a question reads about 30 candidate chunks of ~20 articles, so these hold
# the working set of thousands of recent questions in ~100 MB at most.
CHUNKS_KEPT = 20_000
ARTICLES_KEPT = 4_000
SENTENCES_KEPT = 2_000  # articles whose sentences (and sentence vectors) are kept


class BoundedCache(Generic[K, V]):
    """A least-recently-used map holding at most `limit` entries."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def drop_where(self, gone: Callable[[K], bool]) -> None:
        for key in [k for k in self._entries if gone(k)]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()


_ABSENT = object()  # cached: the id is not in the catalog at this generation


class CatalogRows:
    """Chunks, articles, copies and sentences by id, from the catalog or the caches.

    The caches hold rows of one catalog generation, `generation`. `advance` moves them to
    a newer one, dropping what the catalog's change log says changed in between (all of
    it when the log does not reach back). A question reading an older generation than the
    caches' reads the catalog directly (its snapshot), so it never mixes generations."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.generation: int | None = None
        self._lock = threading.Lock()
        self._chunks: BoundedCache[str, object] = BoundedCache(CHUNKS_KEPT)
        self._articles: BoundedCache[str, object] = BoundedCache(ARTICLES_KEPT)
        self._copies: BoundedCache[str, tuple[Article, ...]] = BoundedCache(ARTICLES_KEPT)
        # article id -> (sentences, their vectors or None)
        self._sentences: BoundedCache[str, object] = BoundedCache(SENTENCES_KEPT)

    def advance(self, generation: int, changed: Collection[str] | None) -> None:
        """Move the caches to `generation`, `changed` being the articles changed since the
        caches' generation (None: unknown, so everything is dropped)."""
        with self._lock:
            if self.generation is not None and generation <= self.generation:
                return
            if changed is None or self.generation is None:
                for cache in self._caches():
                    cache.clear()
            elif changed:
                gone = set(changed)
                self._chunks.drop_where(lambda cid: article_of_chunk(cid) in gone)
                for cache in self._caches()[1:]:
                    cache.drop_where(gone.__contains__)
            self.generation = generation

    def _caches(self) -> list[BoundedCache]:
        return [self._chunks, self._articles, self._copies, self._sentences]

    # -- reads -----------------------------------------------------------------------
    def chunks(self, ids: Collection[str], generation: int) -> dict[str, Chunk]:
        return self._many(self._chunks, ids, generation, self.catalog.chunks_by_id)  # type: ignore[return-value]

    def articles(self, ids: Collection[str], generation: int) -> dict[str, Article]:
        return self._many(self._articles, ids, generation, self.catalog.articles_by_id)  # type: ignore[return-value]

    def copies(self, ids: Collection[str], generation: int) -> dict[str, tuple[Article, ...]]:
        return self._many(self._copies, ids, generation, self.catalog.copies_of)  # type: ignore[return-value]

    def sentences(self, article_id: str, generation: int) -> list[Sentence]:
        return self._sentences_and_vectors(article_id, generation)[0]

    def sentence_vectors(self, article_id: str, generation: int) -> np.ndarray | None:
        return self._sentences_and_vectors(article_id, generation)[1]

    def _sentences_and_vectors(
        self, article_id: str, generation: int
    ) -> tuple[list[Sentence], np.ndarray | None]:
        def read(ids: list[str]) -> dict:
            articles = self.articles(ids, generation)
            return {a: self.catalog.sentence_rows(articles[a]) for a in ids if a in articles}

        found = self._many(self._sentences, [article_id], generation, read)
        return found.get(article_id, ([], None))  # type: ignore[return-value]

    def _many(
        self,
        cache: BoundedCache,
        ids: Collection[str],
        generation: int,
        read: Callable[[list[str]], dict],
    ) -> dict[str, object]:
        """The values of `ids` that exist (absent ids are left out): from the cache when it
        holds `generation`, the rest read and kept."""
        with self._lock:
            current = generation == self.generation
            found, missing = {}, []
            for key in ids:
                value = cache.get(key) if current else None
                if value is None:
                    missing.append(key)
                elif value is not _ABSENT:
                    found[key] = value
        if not missing:
            return found
        read_now = read(missing)
        found.update((k, v) for k, v in read_now.items() if v is not None)
        with self._lock:
            if generation == self.generation:  # not moved on meanwhile: safe to keep
                for key in missing:
                    value = read_now.get(key)
                    cache.put(key, _ABSENT if value is None else value)
        return found
