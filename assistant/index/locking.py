"""Who may write an index folder: one process at a time, holding an flock on `.lock`; and the
marker a write leaves while it runs, so that one cut short is seen (and repaired) later."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from assistant.errors import IndexBusyError

LOCK_FILE = ".lock"
DIRTY_MARKER = ".write-in-progress"


def lock_file(folder: Path) -> IO[str]:
    """A new handle on the folder's lock file, holding the lock until it is closed; raises
    BlockingIOError while another handle (of any process) holds it, OSError when the file
    cannot be opened."""
    handle = open(folder / LOCK_FILE, "a+")  # noqa: SIM115 - the caller closes it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise
    return handle


class WriteLock:
    """This process's hold on an index folder's write lock. Acquiring it again while held
    does nothing: opening an index takes it to see whether another process writes, then
    repairs under it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock, or raise IndexBusyError while another process writes."""
        if self._handle is not None:
            return
        try:
            self._handle = lock_file(self.folder)
        except BlockingIOError:
            raise IndexBusyError(
                f"index {self.folder} is being written by another newsqa process; "
                "wait for it to finish"
            ) from None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class WriteMarker:
    """A file that is there while a write runs. Found by a process that could take the lock,
    it means a write was cut short between the vector store and the catalog."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DIRTY_MARKER

    def present(self) -> bool:
        return self.path.exists()

    def set(self) -> None:
        self.path.write_text(str(os.getpid()))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
