"""BM25 over the same chunks as the vectors (bm25s), saved atomically beside them. Chunks
and questions are cut into tokens by `assistant.text.tokens`, the function the rarity
weights read too; the index records which tokenizer made it, so one made with other tokens
is known and rebuilt (index/build.py)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.text import TOKENIZER, tokens

if TYPE_CHECKING:
    import numpy as np

STATE_FILE = "newsqa-bm25.json"


class ChunkBM25:
    """A keyword index over chunk texts; `generation` ties it to the catalog it was built from,
    `tokenizer` names the tokens it counts (TOKENIZER when built by this newsqa)."""

    def __init__(
        self,
        ids: list[str],
        retriever: object | None,
        generation: int,
        tokenizer: str = TOKENIZER,
    ) -> None:
        self.ids = ids
        self._retriever = retriever
        self.generation = generation
        self.tokenizer = tokenizer

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], generation: int) -> ChunkBM25:
        import bm25s

        if not ids:
            return cls([], None, generation)
        retriever = bm25s.BM25()
        retriever.index([tokens(text) for text in texts], show_progress=False)
        return cls(list(ids), retriever, generation)

    def save(self, folder: Path) -> None:
        """Write to a temporary folder, then swap it in, so a crash never leaves half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self._retriever is not None:
            self._retriever.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
        state = {"ids": self.ids, "generation": self.generation, "tokenizer": self.tokenizer}
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
        # indexes saved before the tokenizer was recorded used bm25s's own tokens
        tokenizer = str(state.get("tokenizer", "bm25s-default"))
        return cls(list(state["ids"]), retriever, int(state["generation"]), tokenizer)

    def term_weights(self) -> tuple[dict[str, int], int]:
        """Document frequency of every indexed token (`assistant.text.tokens`), and the
        number of chunks."""
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
        if self._retriever is None or n <= 0:
            return []
        vocabulary = self._retriever.vocab_dict  # type: ignore[attr-defined]
        known = [token for token in tokens(text) if token and token in vocabulary]
        if not known:
            return []
        docs, scores = self._retriever.retrieve(  # type: ignore[attr-defined]
            [known], k=min(n, len(self.ids)), show_progress=False, weight_mask=allowed
        )
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(docs[0], scores[0], strict=True)
            if score > 0
        ]
