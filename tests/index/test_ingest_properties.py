"""Property tests (hypothesis) of ingesting odd files into a real index: a file that fails
is one line naming it and leaves the index exactly as it was; one that loads leaves the
index consistent (vectors and keyword index in step with the catalog)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.index.build import NewsIndex
from assistant.ingest.loaders import LOADERS
from assistant.settings import load_settings
from tests.helpers import write_article
from tests.ingest.strategies import content, front_matter, html_pages, json_values

# Each example is a real ingest (a file that loads is embedded and indexed).
INGESTS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[NewsIndex]:
    folder = tmp_path_factory.mktemp("properties") / "index"
    settings_ = load_settings(indexes_dir=folder.parent)
    story = write_article(
        folder.parent / "seed", "port.md", "Port of Lerwick gets a new harbour master",
        "Anna Berg became harbour master of the port of Lerwick on Monday, the port board "
        "said. She ran the ferry terminal for nine years.",
    )  # fmt: skip
    with NewsIndex.open(settings_, str(folder), embedder=embedder, create=True) as opened:
        opened.ingest([story])
        yield opened


def snapshot(index: NewsIndex) -> tuple:
    """Everything a failed ingest must leave as it was."""
    catalog = index.catalog
    return (
        catalog.generation,
        catalog.counts(),
        sorted(a.id for a in catalog.articles()),
        sorted(index.vectors.ids()),
        sorted(index.bm25.ids),
        index.manifest.generation,
    )


def ingest_file(index: NewsIndex, suffix: str, data: bytes) -> None:
    before = snapshot(index)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_bytes(data)
        report = index.ingest([path])
    for failure in report.failed:
        assert "\n" not in str(failure) and path.name in str(failure)
    if not (report.added or report.updated or report.copies):
        assert snapshot(index) == before
    else:
        assert index.examine().consistent


@INGESTS
@given(st.sampled_from(sorted(LOADERS)), st.binary(max_size=600))
def test_random_bytes_fail_cleanly_or_index_consistently(index, suffix, data):
    ingest_file(index, suffix, data)


@INGESTS
@given(st.sampled_from([".md", ".txt"]), front_matter)
def test_malformed_front_matter_fails_cleanly_or_indexes_consistently(index, suffix, text):
    ingest_file(index, suffix, content(text.encode("utf-8", "replace")))


@INGESTS
@given(html_pages)
def test_cut_html_fails_cleanly_or_indexes_consistently(index, html):
    ingest_file(index, ".html", html.encode("utf-8", "replace"))


@INGESTS
@given(st.sampled_from([".json", ".jsonl"]), json_values)
def test_odd_json_records_fail_cleanly_or_index_consistently(index, suffix, value):
    ingest_file(index, suffix, json.dumps(value).encode())
