"""The one text vocabulary of newsqa, shared by the keyword index, the rarity weights, the
answerer, the citation check and the chat: how text is cut into words, the tokens the
keyword index counts (and so the rarity weights read), the content words of a question or a
sentence (terms), when two words are forms of one word (stems), and which words are names.
Pure: every function takes text and returns words."""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable, Mapping

from assistant.errors import ConfigError

# Stored with the keyword index (index/bm25.py): an index built with other tokens is rebuilt
# from the catalog when opened. Change it whenever tokens() would give other tokens.
TOKENIZER = "newsqa-words-1"

_ABBREVIATION = re.compile(r"(?:[a-z]\.)+[a-z]")
# letters and digits of any script, with inner apostrophes, dots and hyphens
_WORD = re.compile(r"[^\W_](?:[\w'’.\-]*[^\W_])?")
# Words the keyword index leaves out: the short list it has always used (bm25s's English
# one); its idf already discounts common words. Leaving out all of STOPWORDS below measured
# worse on RealTimeQA (docs/retrieval.md).
_INDEX_STOPWORD_LIST = (
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with"
)
INDEX_STOPWORDS = frozenset(_INDEX_STOPWORD_LIST.split())
# Words that never count as terms of a question or a sentence: the index's, and more that
# say nothing about what a sentence is about.
STOPWORDS = INDEX_STOPWORDS | frozenset(
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


def _normalized(word: str) -> str:
    """A word as counted: lower case, possessive and outer dots removed, U.S. written US."""
    word = word.lower().replace("’", "'").removesuffix("'s").strip(".'")
    if _ABBREVIATION.fullmatch(word):  # "U.S." and "US", "U.K." and "UK": one word
        word = word.replace(".", "")
    return word


@functools.lru_cache(maxsize=1 << 17)
def _word_forms(written: str) -> tuple[str, ...]:
    """The words one written word counts as: itself, or the parts of a plain compound."""
    parts = written.split("-") if not any(ch.isdigit() for ch in written) else [written]
    return tuple(word for word in map(_normalized, parts) if word)


def words(text: str) -> list[str]:
    """Lower-case words in order. Words joined by hyphens count one by one when they hold no
    digit ("Alaska-Hawaiian", "U.S.-led"), as one word when they do ("COVID-19", "2-1")."""
    return [word for written in _WORD.findall(text) for word in _word_forms(written)]


# Copy signatures stored in indexes (index/syndication.py) were made from these words: a
# different cut would make new copies of stored stories look less alike, so shingles keep it.
_SHINGLE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
SHINGLE = 5


def _shingle_words(text: str) -> list[str]:
    found = (_normalized(m.group(0)) for m in _SHINGLE_WORD.finditer(text))
    return [w for w in found if w]


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Runs of `size` consecutive words: what copies of one text share."""
    found = _shingle_words(text)
    if len(found) < size:
        return {tuple(found)} if found else set()
    return {tuple(found[i : i + size]) for i in range(len(found) - size + 1)}


def _counted(word: str) -> bool:
    return len(word) > 1 or word.isdigit()


def terms(text: str) -> list[str]:
    """Content words of `text`: words minus stop words, in order, without repeats. Each is a
    token of the keyword index, whose idf is its rarity weight."""
    return list(dict.fromkeys(w for w in words(text) if w not in STOPWORDS and _counted(w)))


def tokens(text: str) -> list[str]:
    """What the keyword index counts for `text`, repeats kept: every word but the index's few
    stop words, as written (not stemmed: stemmed index tokens and weights measured worse
    answers, docs/retrieval.md). Chunks and questions go through this one function."""
    return [token for written in _WORD.findall(text) for token in _tokens_of(written)]


@functools.lru_cache(maxsize=1 << 17)  # news repeats its words: most lookups are hits
def _tokens_of(written: str) -> tuple[str, ...]:
    return tuple(w for w in _word_forms(written) if w not in INDEX_STOPWORDS and _counted(w))


_STEMMERS = threading.local()  # a PyStemmer stemmer must not be shared between threads


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball (Porter2) English stem of a word, which `same_word` compares ("votes",
    "voted", "voting" -> "vote"; "countries" -> "countri"); words with digits, dots or
    apostrophes stay as they are ("covid-19", "5.25", "o'brien")."""
    if not word.isalpha():
        return word
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        try:
            import Stemmer
        except ImportError:
            raise ConfigError(
                "the word stemmer is not installed: pip install PyStemmer==3.1.0"
            ) from None
        stemmer = _STEMMERS.english = Stemmer.Stemmer("english", 100_000)
    return str(stemmer.stemWord(word))


def same_word(a: str, b: str) -> bool:
    """Word forms of one word: equal; one stem ("countries"/"country", "voted"/"votes"); one
    a prefix of the other differing by a short ending ("Korea"/"Korean", "Europe"/"European");
    or differing only in the last letter of a long word ("Argentina"/"Argentine").
    "Austria"/"Australia" stay apart."""
    if a == b or (len(a) > 3 and len(b) > 3 and stem(a) == stem(b)):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
        return True
    return len(short) >= 6 and len(long) - len(short) <= 1 and long[: len(short) - 1] == short[:-1]


def contains_term(term: str, vocabulary: Iterable[str]) -> bool:
    """Whether some word of `vocabulary` is a form of `term` (`same_word`)."""
    return term in Vocabulary(vocabulary)


class Vocabulary:
    """Words to look terms up in by `same_word`. Forms of one word start with the same
    character (equal, a shared Snowball stem, or one a prefix of the other), so a term is
    compared only with the words of its first character: the lookups of every question
    cost a tenth of comparing each term with every word."""

    def __init__(self, words_: Iterable[str]) -> None:
        self.words = set(words_)
        self._by_initial: dict[str, list[str]] = {}
        for word in self.words:
            self._by_initial.setdefault(word[:1], []).append(word)

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, str):
            return False
        if term in self.words:
            return True
        return any(same_word(term, word) for word in self._by_initial.get(term[:1], ()))


