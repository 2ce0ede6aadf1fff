"""Thin adapter around Chroma: the only module that talks to chromadb.

Embedded (PersistentClient in the index folder) by default, or a `chroma run` server
through HttpClient when a URL is given. Embeddings are always handed in by us, so
Chroma's own (downloading) embedding function is never used.
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.errors import IndexStateError

if TYPE_CHECKING:
    import numpy as np

Metadata = Mapping[str, str | int | float | bool]
QUERY_ATTEMPTS = 3  # a query failed by another process's write in flight is asked again
WIDER_QUERY = 10  # an unfiltered query asked for a failed filtered one reads 10x the chunks


Predicate = Callable[[Mapping[str, Any]], bool]


def where_predicate(where: Mapping[str, Any]) -> Predicate:
    """Whether chunk metadata passes a Chroma `where` filter, worked out once for the filter
    (a search checks thousands of chunks against it): the operators newsqa's filters use
    ($and, $or, $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte) and bare equality."""
    parts: list[Predicate] = []
    for key, condition in where.items():
        if key in ("$and", "$or"):
            inner = [where_predicate(part) for part in condition]
            combine = all if key == "$and" else any
            parts.append(lambda m, inner=inner, combine=combine: combine(p(m) for p in inner))
        else:
            parts.append(_value_predicate(key, condition))
    if len(parts) == 1:
        return parts[0]
    return lambda m: all(p(m) for p in parts)


def _value_predicate(key: str, condition: Any) -> Predicate:
    if not isinstance(condition, Mapping):
        return lambda m: bool(m.get(key) == condition)
    tests = [_operator_test(op, operand) for op, operand in condition.items()]
    if len(tests) == 1:
        test = tests[0]
        return lambda m: test(m.get(key))
    return lambda m: all(t(m.get(key)) for t in tests)


def _operator_test(op: str, operand: Any) -> Callable[[Any], bool]:
    if op in ("$in", "$nin"):
        members = set(operand)
        return (lambda v: v in members) if op == "$in" else (lambda v: v not in members)
    if op == "$eq":
        return lambda v: bool(v == operand)
    if op == "$ne":
        return lambda v: bool(v != operand)
    order = _ORDER.get(op)
    if order is None:
        raise ValueError(f"unsupported filter operator {op!r}")
    return lambda v: v is not None and order(v, operand)  # a missing field passes none


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}


@dataclass(frozen=True)
class VectorHit:
    id: str
    score: float  # cosine similarity, 1.0 is identical
    metadata: dict[str, Any]


def collection_name(index_name: str) -> str:
    """A valid Chroma collection name for an index (3-63 chars of [a-zA-Z0-9._-])."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", index_name).strip("-._") or "default"
    return f"newsqa-{slug}"[:63].rstrip("-._")


