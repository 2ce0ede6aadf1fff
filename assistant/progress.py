"""Progress on long work for a terminal (a redrawn bar) or a log file (a plain line every few
seconds: a bar redrawn into a file would fill it with thousands of lines)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO

LOG_EVERY_S = 5.0


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def every(seconds: float = LOG_EVERY_S) -> Callable[[bool], bool]:
    """A gate that opens at most once per `seconds`, and always for the last call."""
    last = [float("-inf")]

    def due(final: bool = False) -> bool:
        now = time.monotonic()
        if final or now - last[0] >= seconds:
            last[0] = now
            return True
        return False

    return due


def log_line(text: str, stream: IO[str] | None = None) -> None:
    print(text, file=stream or sys.stderr, flush=True)
