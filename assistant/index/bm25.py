"""BM25 over the same chunks as the vectors, kept in a tantivy index beside them and updated
in place by each write: adding n articles or deleting them costs O(n), never a rebuild
(engines measured in docs/scaling.md). Chunks and questions are cut into tokens by
`assistant.text.tokens`, the function the rarity weights read too, and tantivy only splits
them at the spaces they are joined with; the index records which tokenizer made it, so one
made with other tokens is known and rebuilt (index/build.py)."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.text import TOKENIZER, tokens

STATE_FILE = "newsqa-bm25.json"
ENGINE = "tantivy-1"
_UNDATED = -(2**62)  # publication time of undated chunks: before any real date
_HEAP = 50_000_000
_WIDER = 3  # a bounded query first asks for this many times the chunks, unbounded


@dataclass(frozen=True)
class KeywordEntry:
    """One chunk as the keyword index holds it: `text` is title and chunk text."""

    chunk_id: str
    article_id: str
    text: str
    published_ts: int | None


@dataclass(frozen=True)
class DateBounds:
    """Publication bounds on keyword hits: `as_of` lets undated chunks through, `since` and
    `until` do not (as the vector store's filter)."""

    as_of: float | None = None
    since: float | None = None
    until: float | None = None

    def admit(self, published_ts: int) -> bool:
        """Whether a chunk published at `published_ts` (`_UNDATED`: undated) is let through."""
        if published_ts == _UNDATED:
            return self.as_of is not None and self.since is None and self.until is None
        return (
            (self.as_of is None or published_ts <= self.as_of)
            and (self.since is None or published_ts >= self.since)
            and (self.until is None or published_ts <= self.until)
        )


def _schema() -> Any:
    import tantivy

    schema = tantivy.SchemaBuilder()
    schema.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    schema.add_text_field("chunk_id", stored=True, tokenizer_name="raw", index_option="basic")
    schema.add_text_field("article_id", tokenizer_name="raw", index_option="basic")
    schema.add_integer_field("published_ts", indexed=True, fast=True)
    return schema.build()


class ChunkBM25:
    """A keyword index over chunk texts; `generation` ties it to the catalog it was last
    brought up to, `tokenizer` names the tokens it counts (TOKENIZER when built by this
    newsqa). Readers open it and ask; the one writer calls `add`, `delete_articles` and
    `commit`."""

    def __init__(self, folder: Path, index: Any, generation: int, tokenizer: str) -> None:
        self.folder = folder
        self._index = index
        self._searcher = index.searcher()
        self._writer: Any = None
        self.generation = generation
        self.tokenizer = tokenizer

    # -- opening, building ---------------------------------------------------------
    @classmethod
    def load(cls, folder: Path) -> ChunkBM25 | None:
        """The saved index, or None when it is missing, unreadable or made by another engine
        (callers rebuild)."""
        import tantivy

        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            if state.get("engine") != ENGINE:
                return None
            index = tantivy.Index.open(str(folder))
        except (OSError, ValueError, KeyError):
            return None
        tokenizer = str(state.get("tokenizer", "bm25s-default"))
        return cls(folder, index, int(state["generation"]), tokenizer)

    @staticmethod
    def saved_tokenizer(folder: Path) -> str | None:
        """The tokenizer a saved keyword index of any engine records (bm25s indexes saved
        before it was recorded used bm25s's own tokens), or None without a readable state."""
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return str(state.get("tokenizer", "bm25s-default"))

    @classmethod
    def build(cls, folder: Path, entries: Iterable[KeywordEntry], generation: int) -> ChunkBM25:
        """A new index of `entries`, written beside `folder` and then swapped in, so a crash
        never leaves half an index."""
        import tantivy

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        index = tantivy.Index(_schema(), path=str(tmp))
        writer = index.writer(heap_size=_HEAP, num_threads=1)
        for entry in entries:
            writer.add_document(_document(entry))
        writer.commit()
        writer.wait_merging_threads()
        _write_state(tmp, generation)
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        return cls(folder, tantivy.Index.open(str(folder)), generation, TOKENIZER)

    # -- writing -------------------------------------------------------------------
    def _writing(self) -> Any:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_HEAP, num_threads=1)
        return self._writer

    def add(self, entries: Iterable[KeywordEntry]) -> None:
        writer = self._writing()
        for entry in entries:
            writer.add_document(_document(entry))

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        writer = self._writing()
        for article_id in article_ids:
            writer.delete_documents_by_term("article_id", article_id)

    def commit(self, generation: int) -> None:
        """Make the adds and deletes so far visible, as of catalog `generation`."""
        if self._writer is not None:
            self._writer.commit()
        _write_state(self.folder, generation)
        self.generation = generation
        self._index.reload()
        self._searcher = self._index.searcher()

    def close_writer(self) -> None:
        """Let merges finish and give up the writer, so another process may write."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.wait_merging_threads()

    # -- reading -------------------------------------------------------------------
    def snapshot(self) -> ChunkBM25:
        """This index as committed now, unchanged by later commits (what one question reads)."""
        pinned = copy.copy(self)
        pinned._writer = None
        return pinned

    @property
    def count(self) -> int:
        return int(self._searcher.num_docs)

    @property
    def ids(self) -> list[str]:
        """Every chunk id in the index (a full scan: for checks, not for questions)."""
        import tantivy

        searcher = self._searcher
        if not searcher.num_docs:
            return []
        hits = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs).hits
        return [searcher.doc(address)["chunk_id"][0] for _, address in hits]

    def frequency(self, token: str) -> int:
        """How many chunks hold `token` (one of `assistant.text.tokens`)."""
        return int(self._searcher.doc_freq("body", token))

    def query(
        self, text: str, n: int, dates: DateBounds | None = None, memo: dict | None = None
    ) -> list[tuple[str, float]]:
        """Up to `n` (chunk id, score) pairs, best first; chunks sharing no word are left out,
        and so are those published outside `dates`. `memo` (one per question, over this
        snapshot) keeps the searches and chunk ids read, for the same question asked again
        with other dates."""
        import tantivy

        words = tuple(dict.fromkeys(tokens(text)))
        if not words or n <= 0:
            return []
        memo = {} if memo is None else memo
        schema = self._index.schema
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", word, "freq"))
                for word in words
            ]
        )
        searcher = self._searcher
        if dates is None:
            hits = self._search(memo, ("all", words, n), query, n)
        else:
            # the best chunks as if unbounded, those in bounds kept: the same top `n` as a
            # bounded query whenever enough pass, and far faster (a bounded query scores
            # every matching chunk); else the bounded query
            key = ("wide", words, _WIDER * n)
            wide = self._search(memo, key, query, _WIDER * n)
            if (*key, "dates") not in memo:
                addresses = [address for _, address in wide]
                memo[(*key, "dates")] = searcher.fast_field_values("published_ts", addresses)
            stamps = memo[(*key, "dates")]
            hits = [hit for hit, ts in zip(wide, stamps, strict=True) if dates.admit(ts)][:n]
            if len(hits) < n and len(wide) == _WIDER * n:
                bounded = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, query),
                        (
                            tantivy.Occur.Must,
                            tantivy.Query.const_score_query(_date_query(schema, dates), 0.0),
                        ),
                    ]
                )
                hits = self._search(memo, ("bounded", words, n, dates), bounded, n)
        return [
            (self._chunk_id(memo, address), float(score)) for score, address in hits if score > 0
        ]

    def _search(self, memo: dict, key: tuple, query: Any, limit: int) -> list[Any]:
        if key not in memo:
            memo[key] = self._searcher.search(query, limit=limit, count=False).hits
        return memo[key]

    def _chunk_id(self, memo: dict, address: Any) -> str:
        key = ("doc", address.segment_ord, address.doc)
        if key not in memo:
            memo[key] = self._searcher.doc(address)["chunk_id"][0]
        return memo[key]


def _document(entry: KeywordEntry) -> Any:
    import tantivy

    return tantivy.Document(
        body=" ".join(tokens(entry.text)),
        chunk_id=entry.chunk_id,
        article_id=entry.article_id,
        published_ts=_UNDATED if entry.published_ts is None else int(entry.published_ts),
    )


def _write_state(folder: Path, generation: int) -> None:
    state = {"generation": generation, "tokenizer": TOKENIZER, "engine": ENGINE}
    tmp = folder / f"{STATE_FILE}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(folder / STATE_FILE)


def _date_query(schema: Any, dates: DateBounds) -> Any:
    """The chunks `dates` lets through."""
    import math

    import tantivy

    integer = tantivy.FieldType.Integer
    lower = math.ceil(dates.since) if dates.since is not None else None
    uppers = [math.floor(t) for t in (dates.as_of, dates.until) if t is not None]
    upper = min(uppers) if uppers else None
    dated = tantivy.Query.range_query(
        schema, "published_ts", integer, _UNDATED + 1 if lower is None else lower, upper
    )
    if dates.as_of is None or dates.since is not None or dates.until is not None:
        return dated
    undated = tantivy.Query.term_query(schema, "published_ts", _UNDATED)
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, dated), (tantivy.Occur.Should, undated)]
    )
