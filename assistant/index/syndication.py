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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assistant.text import shingles

if TYPE_CHECKING:
    import numpy as np

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
BANDING = f"minhash {SLOTS} slots, {BANDS} bands of {ROWS}"  # stored band keys follow this


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
    """Signatures of the stored articles, growing as an ingest adds more; finds the article
    a new text copies, if any."""

    def __init__(self, ids: list[str], rows: list[np.ndarray]) -> None:
        import numpy as np

        self._ids = list(ids)
        self._rows = {article_id: n for n, article_id in enumerate(self._ids)}
        capacity = max(64, 2 * len(rows))
        self._matrix = np.zeros((capacity, SLOTS), dtype=np.uint32)
        if rows:
            self._matrix[: len(rows)] = np.stack(rows)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows

    def clear(self) -> None:
        """Forget every row (their space is kept for the next ones)."""
        self._ids.clear()
        self._rows.clear()

    def put(self, article_id: str, row: np.ndarray) -> None:
        import numpy as np

        n = self._rows.get(article_id)
        if n is None:
            n = len(self._ids)
            if n == len(self._matrix):
                grown = np.zeros((2 * n, SLOTS), dtype=np.uint32)
                grown[:n] = self._matrix
                self._matrix = grown
            self._ids.append(article_id)
            self._rows[article_id] = n
        self._matrix[n] = row

    def original_of(
        self, article_id: str, row: np.ndarray, threshold: float = COPY_THRESHOLD
    ) -> tuple[str, float] | None:
        """The most similar other article when it reaches `threshold`."""
        import numpy as np

        scores = similarities(row, self._matrix[: len(self._ids)])
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
    candidates: Iterable[tuple[str, bytes]],
    pending: SignatureTable,
    threshold: float = COPY_THRESHOLD,
) -> tuple[str, float] | None:
    """The article `row` copies, if any, of stored `candidates` (id, signature) and articles
    `pending` (not stored yet; their signature wins over a stored one of the same id)."""
    import numpy as np

    stored = [(other, blob) for other, blob in candidates if other not in pending]
    table = SignatureTable(
        [other for other, _ in stored], [np.frombuffer(blob, dtype=np.uint32) for _, blob in stored]
    )
    found = [
        f
        for f in (
            table.original_of(article_id, row, threshold),
            pending.original_of(article_id, row, threshold),
        )
        if f
    ]
    return max(found, key=lambda f: f[1]) if found else None
