"""Train the answer combiner (assistant/answer/combiner.json) on the tuning splits only.

    python bench/train_combiner.py --rt22-index DIR --rt23-index DIR --bundled-index DIR

Training questions: RealTimeQA 2022 dev weeks (2022-06-17 .. 2022-08-26) over an index of
all 22 weeks, realtimeqa-2023q1 weeks up to 2023-02-24 over its index, and the bundled
question set over the bundled articles; each asked as of its date. Every answerable
RealTimeQA question is also asked with its gold articles left out of the passages (related
text that does not answer: what the refusal must learn). A sentence's label: it holds a gold
answer string. The RealTimeQA 2022 test weeks and the 2023 weeks from 2023-03-03 on are
never read.

The model is a conditional logit (softmax over one question's candidates, fitted with
L-BFGS) whose weights are pulled (L2) toward PRIOR, the hand-set weights it replaced (a grid
search on the RealTimeQA dev weeks and the bundled set); PRIOR_PULL was chosen among settings
with the same out-of-fold first-sentence count on the training sets (docs/evaluation.md).
A logistic calibration of its out-of-fold scores gives probabilities; the refusal threshold
is the highest one that refuses at most MAX_FALSE_REFUSALS of the answerable questions of
each training set (out of fold). The script prints out-of-fold figures for each training
set, then writes the weights. `--try-features a,b` adds candidate features (any key of the
sentence features) to compare out-of-fold figures; only FEATURES are written.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import offline  # noqa: E402

offline.enforce()

import numpy as np  # noqa: E402

from assistant.answer.combiner import WEIGHTS_FILE  # noqa: E402
from assistant.answer.cues import question_cues  # noqa: E402
from assistant.answer.extractive import (  # noqa: E402
    MIN_SUPPORT,
    article_ranks,
    highest_support,
    score_sentences,
)
from assistant.answer.features import FEATURES  # noqa: E402
from assistant.evaluate.dataset import Question, load_questions  # noqa: E402
from assistant.evaluate.metrics import answer_found  # noqa: E402
from assistant.evaluate.realtimeqa import DEV_WEEKS, load_realtimeqa  # noqa: E402
from assistant.evaluate.realtimeqa2023 import QUESTIONS, split_of  # noqa: E402
from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.pipeline import scoped_filters  # noqa: E402
from assistant.retrieve.search import HybridSearch  # noqa: E402
from assistant.retrieve.timescope import as_of_time, time_scope  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

K = 5  # passages per question, as the assistant asks
FOLDS = 5
PRIOR = {
    "similarity": 0.25,
    "terms": 0.05,
    "context": 0.10,
    "kind": 0.10,
    "rank": 0.20,
    "position": 0.30,
}
PRIOR_SCALE = 10.0  # the prior's weights in logit units
# out of fold, with the headline feature, first sentences of 232: pull 0.1: 112; 0.01: 118;
# 0.001: 123; 0: 123 (before it: 0 and 0.1 both 111, 1: 108)
PRIOR_PULL = 0.001
MAX_FALSE_REFUSALS = 0.04


def _open(path: Path, embedder: Embedder) -> HybridSearch:
    settings = load_settings(indexes_dir=path.parent)
    return HybridSearch(NewsIndex.open(settings, path.name, embedder=embedder), embedder)


def _rows(name: str, search: HybridSearch, questions: list[Question]) -> list[dict]:
    """Each question's candidates with all features and labels (and a gold-less variant)."""
    time_settings = search.index.settings.time
    rows = []
    started = time.time()
    for n, q in enumerate(questions, start=1):
        variants = [False] + ([True] if q.answerable and q.articles and name != "bundled" else [])
        for negative in variants:
            scope = time_scope(q.question, q.as_of or as_of_time(None))
            vector = search.embedder.embed([q.question])[0]
            cues = question_cues(q.question)
            filters = scoped_filters(None, scope, time_settings)
            passages = search.search(
                q.question, K + (10 if negative else 0), filters, query_vector=vector
            )
            if negative:
                gold = set(q.articles)
                passages = [
                    p
                    for p in passages
                    if p.article.id not in gold and not {c.id for c in p.copies} & gold
                ][:K]
            scored = score_sentences(q.question, cues, passages, search, vector)
            rows.append(
                {
                    "set": name,
                    "id": q.id,
                    "answerable": q.answerable and not negative,
                    "negative": negative,
                    "features": [s.features for s in scored],
                    "article_ranks": article_ranks(scored),
                    "labels": [
                        any(answer_found(g, s.sentence.text) for g in q.answers) for s in scored
                    ],
                }
            )
        if n % 25 == 0:
            print(
                f"  {name}: {n}/{len(questions)} questions ({time.time() - started:.0f} s)",
                file=sys.stderr,
            )
    return rows


def _matrix(row: dict, names: tuple[str, ...]) -> np.ndarray:
    return np.array([[f.get(n, 0.0) for n in names] for f in row["features"]]).reshape(
        -1, len(names)
    )


