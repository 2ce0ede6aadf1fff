"""The Assistant: one object that retrieves passages and answers questions from an index."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.answer.cues import question_cues
from assistant.answer.extractive import ScoredSentence, decide, score_sentences
from assistant.answer.render import long_date
from assistant.index.embeddings import Embedder
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch, Mode, Passage
from assistant.retrieve.timescope import AsOf, TimeScope, as_of_time, time_scope
from assistant.settings import Settings, TimeSettings
from assistant.types import Answer

if TYPE_CHECKING:
    from assistant.answer.llm import LLMAnswerer

AnswererName = Literal["extractive", "llm"]


def scoped_filters(filters: Filters | None, scope: TimeScope, times: TimeSettings) -> Filters:
    """The caller's filters narrowed to the question's as-of time and time window, with a
    preference for newer news: strong when the question asks for the current state of things
    (`recent_half_life_days`), mild for any other (`background_half_life_days`)."""
    base = filters or Filters()
    since, until = base.since, base.until
    if scope.since is not None:
        since = max(since, scope.since) if since else scope.since
    if scope.until is not None:
        until = min(until, scope.until) if until else scope.until
    recency = base.recency_half_life_days
    if recency is None:
        wanted = (
            times.recent_half_life_days if scope.wants_current else times.background_half_life_days
        )
        recency = wanted or None
    return replace(
        base, since=since, until=until, as_of=scope.as_of, recency_half_life_days=recency
    )


@dataclass(frozen=True)
class Draft:
    """A question's work on the index: its extractive answer, the scored sentences an LLM
    writes from, and the notes, as-of time and timings (ms) the final answer carries."""

    question: str
    answer: Answer
    scored: list[ScoredSentence]
    as_of: datetime
    notes: tuple[str, ...]
    timings_ms: dict[str, float]


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
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        as_of: AsOf = None,
    ) -> list[Passage]:
        """The passages that best match `question`, read as of `as_of` (default: the filters'
        as_of, else now): nothing published after it, and the question's time words applied."""
        scope = time_scope(question, self._as_of(as_of, filters))
        time_settings = self._settings_time()
        scoped = scoped_filters(filters, scope, time_settings)
        with self.search.reading():
            passages = self.search.search(question, k or self.k, scoped, mode=self.mode)
            for _, outside in [] if passages else window_fallbacks(filters, scope, time_settings):
                passages = self.search.search(question, k or self.k, outside, mode=self.mode)
                if passages:
                    break
        return passages

    def _as_of(self, as_of: AsOf, filters: Filters | None) -> datetime:
        if as_of is None and filters is not None and filters.as_of is not None:
            return filters.as_of
        return as_of_time(as_of)

    def _settings_time(self) -> Any:
        return self.search.index.settings.time

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        on_token: Callable[[str], None] | None = None,
        as_of: AsOf = None,
    ) -> Answer:
        """An answer made of cited source sentences, or a refusal naming the closest sources.

        The question is asked as of `as_of` (default: the filters' as_of, else now): nothing
        published after it is cited, its time words ("this week", "latest") narrow or weigh
        the sources, and the newest source that answers leads.

        With an LLM answerer the model writes the answer (its text goes to `on_token` as it
        is generated) and only the sentences their citations support are kept."""
        return self.complete(self.draft(question, k, filters, as_of), on_token)

    def draft(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        as_of: AsOf = None,
    ) -> Draft:
        """The extractive answer with the scored sentences an LLM would write from: all of a
        question's work on the index, read from one catalog generation."""
        with self.search.reading():
            return self._draft(question, k, filters, as_of)

    def _draft(self, question: str, k: int | None, filters: Filters | None, as_of: AsOf) -> Draft:
        started = time.perf_counter()
        scope = time_scope(question, self._as_of(as_of, filters))
        settings = self._settings_time()
        vector = self.search.embedder.embed([question])[0]
        embedded = time.perf_counter()
        cues = question_cues(question)
        scoped = scoped_filters(filters, scope, settings)
        k = k or self.k
        features: dict = {}  # of the sentences scored so far, for the searches after the first

        def answer_with(chosen: Filters) -> tuple[Answer, list[ScoredSentence]]:
            passages = self.search.search(question, k, chosen, mode=self.mode, query_vector=vector)
            scored = score_sentences(question, cues, passages, self.search, vector, features)
            return decide(question, cues, scored, self.search), scored

        answer, scored = answer_with(scoped)
        notes = []
        if scope.window and answer.refused:
            # nothing in the window answers: look outside it, and say so
            # (with outlets chosen, an empty window says nothing of the others)
            empty = not scored and not (filters and filters.outlets)
            found = (
                f"No article was published {scope.published}"
                if empty
                else f"Nothing in the articles published {scope.published} answers this"
            )
            for which, chosen in window_fallbacks(filters, scope, settings):
                retry, retry_scored = answer_with(chosen)
                if not retry.refused:
                    answer, scored = retry, retry_scored
                    notes.append(f"{found}; the answer comes from {which} articles.")
                    break
            else:
                if empty:
                    notes.append(f"{found}.")
        retrieved = time.perf_counter()
        stale = stale_note(answer, scope, settings.stale_after_days)
        if stale:
            notes.append(stale)
        timings = {"embed": 1000 * (embedded - started), "retrieve": 1000 * (retrieved - embedded)}
        return Draft(question, answer, scored, scope.as_of, tuple(notes), timings)

    def complete(self, draft: Draft, on_token: Callable[[str], None] | None = None) -> Answer:
        """The draft's answer, written by the LLM when there is one (its citations checked),
        with the draft's notes, as-of time and timings."""
        started = time.perf_counter()
        answer = draft.answer
        if self.llm is not None:
            answer = self.llm.answer(draft.question, draft.scored, answer, on_token)
        answered = 1000 * (time.perf_counter() - started)
        timings = {
            **draft.timings_ms,
            **answer.timings_ms,
            "answer": answered,
            "total": sum(draft.timings_ms.values()) + answered,
        }
        note = " ".join(n for n in (answer.note, *draft.notes) if n) or None
        return replace(answer, timings_ms=timings, as_of=draft.as_of, note=note)

    def close(self) -> None:
        self.search.index.close()


