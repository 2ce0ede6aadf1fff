"""Thin adapter around Chroma: the only module that talks to chromadb.

Embedded (PersistentClient in the index folder) by default, or a `chroma run` server
through HttpClient when a URL is given. Embeddings are always handed in by us, so
Chroma's own (downloading) embedding function is never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.errors import IndexStateError

if TYPE_CHECKING:
    import numpy as np

Metadata = Mapping[str, str | int | float | bool]


@dataclass(frozen=True)
class VectorHit:
    id: str
    score: float  # cosine similarity, 1.0 is identical
    text: str
    metadata: dict[str, Any]


def collection_name(index_name: str) -> str:
    """A valid Chroma collection name for an index (3-63 chars of [a-zA-Z0-9._-])."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", index_name).strip("-._") or "default"
    return f"newsqa-{slug}"[:63].rstrip("-._")


class ChunkVectorStore:
    """Chunk vectors with their text and filterable metadata."""

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
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        for part in self._batches(len(ids)):
            self._collection.upsert(
                ids=list(ids[part]),
                embeddings=embeddings[part],
                documents=list(texts[part]),
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
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._collection.get(ids=list(ids), include=include)
        hits = {}
        for i, chunk_id in enumerate(got["ids"]):
            meta = dict(got["metadatas"][i] or {})
            if with_embeddings:
                meta["_embedding"] = got["embeddings"][i]
            hits[chunk_id] = VectorHit(chunk_id, 1.0, got["documents"][i] or "", meta)
        return hits

    def query(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[VectorHit]:
        """The `n` nearest chunks to `embedding`, best first, optionally filtered."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        got = self._collection.query(
            query_embeddings=[list(map(float, embedding))],
            n_results=min(n, total),
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            VectorHit(chunk_id, 1.0 - float(dist), doc or "", dict(meta or {}))
            for chunk_id, dist, doc, meta in zip(
                got["ids"][0],
                got["distances"][0],
                got["documents"][0],
                got["metadatas"][0],
                strict=True,
            )
        ]
