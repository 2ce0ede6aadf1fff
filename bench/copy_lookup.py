"""Copy lookup per new article: the old scan of every stored signature against the band-key
lookup (LSH) in the catalog, on stores of synthetic signatures, in one run.

    .venv/bin/python bench/copy_lookup.py [--sizes 10000 100000] [--probes 200]

Stored articles recycle the bundled and RealTimeQA texts; each gets the signature of its
text with most slots replaced at random, so stored articles are distinct stories that still
share a few band keys with others from the same text (like stories sharing a phrase). New
articles: half copies of a stored one (a quarter of its slots replaced), half new stories.
Old: load every signature into a matrix at the start of an ingest (what `_signature_table`
did), then compare each new article with all of them. LSH: one indexed query for the
stored articles sharing a band key, then confirm those on their signatures.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.index.catalog import Catalog, IndexedArticle
from assistant.index.syndication import (
    SLOTS,
    WEEK_SECONDS,
    SignatureTable,
    band_keys,
    copy_week,
    original_among,
    signature,
)
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.sources import expand_sources, load_source
from assistant.types import Article

ROOT = Path(__file__).resolve().parent.parent
KEPT_FROM_TEXT = 0.15  # share of a stored article's slots kept from its recycled text
KEPT_BY_COPY = 0.75  # share of a stored article's slots a new copy keeps (J about 0.75)
Probe = tuple[str, np.ndarray, "str | None"]  # new article id, signature, the original it copies
WHEN = datetime(2024, 1, 1, tzinfo=UTC)  # when every stored and new article was ingested
WEEK = int(WHEN.timestamp()) // WEEK_SECONDS  # so all are of one week


def real_texts(corpus_root: Path) -> list[str]:
    texts = []
    for path in expand_sources([ROOT / "data" / "articles"]):
        texts += [a.text for a in load_source(path, LoadOptions(max_mb=20))]  # type: ignore[arg-type, union-attr]
    if (corpus_root / "realtimeqa").exists():
        texts += [a.text for a in load_realtimeqa(corpus_root, "all").articles]
    return texts


def perturbed(row: np.ndarray, keep: float, rng: np.random.Generator) -> np.ndarray:
    replace = rng.random(SLOTS) >= keep
    out = row.copy()
    out[replace] = rng.integers(0, 2**32, size=int(replace.sum()), dtype=np.uint32)
    return out


def fill(
    catalog: Catalog,
    start: int,
    stop: int,
    texts: list[str],
    bases: list[np.ndarray],
    rng: np.random.Generator,
) -> None:
    for low in range(start, stop, 2000):
        batch = []
        for n in range(low, min(stop, low + 2000)):
            base = n % len(texts)
            article = Article(
                id=f"synthetic{n:07d}", title=f"Story {n}", text=texts[base], ingested_at=WHEN
            )
            row = perturbed(bases[base], KEPT_FROM_TEXT, rng)
            batch.append(IndexedArticle(article, (), (), signature=row))
        catalog.commit(batch)


def old_table(catalog: Catalog) -> SignatureTable:
    rows = [(a.id, copy_week(a), blob) for a, blob in catalog.copy_sources()]
    return SignatureTable(
        [r[0] for r in rows],
        [np.frombuffer(r[2], dtype=np.uint32) for r in rows],
        [r[1] for r in rows],
    )


def old_lookups(catalog: Catalog, probes: list[Probe]) -> tuple[float, list[float], list]:
    """The old way: every signature loaded, then each new article against all of them."""
    started = time.perf_counter()
    table = old_table(catalog)
    load_seconds = time.perf_counter() - started
    seconds, found = [], []
    for article_id, row, _ in probes:
        started = time.perf_counter()
        found.append(table.original_of(article_id, row, WEEK))
        seconds.append(time.perf_counter() - started)
    return load_seconds, seconds, found


def lsh_lookups(catalog: Catalog, probes: list[Probe]) -> tuple[list[float], list, list[int]]:
    """The band-key lookup, as an ingest does it for an article (nothing pending)."""
    seconds, found, candidates = [], [], []
    empty = SignatureTable([], [], [])
    for article_id, row, _ in probes:
        started = time.perf_counter()
        stored = catalog.copy_candidates(band_keys(row), WEEK)
        found.append(original_among(article_id, row, WEEK, stored, empty))
        seconds.append(time.perf_counter() - started)
        candidates.append(len(stored))
    return seconds, found, candidates


def peak_mb(run: Callable[[], object]) -> float:
    """Peak Python memory (numpy included) allocated while `run` runs and what it keeps."""
    tracemalloc.start()
    kept = run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del kept
    return peak / 1e6


def measure(catalog: Catalog, probes: list[Probe]) -> dict:
    load_seconds, old_seconds, old_found = old_lookups(catalog, probes)
    lsh_seconds, lsh_found, candidates = lsh_lookups(catalog, probes)
    expected = [p[2] for p in probes]
    return {
        "load_s": load_seconds,
        "old_peak_mb": peak_mb(lambda: old_lookups(catalog, probes[:20])),
        "old_ms": 1000 * statistics.mean(old_seconds),
        "lsh_ms": 1000 * statistics.mean(lsh_seconds),
        "lsh_p95_ms": 1000 * sorted(lsh_seconds)[int(0.95 * len(lsh_seconds))],
        "lsh_peak_mb": peak_mb(lambda: lsh_lookups(catalog, probes[:20])),
        "candidates_mean": statistics.mean(candidates),
        "candidates_max": max(candidates),
        "old_right": sum(
            (f[0] if f else None) == e for f, e in zip(old_found, expected, strict=True)
        ),
        "lsh_right": sum(
            (f[0] if f else None) == e for f, e in zip(lsh_found, expected, strict=True)
        ),
        "same": sum(a == b for a, b in zip(old_found, lsh_found, strict=True)),
    }


def band_write_ms(db: sqlite3.Connection, probes: list[Probe]) -> float:
    """Milliseconds an article to compute and insert its band keys into the store (the
    extra work of a commit; rolled back)."""
    started = time.perf_counter()
    db.execute("BEGIN")
    for number, (_, row, _) in enumerate(probes, start=10**9):
        db.executemany(
            "INSERT INTO copy_keys VALUES (?, ?, ?)", [(WEEK, k, number) for k in band_keys(row)]
        )
    seconds = time.perf_counter() - started
    db.execute("ROLLBACK")
    return 1000 * seconds / len(probes)


def upgrade(catalog: Catalog, db: sqlite3.Connection) -> float:
    """Seconds to fill the band keys of every stored article, as the first ingest into a
    catalog made before the band table does (its signatures are there already)."""
    with db:
        db.execute("DELETE FROM copy_keys")
        db.execute("DELETE FROM meta WHERE key = 'copy_bands'")
    started = time.perf_counter()
    catalog.store_copy_bands([(a.id, copy_week(a), blob) for a, blob in catalog.copy_sources()])
    return time.perf_counter() - started


def band_table_mb(db: sqlite3.Connection) -> float | None:
    try:
        row = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'copy_keys'").fetchone()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return None
    return row[0] / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument(
        "--upgrade",
        action="store_true",
        help="also time filling the band keys of a store made before the band table",
    )
    parser.add_argument("--corpus-root", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    texts = real_texts(args.corpus_root)
    bases = [signature(t) for t in texts]
    rng = np.random.default_rng(15)
    print(f"{len(texts)} real texts recycled; {args.probes} new articles per store size")
    print(
        "| stored | old: load all | old: per article | old: peak memory | LSH: per article "
        "(p95) | LSH: candidates mean (max) | LSH: peak memory | LSH: keys written per article "
        "| band table | same answer |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        catalog = Catalog(Path(folder) / "catalog.sqlite")
        db = sqlite3.connect(catalog.path)  # the bench's own reads
        stored = 0
        for size in sorted(args.sizes):
            started, before = time.perf_counter(), stored
            fill(catalog, stored, size, texts, bases, rng)
            stored = size
            built = time.perf_counter() - started
            probes: list[Probe] = []
            for n in range(args.probes):
                if n % 2:
                    original = f"synthetic{int(rng.integers(0, size)):07d}"
                    blob = db.execute(
                        "SELECT minhash FROM copy_signatures WHERE article_id=?", (original,)
                    ).fetchone()[0]
                    row = perturbed(np.frombuffer(blob, dtype=np.uint32), KEPT_BY_COPY, rng)
                    probes.append((f"new{n}", row, original))
                else:
                    base = bases[int(rng.integers(0, len(bases)))]
                    probes.append((f"new{n}", perturbed(base, KEPT_FROM_TEXT, rng), None))
            m = measure(catalog, probes)
            bands = band_table_mb(db)
            print(
                f"| {size:,} | {m['load_s']:.2f} s | {m['old_ms']:.2f} ms "
                f"| {m['old_peak_mb']:.0f} MB | {m['lsh_ms']:.2f} ms "
                f"({m['lsh_p95_ms']:.2f}) | {m['candidates_mean']:.2f} ({m['candidates_max']}) "
                f"| {m['lsh_peak_mb']:.2f} MB | {band_write_ms(db, probes):.2f} ms | "
                f"{f'{bands:.0f} MB' if bands is not None else '?'} "
                f"| {m['same']}/{len(probes)} |"
            )
            print(
                f"  {size:,}: stored in {built:.0f} s ({1000 * built / (size - before):.1f} ms "
                f"an article with its band keys); found the right original (or none): "
                f"old {m['old_right']}/{len(probes)}, LSH {m['lsh_right']}/{len(probes)}; "
                f"per article old/LSH {m['old_ms'] / m['lsh_ms']:.1f}x, first article of an "
                f"ingest old/LSH {(1000 * m['load_s'] + m['old_ms']) / m['lsh_ms']:.0f}x"
            )
            failures += len(probes) - m["same"]
            if args.upgrade:
                seconds = upgrade(catalog, db)
                print(f"  {size:,}: band keys of an older catalog filled in {seconds:.1f} s")
        db.close()
        catalog.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
