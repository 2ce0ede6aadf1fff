"""The learned answer combiner: sentence features -> the probability that a sentence holds
the answer.

A conditional logit trained by `bench/train_combiner.py` (weights in combiner.json, beside
this file) to put an answering sentence first among one question's candidates, and a
logistic calibration of its score that makes it a probability. The best sentence's
probability is the answerability score the refusal reads, against a threshold chosen on the
training questions.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError

WEIGHTS_FILE = Path(__file__).with_name("combiner.json")
# where a sentence stands (its passage's rank, its place in the article), not how well it
# answers: left out when an update is weighed against an older answer
PLACE_FEATURES = ("rank", "position")


@dataclass(frozen=True)
class Combiner:
    weights: dict[str, float]
    scale: float
    bias: float
    threshold: float  # below this probability the best sentence does not answer: refuse

    def probability(self, features: dict[str, float], leave_out: tuple[str, ...] = ()) -> float:
        score = sum(
            w * features.get(name, 0.0) for name, w in self.weights.items() if name not in leave_out
        )
        z = self.scale * score + self.bias
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def merit(self, features: dict[str, float]) -> float:
        """How well a sentence itself answers, whatever its place."""
        return self.probability(features, PLACE_FEATURES)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Combiner:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                weights={str(k): float(v) for k, v in data["weights"].items()},
                scale=float(data["calibration"]["scale"]),
                bias=float(data["calibration"]["bias"]),
                threshold=float(data["threshold"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise ConfigError(f"{path}: not a combiner weights file ({err})") from err


_default: Combiner | None = None


def default_combiner() -> Combiner:
    global _default
    if _default is None:
        _default = Combiner.load()
    return _default
