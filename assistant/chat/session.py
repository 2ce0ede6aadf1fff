"""Multi-turn chat without gradio: follow-ups rewritten into standalone questions."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.answer.cues import question_cues
from assistant.chat.readers import Readers
from assistant.chat.writes import Job, Writes
from assistant.pipeline import AsOf, Assistant
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import Passage
from assistant.retrieve.timescope import as_time_phrase
from assistant.text import names
from assistant.types import Answer

_LEAD_IN = re.compile(
    r"^\s*(?:and|but|so|also|then|ok(?:ay)?|and what about|what about|how about)\b[\s,]*",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|theirs|he|him|his|she|her|this|that|these|those|there|"
    r"the (?:group|bloc|country|company|deal|summit|agency|bank|report|same))\b",
    re.IGNORECASE,
)


def topic_names(question: str) -> list[str]:
    """Names in a question, as written (its first word only when surely a name: "Who" and
    "Name the ..." are not, "BRICS" is)."""
    return names(question)


def condense(question: str, previous: Sequence[str]) -> str:
    """A follow-up rewritten to stand alone, using the names of the previous question.

    "And which countries applied?" after "Who is joining BRICS?" becomes
    "Which countries applied - BRICS?"; "And in March?" after "Who runs the port?" becomes
    "Who runs the port in March?". A question that names its own subject and does not point
    back ("it", "they", "what about ...") is left as it is.
    """
    question = question.strip()
    if not previous or not question:
        return question
    when = as_time_phrase(_LEAD_IN.sub("", question))
    if when:  # "And in March?" asks the previous question of another time
        return f"{previous[-1].strip().rstrip('?').rstrip()} {when}?"
    lead_in = _LEAD_IN.match(question)
    points_back = bool(lead_in) or bool(_REFERS_BACK.search(question))
    if question_cues(question).key_terms and not points_back:
        return question
    asked = question.lower()
    topic = [n for n in topic_names(previous[-1]) if n.lower() not in asked]
    if not topic:
        return question
    base = _LEAD_IN.sub("", question).strip() if lead_in else question
    base = base[:1].upper() + base[1:]
    mark = "?" if base.endswith("?") else ""
    return f"{base.rstrip('?').rstrip()} - {', '.join(topic)}{mark}"


class ChatService:
    """What the UI and the REST API call. Questions run in parallel, each reading one
    committed state of the index (in reader processes when given `Readers`); writes are
    queued jobs run in the background by `Writes` (default: in a thread of this process;
    the server uses a worker process)."""

    def __init__(
        self, assistant: Assistant, writes: Writes | None = None, readers: Readers | None = None
    ) -> None:
        self.assistant = assistant
        self.readers = readers  # None: questions are answered in this process
        self._writes = writes
        self._writes_lock = threading.Lock()

    @property
    def index(self) -> Any:
        return self.assistant.search.index

    @property
    def writes(self) -> Writes:
        with self._writes_lock:
            if self._writes is None:
                self._writes = Writes(self.index, "thread")
            return self._writes

    def standalone(self, question: str, previous: Sequence[str]) -> str:
        """The follow-up as a standalone question: rewritten by the LLM when one answers
        (falling back to the rules when its reply is unusable), else by the rules."""
        llm = self.assistant.llm
        if llm is not None and previous:
            rewritten = llm.condense(question.strip(), previous)
            if rewritten:
                return rewritten
        return condense(question, previous)

    def ask(
        self,
        question: str,
        previous: Sequence[str] = (),
        filters: Filters | None = None,
        k: int | None = None,
        on_token: Callable[[str], None] | None = None,
        as_of: AsOf = None,
    ) -> Answer:
        """Answer `question` in the context of the previous standalone questions, as of
        `as_of` (default: now)."""
        standalone = self.standalone(question, previous)
        if self.readers is not None:
            draft = self.readers.draft(standalone, k, filters, as_of)
        else:
            draft = self.assistant.draft(standalone, k, filters, as_of)
        answer = self.assistant.complete(draft, on_token)  # the LLM step, if any, runs here
        return replace(answer, question=question, standalone_question=standalone)

    # -- writes: queued, run in the background ---------------------------------------
    def add_files(self, paths: Sequence[Path]) -> Job:
        return self.writes.add_files(paths)

    def add_urls(self, urls: Sequence[str]) -> Job:
        noun = "URL" if len(urls) == 1 else "URLs"
        return self.writes.submit("urls", list(urls), f"{len(urls)} {noun}")

    def add_feeds(self, urls: Sequence[str]) -> Job:
        noun = "feed" if len(urls) == 1 else "feeds"
        return self.writes.submit("feeds", list(urls), f"{len(urls)} {noun}")

    def delete(self, article_ids: Sequence[str]) -> Job:
        return self.writes.submit("delete", list(article_ids), f"delete {', '.join(article_ids)}")

    def refresh_feeds(self) -> Job | None:
        """Queue a poll of every followed feed, unless one is queued or running already."""
        if self.writes.pending("refresh"):
            return None
        return self.writes.submit("refresh", [], "poll of the followed feeds")

    def close(self) -> None:
        if self._writes is not None:
            self._writes.close()
        if self.readers is not None:
            self.readers.close()

    def ask_stream(
        self,
        question: str,
        previous: Sequence[str] = (),
        filters: Filters | None = None,
        k: int | None = None,
        as_of: AsOf = None,
    ) -> Iterator[str | Answer]:
        """The generated text so far (str) as the LLM writes it, then the checked Answer.
        Without an LLM: just the Answer. Errors are raised in the caller's thread."""
        events: queue.Queue[tuple[str, object]] = queue.Queue()

        def work() -> None:
            try:
                answer = self.ask(
                    question,
                    previous,
                    filters,
                    k,
                    lambda piece: events.put(("token", piece)),
                    as_of=as_of,
                )
                events.put(("answer", answer))
            except BaseException as exc:  # re-raised below, in the caller's thread
                events.put(("error", exc))

        threading.Thread(target=work, daemon=True).start()
        text = ""
        while True:
            kind, value = events.get()
            if kind == "token":
                text += str(value)
                yield text
            elif kind == "answer":
                assert isinstance(value, Answer)
                yield value
                return
            else:
                assert isinstance(value, BaseException)
                raise value

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        as_of: AsOf = None,
    ) -> list[Passage]:
        if self.readers is not None:
            return self.readers.retrieve(question, k, filters, as_of)
        return self.assistant.retrieve(question, k, filters, as_of=as_of)
