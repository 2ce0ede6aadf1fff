"""Questions of a running server answered in reader processes.

A question is mostly Python work (scoring, the model's layer calls), which holds the GIL:
threads of one process answer one question at a time however many cores there are
(measured: 4 threads gave 0.9x the questions/s of one). Each reader process has its own
model (one torch thread) and its own view of the index, which follows the catalog as the
server's does, so N readers answer up to N questions at once. The server process keeps the
LLM step (network-bound) and everything else.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from assistant.chat.writes import end_with_parent
from assistant.pipeline import AsOf, Assistant, Draft
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import Passage
from assistant.settings import Settings

_assistant: Assistant | None = None  # the reader process's own


def _start_reader(settings_json: dict[str, Any], folder: str, parent: int) -> None:
    global _assistant
    end_with_parent(parent)
    import torch

    torch.set_num_threads(1)  # one core per reader: readers, not threads, use the cores
    settings = Settings(**settings_json)
    _assistant = Assistant.from_index(folder, settings=settings, answerer="extractive")


def _draft(question: str, k: int | None, filters: Filters | None, as_of: AsOf) -> Draft:
    assert _assistant is not None
    return _assistant.draft(question, k, filters, as_of)


def _retrieve(question: str, k: int | None, filters: Filters | None, as_of: AsOf) -> list:
    assert _assistant is not None
    return _assistant.retrieve(question, k, filters, as_of=as_of)


def _ready() -> int:
    assert _assistant is not None
    _assistant.draft("warm up")  # load the tagger and the view before the first question
    return os.getpid()


class Readers:
    """A pool of `count` reader processes over one index folder."""

    def __init__(self, settings: Settings, folder: Path, count: int) -> None:
        self.count = count
        self._args = (settings.model_dump(mode="json"), str(folder.resolve()), os.getpid())
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_reader,
            initargs=self._args,
        )

    def warm(self) -> list[Future]:
        """Start every reader now (each loads its model and view), not on the first
        questions."""
        return [self._pool.submit(_ready) for _ in range(self.count)]

    def _call(self, function: Any, *args: Any) -> Any:
        pool = self._pool
        try:
            return pool.submit(function, *args).result()
        except BrokenProcessPool:  # a reader died (killed, out of memory): start afresh
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            return self._pool.submit(function, *args).result()

    def draft(self, question: str, k: int | None, filters: Filters | None, as_of: AsOf) -> Draft:
        draft: Draft = self._call(_draft, question, k, filters, as_of)
        return draft

    def retrieve(
        self, question: str, k: int | None, filters: Filters | None, as_of: AsOf
    ) -> list[Passage]:
        passages: list[Passage] = self._call(_retrieve, question, k, filters, as_of)
        return passages

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
