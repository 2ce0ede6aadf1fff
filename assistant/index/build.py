"""An index on disk: open it, ingest sources into it (idempotent, crash-safe), delete, stats.

Write order for every batch: vectors into Chroma first, then one catalog transaction.
The catalog is the truth: after a crash, `repair` deletes Chroma vectors the catalog
does not know, re-embeds catalog chunks Chroma lacks, and rebuilds BM25, so every
article is either fully present or absent and re-ingested on the next run.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import (
    ArticleNotFoundError,
    IndexBusyError,
    IndexNotFoundError,
    NewsQAError,
    SourceError,
)
from assistant.index.bm25 import ChunkBM25, KeywordEntry
from assistant.index.catalog import Catalog, IndexedArticle, StoredCopy
from assistant.index.embeddings import Embedder
from assistant.index.manifest import Manifest
from assistant.index.prepare import chunking_recipe, embed_and_store, prepare_article
from assistant.index.repair import restore_vectors, vector_gap
from assistant.index.reports import Examination, IngestReport, Progress, ProgressCallback
from assistant.index.syndication import (
    SignatureTable,
    band_keys,
    original_among,
    signature,
)
from assistant.index.vector_store import ChunkVectorStore, collection_name
from assistant.ingest.loaded import Loaded, load_sources
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.web import FetchPolicy
from assistant.settings import Settings
from assistant.text import TOKENIZER
from assistant.types import Article

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"
DIRTY_MARKER = ".write-in-progress"
LOCK_FILE = ".lock"


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
        self._lock_handle: Any = None
        self._bm25: ChunkBM25 | None = None
        self._keywords_writing: ChunkBM25 | None = None  # the one this process's write updates
        self._bm25_lock = threading.Lock()

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
        saved = ChunkBM25.load(self.folder / "bm25")
        articles, chunks = self.catalog.counts()
        return Examination(
            articles=articles,
            chunks=chunks,
            vectors_missing=missing,
            vectors_stray=orphans,
            keyword_chunks=saved.count if saved is not None else None,
            keyword_current=saved is not None
            and saved.tokenizer == TOKENIZER
            and saved.generation == self.catalog.generation,
            interrupted=(self.folder / DIRTY_MARKER).exists(),
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
        interrupted = (self.folder / DIRTY_MARKER).exists()
        if not interrupted and self.vectors.count() == self.catalog.counts()[1]:
            return
        try:
            self._lock()
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
            self._unlock()
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
        self._unlock()
        self.catalog.close()

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing: lock, crash marker, repair ---------------------------------------
    def _lock(self) -> None:
        if self._lock_handle is not None:
            return
        handle = open(self.folder / LOCK_FILE, "a+")  # noqa: SIM115 - held until close
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise IndexBusyError(
                f"index {self.folder} is being written by another newsqa process; "
                "wait for it to finish"
            ) from None
        self._lock_handle = handle

    def _unlock(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The one way into a write, like sqlite3's `with connection:`: takes the write lock
        (IndexBusyError while another process holds it), repairs what an interrupted earlier
        write left, and marks the folder as being written; on leaving, even by an error,
        brings the keyword index and the manifest up to the catalog, clears the mark and
        releases the lock."""
        self._lock()
        if (self.folder / DIRTY_MARKER).exists():
            self.repair()
        (self.folder / DIRTY_MARKER).write_text(str(os.getpid()))
        self._keywords_writing = self._keywords_for_writing()
        try:
            yield
        finally:
            if self._keywords_writing is not None:
                self._keywords_writing.close_writer()
                self._keywords_writing = None
            self._refresh_derived()
            (self.folder / DIRTY_MARKER).unlink(missing_ok=True)
            self._unlock()

    def repair(self) -> dict[str, int]:
        """Make Chroma and BM25 match the catalog after an interrupted write."""
        orphans, restored = restore_vectors(self.catalog, self.vectors, self._embed_and_store)
        self._refresh_derived(force=True)
        return {"orphans_deleted": orphans, "chunks_restored": restored}

    def _refresh_derived(self, force: bool = False) -> None:
        """Rebuild the keyword index when forced or when it did not follow the catalog (the
        writes below keep it current), and update the manifest counts."""
        generation = self.catalog.generation
        current = self._bm25
        if force or current is None or current.generation != generation:
            bm25 = None if force else self._saved_keyword_index()
            self._bm25 = bm25 if bm25 is not None else self._build_keyword_index()
        articles, chunks = self.catalog.counts()
        m = self.manifest
        if force or (m.articles, m.chunks, m.generation) != (articles, chunks, generation):
            m.articles, m.chunks, m.generation = articles, chunks, generation
            m.write(self.folder)

    def _saved_keyword_index(self, stale: bool = False) -> ChunkBM25 | None:
        """The saved keyword index, when it counts today's tokens of today's catalog (with
        `stale`, of any catalog generation)."""
        saved = ChunkBM25.load(self.folder / "bm25")
        tokenizer = saved.tokenizer if saved else ChunkBM25.saved_tokenizer(self.folder / "bm25")
        if tokenizer is not None and tokenizer != TOKENIZER:
            log.warning(
                "newsqa: the keyword index of %s counts other word tokens (%s, now %s); "
                "rebuilding it from the catalog (no re-embedding)",
                self.folder,
                tokenizer,
                TOKENIZER,
            )
            return None
        if saved is None:
            if tokenizer is not None:  # a state file, but no index this newsqa reads
                log.warning(
                    "newsqa: the keyword index of %s was made by an older newsqa or is "
                    "unreadable; rebuilding it from the catalog (no re-embedding)",
                    self.folder,
                )
            return None
        return saved if stale or saved.generation == self.catalog.generation else None

    def _keyword_files(self) -> list[Path]:
        folder = self.folder / "bm25"
        return [p for p in folder.iterdir() if p.stat().st_size] if folder.is_dir() else []

    def _build_keyword_index(self, folder: Path | None = None) -> ChunkBM25:
        """The keyword index rebuilt from the catalog (O(chunks): for repairs only)."""
        entries = (KeywordEntry(*row) for row in self.catalog.keyword_rows())
        return ChunkBM25.build(folder or self.folder / "bm25", entries, self.catalog.generation)

    def _keywords_for_writing(self) -> ChunkBM25:
        """The keyword index a write updates, brought up to the catalog first if it is not."""
        if self._bm25 is None or self._bm25.generation != self.catalog.generation:
            self._bm25 = self._saved_keyword_index() or self._build_keyword_index()
        return self._bm25

    def _commit_keywords(self, keywords: ChunkBM25) -> None:
        keywords.commit(self.catalog.generation)
        self._bm25 = keywords

    def _index_keywords(self, items: Sequence[IndexedArticle], replaced: Sequence[str]) -> None:
        """Add the chunks of `items` (committed to the catalog) to the keyword index, in
        place of the chunks of the `replaced` articles: O(chunks written)."""
        keywords = self._keywords_writing  # brought up to the catalog when the write began
        assert keywords is not None
        keywords.delete_articles(replaced)
        keywords.add(
            KeywordEntry(
                chunk.id,
                item.article.id,
                f"{item.article.title}\n{chunk.text}",
                item.article.published_ts,
            )
            for item in items
            for chunk in item.chunks
        )
        self._commit_keywords(keywords)

    @property
    def bm25(self) -> ChunkBM25:
        current = self._bm25
        if current is not None and current.generation == self.catalog.generation:
            return current
        with self._bm25_lock:  # one thread loads or builds it; the others wait for that one
            return self._current_keyword_index()

    def _current_keyword_index(self) -> ChunkBM25:
        writing_here = self._keywords_writing
        if writing_here is not None:  # a write of this process: read what it last committed
            return writing_here
        if self._bm25 is None or self._bm25.generation != self.catalog.generation:
            writing = self._lock_handle is not None or (self.folder / DIRTY_MARKER).exists()
            # while another process writes, its keyword index may be a commit behind or ahead
            # of the catalog: read it as it is (hits of chunks the view lacks are dropped)
            loaded = self._saved_keyword_index(stale=writing)
            if loaded is None:
                if not self._keyword_files() and self.catalog.counts()[1]:
                    log.warning(
                        "newsqa: the keyword index of %s is missing or empty; rebuilding it "
                        "from the catalog (no re-embedding)",
                        self.folder,
                    )
                loaded = self._rebuild_when_idle()
            self._bm25 = loaded
        return self._bm25

    def _rebuild_when_idle(self) -> ChunkBM25:
        """Rebuild the keyword index on reading: in the index folder, so the next process need
        not rebuild it, when no write is under way (a writer brings its own up to date) and
        the folder is writable; else in a private folder, for this process only."""
        try:  # a handle of its own: a writer thread of this process holding the lock wins
            handle = open(self.folder / LOCK_FILE, "a+")  # noqa: SIM115 - closed below
        except OSError:
            handle = None
        try:
            if handle is not None and self._lock_handle is None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if not (self.folder / DIRTY_MARKER).exists():
                    return self._build_keyword_index()
        except OSError:  # BlockingIOError included: a write is under way
            pass
        finally:
            if handle is not None:
                handle.close()
        private = Path(tempfile.mkdtemp(prefix="newsqa-keywords-"))
        return self._build_keyword_index(private / "bm25")

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
        """Ingest loaded articles (and count the sources that failed to load)."""
        report = IngestReport()
        started = time.perf_counter()
        batch: dict[str, tuple[IndexedArticle, bool]] = {}
        copies: list[StoredCopy] = []
        done = total = 0

        def tell() -> None:
            if on_progress:
                on_progress(
                    Progress(
                        done,
                        total,
                        len(report.added) + len(report.updated),
                        report.chunks_written,
                        time.perf_counter() - started,
                    )
                )

        def flush() -> None:
            if not batch and not copies:
                return
            items = [item for item, _ in batch.values()]
            replaced = [item.article.id for item, was_there in batch.values() if was_there]
            self.vectors.delete_articles(replaced)
            embedded = self._embed_and_store(items)
            report.chunks_written += sum(len(i.chunks) for i in items)
            self.catalog.commit(embedded, copies)
            self._index_keywords(items, replaced)
            batch.clear()
            copies.clear()
            pending.clear()  # committed: found through the catalog's band keys from now on
            tell()

        with self.writing():
            self._fill_copy_bands()
            pending = SignatureTable([], [])  # articles of this ingest not committed yet
            for loaded in results:
                total = loaded.source_total
                if loaded.source_number > done + 1:
                    done = loaded.source_number - 1
                    tell()
                result = loaded.result
                if isinstance(result, SourceError):
                    report.failed.append(result)
                    continue
                article = result
                known_fingerprint = self.catalog.fingerprint(article.id)
                if article.fingerprint in (
                    known_fingerprint,
                    self.catalog.copy_fingerprint(article.id),
                ):
                    report.unchanged.append(article.id)
                    continue
                row = signature(article.text)
                if known_fingerprint is None:
                    original = self._original_of(article.id, row, pending)
                    if original:
                        copies.append(StoredCopy(article, original[0]))
                        report.copies.append(article.id)
                        continue
                try:
                    prepared = self.prepare(article)
                except NewsQAError as exc:
                    report.failed.append(SourceError(article.source, str(exc)))
                    continue
                if not prepared.chunks:
                    report.failed.append(SourceError(article.source, "no sentences in the text"))
                    continue
                (report.updated if known_fingerprint else report.added).append(article.id)
                batch[article.id] = (
                    replace(prepared, signature=row),
                    known_fingerprint is not None,
                )
                pending.put(article.id, row)
                if sum(len(i.chunks) for i, _ in batch.values()) >= (
                    self.settings.ingest.commit_every
                ):
                    flush()
            flush()
            done = total
            tell()
        report.seconds = time.perf_counter() - started
        return report

    def _fill_copy_bands(self) -> None:
        """Band keys of every stored article, once, when the catalog was made before the
        band table (or with other bands); signatures missing too are computed and stored."""
        if self.catalog.copy_bands_current():
            return
        ids, stored, texts = self.catalog.signatures()
        blobs, computed = {}, set()
        for article_id, blob, text in zip(ids, stored, texts, strict=True):
            if blob is None:
                blob = signature(text).tobytes()
                computed.add(article_id)
            blobs[article_id] = blob
        self.catalog.store_copy_bands(blobs, computed)

    def _original_of(
        self, article_id: str, row: np.ndarray, pending: SignatureTable
    ) -> tuple[str, float] | None:
        """The stored or pending article `row` copies, if any: stored candidates share a
        band key with it (an indexed lookup), then each is confirmed on its signature."""
        return original_among(
            article_id, row, self.catalog.copy_candidates(band_keys(row)), pending
        )

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
                keywords = self._keywords_writing  # brought up to the catalog at the start
                assert keywords is not None
                keywords.delete_articles(present)
                self._commit_keywords(keywords)
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
