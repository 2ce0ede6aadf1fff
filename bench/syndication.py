"""How well MinHash separates syndicated copies from distinct stories, and the threshold.

    .venv/bin/python bench/syndication.py [--corpus-root ../shared/corpora]

Copies: five syndication-style edits of every bundled and RealTimeQA article, plus the
bundled wire pair (b01/b02). Distinct: every other pair of those articles. Then the LSH
candidate lookup over all of them (originals and copies): candidates per article, and any
copy pair the band keys fail to propose.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from assistant.evaluate.copies import (
    PairScore,
    copy_scores,
    distinct_scores,
    lsh_candidates,
    syndicated_variants,
)
from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.index.syndication import (
    BANDS,
    COPY_THRESHOLD,
    ROWS,
    candidate_probability,
    jaccard,
    signature,
    similarities,
)
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
    lsh_missed = lsh_report(others, wire)
    return 0 if missed == merged == lsh_missed == 0 else 1


def lsh_report(originals: list[str], wire: list[str]) -> int:
    """Candidates the band keys propose among the originals and all their copies; returns
    the number of copy pairs (an original and one of its copies) not proposed."""
    started = time.perf_counter()
    texts, story = [], []
    for n, text in enumerate(originals):
        for version in [text, *syndicated_variants(text).values()]:
            texts.append(version)
            story.append(n)
    texts.append(wire[1])
    story.append(story[texts.index(wire[0])])
    rows = [signature(t) for t in texts]
    found = lsh_candidates(rows)
    first = {}
    for n, s in enumerate(story):
        first.setdefault(s, n)
    copy_pairs = [(first[s], n) for n, s in enumerate(story) if first[s] != n]
    not_proposed = [(a, b) for a, b in copy_pairs if b not in found[a]]
    per_article = [len(c) for c in found]
    other_story = [sum(story[m] != story[n] for m in c) for n, c in enumerate(found)]
    is_original = [first[s] == n for n, s in enumerate(story)]
    of_originals = [k for k, o in zip(other_story, is_original, strict=True) if o]
    of_copies = [k for k, o in zip(other_story, is_original, strict=True) if not o]
    other_matched = sum(
        float(similarities(rows[n], rows[m][None, :])[0]) >= COPY_THRESHOLD
        for n, c in enumerate(found)
        for m in c
        if story[m] != story[n]
    )
    print(
        f"LSH, {BANDS} bands of {ROWS} slots, over {len(texts)} articles (originals and "
        f"copies): candidates per article mean {statistics.mean(per_article):.2f}, max "
        f"{max(per_article)}; of another story: for an original mean "
        f"{statistics.mean(of_originals):.2f}, max {max(of_originals)}, for a copy (the "
        f"copies share the added paragraph and line) mean {statistics.mean(of_copies):.2f}, "
        f"max {max(of_copies)}; of another story reaching the threshold {other_matched}; "
        f"copy pairs not proposed {len(not_proposed)} of {len(copy_pairs)}; "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        "probability a pair is not proposed: "
        + ", ".join(f"J={j} {1 - candidate_probability(j):.1e}" for j in (0.3, 0.39, 0.5))
    )
    return len(not_proposed)


if __name__ == "__main__":
    sys.exit(main())
