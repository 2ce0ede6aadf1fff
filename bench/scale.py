"""Scale: what a write, a question, a server's memory and the disk cost at 10k, 100k and 1M
chunks.

    .venv/bin/python bench/scale.py --sizes 10000,100000,1000000 [--keep DIR]
    .venv/bin/python bench/scale.py --sizes 10000,100000,1000000 --measure DIR

One index grows through the sizes (so 1M is built once; a copy is kept at each size, and
`--measure` measures kept copies again without building, on a quiet machine), from recycled
real sentences of the RealTimeQA 2023 corpus (../shared/corpora/realtimeqa-2023q1) with
synthetic unit vectors: the embedding model is not the subject here, and embedding 1M
chunks would take 14 hours on 2 cores. The vectors come from a hash of each text, so every
run builds the same index. At each size it measures, through newsqa's own code paths:
- the time to add 100 new articles to a copy of the index of that size, open and with its
  vectors loaded (`NewsIndex.ingest_articles`, keyword index included; the median of 5 adds,
  since a tantivy merge or a Chroma flush can land in any one), after timing the first vector
  query (which loads Chroma's graph);
- question latency p50/p95 of `Assistant.ask` (retrieve + answer) over 50 corpus questions,
  asked now and asked as of the middle of the index's dates (searches filtered by date);
- the peak resident memory of a fresh process that opens the index and answers 20
  questions (what one of `newsqa serve`'s reader processes holds);
- the index's size on disk.
Ratios are against the smallest size, measured in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluate.realtimeqa2023 import ARTICLES, QUESTIONS  # noqa: E402
from assistant.ingest.loaded import Loaded  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
DIMENSIONS = 384
SENTENCES_PER_ARTICLE = 12  # about 280 words: two chunks of at most 200 words
ADDED = 100  # articles added at each size
ADD_ROUNDS = 9  # adds timed at each size (the median is reported, and the mean)
QUESTIONS_ASKED = 50
MEMORY_QUESTIONS = 20
OUTLETS = [f"Outlet {n:02d}" for n in range(50)]
START = datetime(2025, 1, 1, tzinfo=UTC)


class SyntheticEmbedder:
    """Unit vectors drawn from a hash of each text, with newsqa's embedder interface.

    Token counts are words x 1.3 (the model's word pieces per word on news text), so chunks
    are cut as the real model's would be."""

    name = "synthetic-unit-vectors"
    dimensions = DIMENSIONS
    max_tokens = 256
    batch_size = 64

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[list[tuple[np.ndarray, int]]]]:
        pooled = [
            [(self._vector(text[a:b]), max(1, len(text[a:b].split()))) for a, b in text_spans]
            for text, text_spans in zip(texts, spans, strict=True)
        ]
        return self.embed(texts), pooled

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [int(len(t.split()) * 1.3) + 1 for t in texts]

    def count_tokens_as_embedded(self, text: str) -> int:
        return self.count_tokens([text])[0] + 2


def sentence_pool(root: Path) -> list[str]:
    """Every sentence of the corpus's articles (a plain split: only recycled as text)."""
    pool = []
    with (root / ARTICLES).open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            pool += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
    return pool


def corpus_questions(root: Path) -> list[str]:
    with (root / QUESTIONS).open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line in handle]


def articles(pool: Sequence[str], first: int, count: int) -> Iterator[Loaded]:
    """Synthetic articles `first`..`first + count - 1`, as ingest results."""
    from assistant.types import Article

    for number in range(first, first + count):
        rng = random.Random(number)
        sentences = rng.sample(pool, SENTENCES_PER_ARTICLE)
        title = " ".join(rng.choice(pool).split()[:9])
        when = START + timedelta(minutes=number % (365 * 24 * 60))
        article = Article.create(
            title=f"{title} ({number})",
            text=" ".join(sentences),
            outlet=OUTLETS[number % len(OUTLETS)],
            url=f"https://news{number % len(OUTLETS)}.example/{number}",
            published=when,
            source=f"synthetic:{number}",
        )
        yield Loaded(number - first + 1, count, article)


def grow(index: Any, pool: Sequence[str], first: int, count: int) -> float:
    started = time.perf_counter()
    report = index.ingest_articles(articles(pool, first, count))
    if report.failed:
        raise RuntimeError(f"{len(report.failed)} synthetic articles failed: {report.failed[0]}")
    return time.perf_counter() - started


