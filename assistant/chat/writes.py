"""Writes of a running server (uploads, URL and feed adds, feed polls, deletes): queued as
jobs and run one at a time in the background, while questions go on being answered from
the last committed state. Each job's progress and outcome stay visible (the Library,
GET /api/jobs).

Where the jobs run is a setting (`write_worker`):
- "process" (the default): a worker process with its own model, one torch thread and a
  lower CPU priority, so an ingest never takes the cores from the questions. The server
  sees its commits as it sees any other process's.
- "thread": a thread of the server itself (no second model in memory; questions slow down
  while an ingest embeds).
"""

from __future__ import annotations

import contextlib
import html
import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.errors import IndexBusyError, NewsQAError, SourceError
from assistant.following import FeedPoll, FeedState, poll_feeds
from assistant.index.build import NewsIndex
from assistant.index.reports import IngestReport, Progress
from assistant.ingest.loaded import Loaded
from assistant.ingest.web import FetchPolicy, load_url, looks_like_url
from assistant.settings import Settings

log = logging.getLogger("newsqa")

JobKind = Literal["files", "urls", "feeds", "refresh", "delete"]
JobState = Literal["queued", "running", "done", "failed"]
KEPT_JOBS = 200  # finished jobs remembered for the Library and /api/jobs
BUSY_WAIT_S = 300.0  # how long a job waits for another process's write to end
WORKER_NICE = 10  # the worker process's CPU priority, below the server's


@dataclass
class Job:
    """One queued write and how it stands."""

    id: int
    kind: JobKind
    label: str
    state: JobState = "queued"
    done: int = 0
    total: int = 0
    summary: str = ""  # what it did, in a few lines (markdown), once finished
    result: dict[str, Any] = field(default_factory=dict)
    cleanup: str | None = None  # a folder of uploaded copies, removed when the job ends
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    @property
    def ended(self) -> bool:
        return self.state in ("done", "failed")

    def progress_line(self) -> str:
        if self.state == "queued":
            return f"{self.label}: queued"
        if self.state == "running":
            counted = f" {self.done}/{self.total}" if self.total else ""
            return f"{self.label}: working{counted}"
        return f"{self.label}: {self.state}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "added": int(self.result.get("added", 0)),
            "message": self.summary,
            "result": self.result,
            "submitted": _iso(self.submitted),
            "started": _iso(self.started),
            "finished": _iso(self.finished),
        }


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


# -- what a job does (run in the worker process or thread) ------------------------------
def ingest_summary(report: IngestReport, extra: Sequence[str] = ()) -> str:
    """An ingest's outcome in a few markdown lines, failures named one per line."""
    lines = [
        f"Added {len(report.added)}, updated {len(report.updated)}, "
        f"copies of stored stories {len(report.copies)}, "
        f"unchanged {len(report.unchanged)}, failed {len(report.failed)}.",
        *extra,
    ]
    for failure in report.failed:
        name = failure.source
        if not looks_like_url(name):
            name = Path(name).name  # an uploaded file: its temporary folder means nothing
        lines.append(f"- {html.escape(name)}: {html.escape(failure.reason)}")
    return "\n".join(lines)


def _feed_notes(polls: Sequence[FeedPoll]) -> list[str]:
    notes = [f"- Feed {html.escape(p.summary())}" for p in polls if not p.error]
    notes += [
        f"- {html.escape(n.source)}: {html.escape(n.reason)}" for p in polls for n in p.partial
    ]
    return notes


def run_job(
    index: NewsIndex, kind: JobKind, payload: Sequence[str], on_progress: Callable[[int, int], None]
) -> tuple[str, dict[str, Any]]:
    """Carry out one write on `index`: (summary, result as JSON)."""

    def progress(p: Progress) -> None:
        on_progress(p.sources_done, p.sources_total)

    policy = FetchPolicy.from_settings(index.settings)
    if kind == "files":
        report = index.ingest([Path(p) for p in payload], progress)
        return ingest_summary(report), report.as_json()
    if kind == "urls":
        results: list[Loaded] = []
        for number, url in enumerate(payload, start=1):
            try:
                results.append(Loaded(number, len(payload), load_url(url, policy)))
            except SourceError as exc:
                results.append(Loaded(number, len(payload), exc))
            on_progress(number, len(payload))
        report = index.ingest_articles(results, progress)
        return ingest_summary(report), report.as_json()
    if kind in ("feeds", "refresh"):
        urls = list(payload) if kind == "feeds" else list(FeedState.load(index.folder).feeds)
        if not urls:
            return "The index follows no feeds.", {"feeds": 0}
        # fetch first, then hold the index's write lock only while writing
        fetch_first = contextlib.nullcontext()
        polls, report = poll_feeds(index, urls, policy, progress, write_lock=fetch_first)
        result = {**report.as_json(), "feeds": [p.summary() for p in polls]}
        return ingest_summary(report, _feed_notes(polls)), result
    if kind == "delete":
        deleted, missing = index.delete(list(payload))
        lines = [f"Deleted {a}." for a in deleted]
        lines += [f"No article with id {a!r}." for a in missing]
        return "\n".join(lines), {"deleted": deleted, "missing": missing}
    raise ValueError(f"unknown job kind {kind!r}")


