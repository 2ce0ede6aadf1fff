"""Hybrid search: dense (Chroma) and BM25 candidates, fused by rank, reranked with
sentence-level similarity and rare-word overlap, syndicated copies collapsed."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.index.bm25 import ChunkBM25, DateBounds
from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.index.vector_store import where_predicate
from assistant.retrieve.dedupe import group_copies
from assistant.retrieve.filters import Filters
from assistant.retrieve.fusion import reciprocal_rank_fusion
from assistant.retrieve.rows import CatalogRows
from assistant.settings import Settings, load_settings
from assistant.text import coverage, idf, terms
from assistant.types import Article, Chunk, Sentence, article_of_chunk

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
# a date-bounded dense query asks for this many times the candidates, unfiltered, then more
OVERFETCH = 4
OVERFETCH_STEPS = (OVERFETCH, 64, 256)  # the widest: 7,680 ids, 113 ms at 1M chunks
FACET_BLOCK = 500  # chunk ids whose articles' dates are read at once
EXACT_LIMIT = 2_000  # bounds holding at most this many chunks are searched exactly


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
    """What searching reads at one catalog generation. A question pins one view (and a
    snapshot of the catalog) from start to end; a newer view replaces it for later
    questions, so a write never changes what a question in flight reads.

    A view holds the keyword index's reader and a few facts about dates; articles, chunks
    and sentences are read by id when a question needs them, through the bounded caches
    of `rows`, shared by every view."""

    generation: int
    rows: CatalogRows
    bm25: ChunkBM25
    documents: int  # chunks in the keyword index
    undated: frozenset[str]  # ids of articles without a date
    newest_ts: int | None
    weights: dict[str, float] = field(default_factory=dict)  # rarity, looked up when asked

    @classmethod
    def load(cls, index: NewsIndex, rows: CatalogRows, previous: SearchView | None) -> SearchView:
        """The view of the catalog's current generation (call inside `catalog.snapshot()`):
        from `previous`, only the articles changed since are read again."""
        catalog = index.catalog
        generation = catalog.generation
        changed = catalog.changed_since(previous.generation) if previous else None
        if previous is None or changed is None:
            undated = catalog.undated_ids()
        else:
            dates = catalog.dates_of(changed)
            undated = (previous.undated - changed) | {a for a, ts in dates.items() if ts is None}
        rows.advance(generation, changed if previous is not None else None)
        bm25 = index.bm25.snapshot()
        return cls(
            generation=generation,
            rows=rows,
            bm25=bm25,
            documents=bm25.count,
            undated=frozenset(undated),
            newest_ts=catalog.newest_ts(),
        )

    def weight(self, term: str) -> float:
        """BM25's idf of `term` in the keyword index; a word it lacks is the rarest."""
        if term not in self.weights:
            held = self.bm25.frequency(term) if self.documents else 0
            self.weights[term] = idf(held, max(self.documents, 1))
        return self.weights[term]

    def chunks(self, ids: Collection[str]) -> dict[str, Chunk]:
        return self.rows.chunks(ids, self.generation)

    def articles(self, ids: Collection[str]) -> dict[str, Article]:
        return self.rows.articles(ids, self.generation)

    def copies(self, ids: Collection[str]) -> dict[str, tuple[Article, ...]]:
        return self.rows.copies(ids, self.generation)


