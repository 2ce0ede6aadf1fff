"""The catalog (SQLite): the source of truth for which articles, sentences and chunks an
index holds. Chroma and BM25 are derived from it and are repaired to match it."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import IndexDamagedError
from assistant.index.syndication import BANDING, band_keys, copy_week, near_weeks
from assistant.types import Article, Chunk, Sentence

if TYPE_CHECKING:
    import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_ts INTEGER,
    updated TEXT,
    authors TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector BLOB,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS copies (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    published TEXT,
    updated TEXT,
    authors TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS copies_article ON copies(article_id);
CREATE TABLE IF NOT EXISTS copy_signatures (
    n INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE,
    week INTEGER NOT NULL,
    minhash BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS copy_keys (
    week INTEGER NOT NULL,
    key INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (week, key, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
    generation INTEGER NOT NULL,
    article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_generation ON changes(generation);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_ts);
"""
# Generations the change log keeps: a reader further behind than this re-reads everything.
CHANGES_KEPT = 5000
# Columns added after the first release; old catalogs gain them when opened.
_ADDED_COLUMNS = {
    "articles": (
        ("minhash", "BLOB"),  # an older catalog's signatures (now in copy_signatures)
        ("revisions", "INTEGER NOT NULL DEFAULT 0"),  # times the text changed since added
        ("partial", "INTEGER NOT NULL DEFAULT 0"),  # text from a feed entry, page unread
    ),
}
_ARTICLE_COLUMNS = (
    "id, title, outlet, url, published, published_ts, updated, authors, text, content_hash, "
    "fingerprint, source, ingested_at, minhash, revisions, partial"
)


@dataclass(frozen=True)
class IndexedArticle:
    """An article ready to commit: its sentences and chunks already computed, and once
    embedded, one unit vector per sentence (float16 on disk)."""

    article: Article
    sentences: Sequence[Sentence]
    chunks: Sequence[Chunk]
    sentence_vectors: np.ndarray | None = None
    signature: np.ndarray | None = None


@dataclass(frozen=True)
class StoredCopy:
    """An article found to be a copy of a stored one: its metadata is kept, its text is not."""

    article: Article
    original_id: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def schema_columns(schema: str = _SCHEMA) -> dict[str, set[str]]:
    """The columns each table of `schema` declares."""
    tables: dict[str, set[str]] = {}
    for name, body in re.findall(
        r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\)(?: WITHOUT ROWID)?;", schema, re.S
    ):
        tables[name] = {
            line.split()[0]
            for line in re.split(r",(?![^()]*\))", body)
            if line.strip() and not line.strip().upper().startswith("PRIMARY KEY")
        }
    return tables


