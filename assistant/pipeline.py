"""The Assistant: one object that retrieves passages and answers questions from an index."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.answer.cues import question_cues
from assistant.answer.extractive import decide, score_sentences
from assistant.index.embeddings import Embedder
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch, Mode, Passage
from assistant.settings import Settings
from assistant.types import Answer

if TYPE_CHECKING:
    from assistant.answer.llm import LLMAnswerer

AnswererName = Literal["extractive", "llm"]


class Assistant:
    """Question answering over one index: `Assistant.from_index("default").ask("...")`."""

    def __init__(
        self,
        search: HybridSearch,
        k: int = 5,
        mode: Mode = "hybrid",
        llm: LLMAnswerer | None = None,
    ) -> None:
        self.search = search
        self.k = k
        self.mode = mode
        self.llm = llm  # None: extractive answers only

    @classmethod
    def from_index(
        cls,
        name_or_path: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        k: int = 5,
        mode: Mode = "hybrid",
        answerer: AnswererName | None = None,
    ) -> Assistant:
        """`answerer` (default: settings.answerer) "llm" writes answers with the configured
        language model and checks their citations."""
        from assistant.settings import load_settings

        settings = settings or load_settings()
        search = HybridSearch.from_index(name_or_path, settings=settings, embedder=embedder)
        return cls(search, k=k, mode=mode, llm=llm_answerer(settings, search, answerer))

    def retrieve(
        self, question: str, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        return self.search.search(question, k or self.k, filters, mode=self.mode)

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """An answer made of cited source sentences, or a refusal naming the closest sources.

        With an LLM answerer the model writes the answer (its text goes to `on_token` as it
        is generated) and only the sentences their citations support are kept."""
        started = time.perf_counter()
        vector = self.search.embedder.embed([question])[0]
        embedded = time.perf_counter()
        passages = self.search.search(
            question, k or self.k, filters, mode=self.mode, query_vector=vector
        )
        retrieved = time.perf_counter()
        cues = question_cues(question)
        scored = score_sentences(question, cues, passages, self.search, vector)
        answer = decide(question, cues, scored, self.search)
        if self.llm is not None:
            answer = self.llm.answer(question, scored, answer, on_token)
        done = time.perf_counter()
        timings = {
            "embed": 1000 * (embedded - started),
            "retrieve": 1000 * (retrieved - embedded),
            **answer.timings_ms,
            "answer": 1000 * (done - retrieved),
            "total": 1000 * (done - started),
        }
        return replace(answer, timings_ms=timings)

    def close(self) -> None:
        self.search.index.close()


def llm_answerer(
    settings: Settings, search: HybridSearch, answerer: AnswererName | None = None
) -> LLMAnswerer | None:
    """The LLM answerer when `answerer` (or settings.answerer) is "llm", else None."""
    if (answerer or settings.answerer) != "llm":
        return None
    from assistant.answer.llm import LLMAnswerer

    return LLMAnswerer.from_settings(settings, search.embedder.embed)