@dataclass(frozen=True)
class Candidates:
    """The rows of a question's candidate chunks: the chunks, their articles and copies."""

    chunks: dict[str, Chunk]
    articles: dict[str, Article]
    copies: dict[str, tuple[Article, ...]]

    @classmethod
    def read(cls, view: SearchView, chunk_ids: Collection[str]) -> Candidates:
        chunks = view.chunks(chunk_ids)
        article_ids = {c.article_id for c in chunks.values()}
        articles = view.articles(article_ids)
        chunks = {cid: c for cid, c in chunks.items() if c.article_id in articles}
        return cls(chunks, articles, view.copies(articles))


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
        exact_limit: int = EXACT_LIMIT,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.exact_limit = exact_limit  # date bounds holding at most this many: ranked exactly
        self.rerank = rerank
        self.collapse_copies = collapse_copies
        self._view: SearchView | None = None
        self._rows = CatalogRows(index.catalog)
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
        with self.index.catalog.snapshot():
            return self._current_view()

    def _current_view(self) -> SearchView:
        """The view of the generation this thread's catalog snapshot reads; loaded once by
        one thread, while another thread asking for it waits (the loading reads only what
        changed since the previous view, so the wait is short)."""
        generation = self.index.catalog.generation
        current = self._view
        if current is not None and current.generation == generation:
            return current
        with self._loading:
            current = self._view
            if current is not None and current.generation == generation:
                return current
            view = SearchView.load(self.index, self._rows, current)
            if current is None or view.generation > current.generation:
                self._view = view
            return view

    @contextmanager
    def reading(self) -> Iterator[SearchView]:
        """Pin one view, and one snapshot of the catalog, for everything this thread reads
        inside the block."""
        if getattr(self._pinned, "view", None) is not None:
            yield self._pinned.view
            return
        with self.index.catalog.snapshot():
            self._pinned.view = self._current_view()
            self._pinned.memo = {}
            try:
                yield self._pinned.view
            finally:
                self._pinned.view = None
                self._pinned.memo = None

    def _memo(self, part: str) -> dict | None:
        """What this thread's question has already asked of one part (id queries, article
        dates, keyword hits, rerank features), kept while its view is pinned: a question whose
        time window holds no answer searches again around it, and the searches overlap.
        None outside a pinned reading."""
        memo = getattr(self._pinned, "memo", None)
        return None if memo is None else memo.setdefault(part, {})

    def weight(self, term: str) -> float:
        """The rarity of a content word (as `terms` gives it): BM25's idf of that token in
        the keyword index, so both read one vocabulary; a word the index lacks is the rarest."""
        return self.view.weight(term)

    def term_weights(self, words: Sequence[str]) -> dict[str, float]:
        view = self.view
        return {w: view.weight(w) for w in words}

    def article(self, article_id: str) -> Article | None:
        with self.reading() as view:
            return view.articles([article_id]).get(article_id)

    def sentences(self, article_id: str) -> list[Sentence]:
        with self.reading() as view:
            return view.rows.sentences(article_id, view.generation)

    def sentence_vectors(self, article_id: str) -> np.ndarray | None:
        with self.reading() as view:
            return view.rows.sentence_vectors(article_id, view.generation)

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
        found: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            assert query_vector is not None
            found.append(self._dense_hits(view, query_vector, filters))
        if mode in ("hybrid", "bm25"):
            hits_bm25 = view.bm25.query(
                question, self.candidates * 3, self._keyword_dates(filters), self._memo("keyword")
            )
            found.append([cid for cid, _ in hits_bm25])
        rows = Candidates.read(view, {cid for ids in found for cid in ids})
        rankings = [
            [cid for cid in ids if cid in rows.chunks and self._accepts(rows, cid, filters)][
                : self.candidates
            ]
            for ids in found
        ]
        weights = [1.0, W_BM25] if mode == "hybrid" else None
        fused = reciprocal_rank_fusion(rankings, weights=weights)
        if not fused:
            return []
        passages = [
            self._passage(rows, cid, score, filters) for cid, score in fused[: self.candidates]
        ]
        if self.rerank and mode == "hybrid":
            passages = self._rerank(question, passages, query_vector)
        if filters.recency_half_life_days:
            passages = self._apply_recency(sorted(passages, key=lambda p: -p.score), filters, k)
        if self.collapse_copies:
            passages = self._collapse(passages)
        return passages[:k]

    def _dense_hits(self, view: SearchView, vector: np.ndarray, filters: Filters) -> list[str]:
        """Ids of the nearest chunks within the filters, nearest first. Chroma's filtered
        query costs more the more chunks its filter lets through (at 1M chunks: 70 ms
        unfiltered, 2.6 s as of a date halfway through, and 2.4 s for bounds holding two
        chunks), and reading metadata with the hits costs more the more hits (735 ms for
        1,920). So it asks for ids only, OVERFETCH times the candidates and then wider
        (OVERFETCH_STEPS), and keeps those the catalog's dates and outlets let through: the same
        chunks, in the same order, whenever enough are inside. When the first ask keeps too
        few and the bounds hold at most `exact_limit` chunks (the catalog counts them), those
        chunks are ranked exactly from their vectors instead. Only bounds that keep too few
        even then are asked of Chroma's filter; bounds after the newest article hold nothing
        and are not asked at all."""
        where = self._chroma_where(view, filters)
        if where is None:
            return self.index.vectors.nearest(vector, self.candidates)
        if filters.since and (view.newest_ts is None or view.newest_ts < filters.since.timestamp()):
            return []
        for step in OVERFETCH_STEPS:
            asked = self.candidates * step
            nearest = self._nearest(vector, asked)
            inside = self._inside(nearest, where, self.candidates)
            if len(inside) >= self.candidates or len(nearest) < asked:
                return inside[: self.candidates]
            if step == OVERFETCH:  # too few inside: if the bounds hold few, rank them all
                ranked = self._nearest_within(vector, filters, where)
                if ranked is not None:
                    return ranked
        return [h.id for h in self.index.vectors.query(vector, self.candidates, where=where)]

    def _nearest(self, vector: np.ndarray, n: int) -> list[str]:
        """Chroma's `n` nearest ids, asked once per question (a question whose time window
        holds no answer searches again around it with the same vector)."""
        asked = self._memo("nearest")
        if asked is None:
            return self.index.vectors.nearest(vector, n)
        key = (vector.tobytes(), n)
        if key not in asked:
            asked[key] = self.index.vectors.nearest(vector, n)
        return asked[key]

    def _facets(self, article_ids: set[str]) -> dict[str, dict[str, str | int]]:
        """The catalog's filter facets of the articles (`Catalog.filter_facets`), each read
        once per question."""
        known = self._memo("facets")
        if known is None:
            return self.index.catalog.filter_facets(article_ids)
        missing = article_ids - known.keys()
        if missing:
            found = self.index.catalog.filter_facets(missing)
            known.update({a: found.get(a) for a in missing})
        return {a: known[a] for a in article_ids if known[a] is not None}

    def _nearest_within(
        self, vector: np.ndarray, filters: Filters, where: dict
    ) -> list[str] | None:
        """The nearest chunks of bounds holding at most `exact_limit` chunks, ranked exactly
        from their vectors; None for wider bounds (or when Chroma cannot read them now)."""
        ends = [int(d.timestamp()) for d in (filters.until, filters.as_of) if d]
        low = int(filters.since.timestamp()) if filters.since else None
        few = self.index.catalog.chunks_dated_between(
            low, min(ends, default=None), self.exact_limit
        )
        if few is None:
            return None
        inside = self._inside(few, where, len(few))
        return self.index.vectors.nearest_among(vector, inside, self.candidates)

    def _inside(self, chunk_ids: Sequence[str], where: dict, wanted: int) -> list[str]:
        """The first `wanted` (or all) of the chunks whose article's outlet and date (read
        from the catalog, as the chunk metadata holds them) pass the Chroma `where`, in their
        order; their articles are read a block at a time until enough are found."""
        inside: list[str] = []
        passes = where_predicate(where)
        for start in range(0, len(chunk_ids), FACET_BLOCK):
            block = chunk_ids[start : start + FACET_BLOCK]
            facets = self._facets({article_of_chunk(c) for c in block})
            inside += [
                cid
                for cid in block
                if (meta := facets.get(article_of_chunk(cid))) is not None and passes(meta)
            ]
            if len(inside) >= wanted:
                break
        return inside

    def _chroma_where(self, view: SearchView, filters: Filters) -> dict | None:
        """The Chroma `where` for `filters`: outlets and date bounds, and for the as-of time
        "published by then, or undated" (only when some article is newer than it)."""
        where = self._store_filters(view, filters).chroma_where()
        as_of = filters.as_of
        if as_of is None or view.newest_ts is None or view.newest_ts <= as_of.timestamp():
            return where
        clause: dict = {"published_ts": {"$lte": int(as_of.timestamp())}}
        if view.undated:
            clause = {"$or": [clause, {"article_id": {"$in": sorted(view.undated)}}]}
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
        extra = self.index.catalog.copied_outlets(wanted)
        return replace(filters, outlets=tuple(sorted(wanted | extra)))

    @staticmethod
    def _accepts(rows: Candidates, chunk_id: str, filters: Filters) -> bool:
        article_id = rows.chunks[chunk_id].article_id
        article = rows.articles[article_id]
        stamp = article.published_ts
        return any(
            filters.accepts({"outlet": carrier.outlet, "published_ts": stamp})
            for carrier in (article, *rows.copies.get(article_id, ()))
        )

    @staticmethod
    def _passage(rows: Candidates, chunk_id: str, score: float, filters: Filters) -> Passage:
        chunk = rows.chunks[chunk_id]
        as_of = filters.as_of
        # a copy run after the as-of time is not cited as "also carried by"
        copies = tuple(
            c
            for c in rows.copies.get(chunk.article_id, ())
            if as_of is None or c.published is None or c.published <= as_of
        )
        return Passage(chunk, rows.articles[chunk.article_id], score, {"fused": score}, copies)

    def _rerank(
        self,
        question: str,
        passages: list[Passage],
        query_vector: np.ndarray | None,
    ) -> list[Passage]:
        question_terms = terms(question)
        weights = {t: self.weight(t) for t in question_terms}
        top_fused = max(p.score for p in passages)
        matched = self._memo("rerank")
        if matched is None:
            matched = {}
        asked = (question, None if query_vector is None else query_vector.tobytes())
        rescored = []
        for passage in passages:
            key = (*asked, passage.chunk.id)
            match = matched.get(key)
            if match is None:
                match = matched[key] = self._match(passage, question_terms, weights, query_vector)
            features = {"fused": passage.score / top_fused, **match}
            score = (
                W_FUSED * features["fused"]
                + W_SENTENCE * features["sentence"]
                + W_TERMS * features["terms"]
                + W_TITLE * features["title"]
            )
            rescored.append(
                Passage(passage.chunk, passage.article, score, features, passage.copies)
            )
        return sorted(rescored, key=lambda p: -p.score)

    def _match(
        self,
        passage: Passage,
        question_terms: list[str],
        weights: dict[str, float],
        query_vector: np.ndarray | None,
    ) -> dict[str, float]:
        """How well one passage matches the question, whatever its fused rank: its best
        sentence's similarity, and the weighted share of the question's terms in its text and
        in its headline."""
        import numpy as np

        chunk = passage.chunk
        best_sentence = 0.0
        vectors = self.sentence_vectors(chunk.article_id)
        if vectors is not None and query_vector is not None:
            span = vectors[chunk.sentence_start : chunk.sentence_end]
            if len(span):
                best_sentence = float(np.max(span @ query_vector))
        text_terms = terms(passage.article.title + " " + chunk.text)
        return {
            "sentence": best_sentence,
            "terms": coverage(question_terms, text_terms, weights),
            "title": coverage(question_terms, terms(passage.article.title), weights),
        }

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
        """One passage for each group of copies, at the group's best place and score: the
        copy run first (the original), the others named as carrying it."""
        kept = []
        for group in group_copies(
            [p.chunk.text for p in passages], [p.article.id for p in passages]
        ):
            members = [passages[i] for i in group]
            original = min(members, key=_run_order)
            others = [m for m in members if m is not original]
            kept.append(
                Passage(
                    original.chunk,
                    original.article,
                    members[0].score,
                    original.features,
                    _merge_copies(original, others),
                )
            )
        return kept


def _run_order(passage: Passage) -> tuple[bool, int]:
    """Earliest published first; undated ones after every dated one."""
    stamp = passage.article.published_ts
    return (stamp is None, stamp or 0)


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
