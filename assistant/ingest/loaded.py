"""What ingesting hands the index: each article loaded (or the error its source gave), with
the number of the source it came from, so an ingest can tell how far along it is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import SourceError
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.sources import expand_sources, load_source
from assistant.ingest.web import FetchPolicy, load_url
from assistant.types import Article


@dataclass(frozen=True)
class Loaded:
    """One article loaded from source `source_number` of `source_total` (counted from 1), or
    the error that source gave. A file of many articles gives many, all with its number."""

    source_number: int
    source_total: int
    result: Article | SourceError


def load_sources(
    sources: Iterable[str | Path], options: LoadOptions, policy: FetchPolicy
) -> Iterator[Loaded]:
    """The articles of files, folders (walked) and URLs (fetched under `policy`), in order;
    a source that cannot be read gives its error and the others go on."""
    expanded = list(expand_sources(sources))
    total = len(expanded)
    for number, item in enumerate(expanded, start=1):
        if isinstance(item, SourceError):
            yield Loaded(number, total, item)
            continue
        if isinstance(item, str):
            try:
                yield Loaded(number, total, load_url(item, policy))
            except SourceError as exc:
                yield Loaded(number, total, exc)
            continue
        for result in load_source(item, options):
            yield Loaded(number, total, result)


def loaded_articles(articles: Sequence[Article]) -> Iterator[Loaded]:
    """Articles already in memory, each counted as a source of its own."""
    total = len(articles)
    for number, article in enumerate(articles, start=1):
        yield Loaded(number, total, article)
