"""RealTimeQA 2023 Q1 adapter (`--dataset realtimeqa-2023q1`): the 2,150 search-result
articles of 14 quiz weeks as one corpus, mostly older stories on the same subjects (hard
distractors), and 157 questions each asked as of its question date.

The questions are already in the newsqa format (their `choices`, `gold_choice` and
`article_scores` are kept and not read); the articles load exactly as `newsqa ingest
articles.jsonl` loads them, so an index built that way is the same index.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.errors import SourceError
from assistant.evaluate.dataset import Question, jsonl_records, load_questions
from assistant.evaluate.realtimeqa import CorpusSet
from assistant.ingest.loaders import article_from_record
from assistant.types import Article

NAME = "realtimeqa-2023q1"
ARTICLES = f"{NAME}/articles.jsonl"
QUESTIONS = f"{NAME}/questions.jsonl"
# SOURCE.md: tune on the weeks up to 2023-02-24, report the weeks from 2023-03-03 on. A
# question's date is its week's Friday or the day before, so the cut falls between weeks.
DEV_UNTIL = date(2023, 2, 24)


def split_of(question: Question) -> str:
    """ "dev" for the weeks up to 2023-02-24, "test" for the later ones."""
    if question.as_of is None:
        raise ValueError(f"question {question.id} has no question date")
    return "dev" if question.as_of.date() <= DEV_UNTIL else "test"


def load_articles(path: Path) -> list[Article]:
    """Every article of the corpus file; a bad record is an error naming file:line (the
    cache key is the file's content, so a partial corpus must not pass for the whole)."""
    return [article_from_record(record, where) for where, record in jsonl_records(path)]


def load_realtimeqa2023(root: Path, split: str = "test") -> CorpusSet:
    """The questions of `split` (dev, test or all) and all the articles, whatever the split."""
    if split not in ("dev", "test", "all"):
        raise ValueError(f"split must be dev, test or all, got {split!r}")
    path = root / QUESTIONS
    questions = load_questions(path)
    undated = [q.id for q in questions if q.as_of is None]
    if undated:
        raise SourceError(str(path), f"question {undated[0]} has no question_date")
    chosen = [q for q in questions if split == "all" or split_of(q) == split]
    return CorpusSet(load_articles(root / ARTICLES), chosen, 0)
