"""Question sets in the newsqa JSONL format (one question a line)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError, SourceError
from assistant.retrieve.timescope import as_of_time

FIELDS = {
    "id", "question", "answers", "evidence", "articles", "answerable", "question_date", "as_of",
    "category",
}  # fmt: skip


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # gold article ids or URLs
    answerable: bool = True
    as_of: datetime | None = None  # asked as of this time; None: the run's as-of time
    category: str | None = None  # a report row of its own
    # fields newsqa does not read (a set's own notes, choices, scores): kept, not used
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


def _as_of(record: Mapping[str, Any], where: str) -> datetime | None:
    """`question_date` (public sets) or `as_of`: a date means the end of that day, UTC."""
    given = [key for key in ("question_date", "as_of") if key in record]
    if not given:
        return None
    if len(given) > 1:
        raise SourceError(where, "give 'question_date' or 'as_of', not both")
    key = given[0]
    value = record[key]
    if not isinstance(value, str) or not value.strip():
        raise SourceError(where, f"'{key}' must be a date string (YYYY-MM-DD), got {value!r}")
    try:
        return as_of_time(value, name=key)
    except ConfigError as exc:
        raise SourceError(where, str(exc)) from None


def question_from_record(record: object, where: str) -> Question:
    if not isinstance(record, dict):
        raise SourceError(where, "expected a JSON object")
    text = record.get("question")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(where, "missing 'question'")
    lists = {}
    for key in ("answers", "evidence", "articles"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SourceError(where, f"'{key}' must be a list of strings")
        lists[key] = tuple(value)
    category = record.get("category")
    if category is not None and (not isinstance(category, str) or not category.strip()):
        raise SourceError(where, f"'category' must be a non-empty string, got {category!r}")
    return Question(
        id=str(record.get("id") or where),
        question=text.strip(),
        answerable=bool(record.get("answerable", True)),
        as_of=_as_of(record, where),
        category=category.strip() if category else None,
        extra={k: v for k, v in record.items() if k not in FIELDS},
        **lists,
    )


def jsonl_records(path: Path) -> Iterator[tuple[str, object]]:
    """("file:line", record) for each non-empty line of a JSONL file; an unreadable file or
    a line that is not JSON raises SourceError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SourceError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(where, f"invalid JSON ({exc.msg})") from None


def load_questions(path: Path) -> list[Question]:
    """All questions of a JSONL file; the first bad line raises SourceError naming file:line."""
    questions = [question_from_record(record, where) for where, record in jsonl_records(path)]
    if not questions:
        raise SourceError(str(path), "no questions in the file")
    return questions
