"""Question files: good ones load; a bad one fails on its first bad line, named."""

from datetime import UTC, datetime

import pytest

from assistant.errors import SourceError
from assistant.evaluate.dataset import load_questions


def write(tmp_path, text):
    path = tmp_path / "q.jsonl"
    path.write_text(text)
    return path


def test_a_question_set_loads_with_defaults(tmp_path):
    path = write(
        tmp_path,
        '{"id": "q1", "question": "Who?", "answers": ["A"]}\n\n'
        '{"question": "Why?", "answerable": false}\n',
    )
    first, second = load_questions(path)
    assert (first.id, first.answers, first.answerable) == ("q1", ("A",), True)
    assert second.answerable is False and second.id == f"{path}:3"
    assert (first.as_of, first.category, first.extra) == (None, None, {})


def test_question_date_is_the_end_of_that_day_and_as_of_takes_a_time(tmp_path):
    path = write(
        tmp_path,
        '{"question": "Who won?", "question_date": "2023-03-02"}\n'
        '{"question": "Who leads?", "as_of": "2023-03-02T09:30:00+01:00"}\n',
    )
    dated, timed = load_questions(path)
    assert dated.as_of == datetime(2023, 3, 2, 23, 59, 59, 999999, tzinfo=UTC)
    assert timed.as_of == datetime(2023, 3, 2, 8, 30, tzinfo=UTC)


def test_a_sets_own_fields_are_kept_and_ignored_and_category_is_read(tmp_path):
    path = write(
        tmp_path,
        '{"question": "Which team?", "answers": ["Bills"], "category": " sport ", '
        '"note": "from the quiz", "choices": ["Bills", "Jets"], "gold_choice": "Bills"}\n',
    )
    (question,) = load_questions(path)
    assert question.category == "sport" and question.answers == ("Bills",)
    assert question.extra == {
        "note": "from the quiz",
        "choices": ["Bills", "Jets"],
        "gold_choice": "Bills",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"question": "ok"}\n{"question": \n', ":2: invalid JSON"),
        ('{"id": "q1"}\n', ":1: missing 'question'"),
        ('{"question": "ok", "answers": "x"}\n', ":1: 'answers' must be a list of strings"),
        ('{"question": "ok", "category": 3}\n', ":1: 'category' must be a non-empty string"),
        (
            '{"question": "ok"}\n{"question": "ok", "question_date": "2023-02-30"}\n',
            ":2: question_date: cannot read '2023-02-30' as a date",
        ),
        ('{"question": "ok", "as_of": "last week"}\n', ":1: as_of: cannot read 'last week'"),
        ('{"question": "ok", "question_date": 20230302}\n', ":1: 'question_date' must be a date"),
        (
            '{"question": "ok", "question_date": "2023-03-02", "as_of": "2023-03-02"}\n',
            ":1: give 'question_date' or 'as_of', not both",
        ),
        ("", ": no questions in the file"),
    ],
)
def test_bad_question_files_name_the_file_and_line_in_one_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        load_questions(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    assert "\n" not in str(caught.value)
