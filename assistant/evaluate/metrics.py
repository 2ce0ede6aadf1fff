"""Evaluation metrics: small pure functions over per-question results."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence


def first_relevant_rank(ranked_ids: Sequence[str], gold_ids: Sequence[str]) -> int | None:
    """1-based rank of the first relevant id, or None when none is ranked."""
    gold = set(gold_ids)
    for rank, item in enumerate(ranked_ids, start=1):
        if item in gold:
            return rank
    return None


def hits_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first relevant item is in the top k."""
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr_at(ranks: Sequence[int | None], k: int) -> float:
    """Mean reciprocal rank, counting only ranks within the top k."""
    if not ranks:
        return 0.0
    return sum(1 / r for r in ranks if r is not None and r <= k) / len(ranks)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalize_answer(text: str) -> str:
    """Lower case, quotes unified, punctuation dropped, digit-group commas removed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[^\w\s%$.]", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    return " ".join(text.split())


def answer_found(gold: str, answer: str) -> bool:
    """True when the normalized gold string occurs in the normalized answer, word-bounded."""
    needle, haystack = normalize_answer(gold), normalize_answer(answer)
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def answer_recall(gold_answers: Sequence[str], answer: str) -> float | None:
    """Share of gold answer strings found in the answer (None when there are none)."""
    if not gold_answers:
        return None
    return sum(answer_found(g, answer) for g in gold_answers) / len(gold_answers)


def citation_supported(
    citation_text: str,
    citation_article: str,
    evidence: Sequence[str],
    gold_articles: Sequence[str],
) -> bool:
    """A citation counts when its sentence contains or overlaps gold evidence, or when it
    comes from a gold article."""
    if citation_article in gold_articles:
        return True
    cited = normalize_answer(citation_text)
    for piece in evidence:
        gold = normalize_answer(piece)
        if gold and (gold in cited or cited in gold):
            return True
    return False


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