def coverage(
    query_terms: Iterable[str], text_terms: Iterable[str], weight: Mapping[str, float]
) -> float:
    """Weighted share of the query's terms that occur (in some form) in the text, 0..1."""
    query = list(query_terms)
    total = sum(weight.get(t, 1.0) for t in query)
    if total == 0:
        return 0.0
    vocabulary = Vocabulary(text_terms)
    found = sum(weight.get(t, 1.0) for t in query if t in vocabulary)
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


# -- names -------------------------------------------------------------------------------

# in calendar order (January first), and their short forms
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)  # fmt: skip
# in calendar order (Monday first, as datetime.weekday() counts)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Capitalized only because they open a sentence or a clause: never a name on their own.
_OPENER_WORDS = (
    "according although however meanwhile since yes no sources source answer also and but so then "
    "both all some many most several one two three four five six seven eight nine ten first "
    "second last new"
)
MONTHS = frozenset(MONTH_NAMES + MONTH_ABBREVIATIONS)
WEEKDAYS = frozenset(WEEKDAY_NAMES)
_NOT_NAMES = STOPWORDS | frozenset(_OPENER_WORDS.split()) | MONTHS | WEEKDAYS
# never names alone, but kept where they start one ("New York", "First Republic Bank")
_NAME_STARTS = frozenset(("new", "first", "second", "last", "one"))
_NAME_LINKS = frozenset(("of", "the", "de", "da", "del", "al", "bin", "van", "von"))
_NAME_WORD = re.compile(r"[^\W_][\w'’.\-]*")


def _written(word: str) -> str:
    """A word of a name as shown: trailing hyphens, a possessive and a full stop removed
    ("Iran's" -> "Iran", "Iran." -> "Iran"; "U.S." keeps its dots)."""
    word = word.rstrip("-").removesuffix("'s").removesuffix("’s").rstrip("'’")
    if word.endswith(".") and "." not in word[:-1]:
        word = word[:-1]
    return word