class ChunkVectorStore:
    """Chunk vectors with the metadata filters need. The chunks' text is not stored here:
    the catalog holds it, and Chroma would keep each text twice more (in its metadata
    table, indexed by value, and in a full-text index), which doubled the cost of an upsert
    at 1M chunks (docs/scaling.md)."""

    def __init__(self, client: Any, name: str, where: str) -> None:
        self._client = client
        self.where = where
        self._collection = client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self._max_batch = int(client.get_max_batch_size())

    @classmethod
    def open(cls, *, path: Path, url: str | None, name: str) -> ChunkVectorStore:
        from assistant import offline

        offline.enforce()
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parts = urlsplit(url)
            try:
                client = chromadb.HttpClient(
                    host=parts.hostname or "127.0.0.1",
                    port=parts.port or (443 if parts.scheme == "https" else 8000),
                    ssl=parts.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            except Exception as exc:  # chromadb raises several unrelated types here
                raise IndexStateError(f"cannot reach the Chroma server at {url}: {exc}") from None
            return cls(client, name, where=url)
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return cls(client, name, where=str(path))

    def _batches(self, count: int) -> Iterator[slice]:
        for start in range(0, count, self._max_batch):
            yield slice(start, min(start + self._max_batch, count))

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata],
    ) -> None:
        for part in self._batches(len(ids)):
            self._collection.upsert(
                ids=list(ids[part]),
                embeddings=embeddings[part],
                metadatas=[dict(m) for m in metadatas[part]],
            )

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        if article_ids:
            self._collection.delete(where={"article_id": {"$in": list(article_ids)}})

    def delete_ids(self, ids: Sequence[str]) -> None:
        for part in self._batches(len(ids)):
            self._collection.delete(ids=list(ids[part]))

    def ids(self) -> set[str]:
        found: set[str] = set()
        page = 5000
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=page, offset=offset)["ids"]
            found.update(got)
            if len(got) < page:
                return found
            offset += page

    def count(self) -> int:
        return int(self._collection.count())

    def get(self, ids: Sequence[str], with_embeddings: bool = False) -> dict[str, VectorHit]:
        include = ["metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._collection.get(ids=list(ids), include=include)
        hits = {}
        for i, chunk_id in enumerate(got["ids"]):
            meta = dict(got["metadatas"][i] or {})
            if with_embeddings:
                meta["_embedding"] = got["embeddings"][i]
            hits[chunk_id] = VectorHit(chunk_id, 1.0, meta)
        return hits

    def query(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[VectorHit]:
        """The `n` nearest chunks to `embedding`, best first, optionally filtered.

        Embedded Chroma is not made for several processes: while another process writes the
        folder (the server's writer, a CLI ingest), a filtered query here can fail with
        "Error finding id" until this process reloads (measured: most filtered queries
        during a write), while unfiltered ones go on working. So a filtered query that
        fails is asked again unfiltered, for more chunks, and filtered here."""
        from chromadb.errors import InternalError

        if n <= 0:
            return []
        for attempt in range(QUERY_ATTEMPTS):
            try:
                if attempt == 0 or not where:
                    return self._query(embedding, n, where)
                wider = self._query(embedding, n * WIDER_QUERY, None)
                passes = where_predicate(where)
                return [h for h in wider if passes(h.metadata)][:n]
            except InternalError:
                if attempt == QUERY_ATTEMPTS - 1:
                    raise
                time.sleep(0.02 * attempt)
        return []

    def nearest_among(self, embedding: np.ndarray, ids: Sequence[str], n: int) -> list[str] | None:
        """The `n` of `ids` nearest to `embedding` (cosine), nearest first, ranked exactly
        from their stored vectors (for a few thousand ids: Chroma's filtered query can take
        seconds at 1M chunks even when its filter lets two through). None when Chroma
        cannot read them now (another process writing the folder: see `query`)."""
        import numpy as np
        from chromadb.errors import InternalError

        if not ids or n <= 0:
            return []
        found, vectors = [], []
        try:
            for part in self._batches(len(ids)):
                got = self._collection.get(ids=list(ids[part]), include=["embeddings"])
                found += got["ids"]
                vectors += list(got["embeddings"])
        except InternalError:
            return None
        if not found:
            return []
        matrix = np.asarray(vectors, dtype=np.float32)
        query = np.asarray(embedding, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(query))
        scores = matrix @ query / np.maximum(norms, 1e-12)
        order = np.lexsort((np.array(found), -scores))  # ties by id: the same order each time
        return [found[i] for i in order[:n]]

    def nearest(self, embedding: Sequence[float], n: int) -> list[str]:
        """Ids of the `n` nearest chunks, nearest first, unfiltered. Only ids are read: at 1M
        chunks Chroma finds 1,920 in 29 ms but takes 735 ms with their metadata. Chroma returns
        all it has when asked for more: counting first would cost 62 ms at 1M chunks."""
        if n <= 0:
            return []
        got = self._collection.query(
            query_embeddings=[list(map(float, embedding))], n_results=n, include=["distances"]
        )
        return list(got["ids"][0])

    def _query(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None
    ) -> list[VectorHit]:
        got = self._collection.query(
            query_embeddings=[list(map(float, embedding))],
            n_results=n,
            where=dict(where) if where else None,
            include=["metadatas", "distances"],
        )
        return [
            VectorHit(chunk_id, 1.0 - float(dist), dict(meta or {}))
            for chunk_id, dist, meta in zip(
                got["ids"][0], got["distances"][0], got["metadatas"][0], strict=True
            )
        ]
