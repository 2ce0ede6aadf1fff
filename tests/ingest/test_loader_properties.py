"""Property tests (hypothesis): whatever bytes a file, a feed or a question set holds, the
loaders give articles or one-line SourceErrors, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import SourceError
from assistant.evaluate.dataset import load_questions
from assistant.ingest.feeds import parse_feed
from assistant.ingest.loaders import LOADERS, LoadOptions
from assistant.ingest.sources import load_source
from assistant.types import Article
from tests.ingest.strategies import EXAMPLES, content, front_matter, html_pages, json_values


def assert_only_articles_or_source_errors(suffix: str, data: bytes | str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_bytes(content(data))
        results = list(load_source(path, LoadOptions()))
    for result in results:
        assert isinstance(result, Article | SourceError)
        if isinstance(result, SourceError):
            assert "\n" not in str(result) and str(path) in str(result)


@EXAMPLES
@given(st.sampled_from(sorted(LOADERS)), st.binary(max_size=600))
def test_random_bytes_in_any_supported_file_give_articles_or_source_errors(suffix, data):
    assert_only_articles_or_source_errors(suffix, data)


@EXAMPLES
@given(st.sampled_from([".md", ".txt"]), front_matter)
def test_malformedfront_matter_gives_an_article_or_a_source_error(suffix, text):
    assert_only_articles_or_source_errors(suffix, text.encode("utf-8", "replace"))


@EXAMPLES
@given(html_pages)
def test_truncated_and_malformed_html_gives_an_article_or_a_source_error(html):
    assert_only_articles_or_source_errors(".html", html.encode("utf-8", "replace"))


@EXAMPLES
@given(st.sampled_from([".json", ".jsonl"]), json_values)
def test_malformedjson_values_records_give_articles_or_source_errors(suffix, value):
    assert_only_articles_or_source_errors(suffix, json.dumps(value))


@EXAMPLES
@given(
    st.one_of(
        st.binary(max_size=600),
        st.builds(
            lambda items, cut: (
                '<?xml version="1.0"?><rss><channel><title>t</title>'
                + "".join(f"<item><title>{t}</title><link>{t}</link></item>" for t in items)
            )[:cut].encode("utf-8", "replace"),
            st.lists(st.text(max_size=30), max_size=4),
            st.integers(min_value=0, max_value=400),
        ),
    )
)
def test_random_and_truncated_feeds_parse_or_give_a_source_error(body):
    try:
        parse_feed(body, "http://127.0.0.1/feed")
    except SourceError as exc:
        assert "\n" not in str(exc)


@EXAMPLES
@given(st.one_of(st.binary(max_size=400), st.lists(json_values, max_size=4)))
def test_a_question_set_of_any_content_loads_or_names_its_bad_line(content):
    if isinstance(content, list):
        content = "\n".join(json.dumps(v) for v in content).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "questions.jsonl"
        path.write_bytes(content)
        try:
            load_questions(path)
        except SourceError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
