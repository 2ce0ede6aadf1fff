"""Searching reads articles, chunks and sentences by id when a question needs them, keeps
them in bounded caches, and a write makes it read again only the articles it changed."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.index.build import NewsIndex
from assistant.ingest.loaded import loaded_articles
from assistant.pipeline import Assistant
from assistant.retrieve.rows import BoundedCache
from assistant.retrieve.search import HybridSearch
from assistant.settings import load_settings
from assistant.types import Article, article_of_chunk
from tests.helpers import SAMPLE_ARTICLES

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)

QUESTION = "How much is a return ticket on the Kelso ferry?"
CONTENT = ("articles", "chunks", "sentences", "copies")


def test_a_bounded_cache_keeps_the_most_recently_used_entries():
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
    cache.drop_where(lambda key: key == "a")
    assert (cache.get("a"), len(cache)) == (None, 1)


def test_a_chunk_id_names_its_article_even_when_the_article_id_has_colons():
    assert article_of_chunk("feed:item:42:3") == "feed:item:42"


def filler_articles(count: int) -> list[Article]:
    """`count` one-sentence articles made from the bundled articles' words (none of
    the question's), each distinct enough not to be taken for a copy of another."""
    words = sorted(
        {
            w.lower()
            for path in SAMPLE_ARTICLES.glob("*.md")
            for w in re.findall(r"[A-Za-z]{4,}", path.read_text(encoding="utf-8"))
        }
        - {"kelso", "ferry", "return", "ticket", "much", "euros"}
    )
    rng = random.Random(7)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = []
    for i in range(count):
        sentences = [" ".join(rng.choices(words, k=8)).capitalize() + "."]
        articles.append(
            Article(
                id=f"filler-{i:04d}",
                title=f"Notes {i}: {' '.join(rng.choices(words, k=3))}",
                text=" ".join(sentences),
                outlet=rng.choice(["Harbour Post", "Valley Times", "Coast Herald"]),
                published=start + timedelta(hours=3 * i),
            )
        )
    return articles


def ferry_article() -> Article:
    return Article(
        id="kelso-ferry",
        title="Kelso ferry returns",
        text="The Kelso ferry will return on 9 May after two years, with three crossings a day. "
        "A return ticket will cost 6 euros, the harbour board said.",
        outlet="Harbour Post",
        published=datetime(2024, 12, 1, tzinfo=UTC),
    )


@pytest.fixture(scope="module")
def index_of_2000(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    folder = tmp_path_factory.mktemp("rows") / "index"
    articles = filler_articles(2000)
    settings = load_settings(indexes_dir=folder.parent)
    with NewsIndex.open(settings, str(folder), embedder=embedder, create=True) as index:
        report = index.ingest_articles(loaded_articles(articles))
    assert len(report.added) == 2000 and not report.copies
    return folder


def reads(index: NewsIndex) -> dict[str, int]:
    return {table: index.catalog.rows_read[table] for table in CONTENT}


def rows_read_by(index: NewsIndex, ask) -> dict[str, int]:
    before = reads(index)
    ask()
    return {table: count - before[table] for table, count in reads(index).items()}


def test_after_adding_one_article_a_question_reads_only_that_articles_rows_anew(
    index_of_2000, embedder
):
    settings = load_settings(indexes_dir=index_of_2000.parent)
    with NewsIndex.open(settings, str(index_of_2000), embedder=embedder) as index:
        assistant = Assistant(HybridSearch(index, embedder))
        ask = lambda: assistant.ask(QUESTION)  # noqa: E731

        cold = rows_read_by(index, ask)
        assert cold["chunks"] >= 20 and cold["articles"] >= 10  # the candidates, read once
        assert sum(rows_read_by(index, ask).values()) == 0  # asked again: all cached

        ferry = ferry_article()
        index.ingest_articles(loaded_articles([ferry]))
        chunks = len(index.catalog.chunks_of([ferry.id]))
        sentences = len(index.catalog.sentences_of(ferry.id))
        after_add = rows_read_by(index, ask)
        assert ferry.id in {c.article_id for c in assistant.ask(QUESTION).citations}
        # its article row (once for its date, once whole), its chunks and its sentences
        assert after_add == {"articles": 2, "chunks": chunks, "sentences": sentences, "copies": 0}

        index.delete([ferry.id])
        assert rows_read_by(index, ask) == dict.fromkeys(CONTENT, 0)  # a delete reads nothing

        # not vacuous: a search that has cached nothing reads every candidate again
        fresh = rows_read_by(index, lambda: Assistant(HybridSearch(index, embedder)).ask(QUESTION))
        assert fresh["chunks"] >= cold["chunks"] - 1
