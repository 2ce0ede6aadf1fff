"""Run a question set through the same Assistant as the chat and score every answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from assistant.answer.check import shown_citation_support
from assistant.evaluate.dataset import Question
from assistant.evaluate.metrics import (
    answer_found,
    answer_recall,
    citation_supported,
    first_relevant_rank,
    hits_at,
    mean,
    mrr_at,
    normalize_answer,
    percentile,
)
from assistant.evaluate.retrieval import article_ranking
from assistant.pipeline import Assistant
from assistant.types import Answer, canonical_url

RANK_DEPTH = 10


def gold_article_ids(question: Question, url_to_id: dict[str, str]) -> list[str]:
    """Gold `articles` may be ids or URLs; URLs are matched in canonical form."""
    ids = []
    for ref in question.articles:
        ids.append(url_to_id.get(canonical_url(ref), ref) if "://" in ref else ref)
    return ids


def citation_support(assistant: Assistant, answer: Answer) -> list[bool]:
    """For each citation marker shown in an LLM answer: does it name a sentence of the
    retrieved passages, verbatim, that supports the answer sentence carrying it?"""
    passages = assistant.retrieve(answer.question, as_of=answer.as_of)
    retrieved = {
        (p.article.id, i)
        for p in passages
        for i in range(p.chunk.sentence_start, p.chunk.sentence_end)
    }
    cited, context = {}, {}
    for c in answer.citations:
        sentences = assistant.search.sentences(c.article_id)
        verbatim = c.sentence_index < len(sentences) and sentences[c.sentence_index].text == c.text
        if (c.article_id, c.sentence_index) in retrieved and verbatim:
            cited[c.n] = c.text
            context[c.n] = " ".join(x for x in (c.outlet, c.title) if x)
    # the "Sources differ" line is ours, not the model's: each figure in it must be in the
    # sentence it cites; the model's sentences go through the support rule
    figures = [
        n in cited and normalize_answer(value) in normalize_answer(cited[n])
        for conflict in answer.conflicts
        for value, n in conflict.values
    ]
    embed = assistant.search.embedder.embed
    return figures + shown_citation_support(answer.sentences, cited, embed, context)


def first_sentence_found(gold_answers: Sequence[str], answer: Answer) -> bool | None:
    """Whether the first answer sentence that cites a source holds a gold answer string
    (None without gold answers; a refusal holds none)."""
    if not gold_answers:
        return None
    first = next((s for s in answer.sentences if s.cites), None)
    if answer.refused or first is None:
        return False
    return any(answer_found(gold, first.text) for gold in gold_answers)


def sentences_shown(answer: Answer) -> int | None:
    """How many sentences the answer shows: its answer sentences and its earlier reports
    (a "Sources differ" line quotes no sentence of its own); None for a refusal."""
    return None if answer.refused else len(answer.sentences) + len(answer.earlier)


def citations_after(answer: Answer, as_of: datetime) -> int:
    """Cited sentences from articles published after the as-of time (must always be 0)."""
    return sum(1 for c in answer.citations if c.published is not None and c.published > as_of)


def evaluate_question(
    assistant: Assistant, question: Question, url_to_id: dict[str, str], as_of: datetime
) -> dict[str, Any]:
    """Ask one question as of `as_of` and score the answer and the ranking behind it."""
    started = time.perf_counter()
    answer = assistant.ask(question.question, as_of=as_of)
    latency = 1000 * (time.perf_counter() - started)
    passages = assistant.retrieve(question.question, RANK_DEPTH, as_of=as_of)
    gold = gold_article_ids(question, url_to_id)
    evidence = [normalize_answer(e) for e in question.evidence if e.strip()]
    evidence_rank = (
        next(
            (
                i
                for i, p in enumerate(passages, 1)
                if any(e in normalize_answer(p.chunk.text) for e in evidence)
            ),
            None,
        )
        if evidence
        else None
    )
    supported = [
        citation_supported(c.text, c.article_id, question.evidence, gold) for c in answer.citations
    ]
    recall = answer_recall(question.answers, answer.text)
    support = citation_support(assistant, answer) if answer.answerer == "llm" else []
    return {
        "id": question.id,
        "question": question.question,
        "as_of": as_of.isoformat(),
        "category": question.category,
        "answerable": question.answerable,
        "gold_answers": list(question.answers),
        "gold_articles": gold,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [c.as_json() for c in answer.citations],
        "citations_after_as_of": citations_after(answer, as_of),
        "article_rank": first_relevant_rank(article_ranking(passages), gold) if gold else None,
        "has_evidence": bool(evidence),
        "evidence_rank": evidence_rank,
        "answer_recall": 0.0 if recall is not None and answer.refused else recall,
        "first_sentence_found": first_sentence_found(question.answers, answer),
        "answer_sentences": sentences_shown(answer),
        "citation_precision": (
            None if answer.refused or not supported else sum(supported) / len(supported)
        ),
        "latency_ms": round(latency, 1),
        "answerer": answer.answerer,
        "unsupported_dropped": len(answer.unsupported),
        "llm_citations_checked": len(support),
        "llm_citations_supported": sum(support),
    }


def evaluate(
    assistant: Assistant,
    questions: Sequence[Question],
    on_progress: Callable[[int, int], None] | None = None,
    as_of: datetime | None = None,
) -> list[dict[str, Any]]:
    """Every question asked as of its own date, else `as_of`, else the time the run started
    (one time for the whole run, so a run's answers can be compared with each other)."""
    catalog = assistant.search.index.catalog
    url_to_id = {canonical_url(url): i for url, i in catalog.url_ids().items()}
    run_as_of = as_of or datetime.now(UTC)
    records = []
    for done, question in enumerate(questions, start=1):
        asked = question.as_of or run_as_of
        records.append(evaluate_question(assistant, question, url_to_id, asked))
        if on_progress:
            on_progress(done, len(questions))
    return records


def first_sentence_recall(answerable: Sequence[dict[str, Any]]) -> float | None:
    """Share of answerable questions with gold answers whose first cited answer sentence
    holds one (records written before this count have none)."""
    found = [r.get("first_sentence_found") for r in answerable]
    return mean([None if f is None else float(f) for f in found])


def summarize(records: Sequence[dict[str, Any]], k: int) -> dict[str, float | None]:
    """The headline metrics of one run (defined in docs/evaluation.md)."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    ranked = [r["article_rank"] for r in answerable if r["gold_articles"]]
    evidence_ranks = [r["evidence_rank"] for r in answerable if r["has_evidence"]]
    latencies = [r["latency_ms"] for r in records]
    llm = [r for r in records if r.get("answerer", "extractive") != "extractive"]
    checked = sum(r["llm_citations_checked"] for r in llm)
    summary: dict[str, float | None] = {
        "questions": len(records),
        "hits@1": hits_at(ranked, 1) if ranked else None,
        "hits@5": hits_at(ranked, 5) if ranked else None,
        "hits@10": hits_at(ranked, 10) if ranked else None,
        "mrr@10": mrr_at(ranked, 10) if ranked else None,
        f"evidence_recall@{k}": hits_at(evidence_ranks, k) if evidence_ranks else None,
        "answer_recall": mean([r["answer_recall"] for r in answerable]),
        "first_sentence_recall": first_sentence_recall(answerable),
        "sentences_per_answer": mean([r.get("answer_sentences") for r in records]),
        "citation_precision": mean([r["citation_precision"] for r in records]),
        "refusal_accuracy": (
            sum(r["refused"] for r in unanswerable) / len(unanswerable) if unanswerable else None
        ),
        "false_refusal_rate": (
            sum(r["refused"] for r in answerable) / len(answerable) if answerable else None
        ),
        # reports written before questions had dates have no such count
        "citations_after_as_of": sum(r.get("citations_after_as_of", 0) for r in records),
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
    }
    if llm:
        summary.update(
            {
                # answers the LLM wrote that kept at least one supported sentence
                "llm_answer_share": sum(r["answerer"] == "llm" for r in llm) / len(llm),
                "llm_fallback_share": sum(r["answerer"] == "llm-fallback" for r in llm) / len(llm),
                "llm_sentences_dropped": float(sum(r["unsupported_dropped"] for r in llm)),
                "llm_citations_shown": float(checked),
                "llm_citation_support": (
                    sum(r["llm_citations_supported"] for r in llm) / checked if checked else None
                ),
            }
        )
    return summary


def by_category(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """One row per `category` (in order of first appearance): answer recall, first-sentence
    recall and hits@1 over the category's answerable questions, refused answers, questions.
    Empty without categories."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r.get("category"):
            groups.setdefault(r["category"], []).append(r)
    rows: dict[str, dict[str, float | int | None]] = {}
    for category, group in groups.items():
        answerable = [r for r in group if r["answerable"]]
        ranked = [r["article_rank"] for r in answerable if r["gold_articles"]]
        rows[category] = {
            "answer_recall": mean([r["answer_recall"] for r in answerable]),
            "first_sentence_recall": first_sentence_recall(answerable),
            "hits@1": hits_at(ranked, 1) if ranked else None,
            "refused": sum(r["refused"] for r in group),
            "questions": len(group),
        }
    return rows
