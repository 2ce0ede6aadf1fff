"""Article-level retrieval scoring of a search over a question set."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.evaluate.dataset import Question
from assistant.evaluate.metrics import first_relevant_rank, hits_at, mrr_at
from assistant.retrieve.search import Passage


def article_ranking(passages: Sequence[Passage]) -> list[str]:
    """Article ids in rank order, first occurrence only; a collapsed passage ranks every
    copy it stands for at its own place."""
    seen: dict[str, None] = {}
    for passage in passages:
        for article in (passage.article, *passage.copies):
            seen.setdefault(article.id)
    return list(seen)


def retrieval_scores(
    questions: Sequence[Question], ranked: Callable[[Question], list[str]]
) -> dict[str, float]:
    """Hits@1/5/10 and MRR@10 of `ranked` (question -> article ids) over answerable questions."""
    ranks = [
        first_relevant_rank(ranked(q), q.articles) for q in questions if q.answerable and q.articles
    ]
    return {
        "hits@1": hits_at(ranks, 1),
        "hits@5": hits_at(ranks, 5),
        "hits@10": hits_at(ranks, 10),
        "mrr@10": mrr_at(ranks, 10),
        "questions": float(len(ranks)),
    }
