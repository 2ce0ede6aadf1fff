"""Hybrid search: dense (Chroma) and BM25 candidates, fused by rank, reranked with
sentence-level similarity and rare-word overlap, syndicated copies collapsed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

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


class HybridSearch:
    """Finds the passages that matter for a question in one index."""

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
        self._generation = -1
        self._articles: dict[str, Article] = {}
        self._copies: dict[str, list[Article]] = {}
        self._chunks: dict[str, Chunk] = {}
        self._sentence_vectors: dict[str, np.ndarray | None] = {}
        self._sentences: dict[str, list[Sentence]] = {}
        self._weights: dict[str, float] = {}
        self._undated: list[str] = []  # ids of articles without a date
        self._newest_ts: int | None = None
        self._bm25_stamps: tuple[object, np.ndarray] | None = None  # (bm25 index, stamps)

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

    # -- caches that follow the catalog ------------------------------------------------
    def _refresh(self) -> None:
        generation = self.index.catalog.generation
        if generation == self._generation:
            return
        self._articles = {a.id: a for a in self.index.catalog.articles()}
        self._copies = self.index.catalog.copies()
        self._chunks = {c.id: c for c in self.index.catalog.all_chunks()}
        self._sentence_vectors = {}
        self._sentences = {}
        frequencies, documents = self.index.bm25.term_weights()
        self._weights = {w: idf(df, documents) for w, df in frequencies.items()}
        self._missing_weight = idf(0, max(documents, 1))
        self._undated = [a.id for a in self._articles.values() if a.published is None]
        stamps = [a.published_ts for a in self._articles.values() if a.published_ts is not None]
        self._newest_ts = max(stamps) if stamps else None
        self._generation = generation

    def weight(self, term: str) -> float:
        """The rarity of a content word (as `terms` gives it): BM25's idf of that token in
        the keyword index, so both read one vocabulary; a word the index lacks is the rarest."""
        return self._weights.get(term, self._missing_weight)

    def term_weights(self, words: Sequence[str]) -> dict[str, float]:
        self._refresh()
        return {w: self.weight(w) for w in words}

    def article(self, article_id: str) -> Article | None:
        self._refresh()
        return self._articles.get(article_id)

    def sentences(self, article_id: str) -> list[Sentence]:
        self._refresh()
        if article_id not in self._sentences:
            self._sentences[article_id] = self.index.catalog.sentences_of(article_id)
        return self._sentences[article_id]

    def sentence_vectors(self, article_id: str) -> np.ndarray | None:
        if article_id not in self._sentence_vectors:
            self._sentence_vectors[article_id] = self.index.catalog.sentence_vectors(article_id)
        return self._sentence_vectors[article_id]

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
        self._refresh()
        filters = filters or Filters()
        if query_vector is None and mode != "bm25":
            query_vector = self.embedder.embed([question])[0]
        rankings: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            assert query_vector is not None
            hits = self.index.vectors.query(
                query_vector, self.candidates, where=self._chroma_where(filters)
            )
            rankings.append(
                [h.id for h in hits if h.id in self._chunks and self._accepts(h.id, filters)]
            )
        if mode in ("hybrid", "bm25"):
            hits_bm25 = self.index.bm25.query(
                question, self.candidates * 3, self._bm25_mask(filters)
            )
            ranked = [
                cid for cid, _ in hits_bm25 if cid in self._chunks and self._accepts(cid, filters)
            ]
            rankings.append(ranked[: self.candidates])
        weights = [1.0, W_BM25] if mode == "hybrid" else None
        fused = reciprocal_rank_fusion(rankings, weights=weights)
        if not fused:
            return []
        passages = [self._passage(cid, score, filters) for cid, score in fused[: self.candidates]]
        if self.rerank and mode == "hybrid":
            passages = self._rerank(question, passages, query_vector)
        if filters.recency_half_life_days:
            passages = self._apply_recency(sorted(passages, key=lambda p: -p.score), filters, k)
        if self.collapse_copies:
            passages = self._collapse(passages)
        return passages[:k]

    def _chroma_where(self, filters: Filters) -> dict | None:
        """The Chroma `where` for `filters`: outlets and date bounds, and for the as-of time
        "published by then, or undated" (only when some article is newer than it)."""
        where = self._store_filters(filters).chroma_where()
        as_of = filters.as_of
        if as_of is None or self._newest_ts is None or self._newest_ts <= as_of.timestamp():
            return where
        clause: dict = {"published_ts": {"$lte": int(as_of.timestamp())}}
        if self._undated:
            clause = {"$or": [clause, {"article_id": {"$in": self._undated}}]}
        return clause if where is None else {"$and": [where, clause]}

    def _bm25_mask(self, filters: Filters) -> np.ndarray | None:
        """0/1 weights over the keyword index's chunks for the date bounds of `filters`."""
        import numpy as np

        if filters.as_of is None and filters.since is None and filters.until is None:
            return None
        bm25 = self.index.bm25
        if self._bm25_stamps is None or self._bm25_stamps[0] is not bm25:
            stamps = np.array(
                [
                    self._articles[self._chunks[cid].article_id].published_ts
                    if cid in self._chunks
                    else None
                    for cid in bm25.ids
                ],
                dtype=float,
            )  # None becomes NaN: undated
            self._bm25_stamps = (bm25, stamps)
        stamps = self._bm25_stamps[1]
        undated = np.isnan(stamps)
        keep = np.ones(len(stamps), dtype=bool)
        with np.errstate(invalid="ignore"):
            if filters.as_of is not None:
                keep &= undated | (stamps <= filters.as_of.timestamp())
            if filters.since is not None:
                keep &= stamps >= filters.since.timestamp()
            if filters.until is not None:
                keep &= stamps <= filters.until.timestamp()
        return keep.astype(np.float32)

    def _store_filters(self, filters: Filters) -> Filters:
        """Filters for the vector store: an outlet filter also lets through the originals
        that outlet's copies point to (the exact check is `_accepts`)."""
        if not filters.outlets:
            return filters
        wanted = set(filters.outlets)
        extra = {
            self._articles[original].outlet
            for original, copies in self._copies.items()
            if original in self._articles and any(c.outlet in wanted for c in copies)
        }
        return replace(filters, outlets=tuple(sorted(wanted | {o for o in extra if o})))

    def _accepts(self, chunk_id: str, filters: Filters) -> bool:
        article_id = self._chunks[chunk_id].article_id
        article = self._articles[article_id]
        stamp = article.published_ts
        return any(
            filters.accepts({"outlet": carrier.outlet, "published_ts": stamp})
            for carrier in (article, *self._copies.get(article_id, ()))
        )

    def _passage(self, chunk_id: str, score: float, filters: Filters) -> Passage:
        chunk = self._chunks[chunk_id]
        as_of = filters.as_of
        # a copy run after the as-of time is not cited as "also carried by"
        copies = tuple(
            c
            for c in self._copies.get(chunk.article_id, ())
            if as_of is None or c.published is None or c.published <= as_of
        )
        return Passage(chunk, self._articles[chunk.article_id], score, {"fused": score}, copies)

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
