"""NewsRetriever as a llama-index retriever; filters; syndicated copies collapsed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine

from assistant.errors import ConfigError
from assistant.retrieve.filters import Filters
from assistant.retrieve.retriever import NewsRetriever
from assistant.settings import load_settings


def make_retriever(sample_index_dir, embedder, **options) -> NewsRetriever:
    return NewsRetriever.from_index(
        str(sample_index_dir), settings=load_settings(indexes_dir=sample_index_dir.parent),
        embedder=embedder, **options,
    )  # fmt: skip


def test_works_inside_a_stock_llama_index_query_engine(sample_index_dir, embedder):
    retriever = make_retriever(sample_index_dir, embedder, k=3)
    # MockLLM (llama-index's own, echoing its prompt) stands in for a model: none runs here
    # yet. The engine is stock: it retrieves through us and synthesizes over our nodes.
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(max_tokens=16))
    response = engine.query("Which countries were invited to join BRICS?")
    assert len(response.source_nodes) == 3
    top = response.source_nodes[0]
    assert "BRICS" in top.node.metadata["title"]
    assert {"article_id", "outlet", "url", "published", "sentence_start"} <= set(top.node.metadata)
    assert top.score is not None and top.node.get_content()
    assert str(response)  # the synthesizer ran over the retrieved text


def test_outlet_and_date_filters_limit_the_sources(sample_index_dir, embedder):
    by_outlet = make_retriever(
        sample_index_dir, embedder, filters=Filters(outlets=("Han River Daily",))
    )
    nodes = by_outlet.retrieve("North Korean troops in Russia")
    assert nodes and {n.node.metadata["outlet"] for n in nodes} == {"Han River Daily"}
    since = datetime(2024, 6, 1, tzinfo=UTC)
    recent = make_retriever(sample_index_dir, embedder, k=10, filters=Filters(since=since))
    for node in recent.retrieve("BRICS members"):
        assert datetime.fromisoformat(node.node.metadata["published"]) >= since


def test_a_wire_story_carried_by_two_outlets_is_one_result_naming_both(sample_index_dir, embedder):
    retriever = make_retriever(sample_index_dir, embedder, k=5)
    nodes = retriever.retrieve("Alaska Air Group agrees to buy Hawaiian Airlines")
    story = [n.node.metadata for n in nodes if "Hawaiian" in n.node.metadata["title"]]
    assert story and "Hawaiian" in nodes[0].node.metadata["title"]
    for meta in story:  # each passage of the story stands once, naming both carriers
        outlets = {meta["outlet"]} | {c["outlet"] for c in meta["also_carried_by"]}
        assert outlets == {"Crestview Courier", "Lakeshore Ledger"}


def test_recency_preference_puts_the_newer_of_two_relevant_stories_first(
    sample_index_dir, embedder
):
    question = "BRICS expansion new members"
    plain = make_retriever(sample_index_dir, embedder, k=2).retrieve(question)
    assert all("BRICS" in n.node.metadata["title"] for n in plain)
    newest = max(plain, key=lambda n: n.node.metadata["published"]).node.metadata["article_id"]
    recent = make_retriever(
        sample_index_dir, embedder, k=2, filters=Filters(recency_half_life_days=30)
    ).retrieve(question)
    assert recent[0].node.metadata["article_id"] == newest


@pytest.mark.parametrize("as_of", ["2024-01-01", date(2024, 1, 1)], ids=["string", "date"])
def test_as_of_returns_no_passage_published_after_it(sample_index_dir, embedder, as_of):
    # the Kazan summit story (2024-10-24) is the best match, and is later than the as-of
    question = "BRICS summit in Kazan partner countries"
    now = make_retriever(sample_index_dir, embedder, k=10).retrieve(question)
    assert "Kazan" in now[0].node.metadata["title"]
    end_of_day = datetime(2024, 1, 1, 23, 59, 59, 999_999, tzinfo=UTC)
    nodes = make_retriever(sample_index_dir, embedder, k=10, as_of=as_of).retrieve(question)
    assert nodes
    for node in nodes:
        assert datetime.fromisoformat(node.node.metadata["published"]) <= end_of_day
    assert "BRICS" in nodes[0].node.metadata["title"]  # the older telling of the story


def test_an_as_of_before_every_article_returns_nothing(sample_index_dir, embedder):
    retriever = make_retriever(sample_index_dir, embedder, as_of="2022-01-01")
    assert retriever.retrieve("Who is joining BRICS?") == []


def test_an_unreadable_as_of_fails_when_the_retriever_is_made(sample_index_dir, embedder):
    with pytest.raises(ConfigError, match="as_of: cannot read 'soon' as a date"):
        make_retriever(sample_index_dir, embedder, as_of="soon")
