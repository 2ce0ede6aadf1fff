"""Split article text into sentences (with character offsets) and sentences into chunks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.types import Chunk, Sentence

TokenCounter = Callable[[Sequence[str]], list[int]]
"""Word pieces of each text, special tokens excluded (the embedder's tokenizer in production)."""

_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\S+")
# How sentences are cut (an evaluation index built with other rules is built again)
SPLITTING = "nupunkt; a sentence ending with a title joins the next"
# A title before a name never ends a sentence, but the splitter sometimes ends one there:
# "... who played Lt." | "Ada Brandt on the long-running drama, has retired."
_ENDS_WITH_TITLE = re.compile(
    r"(?:^|[\s(“\"'‘])(?:Lt|Gen|Sgt|Col|Capt|Cmdr|Adm|Maj|Gov|Govs|Sen|Sens|Rep|Reps|Rev|Prof|"
    r"Dr|Mr|Mrs|Ms|Pvt|Cpl|Supt|Det|Insp)\.$"
)


def _spans(paragraph: str) -> list[tuple[int, int]]:
    """The splitter's sentence spans, a span ending with a title joined to the next."""
    import nupunkt

    spans: list[tuple[int, int]] = []
    joined_to_next = False
    for span_start, span_end in nupunkt.sent_spans(paragraph):
        if joined_to_next:
            spans[-1] = (spans[-1][0], span_end)
        else:
            spans.append((span_start, span_end))
        joined_to_next = bool(_ENDS_WITH_TITLE.search(paragraph[span_start:span_end].rstrip()))
    return spans


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Sentences of `text`, paragraph by paragraph; `text[s.start:s.end] == s.text`."""
    sentences: list[Sentence] = []
    start = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        end = match.start() if match else len(text)
        paragraph = text[start:end]
        for span_start, span_end in _spans(paragraph) if paragraph.strip() else []:
            piece = paragraph[span_start:span_end]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if piece.strip():
                s, e = start + span_start + lead, start + span_end - trail
                sentences.append(Sentence(article_id, len(sentences), s, e, text[s:e]))
        if match:
            start = match.end()
    return sentences


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _pieces_of_long_sentence(
    sentence: Sentence, max_words: int, budget: int, count_tokens: TokenCounter
) -> list[tuple[int, int]]:
    """Character spans that cut one over-long sentence at word boundaries, each in budget."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(sentence.text)]
    tokens = count_tokens([sentence.text[s:e] for s, e in words])
    spans: list[tuple[int, int]] = []
    first, used = 0, 0
    for i, cost in enumerate(tokens):
        if i > first and (i - first >= max_words or used + cost > budget):
            spans.append((words[first][0], words[i - 1][1]))
            first, used = i, 0
        used += cost
    spans.append((words[first][0], words[-1][1]))
    return [(sentence.start + s, sentence.start + e) for s, e in spans]


def chunk_sentences(
    sentences: Sequence[Sentence],
    text: str,
    *,
    count_tokens: TokenCounter,
    max_words: int = 200,
    max_tokens: int = 256,
    overlap: int = 1,
    reserved_tokens: int = 2,
) -> list[Chunk]:
    """Group consecutive sentences into chunks of at most `max_words` words and at most
    `max_tokens` word pieces including `reserved_tokens` (special tokens, a title prefix).

    Consecutive chunks share `overlap` sentences. A sentence too long on its own is cut
    at word boundaries into chunks of its own. Pure: same input, same chunks.
    """
    if not sentences:
        return []
    budget = max_tokens - reserved_tokens
    if budget < 8:
        raise ValueError(f"token budget {budget} leaves no room for text (max_tokens={max_tokens})")
    article_id = sentences[0].article_id
    costs = count_tokens([s.text for s in sentences])
    words = [count_words(s.text) for s in sentences]
    # Sentences joined by a space or newline tokenize to the sum of their pieces
    # (word-piece tokenization splits on white space first), so sums are exact.
    chunks: list[Chunk] = []

    def emit(first: int, last: int, start: int, end: int) -> None:
        chunks.append(Chunk(article_id, len(chunks), first, last + 1, start, end, text[start:end]))

    i = 0
    while i < len(sentences):
        if costs[i] > budget or words[i] > max_words:
            for start, end in _pieces_of_long_sentence(
                sentences[i], max_words, budget, count_tokens
            ):
                emit(i, i, start, end)
            i += 1
            continue
        j, used_tokens, used_words = i, 0, 0
        while (
            j < len(sentences)
            and used_tokens + costs[j] <= budget
            and used_words + words[j] <= max_words
        ):
            used_tokens += costs[j]
            used_words += words[j]
            j += 1
        emit(i, j - 1, sentences[i].start, sentences[j - 1].end)
        if j >= len(sentences):
            break
        # Step back for the overlap, but always move forward by at least one sentence,
        # and never carry an overlap that would not fit beside the next sentence.
        next_start = max(j - overlap, i + 1)
        while next_start < j and (
            sum(costs[next_start : j + 1]) > budget or sum(words[next_start : j + 1]) > max_words
        ):
            next_start += 1
        i = next_start
    return chunks
