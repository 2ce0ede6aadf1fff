"""The citation check for generated answers: every `[n]` must point to a numbered source
sentence, and every answer sentence must be supported by the sentences it cites.

A sentence is supported when every number and name in it appears in the sentences it cites
(or their titles and outlets) and its best bi-encoder cosine with a cited sentence reaches
the threshold. Its score (cosine times the share of its numbers and names found) ranks
sentences. A paraphrase keeps a high cosine and every name; a claim with a swapped number
or an invented country misses a fact; a sentence cited to an unrelated source has a low
cosine. The threshold comes from a measured labelled set (bench/citation_check.py,
docs/llm.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.text import STOPWORDS, calendar_words, names, same_word, words
from assistant.types import AnswerSentence

# Measured on 183 labelled (answer sentence, source) pairs built from the bundled question
# set (docs/llm.md): supported paraphrases and verbatim sentences vs. the same sentences
# with a number or a name swapped or cited to the wrong source.
SUPPORT_THRESHOLD = 0.55

MARKER = re.compile(r"\[(\d{1,3})\]")
_ANY_MARKER = re.compile(r"\[\s*[^\[\]]{0,12}\]")  # [12], [ 3 ], [a], [1, 2], [source 2]
_MARKER_LIST = re.compile(r"\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})+\s*\]")  # [1, 2]
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s*\[\d{1,3}\])*\s+(?=[A-Z0-9\"“(])|\n+")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of a generated answer, as checked."""

    text: str  # the sentence without its markers
    cited: tuple[int, ...]  # source numbers it cites that exist
    invented: tuple[str, ...]  # markers that point nowhere (removed)
    similarity: float
    overlap: float  # share of its numbers and names found in the cited sources
    missing: tuple[str, ...]  # numbers and names the cited sources do not hold
    score: float
    supported: bool
    attributed: bool = False  # the model gave no marker; the check found the source


def split_markers(text: str) -> str:
    """`[1, 2]` written as `[1] [2]`, so every marker holds one number."""
    return _MARKER_LIST.sub(
        lambda m: " ".join(f"[{n}]" for n in re.findall(r"\d+", m.group(0))), text
    )


def answer_sentences(text: str) -> list[str]:
    """The answer cut into sentences, each keeping the markers that follow it."""
    text = split_markers(text.replace("\r", ""))
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        # markers right after the full stop belong to the sentence before it
        end = match.start()
        tail = re.match(r"(?:\s*\[\d{1,3}\])*", text[end:])
        end += tail.end() if tail else 0
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip() and re.search(r"\w", p)]


def markers(sentence: str) -> list[str]:
    """Every bracketed marker-like token in a sentence, as written."""
    return [m.group(0) for m in _ANY_MARKER.finditer(sentence)]


def strip_markers(sentence: str) -> str:
    without = _ANY_MARKER.sub("", sentence)
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", without)).strip()


def number_tokens(text: str) -> list[str]:
    """Digit groups with thousands separators removed ("10,000" -> "10000")."""
    found = []
    for match in _DIGITS.finditer(text):
        value = re.sub(r"(?<=\d),(?=\d{3}\b)", "", match.group(0)).rstrip(".,")
        found.append(value)
    return found


def name_tokens(sentence: str) -> list[str]:
    """Words of the names in a sentence, a capitalized word opening it included (a name
    missed there would let a swapped one pass), and capitalized months and weekdays."""
    found = [w for name in names(sentence, openers=True) for w in words(name)]
    return [w for w in found if w not in STOPWORDS] + calendar_words(sentence)


def missing_facts(sentence: str, evidence: str) -> tuple[list[str], int]:
    """Numbers and names of `sentence` that `evidence` does not hold, and how many it has."""
    source_numbers = set(number_tokens(evidence))
    source_words = set(words(evidence))
    facts_numbers = list(dict.fromkeys(number_tokens(sentence)))
    facts_names = list(dict.fromkeys(name_tokens(sentence)))
    missing = [n for n in facts_numbers if n not in source_numbers]
    missing += [n for n in facts_names if not any(same_word(n, w) for w in source_words)]
    return missing, len(facts_numbers) + len(facts_names)


