"""The LLM answerer: a chat model writes the answer from numbered source sentences, then the
citation check keeps only the sentences their cited sources support.

The numbered sources are the best-scored sentences of the retrieved passages (the same
scoring the extractive answerer uses). Markers pointing nowhere are removed, unsupported
sentences dropped (and listed in `Answer.unsupported`), and when nothing supported remains,
or the model cannot be reached, the extractive answer is shown with a note saying so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer.backends import ChatModel, LLMUnavailableError, chat_model
from assistant.answer.check import (
    SUPPORT_THRESHOLD,
    SentenceCheck,
    answer_sentences,
    check_sentences,
    markers,
)
from assistant.answer.cues import question_cues
from assistant.answer.extractive import ScoredSentence, _citation, refusal
from assistant.answer.prompts import NO_ANSWER, Prompt, load_prompt, numbered_sources
from assistant.errors import ConfigError
from assistant.text import contains_term, terms
from assistant.types import Answer, AnswerSentence, Citation, Conflict

if TYPE_CHECKING:
    import numpy as np

    from assistant.settings import Settings

FALLBACK_NOTE = (
    "The LLM answer could not be checked against the sources; showing the extracted answer."
)
UNAVAILABLE_NOTE = "The LLM could not be used ({reason}); showing the extracted answer."
DROPPED_NOTE = "{n} sentence(s) of the LLM answer were dropped: their sources do not support them."
NO_ANSWER_REASON = "the language model found no answer in the sources"
_MAX_CONDENSED_WORDS = 40

Embed = Callable[[Sequence[str]], "np.ndarray"]
OnToken = Callable[[str], None]


def source_labels(sources: Sequence[ScoredSentence]) -> list[str]:
    return [" - ".join(x for x in (s.article.outlet, s.article.title) if x) for s in sources]


def says_no_answer(reply: str) -> bool:
    """The reply is the fixed no-answer phrase (give or take case and punctuation)."""
    fold = re.sub(r"[^a-z ]", "", NO_ANSWER.lower())
    return fold in re.sub(r"[^a-z ]", "", reply.lower()) and not markers(reply)


def compose(
    question: str,
    checks: Sequence[SentenceCheck],
    sources: Sequence[ScoredSentence],
    extractive: Answer,
) -> Answer:
    """The checked answer: supported sentences with renumbered markers and their citations;
    the extractive answer with a note when nothing is supported."""
    kept: list[SentenceCheck] = []
    for check in checks:  # small models repeat themselves; a sentence is shown once
        if check.supported and all(k.text != check.text for k in kept):
            kept.append(check)
    dropped = tuple(c.text for c in checks if not c.supported)
    if not kept:
        return replace(extractive, answerer="llm-fallback", note=FALLBACK_NOTE, unsupported=dropped)
    renumber: dict[int, int] = {}
    for check in kept:
        for n in check.cited:
            renumber.setdefault(n, len(renumber) + 1)
    sentences = tuple(AnswerSentence(c.text, tuple(renumber[n] for n in c.cited)) for c in kept)
    cues = question_cues(question)
    citations = tuple(_citation(new, sources[old - 1], cues) for old, new in renumber.items())
    citations, conflicts = carry_conflicts(citations, extractive)
    note = DROPPED_NOTE.format(n=len(dropped)) if dropped else None
    return Answer(
        question, sentences, citations, conflicts=conflicts, answerer="llm", note=note,
        unsupported=dropped,
    )  # fmt: skip


def carry_conflicts(
    citations: tuple[Citation, ...], extractive: Answer
) -> tuple[tuple[Citation, ...], tuple[Conflict, ...]]:
    """The figures the extractive answerer found in disagreement, renumbered onto the LLM
    answer's citations (a source the model did not cite is added), so a generated answer
    still shows both sides."""
    if not extractive.conflicts:
        return citations, ()
    shown = {(c.article_id, c.sentence_index): c for c in citations}
    extracted = {c.n: c for c in extractive.citations}
    added = list(citations)
    conflicts = []
    for conflict in extractive.conflicts:
        values = []
        for value, n in conflict.values:
            source = extracted[n]
            key = (source.article_id, source.sentence_index)
            if key not in shown:
                shown[key] = replace(source, n=len(added) + 1)
                added.append(shown[key])
            values.append((value, shown[key].n))
        conflicts.append(Conflict(conflict.kind, tuple(values)))
    return tuple(added), tuple(conflicts)


class LLMAnswerer:
    """Writes answers with a chat model and checks every citation. The model is built on
    first use, so a missing extra or a dead endpoint becomes a note, not a crash."""

    def __init__(
        self,
        model: ChatModel | Callable[[], ChatModel],
        embed: Embed,
        answer_prompt: Prompt,
        condense_prompt: Prompt | None = None,
        max_sources: int = 8,
        threshold: float = SUPPORT_THRESHOLD,
        cite_uncited: bool = True,
    ) -> None:
        self._model = model if isinstance(model, ChatModel) else None
        self._factory = None if isinstance(model, ChatModel) else model
        self._model_error: str | None = None
        self.embed = embed
        self.answer_prompt = answer_prompt
        self.condense_prompt = condense_prompt
        self.max_sources = max_sources
        self.threshold = threshold
        self.cite_uncited = cite_uncited

    @classmethod
    def from_settings(cls, settings: Settings, embed: Embed) -> LLMAnswerer:
        folder = settings.prompts_dir
        return cls(
            lambda: chat_model(settings),
            embed,
            load_prompt("answer", folder),
            load_prompt("condense", folder),
            max_sources=settings.llm_sources,
            cite_uncited=settings.llm_cite_uncited,
        )

    def model(self) -> ChatModel:
        """The chat model, built once; raises LLMUnavailableError with the reason."""
        if self._model is None:
            if self._model_error is None and self._factory is not None:
                try:
                    self._model = self._factory()
                except ConfigError as exc:
                    self._model_error = str(exc)
            if self._model is None:
                raise LLMUnavailableError(self._model_error or "no model configured")
        return self._model

    def generate(self, messages: list[dict[str, str]], on_token: OnToken | None) -> str:
        pieces = []
        for piece in self.model().stream(messages):
            pieces.append(piece)
            if on_token:
                on_token(piece)
        return "".join(pieces)

    def answer(
        self,
        question: str,
        scored: Sequence[ScoredSentence],
        extractive: Answer,
        on_token: OnToken | None = None,
    ) -> Answer:
        """A checked LLM answer from the scored sentences, or `extractive` with a note."""
        sources = list(scored[: self.max_sources])
        if not sources:
            return replace(extractive, answerer="llm-fallback", note=FALLBACK_NOTE)
        texts = [s.sentence.text for s in sources]
        labels = source_labels(sources)
        messages = self.answer_prompt.messages(
            question=question, sources=numbered_sources(texts, labels), no_answer=NO_ANSWER
        )
        started = time.perf_counter()
        try:
            reply = self.generate(messages, on_token)
        except LLMUnavailableError as exc:
            note = UNAVAILABLE_NOTE.format(reason=str(exc))
            return replace(extractive, answerer="llm-fallback", note=note)
        generated = time.perf_counter()
        if says_no_answer(reply):
            answer = replace(refusal(question, scored, NO_ANSWER_REASON), answerer="llm")
        else:
            checks = check_sentences(
                answer_sentences(reply), texts, self.embed, labels, self.threshold,
                cite_uncited=self.cite_uncited,
            )  # fmt: skip
            answer = compose(question, checks, sources, extractive)
        done = time.perf_counter()
        timings = {"generate": 1000 * (generated - started), "check": 1000 * (done - generated)}
        return replace(answer, timings_ms=timings)

    def condense(self, question: str, previous: Sequence[str]) -> str | None:
        """The follow-up rewritten by the model, or None (then the caller uses the rules)."""
        if not previous or self.condense_prompt is None:
            return None
        messages = self.condense_prompt.messages(
            question=question, history="\n".join(f"- {q}" for q in previous)
        )
        try:
            reply = self.generate(messages, None)
        except LLMUnavailableError:
            return None
        rewritten = clean_condensed(reply)
        return rewritten if rewritten and keeps_the_follow_up(rewritten, question) else None


def keeps_the_follow_up(rewritten: str, question: str) -> bool:
    """The rewrite keeps every content word of the follow-up (in some form). A model that
    answers instead, or repeats an earlier question, loses them (SmolLM2-135M turns "And
    which countries applied?" into the earlier "Who is joining BRICS?")."""
    vocabulary = terms(rewritten)
    return all(contains_term(term, vocabulary) for term in terms(question))


def clean_condensed(reply: str) -> str | None:
    """The first line of a condense reply, unquoted; None when empty or rambling."""
    line = next((ln for ln in reply.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", line.strip(), flags=re.I)
    line = line.strip().lstrip("-*• ").strip("\"'“”").strip()
    if not line or len(line.split()) > _MAX_CONDENSED_WORDS:
        return None
    return line
