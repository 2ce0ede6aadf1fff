"""Measuring copy detection: syndication-style edits of real articles (should match) against
pairs of distinct articles (should not). Used by bench/syndication.py and its test."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.index.syndication import band_keys, jaccard, signature, similarities

if TYPE_CHECKING:
    import numpy as np

LOCAL_ANGLE = (
    "Readers in the region can expect further coverage as local officials respond. "
    "Our newsroom has asked the companies and agencies involved for comment and will "
    "update this report when they reply. Background on earlier developments is available "
    "in our archive, along with an explainer on what the decision means for households."
)
HOUSE_STYLE = (
    (r"\bpercent\b", "per cent"),
    (r"\bU\.S\.", "US"),
    (r"\bsaid on\b", "said"),
    (r"\bthe United States\b", "America"),
    (r"\babout\b", "around"),
)


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _trim(paragraphs: list[str], share: float) -> list[str]:
    keep = max(1, round(len(paragraphs) * (1 - share)))
    return paragraphs[:keep]


def _house_style(text: str) -> str:
    for pattern, replacement in HOUSE_STYLE:
        text = re.sub(pattern, replacement, text)
    return text


def syndicated_variants(text: str) -> dict[str, str]:
    """Copies of a story as other outlets run it: with a carried-in-full line, trimmed by a
    quarter, rewritten to house style, with a local paragraph added, and all at once."""
    paragraphs = _paragraphs(text)
    carried = "This report from a news agency is carried in full."
    return {
        "carried in full": "\n\n".join([carried, *paragraphs]),
        "trimmed 25%": "\n\n".join(_trim(paragraphs, 0.25)),
        "house style": _house_style("\n\n".join(paragraphs)),
        "local paragraph": "\n\n".join([*_trim(paragraphs, 0.15), LOCAL_ANGLE]),
        "all edits": _house_style("\n\n".join([carried, *_trim(paragraphs, 0.25), LOCAL_ANGLE])),
    }


@dataclass(frozen=True)
class PairScore:
    label: str
    exact: float
    estimate: float


def copy_scores(texts: Sequence[str]) -> list[PairScore]:
    """Each text against each of its syndicated variants."""
    scores = []
    for text in texts:
        base = signature(text)
        for label, variant in syndicated_variants(text).items():
            estimate = float(similarities(signature(variant), base[None, :])[0])
            scores.append(PairScore(label, jaccard(text, variant), estimate))
    return scores


def distinct_scores(texts: Sequence[str]) -> list[PairScore]:
    """Every pair of distinct texts (exact Jaccard only for pairs whose estimate is > 0)."""
    import numpy as np

    signatures = np.stack([signature(t) for t in texts])
    scores = []
    for i, j in itertools.combinations(range(len(texts)), 2):
        estimate = float(similarities(signatures[i], signatures[j][None, :])[0])
        exact = jaccard(texts[i], texts[j]) if estimate > 0 else 0.0
        scores.append(PairScore("distinct", exact, estimate))
    return scores


def lsh_candidates(rows: Sequence[np.ndarray]) -> list[set[int]]:
    """For each signature, the others sharing at least one band key with it (what the
    catalog's band table proposes for confirmation)."""
    by_key: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        for key in band_keys(row):
            by_key.setdefault(key, []).append(n)
    found: list[set[int]] = [set() for _ in rows]
    for members in by_key.values():
        for n in members:
            found[n].update(members)
    for n, others in enumerate(found):
        others.discard(n)
    return found
