"""manifest.json: what an index was built with (model, chunking) and what it holds."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import IndexMismatchError, IndexStateError

SCHEMA_VERSION = 2  # 2: sentence vectors in the catalog
MANIFEST_FILE = "manifest.json"


@dataclass
class Manifest:
    model: str
    dimensions: int
    chunking: dict[str, Any]
    collection: str
    chroma_url: str | None = None
    articles: int = 0
    chunks: int = 0
    generation: int = 0
    schema_version: int = SCHEMA_VERSION
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    updated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        path = folder / MANIFEST_FILE
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
            return cls(**known)
        except (ValueError, TypeError) as exc:
            raise IndexStateError(
                f"{path} is unreadable ({exc}); delete the index folder"
            ) from None

    def write(self, folder: Path) -> None:
        """Atomic: a reader sees the old manifest or the new one, never half of one."""
        self.updated_at = datetime.now(UTC).isoformat()
        path = folder / MANIFEST_FILE
        tmp = path.with_name(f".{MANIFEST_FILE}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def check_compatible(self, folder: Path, model: str, dimensions: int, chunking: dict) -> None:
        """Refuse to mix vectors or chunks made differently from what the index holds."""
        if self.schema_version != SCHEMA_VERSION:
            raise IndexMismatchError(
                f"index {folder} has schema version {self.schema_version}, this newsqa reads "
                f"version {SCHEMA_VERSION}; rebuild it into a new index"
            )
        if self.model != model or self.dimensions != dimensions:
            raise IndexMismatchError(
                f"index {folder} was built with model {self.model} ({self.dimensions} dims), "
                f"but the current model is {model} ({dimensions} dims); "
                "use another --index or rebuild this one"
            )
        if self.chunking != chunking:
            raise IndexMismatchError(
                f"index {folder} was built with chunking {self.chunking}, but the current "
                f"settings give {chunking}; use another --index or rebuild this one"
            )
