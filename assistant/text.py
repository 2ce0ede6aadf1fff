"""Word-level text helpers shared by retrieval and answering: terms, word forms, weights."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

_ABBREVIATION = re.compile(r"(?:[a-z]\.)+[a-z]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "according",
        "said",
        "says",
        "say",
        "tell",
        "told",
        "did",
        "does",
        "many",
        "much",
        "new",
        "year",
        "years",
        "time",
        "people",
        "one",
        "ones",
        "s",
        "t",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessives and surrounding dots removed."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'")
        word = word.removesuffix("'s").strip(".'")
        if _ABBREVIATION.fullmatch(word):  # "U.S." and "US", "U.K." and "UK": one word
            word = word.replace(".", "")
        if word:
            out.append(word.replace(",", ""))
    return out


SHINGLE = 5


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Runs of `size` consecutive words: what copies of one text share."""
    tokens = words(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def terms(text: str) -> list[str]:
    """Content words of `text`: words minus stop words, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word)
    return list(seen)


_SUFFIXES = ("ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude stem: one common inflection removed ("voted", "votes" -> "vot")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def same_word(a: str, b: str) -> bool:
    """Word forms of one word: equal; one a prefix of the other differing by a short ending
    ("Korea"/"Korean", "Europe"/"European", "join"/"joining"); or differing only in the last
    letter of a long word ("Argentina"/"Argentine"). "Austria"/"Australia" stay apart."""
    if a == b or (len(a) > 3 and len(b) > 3 and stem(a) == stem(b)):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
        return True
    return len(short) >= 6 and len(long) - len(short) <= 1 and long[: len(short) - 1] == short[:-1]


def contains_term(term: str, vocabulary: Iterable[str]) -> bool:
    return any(same_word(term, word) for word in vocabulary)


def coverage(
    query_terms: Iterable[str], text_terms: Iterable[str], weight: Mapping[str, float]
) -> float:
    """Weighted share of the query's terms that occur (in some form) in the text, 0..1."""
    query = list(query_terms)
    vocabulary = set(text_terms)
    total = sum(weight.get(t, 1.0) for t in query)
    if total == 0:
        return 0.0
    found = sum(weight.get(t, 1.0) for t in query if contains_term(t, vocabulary))
    return found / total


def idf(document_frequency: int, documents: int) -> float:
    """Rarity weight of a term: BM25's idf, floored so common words still count a little."""
    return max(
        math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5)), 0.1
    )


def quoted(text: str) -> str:
    """Article text as quoted in an answer or a prompt: square brackets become round ones, so
    an article cannot plant `[n]` citation markers."""
    return text.replace("[", "(").replace("]", ")")
