"""Where in a cited sentence the answer stands: the character spans of the words that answer
(the name, number or date of the asked-for kind that the question does not already name).

The named entities of the asked-for kind (spaCy, assistant/answer/entities.py) when the
sentence has them, else the question-cue heuristics (capitalized runs, numbers, dates)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer.cues import QuestionCues, new_things
from assistant.answer.entities import Entity

Span = tuple[int, int]


def answer_spans(
    sentence_text: str, cues: QuestionCues, entities: Sequence[Entity] = ()
) -> tuple[Span, ...]:
    """(start, end) offsets into `sentence_text`, in order, of each answering thing; none
    when the question asks for no particular kind of thing. `entities` are the sentence's
    new entities of the asked-for kind, when it was tagged."""
    if cues.kind == "any":
        return ()
    if entities:
        return tuple(sorted((e.start, e.end) for e in entities))
    spans: list[Span] = []
    cursor = 0
    for found in new_things(sentence_text, cues):
        # a name's pattern takes in a full stop that ends the sentence ("Modi."); an
        # abbreviation ("U.S.") keeps its own
        thing = found[:-1] if found.endswith(".") and "." not in found[:-1] else found
        # things come in sentence order, so each is found after the one before it
        start = sentence_text.find(thing, cursor)
        if start < 0:
            continue
        spans.append((start, start + len(thing)))
        cursor = start + len(thing)
    return tuple(spans)
