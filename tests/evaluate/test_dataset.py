"""Question files: good ones load; a bad one fails on its first bad line, named."""

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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"question": "ok"}\n{"question": \n', ":2: invalid JSON"),
        ('{"id": "q1"}\n', ":1: missing 'question'"),
        ('{"question": "ok", "answer": "x"}\n', ":1: unknown field(s) answer"),
        ('{"question": "ok", "answers": "x"}\n', ":1: 'answers' must be a list of strings"),
        ("", ": no questions in the file"),
    ],
)
def test_bad_question_files_name_the_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        load_questions(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
