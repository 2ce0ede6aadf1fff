"""The one text rendering of an Answer: markdown with [n] markers. Answer.text, the CLI and
the JSON `answer` field use it as is; the chat passes its own escaping. Nothing parses the
result back: whoever needs the sentences, citations or conflicts reads them from the Answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from assistant.text import quoted
from assistant.types import Answer, AnswerSentence, Citation, Conflict

Escape = Callable[[str], str]  # applied to every article- or user-derived string

DIFFER_PREFIX = "**Sources differ:**"


def _as_is(text: str) -> str:
    return text


def long_date(moment: datetime) -> str:
    """ "30 June 2025": how answers write a date."""
    return f"{moment.day} {moment.strftime('%B %Y')}"


def source_name(citation: Citation) -> str:
    return citation.outlet or citation.title


def markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def sentence_text(sentence: AnswerSentence, escape: Escape = _as_is) -> str:
    """ "Iran will join. [1]"."""
    text = escape(sentence.text)
    return f"{text} {markers(sentence.cites)}" if sentence.cites else text


def differ_line(conflict: Conflict, citations: Sequence[Citation], escape: Escape = _as_is) -> str:
    """ "**Sources differ:** Outlet A: 1,500 [1]; Outlet B: 10,000 [2]." for a conflict."""
    by_n = {c.n: c for c in citations}
    summary = "; ".join(
        f"{escape(source_name(by_n[n]))}: {escape(value)} [{n}]" for value, n in conflict.values
    )
    return f"{DIFFER_PREFIX} {summary}."


def dated_source(citation: Citation, lead_in: str, escape: Escape = _as_is) -> str:
    """ "As of 30 June 2025 (Harbourside Times)", "Earlier (20 January 2025, Coastline ...)"."""
    name = escape(source_name(citation))
    when = long_date(citation.published) if citation.published else "undated"
    if lead_in == "As of":
        return f"As of {when} ({name})"
    return f"{lead_in} ({when}, {name})"


def refusal_text(answer: Answer, escape: Escape = _as_is) -> str:
    """ "I found nothing in the articles that answers this (why). The closest sources are
    [1], [2]." """
    reason = f" ({escape(answer.refusal_reason)})" if answer.refusal_reason else ""
    text = f"I found nothing in the articles that answers this{reason}."
    if answer.citations:
        text += f" The closest sources are {', '.join(f'[{c.n}]' for c in answer.citations)}."
    return text


def answer_text(answer: Answer, escape: Escape = _as_is) -> str:
    """The answer as markdown: a "Sources differ" line per conflict, then the answer
    sentences with their markers; with earlier reports the answer is dated by its lead
    source ("As of ... :") and each earlier report follows with its own date."""
    if answer.refused:
        return refusal_text(answer, escape)
    body = " ".join(sentence_text(s, escape) for s in answer.sentences)
    if answer.earlier and answer.sentences and answer.sentences[0].cites:
        lead = answer.citation(answer.sentences[0].cites[0])
        parts = [f"{dated_source(lead, 'As of', escape)}: {body}"]
        for n in answer.earlier:
            old = answer.citation(n)
            parts.append(
                f"{dated_source(old, 'Earlier', escape)}: {escape(quoted(old.text))} [{n}]"
            )
        body = "\n\n".join(parts)
    lines = [differ_line(c, answer.citations, escape) for c in answer.conflicts]
    return "\n\n".join([*lines, body] if body else lines)
