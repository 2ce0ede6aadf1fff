"""What the chat shows of an answer's dates, and how it reads the as-of box (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.chat.ui import answer_markdown, read_as_of, source_html
from assistant.errors import ConfigError
from assistant.types import Answer
from tests.conftest import citation

TROOPS = Answer(
    question="How many troops?",
    text="About 10,000 [1]; an earlier report said about 1,500 [2].",
    citations=(
        citation(1, "Northgate Chronicle", datetime(2024, 10, 17, 16, 5, tzinfo=UTC)),
        citation(2, "Han River <b>Daily</b>", datetime(2024, 10, 10, tzinfo=UTC)),
        citation(3, None, None),
    ),
    earlier=(2,),
)


def test_the_chat_answer_ends_with_each_cited_source_and_its_date():
    shown = answer_markdown(TROOPS)
    assert shown.startswith("About 10,000 [1]; an earlier report said about 1,500 [2].")
    assert shown.endswith(
        "Sources:\n"
        "- [1] Northgate Chronicle, 17 October 2024\n"
        "- [2] Han River &lt;b&gt;Daily&lt;/b&gt;, 10 October 2024 (earlier report)\n"
        "- [3] Story 3, undated"
    )


def test_a_refusal_lists_its_closest_sources_with_dates():
    refusal = Answer(question="q", text="No answer.", citations=TROOPS.citations[:1], refused=True)
    assert answer_markdown(refusal).endswith(
        "Closest sources:\n- [1] Northgate Chronicle, 17 October 2024"
    )


def test_an_answer_without_citations_has_no_source_list():
    assert answer_markdown(Answer(question="q", text="No answer.")) == "No answer."


def test_the_sources_panel_marks_an_earlier_report():
    earlier = source_html(TROOPS.citations[1], "Sentence 2.", earlier=True)
    assert 'class="source earlier"' in earlier and "2024-10-10 · earlier report" in earlier
    assert "earlier report" not in source_html(TROOPS.citations[0], "Sentence 1.")


def test_the_as_of_box_reads_a_date_as_the_end_of_that_day_and_empty_as_now():
    assert read_as_of("2024-10-21") == datetime(2024, 10, 21, 23, 59, 59, 999_999, tzinfo=UTC)
    assert read_as_of("2999-01-01") is not None  # the future is allowed
    assert read_as_of("") is None and read_as_of("  ") is None


def test_an_unreadable_as_of_box_names_the_value():
    with pytest.raises(ConfigError, match=r"^as of: cannot read 'last week' as a date"):
        read_as_of("last week")
