"""Hybrid search: dense (Chroma) and BM25 candidates, fused by rank, reranked with
sentence-level similarity and rare-word overlap, syndicated copies collapsed."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.index.bm25 import ChunkBM25, DateBounds
from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.retrieve.dedupe import group_copies
from assistant.retrieve.filters import Filters
from assistant.retrieve.fusion import reciprocal_rank_fusion
from assistant.settings import Settings, load_settings
from assistant.text import coverage, idf, terms
from assistant.types import Article, Chunk, Sentence

if TYPE_CHECKING:
    import numpy as np

Mode = Literal["hybrid", "dense", "bm25"]

# Fusion and rerank weights: the best by MRR@10 of a 96-point grid on RealTimeQA dev weeks
# among the settings that match BM25-only on Hits@1, Hits@5 and MRR@10 (the test weeks were
# not used). Neighbouring settings score within a question or two of these.
W_FUSED = 0.50
W_SENTENCE = 0.20
W_TERMS = 0.15
W_TITLE = 0.10
W_BM25 = 1.5  # weight of the BM25 ranking against the dense one in the fusion


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article, its score, and other outlets carrying it."""

    chunk: Chunk
    article: Article
    score: float
    features: dict[str, float] = field(default_factory=dict)
    copies: tuple[Article, ...] = ()

    @property
    def id(self) -> str:
        return self.chunk.id


@dataclass
class SearchView:
    """What searching reads from one catalog generation, built when the catalog moves on.
    A question pins one view from start to end; a newer view replaces it for later
    questions, so a write never changes what a question in flight reads."""

    generation: int
    articles: dict[str, Article]
    copies: dict[str, list[Article]]
    chunks: dict[str, Chunk]
    bm25: ChunkBM25
    documents: int  # chunks in the keyword index
    undated: list[str]  # ids of articles without a date
    newest_ts: int | None
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)
    sentence_vectors: dict[str, np.ndarray | None] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # rarity, looked up when asked

    @classmethod
    def load(cls, index: NewsIndex) -> SearchView:
        generation = index.catalog.generation
        articles = {a.id: a for a in index.catalog.articles()}
        bm25 = index.bm25.snapshot()
        stamps = [a.published_ts for a in articles.values() if a.published_ts is not None]
        return cls(
            generation=generation,
            articles=articles,
            copies=index.catalog.copies(),
            chunks={c.id: c for c in index.catalog.all_chunks()},
            bm25=bm25,
            documents=bm25.count,
            undated=[a.id for a in articles.values() if a.published is None],
            newest_ts=max(stamps) if stamps else None,
        )

    def weight(self, term: str) -> float:
        """BM25's idf of `term` in the keyword index; a word it lacks is the rarest."""
        if term not in self.weights:
            held = self.bm25.frequency(term) if self.documents else 0
            self.weights[term] = idf(held, max(self.documents, 1))
        return self.weights[term]