def fit_clogit(rows: list[dict], names: tuple[str, ...], pull: float = PRIOR_PULL) -> np.ndarray:
    import torch

    groups = [
        (torch.tensor(_matrix(r, names)), torch.tensor(r["labels"], dtype=torch.bool))
        for r in rows
        if any(r["labels"]) and not all(r["labels"])
    ]
    prior = torch.tensor([PRIOR_SCALE * PRIOR.get(n, 0.0) for n in names], dtype=torch.float64)
    w = prior.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([w], max_iter=500, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = sum(torch.logsumexp(x @ w, 0) - torch.logsumexp((x @ w)[y], 0) for x, y in groups)
        loss = loss / len(groups) + pull * ((w - prior) @ (w - prior))
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy()


def scores(row: dict, w: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    return _matrix(row, names) @ w, np.array(row["labels"], dtype=bool)


def fit_calibration(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), labels)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def out_of_fold(
    rows: list[dict], names: tuple[str, ...], pull: float = PRIOR_PULL
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each row's candidate scores from a model fitted without its question."""
    ids = sorted({r["set"] + r["id"] for r in rows})
    fold_of = {q: i % FOLDS for i, q in enumerate(np.random.RandomState(0).permutation(ids))}
    result: list = [None] * len(rows)
    for k in range(FOLDS):
        w = fit_clogit([r for r in rows if fold_of[r["set"] + r["id"]] != k], names, pull)
        for i, r in enumerate(rows):
            if fold_of[r["set"] + r["id"]] == k:
                result[i] = scores(r, w, names)
    return result


def floor_refused(row: dict) -> bool:
    """Refused by the support floor the answerer keeps beside the threshold."""
    ranks = row.get("article_ranks") or [None] * len(row["features"])
    return highest_support(row["features"], ranks) < MIN_SUPPORT


def refusal_threshold(rows: list[dict], probs: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The highest threshold that, with the support floor, refuses at most
    MAX_FALSE_REFUSALS of the answerable questions of every training set."""
    cuts = []
    for name in {r["set"] for r in rows}:
        answerable = [
            (r, p)
            for r, (p, _) in zip(rows, probs, strict=True)
            if r["set"] == name and r["answerable"]
        ]
        allowed = int(MAX_FALSE_REFUSALS * len(answerable)) - sum(
            floor_refused(r) for r, _ in answerable
        )
        best = sorted(p.max() if len(p) else 0.0 for r, p in answerable if not floor_refused(r))
        cuts.append(best[max(0, allowed)] if best else 0.0)
    return min(cuts)


def refused_at(row: dict, p: np.ndarray, threshold: float) -> bool:
    return not len(p) or p.max() < threshold or floor_refused(row)


def report(rows: list[dict], probs: list[tuple[np.ndarray, np.ndarray]], threshold: float) -> None:
    for name in sorted({r["set"] for r in rows}):
        mine = [(r, p) for r, p in zip(rows, probs, strict=True) if r["set"] == name]
        answerable = [(r, p) for r, p in mine if r["answerable"]]
        others = [(r, p) for r, p in mine if not r["answerable"]]
        first = sum(
            1
            for r, (p, y) in answerable
            if len(p) and p.max() >= threshold and y[int(np.argmax(p))]
        )
        false_ref = sum(1 for r, (p, y) in answerable if refused_at(r, p, threshold))
        refused = sum(1 for r, (p, y) in others if refused_at(r, p, threshold))
        print(
            f"{name}: first sentence answers {first}/{len(answerable)} "
            f"({first / max(1, len(answerable)):.3f}), false refusals "
            f"{false_ref / max(1, len(answerable)):.3f}, refused without gold "
            f"{refused}/{len(others)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rt22-index", type=Path, required=True)
    parser.add_argument("--rt23-index", type=Path, required=True)
    parser.add_argument("--bundled-index", type=Path, required=True)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--rows", type=Path, help="cache of the candidate rows (pickle)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--try-features", help="extra features to compare (comma-separated)")
    parser.add_argument(
        "--prior-pull", type=float, default=PRIOR_PULL, help="L2 pull toward PRIOR (compare)"
    )
    args = parser.parse_args()
    if args.rows and args.rows.exists():
        rows = pickle.loads(args.rows.read_bytes())
    else:
        embedder = Embedder.packaged()
        rt22 = [q for q in load_realtimeqa(args.corpora, "all").questions if q.id[:8] in DEV_WEEKS]
        rt23 = [q for q in load_questions(args.corpora / QUESTIONS) if split_of(q) == "dev"]
        bundled = load_questions(ROOT / "data" / "articles" / "questions.jsonl")
        rows = (
            _rows("realtimeqa-dev", _open(args.rt22_index, embedder), rt22)
            + _rows("realtimeqa-2023q1-dev", _open(args.rt23_index, embedder), rt23)
            + _rows("bundled", _open(args.bundled_index, embedder), bundled)
        )
        if args.rows:
            args.rows.write_bytes(pickle.dumps(rows))
    names = FEATURES + tuple(f for f in (args.try_features or "").split(",") if f)
    oof = out_of_fold(rows, names, args.prior_pull)
    scale, bias = fit_calibration(
        np.concatenate([s for s, _ in oof]), np.concatenate([y for _, y in oof])
    )
    probs = [(1 / (1 + np.exp(-(scale * s + bias))), y) for s, y in oof]
    threshold = refusal_threshold(rows, probs)
    print(f"features {', '.join(names)}")
    print(f"out of fold ({len(rows)} rows), threshold {threshold:.3f}:")
    report(rows, probs, threshold)
    if names != FEATURES:
        return
    w = fit_clogit(rows, FEATURES, args.prior_pull)
    final = [scores(r, w, FEATURES) for r in rows]
    scale, bias = fit_calibration(
        np.concatenate([s for s, _ in final]), np.concatenate([y for _, y in final])
    )
    weights = {
        "weights": dict(zip(FEATURES, map(float, w), strict=True)),
        "calibration": {"scale": scale, "bias": bias},
        "threshold": threshold,
        "trained": {
            "on": sorted({r["set"] for r in rows}),
            "questions": len({r["set"] + r["id"] for r in rows}),
            "rows": len(rows),
            "date": date.today().isoformat(),
            "command": "python bench/train_combiner.py --rt22-index DIR --rt23-index DIR "
            "--bundled-index DIR",
        },
    }
    args.out.write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
