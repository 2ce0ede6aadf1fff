"""Question sets in the newsqa JSONL format (one question a line)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import SourceError

FIELDS = {"id", "question", "answers", "evidence", "articles", "answerable"}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # gold article ids or URLs
    answerable: bool = True


def question_from_record(record: object, where: str) -> Question:
    if not isinstance(record, dict):
        raise SourceError(where, "expected a JSON object")
    unknown = sorted(set(record) - FIELDS)
    if unknown:
        raise SourceError(where, f"unknown field(s) {', '.join(unknown)}")
    text = record.get("question")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(where, "missing 'question'")
    lists = {}
    for key in ("answers", "evidence", "articles"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SourceError(where, f"'{key}' must be a list of strings")
        lists[key] = tuple(value)
    return Question(
        id=str(record.get("id") or where),
        question=text.strip(),
        answerable=bool(record.get("answerable", True)),
        **lists,
    )


def load_questions(path: Path) -> list[Question]:
    """All questions of a JSONL file; the first bad line raises SourceError naming file:line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(where, f"invalid JSON ({exc.msg})") from None
        questions.append(question_from_record(record, where))
    if not questions:
        raise SourceError(str(path), "no questions in the file")
    return questions