class Catalog:
    """The index's source of truth in SQLite (WAL). Each thread reads and writes through
    its own connection, so a question read in one thread never sees another thread's
    transaction half done, and readers do not queue behind one connection."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._connections_lock = threading.Lock()
        # rows handed to searching, by table: what a question read from disk
        self.rows_read: Counter[str] = Counter()
        try:
            db = self._db
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            # the change log is complete from the generation it was first opened at (only
            # written once: opening an index must not wait for another process's write)
            if not db.execute("SELECT 1 FROM meta WHERE key='changes_from'").fetchone():
                db.execute(
                    "INSERT OR IGNORE INTO meta SELECT 'changes_from', COALESCE("
                    "(SELECT value FROM meta WHERE key='generation'), '0')"
                )
            for table, columns in _ADDED_COLUMNS.items():
                present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for name, declaration in columns:
                    if name not in present:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
            self._check_schema()
        except sqlite3.DatabaseError as err:
            self.close()
            raise IndexDamagedError(
                f"{path}: not a newsqa catalog ({err}); it is the index's source of truth: "
                "restore it from a backup, or move the index folder aside and ingest the "
                "articles again"
            ) from err

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA busy_timeout=10000")  # a writer's commit is short: wait
            except sqlite3.DatabaseError:
                db.close()
                raise
            with self._connections_lock:
                # connections of threads that have ended are closed here, not leaked
                ended = [c for t, c in self._connections if not t.is_alive()]
                self._connections = [(t, c) for t, c in self._connections if t.is_alive()]
                self._connections.append((threading.current_thread(), db))
            for old in ended:
                old.close()
            self._local.db = db
        return db

    def _check_schema(self) -> None:
        for table, expected in schema_columns().items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            missing = sorted(expected - present)
            if missing:
                raise sqlite3.DatabaseError(
                    f"table {table} lacks the columns {', '.join(missing)}: another schema"
                )

    def close(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for _, db in connections:
            db.close()
        self._local = threading.local()

    # -- reads ---------------------------------------------------------------
    @property
    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this thread inside the block sees one committed state (a read
        transaction: writers go on, and their commits show after the block)."""
        db = self._db
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN")
        try:
            db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts here
            yield
        finally:
            db.execute("COMMIT")

    def _select(self, table: str, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        rows = self._db.execute(sql, params).fetchall()
        self.rows_read[table] += len(rows)
        return rows

    def _select_in(self, table: str, sql: str, ids: Collection[str]) -> list[tuple]:
        """The rows of `sql`, whose `{ids}` is an `IN` list, for every one of `ids` (asked in
        pieces small enough for one SQL statement)."""
        ids, rows = list(ids), []
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows += self._select(table, sql.format(ids=",".join("?" * len(part))), part)
        return rows

    def changed_since(self, generation: int) -> set[str] | None:
        """Ids of the articles written or deleted after `generation` (an original counts as
        changed when its copies change); None when the log does not reach back that far."""
        row = self._db.execute("SELECT value FROM meta WHERE key='changes_from'").fetchone()
        if row is None or generation < int(row[0]) or generation > self.generation:
            return None
        rows = self._select(
            "changes", "SELECT DISTINCT article_id FROM changes WHERE generation > ?", (generation,)
        )
        return {r[0] for r in rows}

    def chunks_by_id(self, chunk_ids: Collection[str]) -> dict[str, Chunk]:
        """The stored chunks among `chunk_ids`, by id."""
        rows = self._select_in(
            "chunks",
            "SELECT article_id, n, sentence_start, sentence_end, start, end, text FROM chunks "
            "WHERE id IN ({ids})",
            chunk_ids,
        )
        return {c.id: c for c in (Chunk(*row) for row in rows)}

    def articles_by_id(self, article_ids: Collection[str]) -> dict[str, Article]:
        """The stored articles among `article_ids`, by id."""
        rows = self._select_in(
            "articles",
            "SELECT id, title, text, outlet, url, published, authors, source, ingested_at, "
            "updated, partial FROM articles WHERE id IN ({ids})",
            article_ids,
        )
        return {row[0]: self._article(row) for row in rows}

    def copies_of(self, article_ids: Collection[str]) -> dict[str, tuple[Article, ...]]:
        """Stored copies of each of `article_ids` (text left empty), oldest first; an
        article without copies maps to ()."""
        found: dict[str, list[Article]] = {a: [] for a in article_ids}
        rows = self._select_in(
            "copies",
            "SELECT id, title, '', outlet, url, published, authors, source, ingested_at, "
            "updated, 0, article_id FROM copies WHERE article_id IN ({ids}) "
            "ORDER BY ingested_at, id",
            article_ids,
        )
        for row in rows:
            found[row[11]].append(self._article(row[:11]))
        return {a: tuple(c) for a, c in found.items()}

    def copied_outlets(self, outlets: Collection[str]) -> set[str]:
        """Outlets of the originals that any of `outlets` carried copies of."""
        if not outlets:
            return set()
        rows = self._select(
            "copies",
            "SELECT DISTINCT a.outlet FROM copies c JOIN articles a ON a.id = c.article_id "
            f"WHERE c.outlet IN ({','.join('?' * len(outlets))}) AND a.outlet IS NOT NULL",
            list(outlets),
        )
        return {r[0] for r in rows}

    def dates_of(self, article_ids: Collection[str]) -> dict[str, int | None]:
        """The publication timestamp (None when undated) of each stored one of `article_ids`."""
        rows = self._select_in(
            "articles", "SELECT id, published_ts FROM articles WHERE id IN ({ids})", article_ids
        )
        return dict(rows)

    def filter_facets(self, article_ids: Collection[str]) -> dict[str, dict[str, str | int]]:
        """What a vector-store filter reads of each stored one of `article_ids`, as the chunk
        metadata holds it: its id, outlet and publication timestamp (None left out)."""
        rows = self._select_in(
            "articles",
            "SELECT id, outlet, published_ts FROM articles WHERE id IN ({ids})",
            article_ids,
        )
        return {
            a: {
                k: v
                for k, v in (("article_id", a), ("outlet", o), ("published_ts", ts))
                if v is not None
            }
            for a, o, ts in rows
        }

    def chunks_dated_between(
        self, low: int | None, high: int | None, limit: int
    ) -> list[str] | None:
        """Ids of the chunks of the articles published from `low` to `high` (timestamps,
        either open) and of the undated ones, when there are at most `limit`; else None
        (a narrow window is searched exactly, chunk by chunk)."""
        rows = self._select(
            "chunks",
            "SELECT c.id FROM articles a JOIN chunks c ON c.article_id = a.id "
            "WHERE a.published_ts BETWEEN ? AND ? OR a.published_ts IS NULL LIMIT ?",
            (low if low is not None else -(2**62), high if high is not None else 2**62, limit + 1),
        )
        return None if len(rows) > limit else [r[0] for r in rows]

    def undated_ids(self) -> set[str]:
        """Ids of the articles without a publication date."""
        rows = self._select("articles", "SELECT id FROM articles WHERE published_ts IS NULL")
        return {r[0] for r in rows}

    def newest_ts(self) -> int | None:
        """The newest publication timestamp (an index lookup, not a scan)."""
        return self._db.execute("SELECT MAX(published_ts) FROM articles").fetchone()[0]

    def fingerprint(self, article_id: str) -> str | None:
        """The stored article's fingerprint (text and metadata), None when absent."""
        row = self._db.execute(
            "SELECT fingerprint FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def copy_fingerprint(self, copy_id: str) -> str | None:
        """The fingerprint of a stored copy, None when `copy_id` is not a copy."""
        row = self._db.execute("SELECT fingerprint FROM copies WHERE id=?", (copy_id,)).fetchone()
        return row[0] if row else None

    def copies(self) -> dict[str, list[Article]]:
        """Stored copies by the id of the article they copy (text left empty), oldest first."""
        rows = self._select(
            "copies",
            "SELECT id, title, '', outlet, url, published, authors, source, ingested_at, "
            "updated, 0, article_id FROM copies ORDER BY ingested_at, id",
        )
        found: dict[str, list[Article]] = {}
        for row in rows:
            found.setdefault(row[11], []).append(self._article(row[:11]))
        return found

    def url_ids(self) -> dict[str, str]:
        """Article and copy ids by URL as stored (copies keep their own id and URL)."""
        rows = self._db.execute(
            "SELECT url, id FROM articles WHERE url IS NOT NULL "
            "UNION ALL SELECT url, id FROM copies WHERE url IS NOT NULL"
        ).fetchall()
        return {url: article_id for url, article_id in rows}

    def copy_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM copies").fetchone()[0])

    def partial_count(self) -> int:
        """Articles holding only a feed entry's summary or content."""
        row = self._db.execute("SELECT COUNT(*) FROM articles WHERE partial = 1").fetchone()
        return int(row[0])

    def undated_count(self) -> int:
        """Articles without a publication date (every as-of question reads them)."""
        row = self._db.execute("SELECT COUNT(*) FROM articles WHERE published_ts IS NULL")
        return int(row.fetchone()[0])

    def revised_count(self) -> int:
        """Articles whose text changed (a correction or update) since they were added."""
        row = self._db.execute("SELECT COUNT(*) FROM articles WHERE revisions > 0").fetchone()
        return int(row[0])

    def copy_sources(self) -> Iterator[tuple[Article, bytes | None]]:
        """Every stored article with its copy-detection signature, None when none was
        stored (an older catalog's articles): for cutting the band keys again. The article
        carries its text only when the signature is missing."""
        rows = self._db.execute(
            "SELECT a.id, a.published, a.ingested_at, COALESCE(s.minhash, a.minhash), "
            "CASE WHEN COALESCE(s.minhash, a.minhash) IS NULL THEN a.text ELSE '' END "
            "FROM articles a LEFT JOIN copy_signatures s ON s.article_id = a.id ORDER BY a.id"
        )
        for article_id, published, ingested_at, blob, text in rows:
            article = Article(
                id=article_id,
                title="",
                text=text,
                source="",
                published=_dt(published),
                ingested_at=_dt(ingested_at) or datetime.now(UTC),
            )
            yield article, blob

    def copy_bands_current(self) -> bool:
        """Whether every stored signature has its band keys, cut the way BANDING says
        (False for a catalog made before the band table, or with other bands)."""
        row = self._db.execute("SELECT value FROM meta WHERE key='copy_bands'").fetchone()
        return bool(row) and row[0] == BANDING

    def copy_candidates(self, keys: Sequence[int], week: int) -> list[tuple[str, int, bytes]]:
        """Stored articles (id, week, signature) of the weeks near `week` that share at least
        one band key with `keys`."""
        if not keys:
            return []
        weeks = near_weeks(week)
        return self._db.execute(
            "SELECT article_id, week, minhash FROM copy_signatures WHERE n IN "
            f"(SELECT n FROM copy_keys WHERE week IN ({','.join('?' * len(weeks))}) "
            f"AND key IN ({','.join('?' * len(keys))})) ORDER BY article_id",
            [*weeks, *keys],
        ).fetchall()

    def has_article(self, article_id: str) -> bool:
        return self.fingerprint(article_id) is not None

    def counts(self) -> tuple[int, int]:
        articles = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        chunks = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return int(articles), int(chunks)

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM chunks")}

    def chunks_for_search(self) -> tuple[list[str], list[str]]:
        """Chunk ids and the text BM25 indexes for them (title, then chunk text)."""
        rows = self._db.execute(
            "SELECT c.id, a.title, c.text FROM chunks c JOIN articles a ON a.id = c.article_id "
            "ORDER BY c.article_id, c.n"
        ).fetchall()
        return [r[0] for r in rows], [f"{r[1]}\n{r[2]}" for r in rows]

    def keyword_rows(self) -> list[tuple[str, str, str, int | None]]:
        """(chunk id, article id, the text BM25 indexes, published_ts) of every chunk."""
        rows = self._db.execute(
            "SELECT c.id, c.article_id, a.title || char(10) || c.text, a.published_ts "
            "FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.n"
        ).fetchall()
        return [tuple(row) for row in rows]

    def chunk_counts(self) -> dict[str, int]:
        """Chunks per article id."""
        rows = self._db.execute("SELECT article_id, COUNT(*) FROM chunks GROUP BY article_id")
        return {article_id: int(count) for article_id, count in rows}

    def chunks_of(self, article_ids: Iterable[str]) -> list[Chunk]:
        rows = self._select_in(
            "chunks",
            "SELECT article_id, n, sentence_start, sentence_end, start, end, text FROM chunks "
            "WHERE article_id IN ({ids}) ORDER BY article_id, n",
            sorted(article_ids),  # sorted: the pieces come back in article order too
        )
        return [Chunk(*row) for row in rows]

    def sentences_of(self, article_id: str) -> list[Sentence]:
        text = self._select("articles", "SELECT text FROM articles WHERE id=?", (article_id,))
        if not text:
            return []
        rows = self._select(
            "sentences",
            "SELECT idx, start, end FROM sentences WHERE article_id=? ORDER BY idx",
            (article_id,),
        )
        return [Sentence(article_id, i, s, e, text[0][0][s:e]) for i, s, e in rows]

    def sentence_rows(self, article: Article) -> tuple[list[Sentence], np.ndarray | None]:
        """The sentences of a stored article and their vectors (None when not stored), in
        one read of the sentence table."""
        import numpy as np

        rows = self._select(
            "sentences",
            "SELECT idx, start, end, vector FROM sentences WHERE article_id=? ORDER BY idx",
            (article.id,),
        )
        sentences = [Sentence(article.id, i, s, e, article.text[s:e]) for i, s, e, _ in rows]
        if not rows or any(r[3] is None for r in rows):
            return sentences, None
        vectors = np.stack([np.frombuffer(r[3], dtype=np.float16) for r in rows])
        return sentences, vectors.astype(np.float32)

    def article(self, article_id: str) -> Article | None:
        return self.articles_by_id([article_id]).get(article_id)

    def articles(self) -> list[Article]:
        rows = self._select(
            "articles",
            "SELECT id, title, text, outlet, url, published, authors, source, ingested_at, "
            "updated, partial FROM articles ORDER BY published_ts DESC, title",
        )
        return [self._article(row) for row in rows]

    def library(self, needle: str = "", limit: int = 500) -> list[tuple[Article, int]]:
        """Up to `limit` articles, newest first, each with its chunk count (texts left
        empty): those whose title or outlet, or a copy's title or outlet, holds `needle`."""
        pattern = (
            "%" + needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        matches = (
            "lower(a.title || ' ' || COALESCE(a.outlet, '')) LIKE :p ESCAPE '\\' OR EXISTS "
            "(SELECT 1 FROM copies c WHERE c.article_id = a.id AND "
            "lower(c.title || ' ' || COALESCE(c.outlet, '')) LIKE :p ESCAPE '\\')"
        )
        rows = self._select(
            "articles",
            "SELECT a.id, a.title, '', a.outlet, a.url, a.published, a.authors, a.source, "
            "a.ingested_at, a.updated, a.partial, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) FROM articles a "
            f"{'WHERE ' + matches if needle else ''} "
            "ORDER BY a.published_ts DESC, a.title LIMIT :limit",
            {"p": pattern, "limit": limit},
        )
        return [(self._article(row[:11]), int(row[11])) for row in rows]

    @staticmethod
    def _article(row: tuple) -> Article:
        return Article(
            id=row[0],
            title=row[1],
            text=row[2],
            outlet=row[3],
            url=row[4],
            published=_dt(row[5]),
            authors=tuple(json.loads(row[6])),
            source=row[7],
            ingested_at=_dt(row[8]) or datetime.now().astimezone(),
            updated=_dt(row[9]),
            partial=bool(row[10]),
        )

    def outlets(self) -> dict[str, int]:
        rows = self._db.execute(
            "SELECT COALESCE(outlet, ''), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        return {name or "(unknown)": int(count) for name, count in rows}

    def date_range(self) -> tuple[datetime | None, datetime | None]:
        """Earliest and latest publication time (UTC) over articles that have one."""
        low, high = self._db.execute(
            "SELECT MIN(published_ts), MAX(published_ts) FROM articles"
        ).fetchone()
        as_dt = lambda ts: datetime.fromtimestamp(ts, tz=UTC) if ts is not None else None  # noqa: E731
        return as_dt(low), as_dt(high)

    # -- writes ----------------------------------------------------------------
    def commit(self, batch: Sequence[IndexedArticle], copies: Sequence[StoredCopy] = ()) -> None:
        """Store a batch of articles (replacing any with the same id) and copies of stored
        articles, in one transaction."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            changed = {item.article.id for item in batch}
            changed |= {c.article.id for c in copies} | {c.original_id for c in copies}
            changed |= self._originals_of([*changed])
            for item in batch:
                a = item.article
                before = db.execute(
                    "SELECT content_hash, revisions FROM articles WHERE id=?", (a.id,)
                ).fetchone()
                revisions = 0
                if before:
                    revisions = before[1] + (before[0] != a.content_hash)
                self._drop_copy_keys(a.id)
                if item.signature is not None:
                    self._add_copy_keys(a.id, copy_week(a), item.signature.tobytes())
                db.execute("DELETE FROM chunks WHERE article_id=?", (a.id,))
                db.execute("DELETE FROM sentences WHERE article_id=?", (a.id,))
                db.execute("DELETE FROM copies WHERE id=?", (a.id,))
                db.execute(
                    f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        a.id,
                        a.title,
                        a.outlet,
                        a.url,
                        _iso(a.published),
                        a.published_ts,
                        _iso(a.updated),
                        json.dumps(list(a.authors)),
                        a.text,
                        a.content_hash,
                        a.fingerprint,
                        a.source,
                        _iso(a.ingested_at),
                        None,  # the signature is kept in copy_signatures
                        revisions,
                        int(a.partial),
                    ),
                )
                vectors = item.sentence_vectors
                db.executemany(
                    "INSERT INTO sentences VALUES (?,?,?,?,?)",
                    [
                        (
                            s.article_id,
                            s.index,
                            s.start,
                            s.end,
                            vectors[i].astype("float16").tobytes() if vectors is not None else None,
                        )
                        for i, s in enumerate(item.sentences)
                    ],
                )
                db.executemany(
                    "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                    [
                        (
                            c.id,
                            c.article_id,
                            c.n,
                            c.sentence_start,
                            c.sentence_end,
                            c.start,
                            c.end,
                            c.text,
                        )
                        for c in item.chunks
                    ],
                )
            for copy in copies:
                c = copy.article
                db.execute(
                    "INSERT OR REPLACE INTO copies VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        c.id,
                        copy.original_id,
                        c.title,
                        c.outlet,
                        c.url,
                        _iso(c.published),
                        _iso(c.updated),
                        json.dumps(list(c.authors)),
                        c.fingerprint,
                        c.source,
                        _iso(c.ingested_at),
                    ),
                )
            self._bump_generation(changed)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def store_copy_bands(self, signatures: Sequence[tuple[str, int, bytes]]) -> None:
        """Replace every signature and band key with those of `signatures` (id, week,
        signature: every stored article's) and mark the band table current, in one
        transaction: for a catalog made before the band table, or with other bands."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DROP TABLE IF EXISTS copy_bands")  # an older catalog's keys
            db.execute("DELETE FROM copy_keys")
            db.execute("DELETE FROM copy_signatures")
            # numbered in time order, the keys gathered and then inserted in key order (4x
            # faster than in article order)
            db.executemany(
                "INSERT INTO copy_signatures (article_id, week, minhash) VALUES (?, ?, ?)",
                sorted(signatures, key=lambda s: (s[1], s[0])),
            )
            db.execute("CREATE TEMP TABLE new_keys (week INTEGER, key INTEGER, n INTEGER)")
            for n, week, blob in db.execute("SELECT n, week, minhash FROM copy_signatures"):
                self._insert_keys("new_keys", n, week, blob)
            db.execute(
                "INSERT OR IGNORE INTO copy_keys SELECT week, key, n FROM new_keys "
                "ORDER BY week, key, n"
            )
            db.execute("DROP TABLE new_keys")
            db.execute(
                "INSERT INTO meta VALUES ('copy_bands', ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                (BANDING,),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _insert_keys(self, table: str, n: int, week: int, blob: bytes) -> None:
        import numpy as np

        keys = band_keys(np.frombuffer(blob, dtype=np.uint32))
        self._db.executemany(
            f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?)", [(week, k, n) for k in keys]
        )

    def _add_copy_keys(self, article_id: str, week: int, blob: bytes) -> None:
        """Store an article's signature and its band keys (none stored for it now)."""
        cursor = self._db.execute(
            "INSERT INTO copy_signatures (article_id, week, minhash) VALUES (?, ?, ?)",
            (article_id, week, blob),
        )
        self._insert_keys("copy_keys", int(cursor.lastrowid or 0), week, blob)

    def _drop_copy_keys(self, article_id: str) -> None:
        """Delete an article's signature and band keys, the keys found again from the
        signature (the key table has no index by article, which keeps it small)."""
        import numpy as np

        stored = self._db.execute(
            "SELECT n, week, minhash FROM copy_signatures WHERE article_id=?", (article_id,)
        ).fetchone()
        if stored is None:
            return
        n, week, blob = stored
        keys = band_keys(np.frombuffer(blob, dtype=np.uint32))
        self._db.executemany(
            "DELETE FROM copy_keys WHERE week=? AND key=? AND n=?", [(week, k, n) for k in keys]
        )
        self._db.execute("DELETE FROM copy_signatures WHERE n=?", (n,))

    def delete(self, article_ids: Sequence[str]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            changed = set(article_ids) | self._originals_of(article_ids)
            for article_id in article_ids:
                self._drop_copy_keys(article_id)
                db.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
                db.execute("DELETE FROM sentences WHERE article_id=?", (article_id,))
                db.execute("DELETE FROM articles WHERE id=?", (article_id,))
                db.execute("DELETE FROM copies WHERE id=? OR article_id=?", (article_id,) * 2)
            self._bump_generation(changed)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _originals_of(self, copy_ids: Sequence[str]) -> set[str]:
        """The articles that any of `copy_ids` is a stored copy of."""
        rows = self._select_in(
            "copies", "SELECT article_id FROM copies WHERE id IN ({ids})", copy_ids
        )
        return {r[0] for r in rows}

    def _bump_generation(self, changed: Collection[str]) -> None:
        """Move to the next generation, logging the ids of the articles it changed (and
        forgetting the log of generations older than CHANGES_KEPT)."""
        db = self._db
        db.execute(
            "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        generation = int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        db.executemany("INSERT INTO changes VALUES (?, ?)", [(generation, a) for a in changed])
        oldest = generation - CHANGES_KEPT
        if oldest > 0 and generation % 100 == 0:
            db.execute("DELETE FROM changes WHERE generation <= ?", (oldest,))
            db.execute(
                "UPDATE meta SET value = MAX(CAST(value AS INTEGER), ?) WHERE key='changes_from'",
                (oldest,),
            )
