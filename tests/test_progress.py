"""Progress written to a log (a stderr that is not a terminal) is a plain line every few
seconds and the last one, not a bar redrawn thousands of times."""

from __future__ import annotations

import io
import sys

from assistant.cli import _progress_bar, _question_bar
from assistant.index.reports import Progress
from assistant.progress import every


def test_the_gate_opens_once_then_only_for_the_last_call():
    due = every(3600)
    assert [due(), due(), due(), due(final=True)] == [True, False, False, True]


def test_ingest_progress_into_a_log_is_a_few_plain_lines(monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    bar, on_progress = _progress_bar(True)
    assert bar is None  # no tqdm bar into a file
    for done in range(1, 1001):
        on_progress(Progress(done, 1000, done, 3 * done, 2.0))
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[0].startswith("newsqa: 1/1000 sources, 1 articles")
    assert lines[-1].startswith("newsqa: 1000/1000 sources, 1000 articles (500.0/s)")
    assert len(lines) == 2


def test_question_progress_into_a_log_is_a_few_plain_lines(monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    on_progress = _question_bar("bundled", quiet=False)
    for done in range(1, 501):
        on_progress(done, 500)
    assert log.getvalue().splitlines() == [
        "newsqa: bundled 1/500 questions",
        "newsqa: bundled 500/500 questions",
    ]
