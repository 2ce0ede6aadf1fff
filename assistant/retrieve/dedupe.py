"""Find syndicated copies: passages from different articles that share most of their text."""

from __future__ import annotations

import functools
from collections.abc import Sequence, Set

from assistant.text import shingles

__all__ = ["containment", "group_copies", "shingles"]


def containment(a: Set[tuple[str, ...]], b: Set[tuple[str, ...]]) -> float:
    """Share of the smaller passage's shingles found in the other (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@functools.lru_cache(maxsize=8192)  # the same passages come back question after question
def passage_shingles(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(shingles(text))


def group_copies(
    texts: Sequence[str], article_ids: Sequence[str], threshold: float = 0.6
) -> list[list[int]]:
    """Groups of positions whose passages are copies of one another, in input order; the
    first of each group is its representative. Passages of one article never merge."""
    signatures = [passage_shingles(t) for t in texts]
    groups: list[list[int]] = []
    for i in range(len(texts)):
        for group in groups:
            if article_ids[i] in {article_ids[j] for j in group}:
                continue
            if containment(signatures[group[0]], signatures[i]) >= threshold:
                group.append(i)
                break
        else:
            groups.append([i])
    return groups
