"""Sources turned into what the index ingests: every article and every error numbered by the
source it came from, in the order the sources were named."""

from __future__ import annotations

import json

from assistant.errors import SourceError
from assistant.ingest.loaded import Loaded, load_sources, loaded_articles
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.web import FetchPolicy
from assistant.types import Article
from tests.helpers import write_article


def test_each_article_and_each_error_carries_the_number_of_its_source(tmp_path):
    story = write_article(
        tmp_path / "one", "harbour.md", "Harbour reopens", "The harbour reopened."
    )
    records = [
        {"title": "Bridge", "text": "A bridge opened."},
        {"title": "School", "text": "A school."},
    ]
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    refused = "http://127.0.0.1:9/story"  # a private address, refused without a connection

    loaded = list(
        load_sources(
            [story, tmp_path / "two", tmp_path / "missing.md", refused],
            LoadOptions(),
            FetchPolicy(),
        )
    )

    assert [(item.source_number, item.source_total) for item in loaded] == [
        (1, 4), (2, 4), (2, 4), (3, 4), (4, 4)
    ]  # fmt: skip
    assert [r.title for r in (item.result for item in loaded[:3]) if isinstance(r, Article)] == [
        "Harbour reopens", "Bridge", "School"
    ]  # fmt: skip
    missing, url = loaded[3].result, loaded[4].result
    assert isinstance(missing, SourceError) and missing.reason == "no such file or directory"
    assert isinstance(url, SourceError) and url.source == refused


def test_articles_in_memory_are_one_source_each():
    articles = [Article.create(title=f"Story {n}", text=f"Text {n}.") for n in (1, 2)]
    assert list(loaded_articles(articles)) == [Loaded(1, 2, articles[0]), Loaded(2, 2, articles[1])]
