"""The keyword index of an index folder as this process sees it: loaded from `bm25/` when it
is at the catalog's generation, rebuilt from the catalog when it is missing, unreadable or
counts other word tokens, and updated in place by each write of this process."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from assistant.index.bm25 import ChunkBM25, KeywordEntry
from assistant.index.catalog import Catalog, IndexedArticle
from assistant.index.locking import WriteLock, WriteMarker, lock_file
from assistant.text import TOKENIZER

# the messages keep the logger they were always sent to: logging set-ups filter on its name
log = logging.getLogger("assistant.index.build")


class KeywordKeeper:
    """Holds the keyword index readers use (`for_reading`) and, during a write of this
    process, the one that write updates (`begin_write` .. `end_write`)."""

    def __init__(
        self, folder: Path, catalog: Catalog, lock: WriteLock, marker: WriteMarker
    ) -> None:
        self.folder = folder
        self.catalog = catalog
        self._lock = lock
        self._marker = marker
        self._current: ChunkBM25 | None = None
        self._writing: ChunkBM25 | None = None  # the one this process's write updates
        self._loading = threading.Lock()

    # -- reading -------------------------------------------------------------------------
    def for_reading(self) -> ChunkBM25:
        current = self._current
        if current is not None and current.generation == self.catalog.generation:
            return current
        with self._loading:  # one thread loads or builds it; the others wait for that one
            return self._load_current()

    def _load_current(self) -> ChunkBM25:
        writing_here = self._writing
        if writing_here is not None:  # a write of this process: read what it last committed
            return writing_here
        if self._current is None or self._current.generation != self.catalog.generation:
            writing = self._lock.held or self._marker.present()
            # while another process writes, its keyword index may be a commit behind or ahead
            # of the catalog: read it as it is (hits of chunks the view lacks are dropped)
            loaded = self.saved(stale=writing)
            if loaded is None:
                if not self._files() and self.catalog.counts()[1]:
                    log.warning(
                        "newsqa: the keyword index of %s is missing or empty; rebuilding it "
                        "from the catalog (no re-embedding)",
                        self.folder,
                    )
                loaded = self._rebuild_when_idle()
            self._current = loaded
        return self._current

    def _rebuild_when_idle(self) -> ChunkBM25:
        """Rebuild the keyword index on reading: in the index folder, so the next process need
        not rebuild it, when no write is under way (a writer brings its own up to date) and
        the folder is writable; else in a private folder, for this process only."""
        if not self._lock.held:  # a writer thread of this process holding the lock wins
            try:  # a lock handle of its own, closed when the rebuild is done
                with lock_file(self.folder):
                    if not self._marker.present():
                        return self.build()
            except OSError:  # BlockingIOError included: a write is under way
                pass
        private = Path(tempfile.mkdtemp(prefix="newsqa-keywords-"))
        return self.build(private / "bm25")

    def saved(self, stale: bool = False) -> ChunkBM25 | None:
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

    def saved_state(self) -> tuple[int | None, bool]:
        """(chunks in the saved keyword index, None when there is none it can read; whether
        it counts today's tokens of today's catalog), for `newsqa doctor`."""
        saved = ChunkBM25.load(self.folder / "bm25")
        if saved is None:
            return None, False
        current = saved.tokenizer == TOKENIZER and saved.generation == self.catalog.generation
        return saved.count, current

    def _files(self) -> list[Path]:
        folder = self.folder / "bm25"
        return [p for p in folder.iterdir() if p.stat().st_size] if folder.is_dir() else []

    def build(self, folder: Path | None = None) -> ChunkBM25:
        """The keyword index rebuilt from the catalog (O(chunks): for repairs only)."""
        entries = (KeywordEntry(*row) for row in self.catalog.keyword_rows())
        return ChunkBM25.build(folder or self.folder / "bm25", entries, self.catalog.generation)

    # -- writing (under the write lock) ----------------------------------------------------
    def begin_write(self) -> None:
        """Hand the write the keyword index, brought up to the catalog first if it is not."""
        if self._current is None or self._current.generation != self.catalog.generation:
            self._current = self.saved() or self.build()
        self._writing = self._current

    def end_write(self) -> None:
        if self._writing is not None:
            self._writing.close_writer()
            self._writing = None

    def refresh(self, generation: int, force: bool = False) -> None:
        """Rebuild the keyword index when forced or when it did not follow the catalog to
        `generation` (the writes below keep it current)."""
        current = self._current
        if force or current is None or current.generation != generation:
            bm25 = None if force else self.saved()
            self._current = bm25 if bm25 is not None else self.build()

    def add(self, items: Sequence[IndexedArticle], replaced: Sequence[str]) -> None:
        """Add the chunks of `items` (committed to the catalog) in place of the chunks of the
        `replaced` articles: O(chunks written)."""
        keywords = self._writing  # brought up to the catalog when the write began
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
        self._commit(keywords)

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        """Remove the chunks of articles deleted from the catalog."""
        keywords = self._writing  # brought up to the catalog when the write began
        assert keywords is not None
        keywords.delete_articles(article_ids)
        self._commit(keywords)

    def _commit(self, keywords: ChunkBM25) -> None:
        keywords.commit(self.catalog.generation)
        self._current = keywords
