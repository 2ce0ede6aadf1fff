"""Keyword-index engines measured side by side on newsqa's own tokens: today's bm25s (rebuilt
after each write), SQLite FTS5 (bm25() ranking) and tantivy (pre-tokenized text, whitespace
tokenizer). For an index of N chunks (real RealTimeQA 2023 chunk texts, recycled under new ids
past the 24k the corpus has): add 100 articles' chunks, delete 10 articles, ask 100 real
questions for the top 90 (with and without an as-of date), and look up document frequencies
of the question tokens (the rarity weights).

    PYTHONPATH=. .venv/bin/python bench/keyword_engines.py --sizes 10000 100000

Every engine reads the same token lists (`assistant.text.tokens`), cut once up front, so the
figures are the engines' own costs; today's rebuild also re-tokenizes every chunk (reported
as "tokenize all")."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.text import tokens

CATALOG = Path("/work/cache/eval-cache/realtimeqa-2023q1-12ec5450173a/catalog.sqlite")
QUESTIONS = Path(__file__).resolve().parents[2] / "shared/corpora/realtimeqa-2023q1/questions.jsonl"
TOP = 90
CHUNKS_PER_ARTICLE = 5


class Corpus:
    """N chunks as (id, article id, tokens, published ts or None), recycled from the catalog."""

    def __init__(self, size: int, source: list[tuple[list[str], int | None]]) -> None:
        self.ids, self.articles, self.texts, self.stamps = [], [], [], []
        for i in range(size):
            toks, stamp = source[i % len(source)]
            article = f"a{i // CHUNKS_PER_ARTICLE}"
            self.ids.append(f"{article}:{i % CHUNKS_PER_ARTICLE}")
            self.articles.append(article)
            self.texts.append(toks)
            self.stamps.append(stamp)


def load_source() -> tuple[list[tuple[list[str], int | None]], float]:
    db = sqlite3.connect(CATALOG)
    rows = db.execute(
        "SELECT a.title, c.text, a.published_ts FROM chunks c JOIN articles a "
        "ON a.id = c.article_id ORDER BY c.rowid"
    ).fetchall()
    started = time.perf_counter()
    source = [(tokens(f"{title}\n{text}"), stamp) for title, text, stamp in rows]
    per_chunk = (time.perf_counter() - started) / len(rows)
    return source, per_chunk


def load_questions() -> list[tuple[list[str], int]]:
    from datetime import UTC, datetime

    out = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines()[:100]:
        q = json.loads(line)
        day = datetime.fromisoformat(q["question_date"]).replace(tzinfo=UTC)
        out.append((tokens(q["question"]), int(day.timestamp()) + 86399))
    return out


# -- engines: build(corpus), add(ids, articles, texts, stamps), delete(articles),
#    query(tokens, n, as_of) -> [(chunk id, score)], frequencies(tokens) -> {token: df}


class Bm25sEngine:
    """Today's index: bm25s over every chunk, rebuilt after each write."""

    name = "bm25s (rebuild)"

    def build(self, corpus: Corpus, folder: Path) -> None:
        self.ids, self.articles = list(corpus.ids), list(corpus.articles)
        self.texts, self.stamps = list(corpus.texts), list(corpus.stamps)
        self._index()

    def _index(self) -> None:
        import bm25s

        self.retriever = bm25s.BM25()
        self.retriever.index(self.texts, show_progress=False)
        self.vocab = self.retriever.vocab_dict
        self.stamp_array = np.array(self.stamps, dtype=float)
        self._frequencies = None

    def add(self, ids, articles, texts, stamps) -> None:
        self.ids += ids
        self.articles += articles
        self.texts += texts
        self.stamps += stamps
        self._index()

    def delete(self, articles: set[str]) -> None:
        keep = [i for i, a in enumerate(self.articles) if a not in articles]
        for name in ("ids", "articles", "texts", "stamps"):
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in keep])
        self._index()

    def query(self, toks, n, as_of):
        known = [t for t in toks if t in self.vocab]
        if not known:
            return []
        mask = None
        if as_of is not None:
            with np.errstate(invalid="ignore"):
                s = self.stamp_array
                mask = (np.isnan(s) | (s <= as_of)).astype(np.float32)
        docs, scores = self.retriever.retrieve(
            [known], k=min(n, len(self.ids)), show_progress=False, weight_mask=mask
        )
        return [
            (self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0
        ]

    def frequencies(self, toks):
        # today: the whole table once per catalog generation (SearchView.load)
        if self._frequencies is None:
            indptr = self.retriever.scores["indptr"]
            self._frequencies = {
                w: int(indptr[i + 1] - indptr[i]) for w, i in self.vocab.items() if w
            }
        return {t: self._frequencies.get(t, 0) for t in toks}


class Fts5Engine:
    """SQLite FTS5 over the tokens joined by spaces (a tokenizer that keeps `-`, `.` and `'`
    inside tokens), ranked by bm25(); the date is an UNINDEXED column."""

    name = "SQLite FTS5"

    def build(self, corpus: Corpus, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "fts.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE VIRTUAL TABLE kw USING fts5(body, chunk_id UNINDEXED, article_id UNINDEXED,"
            " ts UNINDEXED, tokenize=\"unicode61 remove_diacritics 0 tokenchars '-.'''\")"
        )
        self.db.execute("CREATE VIRTUAL TABLE kwv USING fts5vocab(kw, 'row')")
        self.db.execute("CREATE TABLE kw_article(article_id TEXT, row INTEGER)")
        self.db.execute("CREATE INDEX kw_article_id ON kw_article(article_id)")
        self.add(corpus.ids, corpus.articles, corpus.texts, corpus.stamps)

    def add(self, ids, articles, texts, stamps) -> None:
        with self.db:
            self.db.execute("BEGIN")
            for cid, art, toks, ts in zip(ids, articles, texts, stamps, strict=True):
                cur = self.db.execute(
                    "INSERT INTO kw(body, chunk_id, article_id, ts) VALUES (?, ?, ?, ?)",
                    (" ".join(toks), cid, art, ts),
                )
                self.db.execute("INSERT INTO kw_article VALUES (?, ?)", (art, cur.lastrowid))

    def delete(self, articles: set[str]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            marks = ",".join("?" * len(articles))
            rows = [
                r
                for (r,) in self.db.execute(
                    f"SELECT row FROM kw_article WHERE article_id IN ({marks})", list(articles)
                )
            ]
            self.db.executemany("DELETE FROM kw WHERE rowid = ?", [(r,) for r in rows])
            self.db.execute(f"DELETE FROM kw_article WHERE article_id IN ({marks})", list(articles))

    def query(self, toks, n, as_of):
        if not toks:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(toks))
        if as_of is None:
            sql = "SELECT chunk_id, bm25(kw) FROM kw WHERE kw MATCH ? ORDER BY rank LIMIT ?"
            args = (match, n)
        else:
            sql = (
                "SELECT chunk_id, bm25(kw) FROM kw WHERE kw MATCH ? AND (ts IS NULL OR ts <= ?)"
                " ORDER BY rank LIMIT ?"
            )
            args = (match, as_of, n)
        return [(cid, -score) for cid, score in self.db.execute(sql, args)]

    def frequencies(self, toks):
        out = dict.fromkeys(toks, 0)
        for t in out:
            row = self.db.execute("SELECT doc FROM kwv WHERE term = ?", (t,)).fetchone()
            out[t] = row[0] if row else 0
        return out


class TantivyEngine:
    """tantivy: the tokens joined by spaces in a whitespace-tokenized field (frequencies, no
    positions), the chunk id stored, the article id a raw term (deletes), the date an
    indexed fast integer with an `undated` flag (as-of filters)."""

    name = "tantivy"
    UNDATED = -(2**62)

    def build(self, corpus: Corpus, folder: Path) -> None:
        import tantivy

        self.tv = tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
        b.add_text_field("chunk_id", stored=True, tokenizer_name="raw", index_option="basic")
        b.add_text_field("article_id", tokenizer_name="raw", index_option="basic")
        b.add_integer_field("ts", indexed=True, fast=True)
        self.schema = b.build()
        self.index = tantivy.Index(self.schema, path=str(folder))
        self.writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        self.add(corpus.ids, corpus.articles, corpus.texts, corpus.stamps)

    def _commit(self) -> None:
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def add(self, ids, articles, texts, stamps) -> None:
        Document = self.tv.Document
        for cid, art, toks, ts in zip(ids, articles, texts, stamps, strict=True):
            self.writer.add_document(
                Document(
                    body=" ".join(toks),
                    chunk_id=cid,
                    article_id=art,
                    ts=self.UNDATED if ts is None else ts,
                )
            )
        self._commit()

    def delete(self, articles: set[str]) -> None:
        for art in articles:
            self.writer.delete_documents_by_term("article_id", art)
        self._commit()

    def query(self, toks, n, as_of):
        Q, Occur = self.tv.Query, self.tv.Occur
        words = list(dict.fromkeys(toks))
        if not words:
            return []
        text = Q.boolean_query(
            [
                (Occur.Should, Q.term_query(self.schema, "body", w, index_option="freq"))
                for w in words
            ]
        )
        if as_of is not None:
            dated = Q.range_query(self.schema, "ts", self.tv.FieldType.Integer, None, as_of)
            text = Q.boolean_query(
                [(Occur.Must, text), (Occur.Must, Q.const_score_query(dated, 0.0))]
            )
        hits = self.searcher.search(text, limit=n, count=False).hits
        return [(self.searcher.doc(addr)["chunk_id"][0], score) for score, addr in hits]

    def frequencies(self, toks):
        return {t: self.searcher.doc_freq("body", t) for t in toks}


class NewsqaEngine:
    """What newsqa ships (assistant/index/bm25.py, tantivy): questions as text, as-of bounds
    answered from a three-times-wider unbounded query when enough of it passes."""

    name = "newsqa (tantivy)"

    def build(self, corpus: Corpus, folder: Path) -> None:
        from assistant.index.bm25 import ChunkBM25

        self.generation = 1
        entries = self._entries(corpus.ids, corpus.articles, corpus.texts, corpus.stamps)
        self.index = ChunkBM25.build(folder / "bm25", entries, self.generation)

    @staticmethod
    def _entries(ids, articles, texts, stamps):
        from assistant.index.bm25 import KeywordEntry

        return [
            KeywordEntry(cid, art, " ".join(toks), ts)
            for cid, art, toks, ts in zip(ids, articles, texts, stamps, strict=True)
        ]

    def _commit(self) -> None:
        self.generation += 1
        self.index.commit(self.generation)
        self.index.close_writer()

    def add(self, ids, articles, texts, stamps) -> None:
        self.index.add(self._entries(ids, articles, texts, stamps))
        self._commit()

    def delete(self, articles: set[str]) -> None:
        self.index.delete_articles(sorted(articles))
        self._commit()

    def query(self, toks, n, as_of):
        from assistant.index.bm25 import DateBounds

        dates = DateBounds(as_of=as_of) if as_of is not None else None
        return self.index.query(" ".join(toks), n, dates)

    def frequencies(self, toks):
        return {t: self.index.frequency(t) for t in toks}


ENGINES = {
    "bm25s": Bm25sEngine,
    "fts5": Fts5Engine,
    "tantivy": TantivyEngine,
    "newsqa": NewsqaEngine,
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def measure(engine, corpus: Corpus, source, questions, folder: Path) -> dict[str, float]:
    started = time.perf_counter()
    engine.build(corpus, folder)
    figures = {"build_s": time.perf_counter() - started}
    # 100 new articles (500 chunks): texts from the source, unseen ids
    rng = random.Random(15)
    new = [source[rng.randrange(len(source))] for _ in range(100 * CHUNKS_PER_ARTICLE)]
    ids = [f"new{i // CHUNKS_PER_ARTICLE}:{i % CHUNKS_PER_ARTICLE}" for i in range(len(new))]
    articles = [i.split(":")[0] for i in ids]
    started = time.perf_counter()
    engine.add(ids, articles, [t for t, _ in new], [s for _, s in new])
    figures["add_100_articles_s"] = time.perf_counter() - started
    gone = {f"a{i}" for i in rng.sample(range(len(corpus.ids) // CHUNKS_PER_ARTICLE), 10)}
    started = time.perf_counter()
    engine.delete(gone)
    figures["delete_10_articles_s"] = time.perf_counter() - started
    for label, dated in (("query", False), ("query_as_of", True)):
        times = []
        for toks, as_of in questions:
            started = time.perf_counter()
            hits = engine.query(toks, TOP, as_of if dated else None)
            times.append(time.perf_counter() - started)
            assert not any(cid.split(":")[0] in gone for cid, _ in hits), "a deleted chunk"
        figures[f"{label}_p50_ms"] = 1000 * statistics.median(times)
        figures[f"{label}_p95_ms"] = 1000 * percentile(times, 0.95)
    started = time.perf_counter()
    for toks, _ in questions:
        engine.frequencies(toks)
    figures["frequencies_100_questions_ms"] = 1000 * (time.perf_counter() - started)
    return figures


def agreement(engines: dict, questions) -> dict[str, float]:
    """Overlap of each engine's top 10 with bm25s's (same N, same writes)."""
    out = {}
    base = engines["bm25s"]
    for name, engine in engines.items():
        if name == "bm25s":
            continue
        shared = []
        for toks, _ in questions:
            a = {c for c, _ in base.query(toks, 10, None)}
            b = {c for c, _ in engine.query(toks, 10, None)}
            shared.append(len(a & b) / max(len(a), 1))
        out[name] = statistics.mean(shared)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=list(ENGINES))
    args = parser.parse_args()
    source, per_chunk = load_source()
    questions = load_questions()
    print(f"tokenize: {1000 * per_chunk:.3f} ms a chunk ({len(source)} source chunks)")
    for size in args.sizes:
        corpus = Corpus(size, source)
        print(f"\n## {size} chunks (tokenize all: {per_chunk * size:.1f} s)")
        built, folders = {}, []
        for name in args.engines:
            folders.append(Path(tempfile.mkdtemp(prefix=f"kw-{name}-")))
            engine = ENGINES[name]()
            figures = measure(engine, corpus, source, questions, folders[-1])
            built[name] = engine
            print(name, json.dumps({k: round(v, 4) for k, v in figures.items()}), flush=True)
        if "bm25s" in built and len(built) > 1:
            overlap = {k: round(v, 3) for k, v in agreement(built, questions).items()}
            print("top-10 overlap with bm25s:", json.dumps(overlap))
        for engine in built.values():
            if hasattr(engine, "db"):
                engine.db.close()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