def support_score(similarity: float, missing: int, total: int) -> tuple[float, float]:
    """(score, overlap): cosine scaled by the share of numbers and names found."""
    overlap = 1.0 if total == 0 else (total - missing) / total
    return similarity * overlap, overlap


def _judge(
    text: str,
    cited: tuple[int, ...],
    invented: tuple[str, ...],
    vector: np.ndarray,
    source_vectors: np.ndarray,
    sources: Sequence[str],
    context: Sequence[str],
    threshold: float,
) -> SentenceCheck:
    similarity = max(float(vector @ source_vectors[n - 1]) for n in cited)
    evidence = " ".join(
        f"{sources[n - 1]} {context[n - 1] if n - 1 < len(context) else ''}" for n in cited
    )
    missing, total = missing_facts(text, evidence)
    score, overlap = support_score(similarity, len(missing), total)
    supported = not missing and similarity >= threshold
    return SentenceCheck(
        text, cited, invented, similarity, overlap, tuple(missing), score, supported
    )


def check_sentences(
    sentences: Sequence[str],
    sources: Sequence[str],
    embed: Embed,
    context: Sequence[str] = (),
    threshold: float = SUPPORT_THRESHOLD,
    *,
    cite_uncited: bool = False,
) -> list[SentenceCheck]:
    """Check each answer sentence against the numbered sources (1-based) it cites.

    `context[i]` is extra text the i-th source vouches for by name (its title and outlet).
    With `cite_uncited`, a sentence without any marker is checked against each source and
    given the one that supports it best, if that one passes the threshold.
    """
    parsed = []
    for sentence in sentences:
        cited: list[int] = []
        invented: list[str] = []
        for marker in markers(sentence):
            number = MARKER.fullmatch(marker)
            n = int(number.group(1)) if number else 0
            if 1 <= n <= len(sources):
                if n not in cited:
                    cited.append(n)
            else:
                invented.append(marker)
        parsed.append((strip_markers(sentence), tuple(cited), tuple(invented)))
    plain = [text for text, _, _ in parsed]
    if not plain:
        return []
    vectors = embed([*plain, *sources])
    answer_vectors, source_vectors = vectors[: len(plain)], vectors[len(plain) :]
    checks = []
    for i, (text, cited, invented) in enumerate(parsed):
        args = (answer_vectors[i], source_vectors, sources, context, threshold)
        if cited:
            checks.append(_judge(text, cited, invented, *args))
        elif cite_uncited and not invented and sources:
            tries = [_judge(text, (n,), invented, *args) for n in range(1, len(sources) + 1)]
            best = max(tries, key=lambda c: c.score)
            checks.append(replace(best, attributed=True))
        else:
            checks.append(SentenceCheck(text, cited, invented, 0.0, 0.0, (), 0.0, False))
    return checks


def shown_citation_support(
    sentences: Sequence[AnswerSentence],
    cited: dict[int, str],
    embed: Embed,
    context: dict[int, str] | None = None,
    threshold: float = SUPPORT_THRESHOLD,
) -> list[bool]:
    """Re-check a shown answer: for every citation number of every answer sentence, True
    when it names one of the `cited` sentences (number -> sentence text) and the answer
    sentence is supported by the sentences it cites. Used by the evaluation."""
    numbers = sorted(cited)
    position = {n: i + 1 for i, n in enumerate(numbers)}
    sources = [cited[n] for n in numbers]
    labels = [(context or {}).get(n, "") for n in numbers]
    if not sentences:
        return []
    vectors = embed([*(s.text for s in sentences), *sources])
    source_vectors = vectors[len(sentences) :]
    results = []
    for vector, sentence in zip(vectors, sentences, strict=False):
        known = tuple(position[n] for n in sentence.cites if n in position)
        if known:
            check = _judge(sentence.text, known, (), vector, source_vectors, sources, labels,
                           threshold)  # fmt: skip
            results += [check.supported] * len(known)
        results += [False] * (len(sentence.cites) - len(known))
    return results