def question_latency(folder: Path, settings: Any, questions: Sequence[str]) -> dict[str, float]:
    """p50/p95 of `Assistant.ask` over the questions asked now, and over the same questions
    asked as of the middle of the index's dates (the vector and keyword searches then
    filter by date)."""
    from assistant.pipeline import Assistant

    assistant = Assistant.from_index(str(folder), settings=settings, embedder=SyntheticEmbedder())
    low, high = assistant.search.index.catalog.date_range()
    middle = low + (high - low) / 2 if low and high else None
    assistant.ask(questions[0])  # warm: the view and the tagger load once
    found = {}
    for name, as_of in (("now", None), ("as_of", middle)):
        times = []
        for question in questions[:QUESTIONS_ASKED]:
            started = time.perf_counter()
            assistant.ask(question, as_of=as_of)
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        found[f"{name}_p50_ms"] = statistics.median(times)
        found[f"{name}_p95_ms"] = times[int(0.95 * (len(times) - 1))]
    assistant.close()
    return found


def reader_memory_mb(folder: Path, questions: Sequence[str]) -> float:
    """Peak RSS of a fresh process that opens the index and answers some questions."""
    done = subprocess.run(
        [sys.executable, __file__, "--reader", str(folder)],
        input="\n".join(questions[:MEMORY_QUESTIONS]),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def reader_main(folder: Path) -> None:
    from assistant.pipeline import Assistant

    settings = load_settings(indexes_dir=folder.parent)
    assistant = Assistant.from_index(str(folder), settings=settings, embedder=SyntheticEmbedder())
    for question in sys.stdin.read().splitlines():
        assistant.ask(question)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def build(sizes: Sequence[int], work: Path) -> list[Path]:
    """Grow one index through `sizes` (in chunks), keeping a copy of it at each size
    (`work/size-<chunks>`), and return those copies."""
    from assistant.index.build import NewsIndex

    pool = sentence_pool(CORPORA)
    print(f"scale: {len(pool)} sentences to recycle", file=sys.stderr)
    folder = work / "growing"
    settings = build_settings(work)
    built, snapshots = 0, []
    for size in sizes:
        with NewsIndex.open(
            settings, str(folder), embedder=SyntheticEmbedder(), create=True
        ) as index:
            chunks = index.catalog.counts()[1]
            per_article = chunks / built if built else 2.0
            wanted = max(0, int((size - chunks) / per_article))
            started = time.perf_counter()
            grow(index, pool, built, wanted)
            built += wanted
            chunks = index.catalog.counts()[1]
        print(
            f"scale: built {chunks} chunks ({built} articles) "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        snapshot = work / f"size-{size}"
        shutil.rmtree(snapshot, ignore_errors=True)
        if size == sizes[-1]:
            folder.rename(snapshot)  # the last: no copy (1M chunks take ~20 GB)
        else:
            shutil.copytree(folder, snapshot)
        (snapshot / "scale.json").write_text(json.dumps({"articles": built}))
        snapshots.append(snapshot)
    shutil.rmtree(folder, ignore_errors=True)
    return snapshots


def build_settings(work: Path) -> Any:
    settings = load_settings(indexes_dir=work)
    settings.ingest.commit_every = 4096  # the build: big commits; the measured add uses it too
    return settings


def measure(snapshot: Path, work: Path, in_place: bool = False) -> dict[str, float]:
    """At one size: add 100 articles to a copy of the snapshot (or to the snapshot itself,
    `in_place`), then ask questions of it."""
    from assistant.index.build import NewsIndex

    pool, questions = sentence_pool(CORPORA), corpus_questions(CORPORA)
    built = json.loads((snapshot / "scale.json").read_text())["articles"]
    folder = snapshot
    if not in_place:
        folder = work / f"measured-{snapshot.name}-{time.time_ns()}"  # Chroma caches by path
        shutil.copytree(snapshot, folder)
    settings = build_settings(work)
    try:
        with NewsIndex.open(settings, str(folder), embedder=SyntheticEmbedder()) as index:
            # a server's index is open: Chroma has its graph in memory before the write
            started = time.perf_counter()
            index.vectors.query(SyntheticEmbedder().embed(["warm up"])[0], 1)
            load_s = time.perf_counter() - started
            # a tantivy merge or a Chroma flush (every 1,000 chunks) lands in some adds: the
            # median of 9 is the usual add, the mean what adds cost over time
            adds = [grow(index, pool, built + n * ADDED, ADDED) for n in range(ADD_ROUNDS)]
            add_s = statistics.median(adds)
            chunks = index.catalog.counts()[1]
        row = {
            "chunks": chunks,
            "articles": built + ADD_ROUNDS * ADDED,
            "add_100_max_s": max(adds),
            "add_100_mean_s": statistics.mean(adds),
            "add_100_s": add_s,
            "first_query_s": load_s,
            **question_latency(folder, settings, questions),
            "reader_mb": reader_memory_mb(folder, questions),
            "disk_mb": disk_mb(folder),
        }
    finally:
        if in_place:  # the next run adds the articles after these
            (snapshot / "scale.json").write_text(
                json.dumps({"articles": built + ADD_ROUNDS * ADDED})
            )
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"scale: {row}", file=sys.stderr)
    return row


def print_table(rows: Sequence[dict[str, float]]) -> None:
    base = rows[0]
    print("| chunks | articles | add 100 articles s: median (mean) | vs smallest "
          "| question p50 / p95 ms "
          "| as of a past date p50 / p95 ms | reader peak RSS MB | disk MB "
          "| first vector query s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['chunks']:,.0f} | {row['articles']:,.0f} | {row['add_100_s']:.2f} "
            f"({row['add_100_mean_s']:.2f}) | {row['add_100_s'] / base['add_100_s']:.2f}x "
            f"({row['add_100_mean_s'] / base['add_100_mean_s']:.2f}x) "
            f"| {row['now_p50_ms']:.1f} / {row['now_p95_ms']:.1f} "
            f"| {row['as_of_p50_ms']:.1f} / {row['as_of_p95_ms']:.1f} "
            f"| {row['reader_mb']:.0f} | {row['disk_mb']:.0f} | {row['first_query_s']:.2f} |"
        )


def write_chart(rows: Sequence[dict[str, float]], path: Path) -> None:
    """The curves against index size (log scale): add-100 time, question p95, reader memory,
    each as a ratio to the smallest size, with the absolute values labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["chunks"] for row in rows]
    series = [
        ("add_100_s", "add 100 articles", "{:.2f} s"),
        ("now_p95_ms", "question p95", "{:.0f} ms"),
        ("as_of_p95_ms", "question p95, as of a past date", "{:.0f} ms"),
        ("reader_mb", "reader peak RSS", "{:.0f} MB"),
        ("disk_mb", "disk", "{:.0f} MB"),
    ]
    figure, axes = plt.subplots(figsize=(7, 4.2))
    for key, label, unit in series:
        ratios = [row[key] / rows[0][key] for row in rows]
        first = unit.format(rows[0][key])
        axes.plot(sizes, ratios, marker="o", label=f"{label} ({first} at the smallest)")
        for x, y, row in list(zip(sizes, ratios, rows, strict=True))[1:]:
            axes.annotate(unit.format(row[key]), (x, y), textcoords="offset points",
                          xytext=(4, 4), fontsize=7)  # fmt: skip
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("chunks in the index")
    axes.set_ylabel("x the smallest index")
    axes.set_title("newsqa at scale (bench/scale.py, synthetic vectors)")
    axes.legend(fontsize=8)
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: sorted(int(x) for x in s.split(",")),
        default=[10_000, 100_000, 1_000_000],
        help="index sizes in chunks, e.g. 10000,100000",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build in this folder and keep the index of each size there (size-<chunks>)",
    )
    parser.add_argument(
        "--measure",
        type=Path,
        help="measure the indexes a run with --keep left in this folder (no build)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="with --keep: build, do not measure"
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="with --measure: add the 100 articles to the kept indexes themselves (no copy)",
    )
    parser.add_argument("--chart", type=Path, help="also draw the curves into this .svg/.png")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reader", type=Path, help=argparse.SUPPRESS)  # the memory probe
    args = parser.parse_args(argv)
    if args.reader:
        reader_main(args.reader)
        return 0
    if not (CORPORA / ARTICLES).is_file():
        raise SystemExit(f"scale: {CORPORA / ARTICLES} is missing (../shared/corpora)")
    work = args.measure or args.keep or Path(tempfile.mkdtemp(prefix="newsqa-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.measure:
            snapshots = [work / f"size-{size}" for size in args.sizes]
            missing = [str(s) for s in snapshots if not (s / "scale.json").is_file()]
            if missing:
                raise SystemExit(f"scale: no index built at {', '.join(missing)} (run --keep)")
        else:
            snapshots = build(args.sizes, work)
        if args.build_only:
            return 0
        rows = [measure(snapshot, work, args.in_place) for snapshot in snapshots]
    finally:
        if not (args.keep or args.measure):
            shutil.rmtree(work, ignore_errors=True)
    if args.chart:
        write_chart(rows, args.chart)
    print(json.dumps(rows, indent=2) if args.json else "")
    if not args.json:
        print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