def window_fallbacks(
    filters: Filters | None, scope: TimeScope, times: TimeSettings
) -> list[tuple[str, Filters]]:
    """Where to look when the question's window holds nothing that answers: the articles
    before it, then (a named month or year: "the hottest day in 2024" is often reported
    later) those after it, up to the as-of time, and last every article up to then, undated
    ones included (a window cannot place them: "Who won Wimbledon in 2019?" over undated
    snippets)."""
    if not scope.window:
        return []
    outer = scoped_filters(filters, replace(scope, since=None, until=None), times)
    fallbacks = [("earlier", replace(outer, until=scope.since))]
    if scope.until is not None and scope.until < scope.as_of:
        fallbacks.append(("later", replace(outer, since=scope.until)))
    fallbacks.append(("undated", outer))
    return fallbacks


def stale_note(answer: Answer, scope: TimeScope, stale_after_days: float) -> str | None:
    """For a question about the current state of things: how old the newest cited source is,
    when it is older than `stale_after_days` before the as-of time."""
    if not scope.wants_current or answer.refused or not answer.citations:
        return None
    dated = [c.published for c in answer.citations if c.published is not None]
    if not dated:
        return "None of the sources has a date; they may be out of date."
    newest = max(dated)
    age = (scope.as_of - newest).days
    if age <= stale_after_days:
        return None
    return (
        f"The newest source is from {long_date(newest)}, {age} days before "
        f"{long_date(scope.as_of)}; things may have changed since."
    )


def llm_answerer(
    settings: Settings, search: HybridSearch, answerer: AnswererName | None = None
) -> LLMAnswerer | None:
    """The LLM answerer when `answerer` (or settings.answerer) is "llm", else None."""
    if (answerer or settings.answerer) != "llm":
        return None
    from assistant.answer.llm import LLMAnswerer

    return LLMAnswerer.from_settings(settings, search.embedder.embed)
