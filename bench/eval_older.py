"""Score a question set on an existing index with whichever newsqa is first on the path, so
an older commit (which may know neither as-of times nor the newer datasets) can be measured
on the same index and questions as today's `newsqa eval`:

    git worktree add /tmp/newsqa-old <commit>
    PYTHONPATH=/tmp/newsqa-old .venv/bin/python bench/eval_older.py \\
        --index indexes/eval-cache/realtimeqa-2023q1-<key> \\
        --questions ../shared/corpora/realtimeqa-2023q1/questions.jsonl --from-week 20230303

Prints answer recall, Hits@5 and false refusals (the figures `newsqa eval` reports), asking
as of each question's date when the code on the path takes `as_of`, else without.
"""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path

from assistant import offline

offline.enforce()

from assistant.evaluate.metrics import answer_found  # noqa: E402
from assistant.evaluate.retrieval import article_ranking  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.types import canonical_url  # noqa: E402


def week_of(record: dict) -> str:
    """The quiz week of a RealTimeQA-style id ("rtqa-20230303_4" -> "20230303")."""
    return str(record["id"]).split("-")[-1].split("_")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="index folder")
    parser.add_argument("--questions", required=True, help="question set (JSONL)")
    parser.add_argument("--from-week", default="", help="only quiz weeks from this one")
    parser.add_argument("--until-week", default="99999999", help="only quiz weeks up to this")
    args = parser.parse_args()

    index = Path(args.index)
    assistant = Assistant.from_index(str(index), settings=load_settings())
    dated = "as_of" in inspect.signature(assistant.ask).parameters
    url_to_id = {canonical_url(u): i for u, i in assistant.search.index.catalog.url_ids().items()}
    records = [json.loads(line) for line in Path(args.questions).read_text().splitlines() if line]
    records = [r for r in records if args.from_week <= week_of(r) <= args.until_week]
    found, hits5, refused_answerable, answerable, refused_unanswerable = 0, 0, 0, 0, 0
    for record in records:
        extra = {"as_of": record.get("question_date")} if dated else {}
        answer = assistant.ask(record["question"], **extra)
        if not record.get("answerable", True):
            refused_unanswerable += answer.refused
            continue
        answerable += 1
        refused_answerable += answer.refused
        found += not answer.refused and any(answer_found(g, answer.text) for g in record["answers"])
        gold = {url_to_id.get(canonical_url(u)) for u in record.get("articles", [])}
        ranking = article_ranking(assistant.retrieve(record["question"], 10, **extra))
        hits5 += any(a in gold for a in ranking[:5])
    unanswerable = len(records) - answerable
    print(
        json.dumps(
            {
                "questions": len(records),
                "asked_as_of_question_date": dated,
                "answer_recall": round(found / answerable, 3),
                "hits@5": round(hits5 / answerable, 3),
                "false_refusal_rate": round(refused_answerable / answerable, 3),
                "refusal_accuracy": (
                    round(refused_unanswerable / unanswerable, 3) if unanswerable else None
                ),
            }
        )
    )
    assistant.close()


if __name__ == "__main__":
    main()
