"""Filters on outlet and publication date, the as-of time, and an optional preference for
recent news."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

RECENCY_WEIGHT = 0.2  # the most a passage can lose for being older than its rivals


@dataclass(frozen=True)
class Filters:
    """What a question may draw on. Empty filters accept everything."""

    outlets: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    recency_half_life_days: float | None = None  # set: newer articles score higher
    # nothing published after the as-of time is read; undated articles stay usable (they
    # count as older than any dated one)
    as_of: datetime | None = None

    def chroma_where(self) -> dict[str, Any] | None:
        """The same conditions as a Chroma `where` clause (dates as epoch seconds)."""
        clauses: list[dict[str, Any]] = []
        if self.outlets:
            clauses.append({"outlet": {"$in": list(self.outlets)}})
        if self.since:
            clauses.append({"published_ts": {"$gte": int(self.since.timestamp())}})
        if self.until:
            clauses.append({"published_ts": {"$lte": int(self.until.timestamp())}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, metadata: Mapping[str, Any]) -> bool:
        if self.outlets and metadata.get("outlet") not in self.outlets:
            return False
        ts = metadata.get("published_ts")
        if self.as_of and ts is not None and ts > self.as_of.timestamp():
            return False
        if (self.since or self.until) and ts is None:
            return False
        if self.since and ts < self.since.timestamp():
            return False
        return not (self.until and ts > self.until.timestamp())

    def recency_factor(self, published_ts: int | None, newest_ts: int | None) -> float:
        """1.0 for the newest article, falling toward 1 - RECENCY_WEIGHT with age (the age
        bonus halves every half-life): newer wins among similar matches, never over a much
        better one."""
        if not self.recency_half_life_days or published_ts is None or newest_ts is None:
            return 1.0
        age_days = max(newest_ts - published_ts, 0) / 86400
        decay = float(0.5 ** (age_days / self.recency_half_life_days))
        return 1.0 - RECENCY_WEIGHT * (1.0 - decay)
