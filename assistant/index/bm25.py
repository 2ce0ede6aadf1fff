"""BM25 over the same chunks as the vectors (bm25s), saved atomically beside them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

STATE_FILE = "newsqa-bm25.json"


class ChunkBM25:
    """A keyword index over chunk texts; `generation` ties it to the catalog it was built from."""

    def __init__(self, ids: list[str], retriever: object | None, generation: int) -> None:
        self.ids = ids
        self._retriever = retriever
        self.generation = generation

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], generation: int) -> ChunkBM25:
        import bm25s

        if not ids:
            return cls([], None, generation)
        retriever = bm25s.BM25()
        retriever.index(
            bm25s.tokenize(list(texts), stopwords="en", show_progress=False),
            show_progress=False,
        )
        return cls(list(ids), retriever, generation)

    def save(self, folder: Path) -> None:
        """Write to a temporary folder, then swap it in, so a crash never leaves half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self._retriever is not None:
            self._retriever.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
        state = {"ids": self.ids, "generation": self.generation}
        (tmp / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> ChunkBM25 | None:
        """The saved index, or None when it is missing or unreadable (callers rebuild)."""
        import bm25s

        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            retriever = (
                bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
                if state["ids"]
                else None
            )
        except (OSError, ValueError, KeyError):
            return None
        return cls(list(state["ids"]), retriever, int(state["generation"]))

    def term_weights(self) -> tuple[dict[str, int], int]:
        """Document frequency of every indexed word, and the number of chunks."""
        if self._retriever is None:
            return {}, 0
        vocab = self._retriever.vocab_dict  # type: ignore[attr-defined]
        indptr = self._retriever.scores["indptr"]  # type: ignore[attr-defined]
        frequencies = {
            word: int(indptr[i + 1] - indptr[i])
            for word, i in vocab.items()
            if word and i + 1 < len(indptr)
        }
        return frequencies, len(self.ids)

    def query(
        self, text: str, n: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """Up to `n` (chunk id, score) pairs, best first; chunks sharing no word are left out,
        and so are those whose entry in `allowed` (one 0/1 weight per id, in order) is 0."""
        import bm25s

        if self._retriever is None or n <= 0:
            return []
        tokens = bm25s.tokenize([text], stopwords="en", show_progress=False)
        if not any(tokens.ids[0] if hasattr(tokens, "ids") else tokens[0]):
            return []
        docs, scores = self._retriever.retrieve(  # type: ignore[attr-defined]
            tokens, k=min(n, len(self.ids)), show_progress=False, weight_mask=allowed
        )
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(docs[0], scores[0], strict=True)
            if score > 0
        ]