def run_patiently(
    index: NewsIndex,
    kind: JobKind,
    payload: Sequence[str],
    on_progress: Callable[[int, int], None],
    wait_s: float = BUSY_WAIT_S,
) -> tuple[str, dict[str, Any]]:
    """`run_job`, waiting (up to `wait_s`) while another process writes the index."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return run_job(index, kind, payload, on_progress)
        except IndexBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


# -- where jobs run ---------------------------------------------------------------------
Event = tuple[Any, ...]  # ("start", id) | ("progress", id, done, total) | ("end", id, ...)


def _work(
    run: Callable[[JobKind, Sequence[str], Callable[[int, int], None]], tuple[str, dict]],
    job_id: int,
    kind: JobKind,
    payload: Sequence[str],
    tell: Callable[[Event], None],
) -> None:
    tell(("start", job_id))
    try:
        summary, result = run(kind, payload, lambda d, t: tell(("progress", job_id, d, t)))
    except NewsQAError as exc:
        tell(("end", job_id, "failed", str(exc), {}))
    except Exception as exc:  # the worker must go on with the next job; say what broke
        log.exception("newsqa: background write %d failed", job_id)
        tell(("end", job_id, "failed", f"{type(exc).__name__}: {exc}", {}))
    else:
        tell(("end", job_id, "done", summary, result))


def end_with_parent(parent: int) -> None:
    """From now on, end this helper process when the server that started it is gone (even
    by kill -9): a write cut short is repaired from the catalog by the next one."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="newsqa-parent-watch", daemon=True).start()


def worker_main(
    settings_json: dict[str, Any], folder: str, requests: Any, events: Any, parent: int
) -> None:
    """The worker process: one torch thread, a lower priority, jobs until told to stop."""
    end_with_parent(parent)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    import torch

    torch.set_num_threads(1)
    from assistant.index.embeddings import Embedder

    settings = Settings(**settings_json)
    embedder = Embedder.packaged(settings.embedding.batch_size)
    index = NewsIndex.open(settings, folder, embedder=embedder, create=True)
    events.put(("ready",))
    while True:
        request = requests.get()
        if request is None:
            break
        job_id, kind, payload = request
        _work(
            lambda k, p, progress: run_patiently(index, k, p, progress),
            job_id,
            kind,
            payload,
            events.put,
        )
    index.close()


