"""The evaluation index cache: a corpus is embedded once, reused while nothing it was built
from changes, and a build that stopped halfway is finished, not trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.evaluate.cache import (
    STAMP_FILE,
    cache_folder,
    cache_key,
    cached_index_folder,
    open_cached_index,
    read_stamp,
)
from assistant.evaluate.realtimeqa2023 import load_articles
from assistant.index.build import NewsIndex
from assistant.ingest.loaded import Loaded
from assistant.settings import load_settings

CHUNKING = {"max_words": 200, "max_tokens": 256, "overlap_sentences": 1, "splitter": "nupunkt"}


RULES = {"sentences": "nupunkt", "copies": "minhash"}


def test_the_key_changes_with_the_corpus_the_model_the_chunking_the_schema_and_the_rules():
    base = cache_key("a" * 64, "minilm", CHUNKING, 2, RULES)
    assert base == cache_key("a" * 64, "minilm", dict(reversed(CHUNKING.items())), 2, RULES)
    assert len(base) == 12
    changed = [
        cache_key("b" * 64, "minilm", CHUNKING, 2, RULES),
        cache_key("a" * 64, "mpnet", CHUNKING, 2, RULES),
        cache_key("a" * 64, "minilm", {**CHUNKING, "max_words": 150}, 2, RULES),
        cache_key("a" * 64, "minilm", CHUNKING, 3, RULES),
        cache_key("a" * 64, "minilm", CHUNKING, 2, {**RULES, "sentences": "nupunkt, titles"}),
        cache_key("a" * 64, "minilm", CHUNKING, 2, {**RULES, "copies": "minhash, by week"}),
    ]
    assert base not in changed and len(set(changed)) == 6


def test_the_cache_folder_sits_under_eval_cache_named_by_corpus_and_key():
    assert cache_folder(Path("/x/indexes"), "realtimeqa-2023q1", "0123456789ab") == Path(
        "/x/indexes/eval-cache/realtimeqa-2023q1-0123456789ab"
    )


def write_corpus(path: Path, topics: list[str]) -> Path:
    lines = [
        json.dumps(
            {
                "url": f"https://news.example/{topic}",
                "title": f"The {topic} story",
                "text": f"The {topic} council met on Monday. It approved the {topic} plan. "
                f"Residents said the {topic} plan was overdue and welcome.",
                "published": "2023-01-05",
                "outlet": "Example News",
            }
        )
        for topic in topics
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_corpus_is_built_once_then_reused_until_its_file_changes(tmp_path, embedder):
    settings = load_settings()
    corpus = write_corpus(tmp_path / "articles.jsonl", ["harbour", "bridge", "school"])
    first = open_cached_index(settings, embedder, "demo", corpus, load_articles(corpus))
    first.index.close()
    assert not first.reused and first.index.folder.parent == settings.indexes_dir / "eval-cache"
    assert read_stamp(first.index.folder)["articles_stored"] == 3
    again = open_cached_index(settings, embedder, "demo", corpus, load_articles(corpus))
    with again.index:
        assert again.reused and again.index.folder == first.index.folder
        assert again.index.catalog.counts()[0] == 3

    write_corpus(corpus, ["harbour", "bridge", "school", "market"])
    changed = open_cached_index(settings, embedder, "demo", corpus, load_articles(corpus))
    with changed.index:
        assert not changed.reused and changed.index.folder != first.index.folder
        assert changed.index.catalog.counts()[0] == 4


def test_a_build_that_stopped_halfway_is_finished_and_only_then_stamped(tmp_path, embedder):
    settings = load_settings()
    corpus = write_corpus(tmp_path / "articles.jsonl", ["harbour", "bridge", "school"])
    articles = load_articles(corpus)
    folder = cached_index_folder(settings, embedder, "demo", corpus)
    # what an interrupted build leaves: some articles stored, no stamp
    with NewsIndex.open(settings, str(folder), embedder=embedder, create=True) as index:
        index.ingest_articles([Loaded(1, 3, articles[0])])
    assert not (folder / STAMP_FILE).exists()
    finished = open_cached_index(settings, embedder, "demo", corpus, articles)
    with finished.index:
        assert not finished.reused and finished.index.folder == folder
        assert finished.index.catalog.counts()[0] == 3
    assert read_stamp(folder)["key"] == folder.name.rsplit("-", 1)[1]


def test_a_bad_corpus_record_is_one_error_naming_file_and_line(tmp_path):
    corpus = write_corpus(tmp_path / "articles.jsonl", ["harbour"])
    corpus.write_text(corpus.read_text() + '{"url": "https://news.example/x", "text": ""}\n')
    with pytest.raises(SourceError, match=r"articles\.jsonl:2: record has no article text"):
        load_articles(corpus)
