"""The keyword index and the rarity weights read one vocabulary; an index saved with other
tokens is rebuilt from the catalog when opened, without embedding anything."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from assistant.index.bm25 import STATE_FILE
from assistant.index.build import NewsIndex
from assistant.retrieve.search import HybridSearch
from assistant.text import TOKENIZER, idf
from tests.helpers import write_article

# five one-chunk articles: each word below is in a known number of them
ARTICLES = {
    "covid.md": ("Virus cases climb", "COVID-19 cases rose again in the U.S. this winter."),
    "rates.md": ("Rates held", "The bank kept its rate at 5.25% after members voted on Tuesday."),
    "senate.md": ("Senate acts", "U.S. senators cast their votes on the spending bill late."),
    "volcano.md": ("Volcano erupts", "Lava reached the harbour of a fishing town by evening."),
    "final.md": ("Cup final", "The underdogs won the final at the national stadium on Saturday."),
}


@pytest.fixture
def keyword_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "keyword-corpus"
    for name, (title, body) in ARTICLES.items():
        write_article(folder, name, title, body, url=f"https://example.com/{name}")
    return folder


def titles(search: HybridSearch, question: str) -> list[str]:
    return [p.article.title for p in search.search(question, k=5, mode="bm25")]


def test_keyword_search_and_rarity_weights_count_the_same_tokens(
    settings, embedder, keyword_corpus
):
    with NewsIndex.open(settings, "words", embedder=embedder, create=True) as index:
        index.ingest([keyword_corpus])
        assert index.catalog.counts() == (5, 5)
        search = HybridSearch(index, embedder)
        weights = search.term_weights(["covid-19", "5.25", "us", "votes", "voted", "harbour"])
        # the idf of the number of chunks holding each word, "U.S." in two of them: no word
        # gets the weight of a word the index lacks (as "covid-19" and "5.25" did before)
        assert weights == {
            "covid-19": idf(1, 5),
            "5.25": idf(1, 5),
            "us": idf(2, 5),
            "votes": idf(1, 5),
            "voted": idf(1, 5),
            "harbour": idf(1, 5),
        }
        assert search.term_weights(["zeppelin"]) == {"zeppelin": idf(0, 5)}
        # keyword search cuts questions into the same tokens
        assert titles(search, "Covid-19 figures") == ["Virus cases climb"]
        assert titles(search, "interest at 5.25") == ["Rates held"]
        assert set(titles(search, "What happened in the US?")) == {
            "Virus cases climb",
            "Senate acts",
        }
        assert titles(search, "the votes") == ["Senate acts"]


class RefusingEmbedder:
    """The packaged model's name and size, but it embeds nothing: opening and searching an
    index with it shows that nothing is re-embedded."""

    def __init__(self, real) -> None:
        self.name, self.dimensions = real.name, real.dimensions
        self.max_tokens, self.batch_size = real.max_tokens, real.batch_size

    def embed(self, texts):
        raise AssertionError(f"asked to embed {len(texts)} texts")

    embed_with_spans = count_tokens = count_tokens_as_embedded = embed


def save_as_older_newsqa(index: NewsIndex) -> None:
    """The keyword index as newsqa wrote it before TOKENIZER: bm25s's own tokens, and a
    state file without a tokenizer."""
    import bm25s

    ids, texts = index.catalog.chunks_for_search()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    folder = index.folder / "bm25"
    retriever.save(str(folder), show_progress=False)
    state = {"ids": ids, "generation": index.catalog.generation}
    (folder / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")


def rebuild_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "assistant.index.build"]


def test_an_index_with_older_keyword_tokens_is_rebuilt_from_the_catalog_once(
    settings, embedder, keyword_corpus, caplog
):
    with NewsIndex.open(settings, "old", embedder=embedder, create=True) as index:
        index.ingest([keyword_corpus])
        save_as_older_newsqa(index)
        folder = index.folder
    vectors = NewsIndex.open(settings, "old").vectors.ids()

    refusing = RefusingEmbedder(embedder)
    caplog.set_level(logging.WARNING, logger="assistant.index.build")
    with NewsIndex.open(settings, "old", embedder=refusing) as index:
        search = HybridSearch(index, refusing)
        assert titles(search, "Covid-19 figures") == ["Virus cases climb"]
        assert search.term_weights(["covid-19"]) == {"covid-19": idf(1, 5)}
        assert index.vectors.ids() == vectors
    (message,) = rebuild_messages(caplog)
    assert "\n" not in message
    assert str(folder) in message and "rebuilding it from the catalog" in message
    state = json.loads((folder / "bm25" / STATE_FILE).read_text(encoding="utf-8"))
    assert state["tokenizer"] == TOKENIZER

    caplog.clear()
    with NewsIndex.open(settings, "old", embedder=refusing) as index:
        assert titles(HybridSearch(index, refusing), "5.25") == ["Rates held"]
    assert rebuild_messages(caplog) == []
