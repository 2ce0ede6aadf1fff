"""Syndicated copies: the same wire story carried by several outlets, found at ingest.

Each article gets a MinHash signature of its 5-word shingles; the share of equal slots of
two signatures estimates the Jaccard similarity of their shingle sets. A new article whose
estimate against a stored one reaches COPY_THRESHOLD is stored once, as a copy (alias) of
the stored article. Jaccard is symmetric on purpose: a trimmed copy still shares most of
its shingles, but a longer follow-up story that quotes the wire text adds many new ones
and stays an article of its own.

Candidates come from locality-sensitive hashing (LSH) over the same signatures: the SLOTS
slots are cut into BANDS bands of ROWS slots, and a stored article whose slots agree with
the new one's over a whole band is a candidate. The catalog keeps one key per band of every
stored article (an indexed table), so a new article is compared with the few stored articles
that share a band key, not with every signature.

A copy is looked for among the articles of about the same time: a wire story is carried
within days. Time is cut into weeks (of the publication date, else of the ingest), and a
new article is compared with the stored articles of its week and of the week on either
side: every one published within 7 days of it, none more than 13 days away. The catalog
keeps the band keys week first, so an add reads and writes the part of the table that holds
the last few weeks, however many weeks the index holds (docs/scaling.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assistant.text import shingles

if TYPE_CHECKING:
    import numpy as np

    from assistant.types import Article

SLOTS = 128
# Chosen from bench/syndication.py (docs/benchmarks.md): over the bundled articles and the
# RealTimeQA articles, syndication-style edits of each article (carried-in-full line, trimmed
# by a quarter, house style, local paragraph, all at once) estimated >= 0.39, and every
# pair of distinct stories, same-topic ones included, <= 0.055. The threshold sits between.
COPY_THRESHOLD = 0.3
# Many bands of two slots: a pair of Jaccard similarity s is a candidate with probability
# 1 - (1 - s^2)^64, so a copy at 0.39 (the lowest measured) is missed with probability
# 2.6e-5 and one at the threshold (0.3) with 0.0024, while unrelated stories (s near 0)
# share no band (bench/syndication.py reports the candidates).
BANDS = 64
ROWS = 2
WEEK_SECONDS = 7 * 24 * 3600
NEAR_WEEKS = 1  # the weeks either side of an article's own whose articles it is compared with
# stored band keys follow this: a catalog whose keys were cut otherwise gets them again
BANDING = f"minhash {SLOTS} slots, {BANDS} bands of {ROWS}, by week"


def copy_week(article: Article) -> int:
    """The week an article's copies are looked for around: of its publication, else of
    its ingest (an undated file is compared with what was ingested near it)."""
    seconds = article.published_ts
    if seconds is None:
        seconds = int(article.ingested_at.timestamp())
    return seconds // WEEK_SECONDS


def near_weeks(week: int) -> list[int]:
    """The weeks whose articles an article of `week` is compared with."""
    return list(range(week - NEAR_WEEKS, week + NEAR_WEEKS + 1))


def _salts() -> np.ndarray:
    import numpy as np

    rng = np.random.default_rng(20231203)  # fixed: signatures must agree across runs
    return rng.integers(0, np.iinfo(np.uint64).max, size=SLOTS, dtype=np.uint64)


_SALTS = _salts()


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: a well-spread 64-bit hash (multiplication wraps mod 2^64)."""
    import numpy as np

    z = values ^ (values >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _shingle_hashes(text: str) -> np.ndarray:
    import numpy as np

    values = {
        int.from_bytes(hashlib.blake2b(" ".join(s).encode(), digest_size=8).digest(), "little")
        for s in shingles(text)
    }
    return np.array(sorted(values), dtype=np.uint64)


def signature(text: str) -> np.ndarray:
    """SLOTS minimums of salted 64-bit hashes of the text's shingles, kept as uint32 (all
    ones when the text has no words)."""
    import numpy as np

    hashes = _shingle_hashes(text)
    if not len(hashes):
        return np.full(SLOTS, np.iinfo(np.uint32).max, dtype=np.uint32)
    mixed = _mix(hashes[:, None] ^ _SALTS[None, :])
    return (mixed.min(axis=0) >> np.uint64(32)).astype(np.uint32)


def band_keys(row: np.ndarray) -> list[int]:
    """One signed 64-bit key per band of a signature (the band number is mixed in, so two
    bands with equal slots have different keys)."""
    import numpy as np

    bands = row.astype(np.uint64).reshape(BANDS, ROWS)
    keys = _mix(np.arange(1, BANDS + 1, dtype=np.uint64))
    for slot in range(ROWS):
        keys = _mix(keys ^ bands[:, slot])
    return keys.view(np.int64).tolist()


def candidate_probability(similarity: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """Probability that two articles of this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def similarities(candidate: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature against each row of `stored`."""
    import numpy as np

    if not len(stored):
        return np.zeros(0, dtype=np.float32)
    return (stored == candidate[None, :]).mean(axis=1).astype(np.float32)


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for measuring the estimate)."""
    left, right = shingles(a), shingles(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


class SignatureTable:
    """Signatures of the stored articles with their weeks, growing as an ingest adds more;
    finds the article a new text copies, if any, among those of nearby weeks."""

    def __init__(self, ids: list[str], rows: list[np.ndarray], weeks: list[int]) -> None:
        import numpy as np

        self._ids = list(ids)
        self._rows = {article_id: n for n, article_id in enumerate(self._ids)}
        capacity = max(64, 2 * len(rows))
        self._matrix = np.zeros((capacity, SLOTS), dtype=np.uint32)
        self._weeks = np.zeros(capacity, dtype=np.int64)
        if rows:
            self._matrix[: len(rows)] = np.stack(rows)
            self._weeks[: len(rows)] = weeks

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows

    def clear(self) -> None:
        """Forget every row (their space is kept for the next ones)."""
        self._ids.clear()
        self._rows.clear()

    def put(self, article_id: str, row: np.ndarray, week: int) -> None:
        import numpy as np

        n = self._rows.get(article_id)
        if n is None:
            n = len(self._ids)
            if n == len(self._matrix):
                grown = np.zeros((2 * n, SLOTS), dtype=np.uint32)
                grown[:n] = self._matrix
                self._matrix = grown
                self._weeks = np.concatenate([self._weeks, np.zeros(n, dtype=np.int64)])
            self._ids.append(article_id)
            self._rows[article_id] = n
        self._matrix[n] = row
        self._weeks[n] = week

    def original_of(
        self, article_id: str, row: np.ndarray, week: int, threshold: float = COPY_THRESHOLD
    ) -> tuple[str, float] | None:
        """The most similar other article of a nearby week when it reaches `threshold`."""
        import numpy as np

        count = len(self._ids)
        scores = similarities(row, self._matrix[:count])
        scores[np.abs(self._weeks[:count] - week) > NEAR_WEEKS] = -1.0
        own = self._rows.get(article_id)
        if own is not None:
            scores[own] = -1.0
        if not len(scores):
            return None
        best = int(np.argmax(scores))
        return (self._ids[best], float(scores[best])) if scores[best] >= threshold else None


def original_among(
    article_id: str,
    row: np.ndarray,
    week: int,
    candidates: Iterable[tuple[str, int, bytes]],
    pending: SignatureTable,
    threshold: float = COPY_THRESHOLD,
) -> tuple[str, float] | None:
    """The article `row` (of `week`) copies, if any, of stored `candidates` (id, week,
    signature) and articles `pending` (not stored yet; their signature wins over a stored
    one of the same id)."""
    import numpy as np

    stored = [c for c in candidates if c[0] not in pending]
    table = SignatureTable(
        [other for other, _, _ in stored],
        [np.frombuffer(blob, dtype=np.uint32) for _, _, blob in stored],
        [other_week for _, other_week, _ in stored],
    )
    found = [
        f
        for f in (
            table.original_of(article_id, row, week, threshold),
            pending.original_of(article_id, row, week, threshold),
        )
        if f
    ]
    return max(found, key=lambda f: f[1]) if found else None
