"""Retrieval: dense + BM25, fused, reranked, deduplicated, filtered; a llama-index retriever."""
