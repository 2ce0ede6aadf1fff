"""One ingest's pass over loaded articles, run inside the index's write: an article stored
unchanged is skipped, a syndicated copy of a stored or pending story is kept as an alias of
it, and the rest is prepared and handed to the index to commit in batches of about
`commit_every` chunks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.errors import NewsQAError, SourceError
from assistant.index.catalog import Catalog, IndexedArticle, StoredCopy
from assistant.index.reports import IngestReport, Progress, ProgressCallback
from assistant.index.syndication import (
    SignatureTable,
    band_keys,
    copy_week,
    original_among,
    signature,
)
from assistant.ingest.loaded import Loaded
from assistant.types import Article

if TYPE_CHECKING:
    import numpy as np

# (articles to store, ids of the stored articles they replace, copies to alias)
CommitBatch = Callable[[Sequence[IndexedArticle], Sequence[str], Sequence[StoredCopy]], None]


def fill_copy_bands(catalog: Catalog) -> None:
    """Band keys of every stored article, once, when the catalog was made before the band
    table (or with other bands); signatures missing too are computed."""
    if catalog.copy_bands_current():
        return
    rows = [
        (article.id, copy_week(article), blob or signature(article.text).tobytes())
        for article, blob in catalog.copy_sources()
    ]
    catalog.store_copy_bands(rows)


def original_of(
    catalog: Catalog, article: Article, row: np.ndarray, pending: SignatureTable
) -> tuple[str, float] | None:
    """The stored or pending article `row` copies, if any: stored candidates of nearby
    weeks share a band key with it (an indexed lookup), then each is confirmed on its
    signature."""
    week = copy_week(article)
    stored = catalog.copy_candidates(band_keys(row), week)
    return original_among(article.id, row, week, stored, pending)


class IngestBatches:
    """Sorts loaded articles into the report and the next batch, commits each full batch
    through `commit`, and tells `on_progress` after each source and batch. The clock starts
    when it is made (before the write lock is taken); `finish` stops it."""

    def __init__(
        self,
        catalog: Catalog,
        prepare: Callable[[Article], IndexedArticle],
        commit: CommitBatch,
        commit_every: int,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.catalog = catalog
        self.report = IngestReport()
        self._prepare = prepare
        self._commit = commit
        self._commit_every = commit_every
        self._on_progress = on_progress
        self._started = time.perf_counter()
        self._batch: dict[str, tuple[IndexedArticle, bool]] = {}  # id -> (item, replaces one)
        self._batch_chunks = 0  # chunks in the batch (summed as it fills: batches are big)
        self._copies: list[StoredCopy] = []
        self._pending = SignatureTable([], [], [])  # articles of this ingest not committed yet
        self._done = self._total = 0

    def run(self, results: Iterable[Loaded]) -> None:
        """Ingest every result; call inside the index's write."""
        fill_copy_bands(self.catalog)
        for loaded in results:
            self._total = loaded.source_total
            if loaded.source_number > self._done + 1:
                self._done = loaded.source_number - 1
                self._tell()
            if isinstance(loaded.result, SourceError):
                self.report.failed.append(loaded.result)
                continue
            self._take(loaded.result)
        self._flush()
        self._done = self._total
        self._tell()

    def finish(self) -> IngestReport:
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    def _take(self, article: Article) -> None:
        """Count `article` as unchanged, a copy or failed, or add it to the batch."""
        report = self.report
        known_fingerprint = self.catalog.fingerprint(article.id)
        if article.fingerprint in (known_fingerprint, self.catalog.copy_fingerprint(article.id)):
            report.unchanged.append(article.id)
            return
        row = signature(article.text)
        if known_fingerprint is None:
            original = original_of(self.catalog, article, row, self._pending)
            if original:
                self._copies.append(StoredCopy(article, original[0]))
                report.copies.append(article.id)
                return
        try:
            prepared = self._prepare(article)
        except NewsQAError as exc:
            report.failed.append(SourceError(article.source, str(exc)))
            return
        if not prepared.chunks:
            report.failed.append(SourceError(article.source, "no sentences in the text"))
            return
        (report.updated if known_fingerprint else report.added).append(article.id)
        earlier = self._batch.get(article.id)  # the same article twice in one ingest
        self._batch_chunks += len(prepared.chunks) - (len(earlier[0].chunks) if earlier else 0)
        self._batch[article.id] = (replace(prepared, signature=row), known_fingerprint is not None)
        self._pending.put(article.id, row, copy_week(article))
        if self._batch_chunks >= self._commit_every:
            self._flush()

    def _flush(self) -> None:
        if not self._batch and not self._copies:
            return
        items = [item for item, _ in self._batch.values()]
        replaced = [item.article.id for item, was_there in self._batch.values() if was_there]
        self._commit(items, replaced, self._copies)
        self.report.chunks_written += sum(len(i.chunks) for i in items)
        self._batch.clear()
        self._batch_chunks = 0
        self._copies.clear()
        self._pending.clear()  # committed: found through the catalog's band keys from now on
        self._tell()

    def _tell(self) -> None:
        if self._on_progress:
            self._on_progress(
                Progress(
                    self._done,
                    self._total,
                    len(self.report.added) + len(self.report.updated),
                    self.report.chunks_written,
                    time.perf_counter() - self._started,
                )
            )