class _ThreadRunner:
    """Jobs in a thread of the server, on the server's own index."""

    def __init__(self, index: NewsIndex, tell: Callable[[Event], None]) -> None:
        self._index = index
        self._tell = tell
        self._queue: queue.Queue[tuple[int, JobKind, Sequence[str]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="newsqa-writes", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while (request := self._queue.get()) is not None:
            job_id, kind, payload = request
            _work(
                lambda k, p, progress: run_patiently(self._index, k, p, progress),
                job_id,
                kind,
                payload,
                self._tell,
            )

    def submit(self, job_id: int, kind: JobKind, payload: Sequence[str]) -> None:
        self._queue.put((job_id, kind, payload))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)


class _ProcessRunner:
    """Jobs in a worker process, started on the first job and kept for the next ones."""

    def __init__(self, settings: Settings, folder: Path, tell: Callable[[Event], None]) -> None:
        self._settings = settings
        self._folder = folder
        self._tell = tell
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._requests: Any = None
        self._process: Any = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        self._requests = self._context.Queue()
        events = self._context.Queue()
        self._process = self._context.Process(
            target=worker_main,
            args=(
                self._settings.model_dump(mode="json"),
                str(self._folder.resolve()),
                self._requests,
                events,
                os.getpid(),
            ),
            name="newsqa-writer",
            daemon=True,
        )
        self._process.start()
        threading.Thread(target=self._listen, args=(events,), daemon=True).start()

    def _listen(self, events: Any) -> None:
        process = self._process
        while True:
            try:
                event = events.get(timeout=1.0)
            except queue.Empty:
                if not process.is_alive():
                    self._tell(("died", process.exitcode))
                    return
                continue
            if event[0] != "ready":
                self._tell(event)

    def submit(self, job_id: int, kind: JobKind, payload: Sequence[str]) -> None:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._requests.put((job_id, kind, list(payload)))

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.is_alive():
                self._requests.put(None)
                self._process.join(timeout=30)
                if self._process.is_alive():
                    self._process.terminate()


class Writes:
    """The server's write queue: submit a job, read how it stands."""

    def __init__(self, index: NewsIndex, worker: Literal["process", "thread"]) -> None:
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._changed = threading.Condition()
        self._next = 1
        self._uploads = Path(tempfile.mkdtemp(prefix="newsqa-uploads-"))
        if worker == "process":
            self._runner: Any = _ProcessRunner(index.settings, index.folder, self._on_event)
        else:
            self._runner = _ThreadRunner(index, self._on_event)

    def _on_event(self, event: Event) -> None:
        with self._changed:
            if event[0] == "died":  # the worker is gone: its unfinished jobs failed
                for job in self._jobs.values():
                    if not job.ended:
                        self._finish(job, "failed", f"the writer process ended ({event[1]})", {})
                self._changed.notify_all()
                return
            job = self._jobs.get(event[1])
            if job is None:
                return
            if event[0] == "start":
                job.state, job.started = "running", time.time()
            elif event[0] == "progress":
                job.done, job.total = event[2], event[3]
            elif event[0] == "end":
                self._finish(job, event[2], event[3], event[4])
            self._changed.notify_all()

    def _finish(self, job: Job, state: JobState, summary: str, result: dict[str, Any]) -> None:
        job.state, job.summary, job.result, job.finished = state, summary, result, time.time()
        if job.cleanup:
            shutil.rmtree(job.cleanup, ignore_errors=True)

    def submit(
        self, kind: JobKind, payload: Sequence[str], label: str, cleanup: str | None = None
    ) -> Job:
        with self._changed:
            job = Job(self._next, kind, label, total=len(payload), cleanup=cleanup)
            self._next += 1
            self._jobs[job.id] = job
            ended = [j.id for j in self._jobs.values() if j.ended]
            for old in ended[: max(0, len(self._jobs) - KEPT_JOBS)]:
                del self._jobs[old]
        self._runner.submit(job.id, kind, payload)
        return job

    def add_files(self, paths: Sequence[Path]) -> Job:
        """Queue files for ingest; they are copied first, so the caller may delete them."""
        folder = Path(tempfile.mkdtemp(dir=self._uploads))
        copies = []
        for number, path in enumerate(paths):
            target = folder / f"{number:05d}" / Path(path).name
            target.parent.mkdir()
            try:
                shutil.copyfile(path, target)
            except OSError:
                target = Path(path)  # left for the ingest to report as unreadable
            copies.append(str(target))
        noun = "file" if len(paths) == 1 else "files"
        return self.submit("files", copies, f"upload of {len(paths)} {noun}", str(folder))

    def job(self, job_id: int) -> Job | None:
        with self._changed:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """Every remembered job, newest first."""
        with self._changed:
            return list(reversed(self._jobs.values()))

    def pending(self, kind: JobKind) -> bool:
        with self._changed:
            return any(j.kind == kind and not j.ended for j in self._jobs.values())

    def wait(self, job_id: int, timeout: float | None = None) -> Job:
        """Block until the job ends (or `timeout` seconds pass); the job as it stands."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while not self._jobs[job_id].ended:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._changed.wait(left if left is not None else 1.0)
            return self._jobs[job_id]

    def follow(self, job_id: int, every: float = 0.5) -> Any:
        """The job as it stands every `every` seconds (and on each change) until it ends."""
        while True:
            with self._changed:
                job = self._jobs[job_id]
                if not job.ended:
                    self._changed.wait(every)
                job = self._jobs[job_id]
                snapshot = Job(**{**job.__dict__, "result": dict(job.result)})
            yield snapshot
            if snapshot.ended:
                return

    def close(self) -> None:
        self._runner.close()
        shutil.rmtree(self._uploads, ignore_errors=True)
