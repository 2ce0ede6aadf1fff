"""What the index reports back: an ingest's outcome, its progress as it runs, and what an
examination of the derived parts (vectors, keyword index) against the catalog found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import SourceError


@dataclass
class IngestReport:
    """What one ingest did: article ids by outcome, the sources that failed, and the cost."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)  # stored once, as aliases of an original
    failed: list[SourceError] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    def merged(self, other: IngestReport) -> IngestReport:
        """This report and a later one, as one."""
        return IngestReport(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.copies + other.copies,
            self.failed + other.failed,
            self.chunks_written + other.chunks_written,
            self.seconds + other.seconds,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "copies": len(self.copies),
            "failed": [{"source": e.source, "error": e.reason} for e in self.failed],
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    """Where an ingest stands; sent to the caller's callback after each source and batch."""

    sources_done: int
    sources_total: int
    articles: int
    chunks: int
    elapsed: float


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Examination:
    """What `newsqa doctor` found in an index."""

    articles: int
    chunks: int
    vectors_missing: int
    vectors_stray: int
    keyword_chunks: int | None  # None: no readable keyword index
    keyword_current: bool
    interrupted: bool  # a write marker left by a process that did not finish

    @property
    def consistent(self) -> bool:
        return (
            not self.vectors_missing
            and not self.vectors_stray
            and self.keyword_current
            and self.keyword_chunks == self.chunks
            and not self.interrupted
        )

    def lines(self) -> list[str]:
        keyword = (
            "missing or unreadable"
            if self.keyword_chunks is None
            else f"{self.keyword_chunks} chunks" + ("" if self.keyword_current else " (stale)")
        )
        writes = "an interrupted write left its marker" if self.interrupted else "none pending"
        return [
            f"catalog    {self.articles} articles, {self.chunks} chunks",
            f"vectors    {self.chunks - self.vectors_missing} of {self.chunks} chunks, "
            f"{self.vectors_stray} stray",
            f"keyword    {keyword}",
            f"writes     {writes}",
        ]
