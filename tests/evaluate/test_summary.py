"""The report metrics on a 5-question fixture whose values were worked out by hand."""

import json
from datetime import UTC, datetime

import pytest

from assistant.evaluate.metrics import answer_recall, citation_supported, percentile
from assistant.evaluate.report import markdown, write_report
from assistant.evaluate.run import (
    by_category,
    citations_after,
    first_sentence_found,
    sentences_shown,
    summarize,
)
from assistant.types import Answer, AnswerSentence, Citation


def record(
    qid, answerable, rank, ev_rank, has_ev, recall, refused, precision, latency, first, shown
):
    return {
        "id": qid,
        "question": qid,
        "answerable": answerable,
        "gold_answers": ["x"] if answerable else [],
        "gold_articles": ["a"] if answerable else [],
        "answer": "",
        "refused": refused,
        "citations": [],
        "article_rank": rank,
        "has_evidence": has_ev,
        "evidence_rank": ev_rank,
        "answer_recall": recall,
        "citation_precision": precision,
        "latency_ms": latency,
        "first_sentence_found": first,
        "answer_sentences": shown,
    }


FIVE = [
    record("q1", True, 1, 1, True, 1.0, False, 1.0, 10.0, True, 2),
    record("q2", True, 3, 6, True, 0.5, False, 0.5, 20.0, False, 3),
    record("q3", True, None, None, True, 0.0, True, None, 30.0, False, None),
    record("q4", False, None, None, False, None, True, None, 40.0, None, None),
    record("q5", False, None, None, False, None, False, 0.0, 50.0, None, 1),
]


def test_summary_matches_hand_computed_values():
    s = summarize(FIVE, k=5)
    assert s["questions"] == 5
    assert s["hits@1"] == pytest.approx(1 / 3)  # ranks 1, 3, none
    assert s["hits@5"] == pytest.approx(2 / 3)
    assert s["mrr@10"] == pytest.approx((1 + 1 / 3) / 3)
    assert s["evidence_recall@5"] == pytest.approx(1 / 3)  # 1 in top 5; 6 is out
    assert s["answer_recall"] == pytest.approx(0.5)  # (1 + 0.5 + 0) / 3
    assert s["first_sentence_recall"] == pytest.approx(1 / 3)  # q1 of q1, q2, q3
    assert s["sentences_per_answer"] == pytest.approx(2.0)  # (2 + 3 + 1) / 3 not refused
    assert s["citation_precision"] == pytest.approx(0.5)  # (1 + 0.5 + 0) / 3 answered
    assert s["refusal_accuracy"] == pytest.approx(0.5)  # q4 refused, q5 not
    assert s["false_refusal_rate"] == pytest.approx(1 / 3)  # q3
    assert s["latency_p50_ms"] == 30.0 and s["latency_p95_ms"] == 50.0
    assert s["citations_after_as_of"] == 0  # records without the count (older reports)


def test_the_summary_totals_citations_dated_after_the_as_of_time():
    late = [{**FIVE[0], "citations_after_as_of": 2}, {**FIVE[1], "citations_after_as_of": 0}]
    assert summarize(late, k=5)["citations_after_as_of"] == 2


def cited(n, published):
    return Citation(n, f"a{n}", 0, "Text.", "Title", "Wire", published, None, 1.0)


def test_only_citations_published_after_the_as_of_time_count_as_late():
    as_of = datetime(2023, 3, 2, 23, 59, 59, tzinfo=UTC)
    answer = Answer(
        "q",
        citations=(
            cited(1, datetime(2023, 3, 2, 23, 59, 59, tzinfo=UTC)),  # at the as-of time: fine
            cited(2, None),  # undated articles stay usable
            cited(3, datetime(2023, 3, 3, 0, 0, tzinfo=UTC)),
        ),
    )
    assert citations_after(answer, as_of) == 1


