"""Evaluation indexes built once and reused: a public corpus too big to embed on every run
(realtimeqa-2023q1: 3.6 million words, ~25 minutes on 2 cores) is indexed into a folder
named by what it was built from, and reused while the corpus file and the index settings
stay the same.

The folder is `<indexes_dir>/eval-cache/<name>-<key>` (`cache_folder`), the key a short hash
of the corpus file's content, the model, the chunking, the index schema and the rules that
cut sentences and find syndicated copies (`cache_key`).
A folder is reused only when it holds the stamp file, written after an ingest of the whole
corpus finished; without it the corpus is ingested again, which finishes a partial build
(ingest skips what is already stored) or checks and adopts an index built elsewhere from
the same file with `newsqa ingest` (copy it to the folder `cache_folder` names).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.index.manifest import SCHEMA_VERSION
from assistant.index.prepare import chunking_recipe
from assistant.index.reports import IngestReport, ProgressCallback
from assistant.index.syndication import BANDING
from assistant.ingest.loaded import loaded_articles
from assistant.ingest.split import SPLITTING
from assistant.settings import Settings
from assistant.types import Article

STAMP_FILE = "eval-cache-complete.json"
CACHE_DIR = "eval-cache"


def cache_key(
    corpus_sha256: str,
    model: str,
    chunking: Mapping[str, Any],
    schema_version: int,
    rules: Mapping[str, str] | None = None,
) -> str:
    """12 hex digits that change when the corpus, the model, the chunking, the index schema
    or the ingest `rules` do: anything that would make a cached index differ from a fresh
    build."""
    recipe: dict[str, Any] = {
        "corpus_sha256": corpus_sha256,
        "model": model,
        "chunking": dict(chunking),
        "schema_version": schema_version,
    }
    if rules:
        recipe["rules"] = dict(rules)
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def cache_folder(indexes_dir: Path, name: str, key: str) -> Path:
    """Where the cached index of corpus `name` built with `key` lives."""
    return indexes_dir / CACHE_DIR / f"{name}-{key}"


def file_sha256(path: Path) -> str:
    # the content, not size and mtime: a copied or re-downloaded identical file keeps its key
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None


def index_key(settings: Settings, embedder: Embedder, corpus_file: Path) -> str:
    """The key of `corpus_file` indexed with these settings and this model."""
    # the chunking dict the manifest records, so the key changes exactly when an index
    # built before would no longer open with the current settings
    chunking = chunking_recipe(settings)
    rules = {"sentences": SPLITTING, "copies": BANDING}
    return cache_key(file_sha256(corpus_file), embedder.name, chunking, SCHEMA_VERSION, rules)


def cached_index_folder(settings: Settings, embedder: Embedder, name: str, corpus: Path) -> Path:
    """The folder the cached index of `corpus` lives in under the current settings."""
    return cache_folder(settings.indexes_dir, name, index_key(settings, embedder, corpus))


def read_stamp(folder: Path) -> dict[str, Any] | None:
    """The stamp of a completed build, or None (no stamp, or one that cannot be read)."""
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_stamp(folder: Path, stamp: Mapping[str, Any]) -> None:
    """Atomic, so a reader never takes half a stamp for a whole one."""
    tmp = folder / f".{STAMP_FILE}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(dict(stamp), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / STAMP_FILE)


@dataclass(frozen=True)
class CachedIndex:
    index: NewsIndex
    # None: reused as stamped; else what this call's ingest did (all "unchanged" when it
    # finished or adopted an index that already held the whole corpus)
    ingest: IngestReport | None = None

    @property
    def reused(self) -> bool:
        return self.ingest is None


def open_cached_index(
    settings: Settings,
    embedder: Embedder,
    name: str,
    corpus_file: Path,
    articles: Sequence[Article],
    on_progress: ProgressCallback | None = None,
) -> CachedIndex:
    """The index of `articles` (loaded from `corpus_file`): reused when its folder holds a
    stamp with this key, else ingested (finishing or checking what is there) and stamped."""
    key = index_key(settings, embedder, corpus_file)
    folder = cache_folder(settings.indexes_dir, name, key)
    stamp = read_stamp(folder)
    if stamp is not None and stamp.get("key") == key:
        return CachedIndex(NewsIndex.open(settings, str(folder), embedder=embedder))
    index = NewsIndex.open(settings, str(folder), embedder=embedder, create=True)
    try:
        report = index.ingest_articles(loaded_articles(articles), on_progress)
        stored, chunks = index.catalog.counts()
        write_stamp(
            folder,
            {
                "key": key,
                "corpus": str(corpus_file),
                "corpus_sha256": file_sha256(corpus_file),
                "model": embedder.name,
                "articles_in_corpus": len(articles),
                "articles_stored": stored,  # syndicated copies are stored as aliases
                "chunks": chunks,
                # what the ingest that completed the build did (an adopted or resumed build
                # finds most articles already stored)
                "last_ingest": {
                    "added": len(report.added),
                    "copies": len(report.copies),
                    "unchanged": len(report.unchanged),
                    "failed": len(report.failed),
                },
                "completed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
    except BaseException:
        index.close()
        raise
    return CachedIndex(index, report)
