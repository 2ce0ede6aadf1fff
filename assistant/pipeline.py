"""The Assistant: one object that retrieves passages and answers questions from an index."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from assistant.answer.extractive import extractive_answer
from assistant.index.embeddings import Embedder
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch, Mode, Passage
from assistant.settings import Settings
from assistant.types import Answer


class Assistant:
    """Question answering over one index: `Assistant.from_index("default").ask("...")`."""

    def __init__(self, search: HybridSearch, k: int = 5, mode: Mode = "hybrid") -> None:
        self.search = search
        self.k = k
        self.mode = mode

    @classmethod
    def from_index(
        cls,
        name_or_path: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        k: int = 5,
        mode: Mode = "hybrid",
    ) -> Assistant:
        return cls(
            HybridSearch.from_index(name_or_path, settings=settings, embedder=embedder),
            k=k,
            mode=mode,
        )

    def retrieve(
        self, question: str, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        return self.search.search(question, k or self.k, filters, mode=self.mode)

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None) -> Answer:
        """An answer made of cited source sentences, or a refusal naming the closest sources."""
        started = time.perf_counter()
        vector = self.search.embedder.embed([question])[0]
        embedded = time.perf_counter()
        passages = self.search.search(
            question, k or self.k, filters, mode=self.mode, query_vector=vector
        )
        retrieved = time.perf_counter()
        answer = extractive_answer(question, passages, self.search, vector)
        done = time.perf_counter()
        timings = {
            "embed": 1000 * (embedded - started),
            "retrieve": 1000 * (retrieved - embedded),
            "answer": 1000 * (done - retrieved),
            "total": 1000 * (done - started),
        }
        return replace(answer, timings_ms=timings)

    def close(self) -> None:
        self.search.index.close()
