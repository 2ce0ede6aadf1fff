"""An index on disk: open it, write to it (ingest, delete, repair: idempotent, crash-safe),
examine it, read its stats. `NewsIndex` is the face of the index; the work is done by
prepare (chunks and vectors), ingest_batches (what to store), keywords (the keyword index),
locking (one writer, the crash marker) and repair.

Write order for every batch: vectors into Chroma first, then one catalog transaction, then
the keyword index. The catalog is the truth: after a crash, `repair` deletes Chroma vectors
the catalog does not know, re-embeds catalog chunks Chroma lacks, and rebuilds the keyword
index, so every article is either fully present or absent and re-ingested on the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.errors import ArticleNotFoundError, IndexBusyError, IndexNotFoundError
from assistant.index.bm25 import ChunkBM25
from assistant.index.catalog import Catalog, IndexedArticle, StoredCopy
from assistant.index.embeddings import Embedder
from assistant.index.ingest_batches import IngestBatches
from assistant.index.keywords import KeywordKeeper
from assistant.index.locking import WriteLock, WriteMarker
from assistant.index.manifest import Manifest
from assistant.index.prepare import chunking_recipe, embed_and_store, prepare_article
from assistant.index.repair import restore_vectors, vector_gap
from assistant.index.reports import Examination, IngestReport, ProgressCallback
from assistant.index.vector_store import ChunkVectorStore, collection_name
from assistant.ingest.loaded import Loaded, load_sources
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.web import FetchPolicy
from assistant.settings import Settings
from assistant.types import Article

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"


class NewsIndex:
    """One index folder: catalog.sqlite, chroma/ (or a Chroma server), bm25/, manifest.json."""

    def __init__(
        self,
        folder: Path,
        settings: Settings,
        catalog: Catalog,
        vectors: ChunkVectorStore,
        manifest: Manifest,
        embedder: Embedder | None,
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.catalog = catalog
        self.vectors = vectors
        self.manifest = manifest
        self._embedder = embedder
        self._lock = WriteLock(folder)
        self._marker = WriteMarker(folder)
        self._keywords = KeywordKeeper(folder, catalog, self._lock, self._marker)

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        settings: Settings,
        name_or_path: str | None = None,
        *,
        embedder: Embedder | None = None,
        create: bool = False,
        heal: bool = True,
    ) -> NewsIndex:
        """Open an index; with `create`, make it when missing. Checks model and chunking
        against the manifest when an embedder is given (every path that embeds has one).
        With `heal` and an embedder, vectors that do not match the catalog (a deleted or
        emptied `chroma/`) are restored from it, with a message saying so."""
        folder = settings.index_path(name_or_path)
        manifest = Manifest.read(folder)
        if manifest is None and not create:
            raise IndexNotFoundError(
                f"no index at {folder}; create it with `newsqa ingest PATH --index {folder}`"
            )
        chunking = chunking_recipe(settings)
        existed = manifest is not None
        if manifest is None:
            if embedder is None:
                raise IndexNotFoundError(f"no index at {folder} and no embedder to create one")
            folder.mkdir(parents=True, exist_ok=True)
            manifest = Manifest(
                model=embedder.name,
                dimensions=embedder.dimensions,
                chunking=chunking,
                collection=collection_name(folder.resolve().name),
                chroma_url=settings.chroma_url,
            )
        elif embedder is not None:
            manifest.check_compatible(folder, embedder.name, embedder.dimensions, chunking)
        if existed and manifest.chroma_url != settings.chroma_url:
            where = manifest.chroma_url or "embedded Chroma"
            raise IndexNotFoundError(
                f"index {folder} keeps its vectors in {where}; set NEWSQA_CHROMA_URL to match"
            )
        vectors = ChunkVectorStore.open(
            path=folder / "chroma", url=settings.chroma_url, name=manifest.collection
        )
        catalog = Catalog(folder / CATALOG_FILE)
        if not existed:
            manifest.write(folder)
        index = cls(folder, settings, catalog, vectors, manifest, embedder)
        if existed and heal and embedder is not None:
            index._heal_vectors()
        return index

    def examine(self) -> Examination:
        """How the derived parts (vectors, keyword index) stand against the catalog."""
        missing, orphans = self.vector_gap()
        keyword_chunks, keyword_current = self._keywords.saved_state()
        articles, chunks = self.catalog.counts()
        return Examination(
            articles=articles,
            chunks=chunks,
            vectors_missing=missing,
            vectors_stray=orphans,
            keyword_chunks=keyword_chunks,
            keyword_current=keyword_current,
            interrupted=self._marker.present(),
        )

    def repair_all(self) -> dict[str, int]:
        """Repair vectors and the keyword index from the catalog, under the write lock."""
        with self.writing():
            return self.repair()

    def vector_gap(self) -> tuple[int, int]:
        """(catalog chunks without a vector, vectors of no catalog chunk)."""
        return vector_gap(self.catalog, self.vectors)

    def _heal_vectors(self) -> None:
        """Restore vectors and the keyword index from the catalog when an earlier write was
        cut short (its marker is there and no process holds the write lock) or when the
        vectors do not match the catalog, with a message saying so. A write in progress in
        another process is left alone: it repairs its own."""
        interrupted = self._marker.present()
        if not interrupted and self.vectors.count() == self.catalog.counts()[1]:
            return
        try:  # taken first to see whether another process writes; repair_all writes under it
            self._lock.acquire()
        except (IndexBusyError, OSError):  # another writer, or a folder we may not write
            return
        if interrupted:
            log.warning(
                "newsqa: a write to %s was cut short; repairing its vectors and keyword "
                "index from the catalog",
                self.folder,
            )
            self.repair_all()
            return
        missing, orphans = self.vector_gap()
        if not (missing or orphans):
            self._lock.release()
            return
        log.warning(
            "newsqa: the vectors of %s do not match its catalog (%d chunks without a "
            "vector, %d stray vectors); restoring them from the catalog",
            self.folder,
            missing,
            orphans,
        )
        self.repair_all()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder.packaged(self.settings.embedding.batch_size)
        return self._embedder

    def close(self) -> None:
        self._lock.release()
        self.catalog.close()

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing: one context for the lock, the crash marker and derived state ---------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """The one way into a write, like sqlite3's `with connection:`: takes the write lock
        (IndexBusyError while another process holds it), repairs what an interrupted earlier
        write left, and marks the folder as being written; on leaving, even by an error,
        brings the keyword index and the manifest up to the catalog, clears the mark and
        releases the lock."""
        self._lock.acquire()
        if self._marker.present():
            self.repair()
        self._marker.set()
        self._keywords.begin_write()
        try:
            yield
        finally:
            self._keywords.end_write()
            self._refresh_derived()
            self._marker.clear()
            self._lock.release()

    def repair(self) -> dict[str, int]:
        """Make Chroma and BM25 match the catalog after an interrupted write."""
        orphans, restored = restore_vectors(self.catalog, self.vectors, self._embed_and_store)
        self._refresh_derived(force=True)
        return {"orphans_deleted": orphans, "chunks_restored": restored}

    def _refresh_derived(self, force: bool = False) -> None:
        """Rebuild the keyword index when forced or when it did not follow the catalog (the
        writes keep it current), and update the manifest counts."""
        generation = self.catalog.generation
        self._keywords.refresh(generation, force)
        articles, chunks = self.catalog.counts()
        m = self.manifest
        if force or (m.articles, m.chunks, m.generation) != (articles, chunks, generation):
            m.articles, m.chunks, m.generation = articles, chunks, generation
            m.write(self.folder)

    @property
    def bm25(self) -> ChunkBM25:
        """The keyword index at the catalog's generation (loaded or rebuilt when it is not)."""
        return self._keywords.for_reading()

    # -- ingest ----------------------------------------------------------------------
    def prepare(self, article: Article) -> IndexedArticle:
        """Split an article into sentences and model-sized chunks."""
        return prepare_article(article, self.embedder, self.settings.chunking)

    def _embed_and_store(self, items: Sequence[IndexedArticle]) -> list[IndexedArticle]:
        return embed_and_store(items, self.embedder, self.vectors)

    def ingest(
        self, sources: Iterable[str | Path], on_progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Add files, folders and URLs; unchanged articles are skipped, changed ones replaced."""
        options = LoadOptions.from_settings(self.settings)
        policy = FetchPolicy.from_settings(self.settings)
        return self.ingest_articles(load_sources(sources, options, policy), on_progress)

    def ingest_articles(
        self, results: Iterable[Loaded], on_progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest what the ingest layer loaded: articles stored unchanged are skipped, copies
        of stored stories kept as aliases, changed ones replaced; load errors are reported."""
        batches = IngestBatches(
            self.catalog,
            self.prepare,
            self._commit_batch,
            self.settings.ingest.commit_every,
            on_progress,
        )
        with self.writing():
            batches.run(results)
        return batches.finish()

    def _commit_batch(
        self,
        items: Sequence[IndexedArticle],
        replaced: Sequence[str],
        copies: Sequence[StoredCopy],
    ) -> None:
        """Vectors first, then one catalog transaction, then the keyword index."""
        self.vectors.delete_articles(replaced)
        embedded = self._embed_and_store(items)
        self.catalog.commit(embedded, copies)
        self._keywords.add(items, replaced)

    # -- delete, stats -----------------------------------------------------------------
    def delete(self, article_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        """Remove articles; returns (deleted ids, ids the index did not hold)."""
        known = self.catalog.has_article
        present = [a for a in article_ids if known(a) or self.catalog.copy_fingerprint(a)]
        missing = [a for a in article_ids if a not in present]
        if present:
            with self.writing():
                self.vectors.delete_articles(present)
                self.catalog.delete(present)
                self._keywords.delete_articles(present)
        return present, missing

    def require_article(self, article_id: str) -> Article:
        article = self.catalog.article(article_id)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id!r} in {self.folder}")
        return article

    def stats(self) -> dict[str, Any]:
        """What the index holds and how it was built, for `newsqa stats` and the Library
        (which add the followed feeds: `following.stats_with_feeds`)."""
        articles, chunks = self.catalog.counts()
        first, last = self.catalog.date_range()
        return {
            "index": str(self.folder),
            "vectors": self.vectors.where,
            "articles": articles,
            "chunks": chunks,
            "copies": self.catalog.copy_count(),
            "revised": self.catalog.revised_count(),
            "partial": self.catalog.partial_count(),
            "undated": self.catalog.undated_count(),
            "vectors_stored": self.vectors.count(),
            "outlets": self.catalog.outlets(),
            "published_from": first.date().isoformat() if first else None,
            "published_to": last.date().isoformat() if last else None,
            "model": self.manifest.model,
            "dimensions": self.manifest.dimensions,
            "chunking": self.manifest.chunking,
            "schema_version": self.manifest.schema_version,
        }