def _ends_sentence(word: str) -> bool:
    """A word written with the full stop that closes its sentence ("Iran.", "it."), not an
    abbreviation ("U.S.", "Mr.", "Gen.")."""
    if not word.endswith(".") or "." in word[:-1]:
        return False
    return not (word[0].isupper() and len(word) <= 4)


def _surely_a_name(word: str) -> bool:
    """Capitals inside or a digit ("BRICS", "U.S.", "McDonald", "COVID-19"): a name even
    where a sentence starts."""
    return sum(ch.isupper() for ch in word) >= 2 or any(ch.isdigit() for ch in word)


def names(text: str, *, openers: bool = False) -> list[str]:
    """Names as written, in order: runs of capitalized words, which "of", "de", "al" and
    the like may join ("Xi Jinping", "Bank of Japan", "BRICS", "U.S.", "COVID-19",
    "Alaska-Hawaiian"). Stop words, months, weekdays and sentence openers ("However",
    "According") are never names on their own and are trimmed from the ends of a run
    ("The Hague" -> "Hague").

    One capitalized word opening a sentence may be a name ("Iran joined") or an ordinary
    word ("Officials said"): it is left out unless `openers`. The citation check counts it
    (a name it missed would let a wrong claim pass); the answer cues and the chat do not (a
    word taken for a name makes a sentence look like it answers "who")."""
    matches = list(_NAME_WORD.finditer(text))
    found = []
    i = 0
    while i < len(matches):
        if not matches[i].group(0)[0].isupper():
            i += 1
            continue
        run = [i]
        while True:  # grow the run: capitals, or links followed by a capital, space apart
            k = run[-1] + 1
            while k < len(matches) and matches[k].group(0).lower() in _NAME_LINKS:
                k += 1
            if k >= len(matches) or not matches[k].group(0)[0].isupper():
                break
            added = range(run[-1] + 1, k + 1)
            if not all(_joined(text, matches[m - 1], matches[m]) for m in added):
                break
            run.extend(added)
        i = run[-1] + 1
        kept = [_normalized(_written(matches[m].group(0))) for m in run]
        while run and kept[0] in _NOT_NAMES and (len(run) == 1 or kept[0] not in _NAME_STARTS):
            run, kept = run[1:], kept[1:]
        while run and kept[-1] in _NOT_NAMES:
            run, kept = run[:-1], kept[:-1]
        if not run:
            continue
        first, last = matches[run[0]], matches[run[-1]]
        opens = run[0] == 0 or _opens(text, matches[run[0] - 1], first)
        if len(run) == 1 and opens and not openers and not _surely_a_name(first.group(0)):
            continue
        found.append(_written(text[first.start() : last.end()]))
    return found


def _joined(text: str, before: re.Match[str], word: re.Match[str]) -> bool:
    """Two words of one name: only spaces between them, no sentence ending."""
    gap = text[before.end() : word.start()]
    return gap != "" and gap.strip(" \t\u00a0") == "" and not _ends_sentence(before.group(0))


def _opens(text: str, before: re.Match[str], word: re.Match[str]) -> bool:
    """`word` starts a sentence or a line (quotes and brackets may stand before it)."""
    gap = text[before.end() : word.start()]
    return _ends_sentence(before.group(0)) or any(ch in gap for ch in ".!?:\n")


def calendar_words(text: str) -> list[str]:
    """Capitalized month and weekday names, lower case ("March", "Mon."): what `names`
    leaves out, for the citation check, which counts them as facts."""
    found = []
    for match in _NAME_WORD.finditer(text):
        word = match.group(0)
        normalized = _normalized(_written(word))
        if word[0].isupper() and (normalized in MONTHS or normalized in WEEKDAYS):
            found.append(normalized)
    return found
