"""Expand what the user named (files, folders) into articles, one error per bad source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from assistant.errors import SourceError
from assistant.ingest.loaders import LOADERS, LoadOptions, LoadResult, is_question_set
from assistant.ingest.web import looks_like_url


def expand_sources(names: Iterable[str | Path]) -> Iterator[Path | str | SourceError]:
    """Files to load, in a stable order: folders are walked recursively for supported
    types (hidden files and question sets skipped); a named file must be a supported type;
    a URL (anything with a scheme) is passed on as a string for the web loader."""
    for name in names:
        if isinstance(name, str) and looks_like_url(name):
            yield name
            continue
        path = Path(name).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in LOADERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for file in found:
                if file.suffix.lower() in (".json", ".jsonl") and is_question_set(file):
                    continue
                yield file
        elif not path.exists():
            yield SourceError(str(name), "no such file or directory")
        elif path.suffix.lower() not in LOADERS:
            supported = ", ".join(sorted(LOADERS))
            yield SourceError(str(name), f"unsupported file type (supported: {supported})")
        else:
            yield path


def load_source(path: Path, options: LoadOptions) -> Iterator[LoadResult]:
    """Articles (or per-record errors) from one file; a file-level failure is one error."""
    loader = LOADERS[path.suffix.lower()]
    try:
        yield from loader(path, options)
    except SourceError as exc:
        yield exc
    except (OSError, ValueError) as exc:  # a malformed file the loader did not foresee
        yield SourceError(str(path), f"cannot load: {exc}")
