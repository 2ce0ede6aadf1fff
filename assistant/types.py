"""The news data model: Article, Sentence, Chunk, and the Answer built from them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def canonical_url(url: str) -> str:
    """The form of a URL used for identity: lower-case scheme and host, no fragment,
    no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k))
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def normalized_text(text: str) -> str:
    """Text with runs of white space folded, for identity and duplicate checks."""
    return _SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha1(normalized_text(text).encode("utf-8")).hexdigest()


def article_id_for(url: str | None, text: str) -> str:
    """Stable id: a hash of the canonical URL when there is one, else of the normalized text."""
    basis = canonical_url(url) if url else normalized_text(text)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news article, cleaned; `text` is what sentence offsets point into."""

    id: str
    title: str
    text: str
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    source: str = ""
    ingested_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated: datetime | None = None
    partial: bool = False  # only a feed's summary or content: the page could not be read

    @classmethod
    def create(
        cls,
        *,
        title: str,
        text: str,
        outlet: str | None = None,
        url: str | None = None,
        published: datetime | None = None,
        authors: tuple[str, ...] | list[str] = (),
        source: str = "",
        updated: datetime | None = None,
        partial: bool = False,
    ) -> Article:
        return cls(
            id=article_id_for(url, text),
            title=title.strip(),
            text=text,
            outlet=outlet.strip() if outlet else None,
            url=url.strip() if url else None,
            published=published,
            authors=tuple(a.strip() for a in authors if a and a.strip()),
            source=source,
            updated=updated,
            partial=partial,
        )

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)

    @property
    def fingerprint(self) -> str:
        """Changes when anything stored about the article changes (text or metadata)."""
        parts = [
            self.title,
            self.outlet or "",
            self.url or "",
            str(self.published or ""),
            str(self.updated or ""),
            "|".join(self.authors),
            normalized_text(self.text),
        ]
        if self.partial:
            parts.append("partial")
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()

    @property
    def published_ts(self) -> int | None:
        return int(self.published.timestamp()) if self.published else None


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article; `text == article.text[start:end]`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences of one article, embedded and indexed as one passage.

    `text` is the verbatim slice `article.text[start:end]`; sentences
    `sentence_start .. sentence_end - 1` lie inside it.
    """

    article_id: str
    n: int
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.article_id}:{self.n}"


@dataclass(frozen=True)
class Carrier:
    """Another outlet that ran the same story (a syndicated copy stored as an alias)."""

    outlet: str | None
    title: str
    url: str | None
    published: datetime | None

    @property
    def name(self) -> str:
        return self.outlet or self.title

    def as_json(self) -> dict[str, object]:
        return {
            "outlet": self.outlet,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True)
class Citation:
    """One cited source sentence; `text` is verbatim `article.text[start:end]`."""

    n: int
    article_id: str
    sentence_index: int
    text: str
    title: str
    outlet: str | None
    published: datetime | None
    url: str | None
    score: float
    also_carried_by: tuple[Carrier, ...] = ()  # other outlets running the same story
    # character spans in `text` of the words that answer (the name, number or date asked for)
    answer_spans: tuple[tuple[int, int], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "text": self.text,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
            "score": round(self.score, 4),
            "also_carried_by": [c.as_json() for c in self.also_carried_by],
            "answer_spans": [list(span) for span in self.answer_spans],
        }


@dataclass(frozen=True)
class CitedArticle:
    """One cited article and the sentences cited from it, for source lists that show each
    article once."""

    citations: tuple[Citation, ...]  # at least one, all of the same article, in order

    @property
    def first(self) -> Citation:
        return self.citations[0]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(c.n for c in self.citations)

    def as_json(self) -> dict[str, object]:
        c = self.first
        return {
            "article_id": c.article_id,
            "title": c.title,
            "outlet": c.outlet,
            "published": c.published.isoformat() if c.published else None,
            "url": c.url,
            "also_carried_by": [k.as_json() for k in c.also_carried_by],
            "citations": list(self.numbers),
        }


def by_article(citations: Sequence[Citation]) -> tuple[CitedArticle, ...]:
    """Citations grouped by article, the articles in the order of their first citation."""
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.article_id, []).append(citation)
    return tuple(CitedArticle(tuple(group)) for group in groups.values())


@dataclass(frozen=True)
class Conflict:
    """Sources that give different figures for what the question asks."""

    kind: str  # "figure"
    values: tuple[tuple[str, int], ...]  # (value as written, citation number)

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "values": [{"value": v, "n": n} for v, n in self.values]}


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the citation numbers behind it: a source sentence
    quoted verbatim (square brackets made round) or a sentence a language model wrote."""

    text: str
    cites: tuple[int, ...]

    def as_json(self) -> dict[str, object]:
        return {"text": self.text, "cites": list(self.cites)}


@dataclass(frozen=True)
class Answer:
    """What the assistant says, as data: the answer sentences with their citation numbers,
    the citations behind them, conflicts, earlier reports and why it refused. `text` renders
    it as markdown with [n] markers (assistant.answer.render: the one rendering)."""

    question: str
    sentences: tuple[AnswerSentence, ...] = ()  # the current answer, the lead first
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    refusal_reason: str | None = None  # "the sources do not mention etna"
    conflicts: tuple[Conflict, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str | None = None
    # "extractive", "llm" (a generated answer that passed the citation check) or
    # "llm-fallback" (the generated answer failed the check or the model was unreachable;
    # the answer is the extractive one and `note` says so)
    answerer: str = "extractive"
    note: str | None = None
    unsupported: tuple[str, ...] = ()  # generated sentences the citation check dropped
    as_of: datetime | None = None  # the time the question was asked as of
    earlier: tuple[int, ...] = ()  # citation numbers of older reports giving another value

    @property
    def text(self) -> str:
        """The answer as markdown with [n] markers, as the CLI and JSON show it."""
        from assistant.answer.render import answer_text  # the renderer needs this module

        return answer_text(self)

    @property
    def sources(self) -> tuple[CitedArticle, ...]:
        """The cited articles, each once, with the citations taken from it."""
        return by_article(self.citations)

    def citation(self, n: int) -> Citation:
        return next(c for c in self.citations if c.n == n)

    def as_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.as_json() for c in self.citations],
            "conflicts": [c.as_json() for c in self.conflicts],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "answerer": self.answerer,
            "note": self.note,
            "unsupported": list(self.unsupported),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "earlier": list(self.earlier),
            "sentences": [s.as_json() for s in self.sentences],
            "refusal_reason": self.refusal_reason,
            "sources": [s.as_json() for s in self.sources],
        }


def article_of_chunk(chunk_id: str) -> str:
    """The article id a chunk id ("<article id>:<n>", Chunk.id) belongs to."""
    return chunk_id.rpartition(":")[0]
