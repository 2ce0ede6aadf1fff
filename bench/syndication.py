"""How well MinHash separates syndicated copies from distinct stories, and the threshold.

    .venv/bin/python bench/syndication.py [--corpus-root ../shared/corpora]

Copies: five syndication-style edits of every bundled and RealTimeQA article, plus the
bundled wire pair (b01/b02). Distinct: every other pair of those articles.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from assistant.evaluate.copies import PairScore, copy_scores, distinct_scores
from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.index.syndication import COPY_THRESHOLD, jaccard, signature, similarities
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.sources import expand_sources, load_source

ROOT = Path(__file__).resolve().parent.parent
WIRE_PAIR = ("b01-alaska-hawaiian-deal.md", "b02-alaska-hawaiian-deal-wire.md")


def bundled() -> dict[str, str]:
    texts = {}
    for path in expand_sources([ROOT / "data" / "articles"]):
        for article in load_source(path, LoadOptions(max_mb=20)):  # type: ignore[arg-type]
            texts[path.name] = article.text  # type: ignore[union-attr]
    return texts


def line(label: str, scores: list[PairScore]) -> str:
    exact = [s.exact for s in scores]
    estimate = [s.estimate for s in scores]
    return (
        f"| {label} | {len(scores)} | {min(exact):.3f} | {statistics.median(exact):.3f} | "
        f"{max(exact):.3f} | {min(estimate):.3f} | {max(estimate):.3f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-root", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    texts = bundled()
    wire = [texts[name] for name in WIRE_PAIR]
    others = [t for name, t in texts.items() if name != WIRE_PAIR[1]]
    if (args.corpus_root / "realtimeqa").exists():
        others += [a.text for a in load_realtimeqa(args.corpus_root, "all").articles]
    started = time.perf_counter()
    copies = copy_scores(others)
    distinct = distinct_scores(others)
    seconds = time.perf_counter() - started
    wire_estimate = float(similarities(signature(wire[1]), signature(wire[0])[None, :])[0])
    by_label: dict[str, list[PairScore]] = defaultdict(list)
    for score in copies:
        by_label[score.label].append(score)
    by_label["bundled wire pair"] = [PairScore("wire", jaccard(*wire), wire_estimate)]
    print(f"{len(others)} articles, {len(copies)} copy pairs, {len(distinct)} distinct pairs")
    print("| pairs | n | exact min | exact median | exact max | estimate min | estimate max |")
    print("|---|---|---|---|---|---|---|")
    for label, scores in by_label.items():
        print(line(f"copy: {label}", scores))
    print(line("distinct stories", distinct))
    lowest_copy = min(s.estimate for scores in by_label.values() for s in scores)
    highest_distinct = max(s.estimate for s in distinct)
    missed = sum(s.estimate < COPY_THRESHOLD for scores in by_label.values() for s in scores)
    merged = sum(s.estimate >= COPY_THRESHOLD for s in distinct)
    print(
        f"threshold {COPY_THRESHOLD}: lowest copy {lowest_copy:.3f}, highest distinct "
        f"{highest_distinct:.3f}; copies missed {missed}, distinct merged {merged}; "
        f"{seconds:.1f} s for signatures and comparisons"
    )
    return 0 if missed == merged == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
