"""Feeds an index follows: remembered in feeds.json in the index folder, re-polled with
conditional GETs, and only new or changed entries fetched and ingested.

Following sits above the index: it ingests through `NewsIndex.ingest_articles` and keeps its
own state beside the index's files; the index knows nothing of feeds."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import IndexStateError, SourceError
from assistant.ingest.feeds import entry_article, fetch_feed
from assistant.ingest.loaded import Loaded
from assistant.ingest.web import FetchPolicy

if TYPE_CHECKING:
    from assistant.index.build import NewsIndex
    from assistant.index.reports import IngestReport, ProgressCallback

STATE_FILE = "feeds.json"


@dataclass
class FeedRecord:
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    last_result: str | None = None
    entries: dict[str, str] = field(default_factory=dict)  # entry key -> digest ingested


class FeedState:
    """The feeds.json of one index folder."""

    def __init__(self, folder: Path, feeds: dict[str, FeedRecord]) -> None:
        self.folder = folder
        self.feeds = feeds

    @classmethod
    def load(cls, folder: Path) -> FeedState:
        path = folder / STATE_FILE
        if not path.exists():
            return cls(folder, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            feeds = {f["url"]: FeedRecord(**f) for f in data["feeds"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexStateError(
                f"{path} is unreadable ({exc}); delete it to forget the followed feeds"
            ) from None
        return cls(folder, feeds)

    def save(self) -> None:
        path = self.folder / STATE_FILE
        tmp = path.with_name(f".{STATE_FILE}.tmp-{os.getpid()}")
        data = {"feeds": [asdict(r) for r in self.feeds.values()]}
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def follow(self, url: str) -> FeedRecord:
        return self.feeds.setdefault(url, FeedRecord(url))

    def forget(self, url: str) -> bool:
        return self.feeds.pop(url, None) is not None


@dataclass
class FeedPoll:
    """What one poll of one feed found."""

    url: str
    title: str | None = None
    entries: int = 0
    fetched: int = 0  # new or changed entries whose article was loaded
    not_modified: bool = False
    error: SourceError | None = None
    partial: list[SourceError] = field(default_factory=list)

    def summary(self) -> str:
        if self.error:
            return f"{self.url}: failed: {self.error.reason}"
        if self.not_modified:
            return f"{self.url}: not modified since the last poll"
        name = f" ({self.title})" if self.title else ""
        return f"{self.url}{name}: {self.entries} entries, {self.fetched} new or changed"


def poll_feeds(
    index: NewsIndex,
    urls: Sequence[str],
    policy: FetchPolicy,
    on_progress: ProgressCallback | None = None,
    write_lock: AbstractContextManager[Any] | None = None,
) -> tuple[list[FeedPoll], IngestReport]:
    """Poll each feed (remembering it), ingest new and changed entries, record what was
    ingested so the next poll skips it. A feed that fails leaves the others going.

    With `write_lock` (a server sharing the index with readers), every feed and page is
    fetched first and the lock is held only while the articles are written."""
    state = FeedState.load(index.folder)
    polls = [FeedPoll(url) for url in urls]
    taken: dict[str, tuple[FeedRecord, str, str]] = {}  # article id -> (feed, key, digest)
    seen: dict[str, set[str]] = {}

    def results() -> Iterator[Loaded]:
        number = 0
        for poll in polls:
            record = state.follow(poll.url)
            record.last_polled = datetime.now(UTC).isoformat(timespec="seconds")
            try:
                feed = fetch_feed(poll.url, policy, record.etag, record.last_modified)
            except SourceError as exc:
                poll.error = exc
                record.last_result = f"failed: {exc.reason}"
                number += 1
                yield Loaded(number, number, exc)
                continue
            if feed is None:
                poll.not_modified = True
                record.last_result = "not modified"
                continue
            record.title, record.etag, record.last_modified = (
                feed.title,
                feed.etag,
                feed.last_modified,
            )
            poll.title, poll.entries = feed.title, len(feed.entries)
            seen[poll.url] = {e.key for e in feed.entries}
            for entry in feed.entries:
                if record.entries.get(entry.key) == entry.digest:
                    continue
                number += 1
                try:
                    article = entry_article(entry, feed, policy, poll.partial.append)
                except SourceError as exc:
                    yield Loaded(number, number, exc)
                    continue
                poll.fetched += 1
                taken[article.id] = (record, entry.key, entry.digest)
                yield Loaded(number, number, article)
            record.last_result = f"{poll.entries} entries, {poll.fetched} new or changed"

    if write_lock is None:
        report = index.ingest_articles(results(), on_progress)
    else:
        fetched = list(results())
        with write_lock:
            report = index.ingest_articles(fetched, on_progress)
    done = {*report.added, *report.updated, *report.unchanged, *report.copies}
    for article_id, (record, key, digest) in taken.items():
        if article_id in done:
            record.entries[key] = digest
    for url, keys in seen.items():  # entries gone from a feed are forgotten
        record = state.feeds[url]
        record.entries = {k: v for k, v in record.entries.items() if k in keys}
    state.save()
    return polls, report


def stats_with_feeds(index: NewsIndex) -> dict[str, Any]:
    """The index's stats with the number of feeds it follows under "feeds", in the place
    `newsqa stats --json` has always given it (after "undated")."""
    of_index = index.stats()
    followed = len(FeedState.load(index.folder).feeds)
    stats: dict[str, Any] = {}
    for key, value in of_index.items():
        stats[key] = value
        if key == "undated":
            stats["feeds"] = followed
    return stats
