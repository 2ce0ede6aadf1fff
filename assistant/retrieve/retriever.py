"""NewsRetriever: the hybrid search as a llama-index BaseRetriever, for other apps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.index.embeddings import Embedder
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch, Mode, Passage
from assistant.retrieve.timescope import AsOf, as_of_time
from assistant.settings import Settings


def passage_metadata(passage: Passage) -> dict[str, Any]:
    """Node metadata: where the passage comes from, and who else carried it."""
    article = passage.article
    return {
        "article_id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "sentence_start": passage.chunk.sentence_start,
        "sentence_end": passage.chunk.sentence_end,
        "also_carried_by": [
            {
                "article_id": c.id,
                "outlet": c.outlet,
                "url": c.url,
                "published": c.published.isoformat() if c.published else None,
            }
            for c in passage.copies
        ],
    }


def passage_node(passage: Passage) -> NodeWithScore:
    node = TextNode(
        id_=passage.chunk.id,
        text=passage.chunk.text,
        metadata=passage_metadata(passage),
        # Only the headline and outlet go to an LLM beside the text; ids and offsets stay out.
        excluded_llm_metadata_keys=[
            "article_id",
            "sentence_start",
            "sentence_end",
            "also_carried_by",
        ],
        excluded_embed_metadata_keys=list(passage_metadata(passage)),
    )
    return NodeWithScore(node=node, score=passage.score)


class NewsRetriever(BaseRetriever):
    """Hybrid (dense + BM25, fused, reranked) retrieval over a newsqa index.

    `NewsRetriever.from_index("default")` works wherever llama-index takes a retriever,
    e.g. `RetrieverQueryEngine.from_args(retriever, llm=...)`.

    Every retrieval is made as of `as_of` (a datetime, a date, or "YYYY-MM-DD" meaning the
    end of that day UTC; default: the filters' as_of, else the moment of each retrieval):
    nothing published after it is returned; undated articles are. Time words in the query
    ("this week") are not read here; `Assistant.retrieve` applies them.
    """

    def __init__(
        self,
        search: HybridSearch,
        *,
        k: int = 5,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        as_of: AsOf = None,
    ) -> None:
        super().__init__()
        self.search = search
        self.k = k
        self.filters = filters or Filters()
        self.mode: Mode = mode
        # read now, so an unreadable value fails when the retriever is made, not at a query
        self.as_of = None if as_of is None else as_of_time(as_of)

    @classmethod
    def from_index(
        cls,
        name_or_path: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        k: int = 5,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        as_of: AsOf = None,
    ) -> NewsRetriever:
        return cls(
            HybridSearch.from_index(name_or_path, settings=settings, embedder=embedder),
            k=k,
            filters=filters,
            mode=mode,
            as_of=as_of,
        )

    def retrieval_filters(self) -> Filters:
        """The filters of one retrieval: the given ones, read as of the as-of time. Without
        one, "now" is taken per retrieval, so a long-lived retriever sees new articles but
        never ones dated in the future."""
        as_of = self.as_of or self.filters.as_of or as_of_time(None)
        return replace(self.filters, as_of=as_of)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self.search.search(
            query_bundle.query_str, self.k, self.retrieval_filters(), mode=self.mode
        )
        return [passage_node(p) for p in passages]
