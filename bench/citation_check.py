"""Measure the citation check's support score on the labelled set of tests/answer/check_pairs.py
and print the separation at each threshold: `python bench/citation_check.py`."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import offline

offline.enforce()

from assistant.answer.check import SUPPORT_THRESHOLD, check_sentences  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from tests.answer.check_pairs import labelled_pairs  # noqa: E402


def main() -> None:
    embedder = Embedder.packaged()
    pairs = labelled_pairs()
    scores = []
    for pair in pairs:
        (check,) = check_sentences([pair.answer + " [1]"], [pair.source], embedder.embed)
        # the decision: all numbers and names found, then the cosine threshold
        gated = check.similarity if not check.missing else 0.0
        scores.append((gated, check.similarity, pair))
    by_kind: dict[str, list[float]] = defaultdict(list)
    for score, _, pair in scores:
        by_kind[pair.kind].append(score)
    positives = sum(p.supported for p in pairs)
    print(f"{len(pairs)} pairs: {positives} supported, {len(pairs) - positives} not")
    print("| kind | n | min | mean | max |")
    print("|---|---|---|---|---|")
    for kind, values in by_kind.items():
        mean = sum(values) / len(values)
        print(f"| {kind} | {len(values)} | {min(values):.3f} | {mean:.3f} | {max(values):.3f} |")
    print("\n| threshold | supported kept | wrong claims dropped | accuracy |")
    print("|---|---|---|---|")
    for step in range(30, 86, 5):
        t = step / 100
        kept = sum(s >= t for s, _, p in scores if p.supported)
        dropped = sum(s < t for s, _, p in scores if not p.supported)
        mark = " (chosen)" if abs(t - SUPPORT_THRESHOLD) < 1e-9 else ""
        print(
            f"| {t:.2f}{mark} | {kept}/{positives} | {dropped}/{len(pairs) - positives} | "
            f"{(kept + dropped) / len(pairs):.3f} |"
        )
    print("\nraw cosine (before the number/name gate):")
    raw: dict[str, list[float]] = defaultdict(list)
    for _, sim, pair in scores:
        raw[pair.kind].append(sim)
    for kind, values in raw.items():
        print(f"  {kind}: min {min(values):.3f}, max {max(values):.3f}")
    cos_only = [(sim, p) for _, sim, p in scores]
    best = max(
        (sum((s >= t / 100) == p.supported for s, p in cos_only) / len(pairs), t / 100)
        for t in range(30, 96)
    )
    print(f"\ncosine alone, best threshold {best[1]:.2f}: accuracy {best[0]:.3f}")


if __name__ == "__main__":
    main()
