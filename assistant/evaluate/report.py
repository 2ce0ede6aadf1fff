"""Evaluation reports: report.md (summary, rows per category, worst questions), report.json,
chart.png; and the difference between two report.json files."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import SourceError

MAIN_METRICS = (
    "hits@1",
    "hits@5",
    "mrr@10",
    "answer_recall",
    "first_sentence_recall",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
)
CATEGORY_COLUMNS = ("answer_recall", "first_sentence_recall", "hits@1", "refused", "questions")
Categories = Mapping[str, Mapping[str, Mapping[str, Any]]]  # variant -> category -> row


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value <= 1.0:
            return f"{value:.3f}"
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"  # sentences per answer: 2.97
    return str(value)


def worst(records: Sequence[Mapping[str, Any]], n: int = 10) -> list[Mapping[str, Any]]:
    """Answerable questions answered worst: lowest answer recall, then worst article rank."""
    answerable = [r for r in records if r["answerable"]]
    return sorted(
        answerable,
        key=lambda r: (
            r["answer_recall"] if r["answer_recall"] is not None else 1.0,
            -(r["article_rank"] or 99),
        ),
    )[:n]


def category_table(rows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """A markdown table with one row per category."""
    lines = [
        "| category | " + " | ".join(CATEGORY_COLUMNS) + " |",
        "|---|" + "---|" * len(CATEGORY_COLUMNS),
    ]
    for category, row in rows.items():
        cells = " | ".join(fmt(row.get(c)) for c in CATEGORY_COLUMNS)
        lines.append(f"| {category} | {cells} |")
    return lines


def markdown(
    title: str,
    summaries: Mapping[str, Mapping[str, Any]],
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    categories: Categories | None = None,
) -> str:
    metrics = list(next(iter(summaries.values())))
    lines = [
        f"# {title}",
        "",
        "| metric | " + " | ".join(summaries) + " |",
        "|---|" + "---|" * len(summaries),
    ]
    for metric in metrics:
        lines.append(
            f"| {metric} | " + " | ".join(fmt(s[metric]) for s in summaries.values()) + " |"
        )
    for variant, rows in (categories or {}).items():
        if rows:
            lines += ["", f"## By category ({variant})", "", *category_table(rows)]
    first = next(iter(summaries))
    lines += ["", f"## The 10 worst answered questions ({first})", ""]
    for r in worst(records[first]):
        lines.append(f"### {r['id']}: {r['question']}")
        lines.append(
            f"- gold: {', '.join(r['gold_answers']) or '-'}; article rank: "
            f"{r['article_rank'] or 'not in top 10'}; answer recall: {fmt(r['answer_recall'])}"
        )
        lines.append(f"- answer{' (refused)' if r['refused'] else ''}: {r['answer']}")
        for c in r["citations"]:
            lines.append(f"  - [{c['n']}] {c['title']} ({c['outlet'] or '?'}): {c['text']}")
        lines.append("")
    return "\n".join(lines) + "\n"


def chart(path: Path, summaries: Mapping[str, Mapping[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [m for m in MAIN_METRICS if any(s.get(m) is not None for s in summaries.values())]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / max(len(summaries), 1)
    for i, (variant, summary) in enumerate(summaries.items()):
        values = [summary.get(m) or 0.0 for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=variant)
    ax.set_xticks(
        [x + width * (len(summaries) - 1) / 2 for x in range(len(metrics))], metrics, rotation=20
    )
    ax.set_ylim(0, 1)
    ax.set_ylabel("share")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    out: Path,
    title: str,
    meta: Mapping[str, Any],
    summaries: Mapping[str, Mapping[str, Any]],
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    categories: Categories | None = None,
) -> list[Path]:
    """Write the three files into `out`; they are made in a temporary folder first, so a
    failure leaves `out` as it was. `categories` (when any question has one) adds a table
    per variant to report.md and a "categories" entry to report.json."""
    out.mkdir(parents=True, exist_ok=True)
    names = ("report.md", "report.json", "chart.png")
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        staging = Path(tmp)
        text = markdown(title, summaries, records, categories)
        (staging / "report.md").write_text(text, encoding="utf-8")
        data: dict[str, Any] = {"meta": dict(meta), "summary": summaries}
        if categories and any(categories.values()):
            data["categories"] = categories
        data["records"] = records
        (staging / "report.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
        chart(staging / "chart.png", summaries)
        for name in names:
            os.replace(staging / name, out / name)
    return [out / name for name in names]


def load_summary(path: Path) -> Mapping[str, Mapping[str, Any]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError) as exc:
        raise SourceError(str(path), f"not a newsqa report.json ({exc})") from None


def compare(a: Path, b: Path) -> str:
    """Per-metric difference B - A for every variant both reports hold."""
    first, second = load_summary(a), load_summary(b)
    lines = [f"| variant | metric | {a} | {b} | difference |", "|---|---|---|---|---|"]
    for variant in [v for v in first if v in second]:
        for metric, old in first[variant].items():
            new = second[variant].get(metric)
            diff = (
                new - old if isinstance(old, int | float) and isinstance(new, int | float) else None
            )
            sign = "" if diff is None else f"{diff:+.3f}"
            lines.append(f"| {variant} | {metric} | {fmt(old)} | {fmt(new)} | {sign or '-'} |")
    return "\n".join(lines)