class HybridSearch:
    """Finds the passages that matter for a question in one index. Safe to share between
    threads: each question reads one `SearchView`, and the view follows the catalog, so
    writes by this or another process show on the next question."""

    def __init__(
        self,
        index: NewsIndex,
        embedder: Embedder,
        *,
        candidates: int = 30,
        rerank: bool = True,
        collapse_copies: bool = True,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rerank = rerank
        self.collapse_copies = collapse_copies
        self._view: SearchView | None = None
        self._loading = threading.Lock()
        self._pinned = threading.local()

    @classmethod
    def from_index(
        cls,
        name_or_path: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
    ) -> HybridSearch:
        """Search over an existing index (a name under indexes/ or a folder path)."""
        settings = settings or load_settings()
        embedder = embedder or Embedder.packaged(settings.embedding.batch_size)
        index = NewsIndex.open(
            settings, str(name_or_path) if name_or_path else None, embedder=embedder
        )
        return cls(index, embedder)

    # -- the view that follows the catalog ------------------------------------------
    @property
    def view(self) -> SearchView:
        """The pinned view of this thread's question, else the newest one (loaded when the
        catalog moved on; while one thread loads it, the others read the previous view)."""
        pinned = getattr(self._pinned, "view", None)
        if pinned is not None:
            return pinned
        current = self._view
        if current is not None and current.generation == self.index.catalog.generation:
            return current
        if not self._loading.acquire(blocking=current is None):
            return current  # type: ignore[return-value]  # another thread is loading
        try:
            if self._view is None or self._view.generation != self.index.catalog.generation:
                self._view = SearchView.load(self.index)
            return self._view
        finally:
            self._loading.release()

    @contextmanager
    def reading(self) -> Iterator[SearchView]:
        """Pin one view for everything this thread reads inside the block."""
        if getattr(self._pinned, "view", None) is not None:
            yield self._pinned.view
            return
        self._pinned.view = self.view
        try:
            yield self._pinned.view
        finally:
            self._pinned.view = None

    def weight(self, term: str) -> float:
        """The rarity of a content word (as `terms` gives it): BM25's idf of that token in
        the keyword index, so both read one vocabulary; a word the index lacks is the rarest."""
        return self.view.weight(term)

    def term_weights(self, words: Sequence[str]) -> dict[str, float]:
        view = self.view
        return {w: view.weight(w) for w in words}

    def article(self, article_id: str) -> Article | None:
        return self.view.articles.get(article_id)

    def sentences(self, article_id: str) -> list[Sentence]:
        view = self.view
        if article_id not in view.sentences:
            view.sentences[article_id] = self.index.catalog.sentences_of(article_id)
        return view.sentences[article_id]

    def sentence_vectors(self, article_id: str) -> np.ndarray | None:
        view = self.view
        if article_id not in view.sentence_vectors:
            view.sentence_vectors[article_id] = self.index.catalog.sentence_vectors(article_id)
        return view.sentence_vectors[article_id]

    # -- search ------------------------------------------------------------------------
    def search(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        *,
        mode: Mode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """The `k` best passages for `question`, best first."""
        with self.reading() as view:
            return self._search(view, question, k, filters or Filters(), mode, query_vector)

    def _search(
        self,
        view: SearchView,
        question: str,
        k: int,
        filters: Filters,
        mode: Mode,
        query_vector: np.ndarray | None,
    ) -> list[Passage]:
        if query_vector is None and mode != "bm25":
            query_vector = self.embedder.embed([question])[0]
        rankings: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            assert query_vector is not None
            hits = self.index.vectors.query(
                query_vector, self.candidates, where=self._chroma_where(view, filters)
            )
            rankings.append(
                [h.id for h in hits if h.id in view.chunks and self._accepts(view, h.id, filters)]
            )
        if mode in ("hybrid", "bm25"):
            hits_bm25 = view.bm25.query(question, self.candidates * 3, self._keyword_dates(filters))
            ranked = [
                cid
                for cid, _ in hits_bm25
                if cid in view.chunks and self._accepts(view, cid, filters)
            ]
            rankings.append(ranked[: self.candidates])
        weights = [1.0, W_BM25] if mode == "hybrid" else None
        fused = reciprocal_rank_fusion(rankings, weights=weights)
        if not fused:
            return []
        passages = [
            self._passage(view, cid, score, filters) for cid, score in fused[: self.candidates]
        ]
        if self.rerank and mode == "hybrid":
            passages = self._rerank(question, passages, query_vector)
        if filters.recency_half_life_days:
            passages = self._apply_recency(sorted(passages, key=lambda p: -p.score), filters, k)
        if self.collapse_copies:
            passages = self._collapse(passages)
        return passages[:k]

    def _chroma_where(self, view: SearchView, filters: Filters) -> dict | None:
        """The Chroma `where` for `filters`: outlets and date bounds, and for the as-of time
        "published by then, or undated" (only when some article is newer than it)."""
        where = self._store_filters(view, filters).chroma_where()
        as_of = filters.as_of
        if as_of is None or view.newest_ts is None or view.newest_ts <= as_of.timestamp():
            return where
        clause: dict = {"published_ts": {"$lte": int(as_of.timestamp())}}
        if view.undated:
            clause = {"$or": [clause, {"article_id": {"$in": view.undated}}]}
        return clause if where is None else {"$and": [where, clause]}

    @staticmethod
    def _keyword_dates(filters: Filters) -> DateBounds | None:
        """The date bounds of `filters` for the keyword index (undated chunks pass as-of)."""
        if filters.as_of is None and filters.since is None and filters.until is None:
            return None
        return DateBounds(
            as_of=filters.as_of.timestamp() if filters.as_of else None,
            since=filters.since.timestamp() if filters.since else None,
            until=filters.until.timestamp() if filters.until else None,
        )

    def _store_filters(self, view: SearchView, filters: Filters) -> Filters:
        """Filters for the vector store: an outlet filter also lets through the originals
        that outlet's copies point to (the exact check is `_accepts`)."""
        if not filters.outlets:
            return filters
        wanted = set(filters.outlets)
        extra = {
            view.articles[original].outlet
            for original, copies in view.copies.items()
            if original in view.articles and any(c.outlet in wanted for c in copies)
        }
        return replace(filters, outlets=tuple(sorted(wanted | {o for o in extra if o})))

    def _accepts(self, view: SearchView, chunk_id: str, filters: Filters) -> bool:
        article_id = view.chunks[chunk_id].article_id
        article = view.articles[article_id]
        stamp = article.published_ts
        return any(
            filters.accepts({"outlet": carrier.outlet, "published_ts": stamp})
            for carrier in (article, *view.copies.get(article_id, ()))
        )

    def _passage(self, view: SearchView, chunk_id: str, score: float, filters: Filters) -> Passage:
        chunk = view.chunks[chunk_id]
        as_of = filters.as_of
        # a copy run after the as-of time is not cited as "also carried by"
        copies = tuple(
            c
            for c in view.copies.get(chunk.article_id, ())
            if as_of is None or c.published is None or c.published <= as_of
        )
        return Passage(chunk, view.articles[chunk.article_id], score, {"fused": score}, copies)

    def _rerank(
        self,
        question: str,
        passages: list[Passage],
        query_vector: np.ndarray | None,
    ) -> list[Passage]:
        import numpy as np

        question_terms = terms(question)
        weights = {t: self.weight(t) for t in question_terms}
        top_fused = max(p.score for p in passages)
        rescored = []
        for passage in passages:
            chunk = passage.chunk
            best_sentence = 0.0
            vectors = self.sentence_vectors(chunk.article_id)
            if vectors is not None and query_vector is not None:
                span = vectors[chunk.sentence_start : chunk.sentence_end]
                if len(span):
                    best_sentence = float(np.max(span @ query_vector))
            text_terms = terms(passage.article.title + " " + chunk.text)
            features = {
                "fused": passage.score / top_fused,
                "sentence": best_sentence,
                "terms": coverage(question_terms, text_terms, weights),
                "title": coverage(question_terms, terms(passage.article.title), weights),
            }
            score = (
                W_FUSED * features["fused"]
                + W_SENTENCE * features["sentence"]
                + W_TERMS * features["terms"]
                + W_TITLE * features["title"]
            )
            rescored.append(Passage(chunk, passage.article, score, features, passage.copies))
        return sorted(rescored, key=lambda p: -p.score)

    def _apply_recency(self, passages: list[Passage], filters: Filters, k: int) -> list[Passage]:
        """Age is measured against the newest of the top k: among the passages that matter,
        newer ones move up; a recent but unrelated article does not."""
        stamps = [p.article.published_ts for p in passages[:k] if p.article.published_ts]
        newest = max(stamps) if stamps else None
        adjusted = [
            Passage(
                p.chunk,
                p.article,
                p.score * filters.recency_factor(p.article.published_ts, newest),
                p.features,
                p.copies,
            )
            for p in passages
        ]
        return sorted(adjusted, key=lambda p: -p.score)

    def _collapse(self, passages: list[Passage]) -> list[Passage]:
        groups = group_copies([p.chunk.text for p in passages], [p.article.id for p in passages])
        return [
            Passage(
                passages[g[0]].chunk,
                passages[g[0]].article,
                passages[g[0]].score,
                passages[g[0]].features,
                _merge_copies(passages[g[0]], [passages[i] for i in g[1:]]),
            )
            for g in groups
        ]


def _merge_copies(first: Passage, others: Sequence[Passage]) -> tuple[Article, ...]:
    """Stored copies of the kept passage, then the collapsed passages' articles and their
    stored copies, each article once."""
    seen = {first.article.id}
    merged = []
    for article in (*first.copies, *(a for p in others for a in (p.article, *p.copies))):
        if article.id not in seen:
            seen.add(article.id)
            merged.append(article)
    return tuple(merged)