def test_first_sentence_recall_reads_the_first_answer_sentence_that_cites():
    lead = AnswerSentence("About 1,500 troops were sent.", (1,))
    update = AnswerSentence("The figure rose to 10,000.", (2,))
    answer = Answer("q", sentences=(lead, update), citations=(cited(1, None), cited(2, None)))
    assert first_sentence_found(["1500"], answer) is True
    assert first_sentence_found(["10,000"], answer) is False  # in the answer, not first
    assert first_sentence_found([], answer) is None
    uncited = Answer("q", sentences=(AnswerSentence("10,000 in all.", ()), update))
    assert first_sentence_found(["10,000"], uncited) is True  # the uncited one is skipped
    refused = Answer("q", sentences=(update,), refused=True)
    assert first_sentence_found(["10,000"], refused) is False


def test_sentences_shown_count_answer_sentences_and_earlier_reports_not_refusals():
    lead = AnswerSentence("Tobias Renn leads the port.", (1,))
    citations = (cited(1, None), cited(2, None))
    assert sentences_shown(Answer("q", sentences=(lead,), citations=citations)) == 1
    dated = Answer("q", sentences=(lead,), citations=citations, earlier=(2,))
    assert sentences_shown(dated) == 2
    assert sentences_shown(Answer("q", citations=citations, refused=True)) is None


CATEGORIZED = [
    {**FIVE[0], "category": "sport"},  # rank 1, recall 1.0
    {**FIVE[1], "category": "politics"},  # rank 3, recall 0.5
    {**FIVE[2], "category": "sport"},  # no rank, recall 0, refused
    {**FIVE[3], "category": "sport"},  # unanswerable, refused
    {**FIVE[4], "category": None},
]


def test_each_category_gets_its_own_row_and_uncategorized_questions_none():
    rows = by_category(CATEGORIZED)
    assert list(rows) == ["sport", "politics"]
    assert rows["sport"] == {
        "answer_recall": 0.5, "first_sentence_recall": 0.5, "hits@1": 0.5, "refused": 2,
        "questions": 3,
    }  # fmt: skip
    assert rows["politics"] == {
        "answer_recall": 0.5, "first_sentence_recall": 0.0, "hits@1": 0.0, "refused": 0,
        "questions": 1,
    }  # fmt: skip
    assert by_category(FIVE) == {}


def test_the_report_has_a_category_table_in_markdown_and_json(tmp_path):
    summaries = {"hybrid": summarize(CATEGORIZED, k=5)}
    categories = {"hybrid": by_category(CATEGORIZED)}
    text = markdown("t", summaries, {"hybrid": CATEGORIZED}, categories)
    assert "## By category (hybrid)" in text
    assert "| sport | 0.500 | 0.500 | 0.500 | 2 | 3 |" in text
    write_report(tmp_path, "t", {}, summaries, {"hybrid": CATEGORIZED}, categories)
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["categories"]["hybrid"]["politics"]["questions"] == 1
    write_report(
        tmp_path, "t", {}, {"hybrid": summarize(FIVE, 5)}, {"hybrid": FIVE}, {"hybrid": {}}
    )
    assert "categories" not in json.loads((tmp_path / "report.json").read_text())
    assert "By category" not in (tmp_path / "report.md").read_text()


def test_answer_recall_counts_each_gold_string():
    assert answer_recall(["Iran", "Egypt", "Turkey"], "Iran and Egypt will join.") == 2 / 3
    assert answer_recall([], "anything") is None


def test_a_citation_counts_when_it_holds_gold_evidence_or_comes_from_a_gold_article():
    assert citation_supported(
        "Iran, Egypt and Ethiopia will join.", "x", ["Egypt and Ethiopia"], []
    )
    assert citation_supported("Unrelated.", "gold-id", [], ["gold-id"])
    assert not citation_supported("Unrelated.", "x", ["Egypt"], ["gold-id"])


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([], 0.5) is None
