"""RealTimeQA adapter: gold articles become the corpus, the correct choice the gold answer.

Every question is asked as of its quiz date, and the corpus holds the gold articles of all
22 weeks whichever split is scored: a question sees only what was published by its date and
must pick the right week itself. Gold "articles" under 100 words (empty pages, an
ad-feedback widget) are dropped, and identical texts under different URLs are merged, so
questions point at real articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from assistant.errors import ConfigError, SourceError
from assistant.evaluate.dataset import Question
from assistant.ingest.loaders import article_from_record
from assistant.retrieve.timescope import as_of_time
from assistant.types import Article, canonical_url

DEV_WEEKS = ("20220617", "20220624", "20220701", "20220708", "20220715", "20220722",
             "20220729", "20220805", "20220812", "20220819", "20220826")  # fmt: skip
MIN_WORDS = 100
FOLDER = "realtimeqa/past2022_gold_weeks"


@dataclass(frozen=True)
class CorpusSet:
    """A public QA set turned into a corpus of articles and a question set."""

    articles: list[Article]
    questions: list[Question]
    dropped_questions: int  # questions left without any usable gold article


def weeks(root: Path, split: str) -> list[str]:
    folder = root / FOLDER
    found = sorted(p.name.split("_")[0] for p in folder.glob("*_gold.jsonl"))
    if split == "dev":
        return [w for w in found if w in DEV_WEEKS]
    if split == "test":
        return [w for w in found if w not in DEV_WEEKS]
    if split == "all":
        return found
    raise ValueError(f"split must be dev, test or all, got {split!r}")


def _headline(text: str) -> str:
    """The gold texts carry no headline; the first line of six or more words stands in
    (their first line is often a dateline such as "New York CNN —")."""
    for line in text.split("\n"):
        if len(line.split()) >= 6:
            return line.strip()[:120]
    return text.strip()[:120]


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def quiz_date(qa: dict, where: str) -> datetime:
    """The end of the quiz's `question_date` ("2022/09/02"; a day before the week id for
    some questions), UTC."""
    value = str(qa.get("question_date") or "")
    try:
        return as_of_time(value.replace("/", "-"), name="question_date")
    except ConfigError as exc:
        raise SourceError(where, str(exc)) from None


def load_realtimeqa(root: Path, split: str = "all") -> CorpusSet:
    """The questions of the `split` weeks with a usable gold article, each dated, and the
    usable gold articles of every week."""
    folder = root / FOLDER
    by_text: dict[str, Article] = {}
    by_url: dict[str, str] = {}
    questions: list[Question] = []
    dropped = 0
    scored = set(weeks(root, split))
    for week in weeks(root, "all"):
        gold = {
            g["question_id"]: g["search_result"] for g in _records(folder / f"{week}_gold.jsonl")
        }
        for qa in _records(folder / f"{week}_qa.jsonl"):
            when = quiz_date(qa, f"{folder / week}_qa.jsonl:{qa.get('question_id')}")
            gold_ids = []
            for result in gold.get(qa["question_id"], []) or []:
                text = (result.get("text") or "").strip()
                if len(text.split()) < MIN_WORDS:
                    continue
                url = canonical_url(result["url"])
                if url not in by_url:
                    record = {
                        "title": _headline(text),
                        "text": text,
                        "url": result["url"],
                        "published": (result.get("publish_date") or "").replace("/", "-") or None,
                        "outlet": urlsplit(result["url"]).hostname,
                    }
                    article = article_from_record(record, f"realtimeqa:{week}:{url}")
                    key = " ".join(article.text.split())
                    by_url[url] = by_text.setdefault(key, article).id
                gold_ids.append(by_url[url])
            if week not in scored:
                continue  # its articles stay in the corpus as other weeks' news
            if not gold_ids:
                dropped += 1
                continue
            answer = qa["choices"][int(qa["answer"][0])]
            questions.append(
                Question(
                    id=qa["question_id"],
                    question=qa["question_sentence"],
                    answers=(answer,),
                    articles=tuple(dict.fromkeys(gold_ids)),
                    as_of=when,
                )
            )
    return CorpusSet(list(by_text.values()), questions, dropped)
