"""Prompt templates read from prompts/*.md (users edit them), and filled into chat messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError
from assistant.text import quoted

NO_ANSWER = "The sources do not answer this question."
REQUIRED = {
    "answer": ("question", "sources", "no_answer"),
    "condense": ("question", "history"),
}
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)


def default_prompts_dir() -> Path:
    """prompts/ beside the package (the repository checkout), else ./prompts."""
    beside = Path(__file__).resolve().parents[2] / "prompts"
    return beside if beside.is_dir() else Path("prompts")


@dataclass(frozen=True)
class Prompt:
    """One template: a system part and a user part with {placeholders}."""

    name: str
    system: str
    user: str

    def messages(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with the placeholders filled; values are inserted verbatim (braces
        in article text stay as they are, since only the template is scanned)."""
        return [
            {"role": "system", "content": fill(self.system, values)},
            {"role": "user", "content": fill(self.user, values)},
        ]


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template).strip()


def parse_prompt(name: str, text: str, source: str = "") -> Prompt:
    """A template from its text: `[system]` and `[user]` parts, required placeholders."""
    parts: dict[str, str] = {}
    matches = list(_SECTION.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts[match.group(1)] = text[match.end() : end].strip()
    where = source or name
    if "user" not in parts:
        raise ConfigError(f"prompt {where}: no [user] part")
    for placeholder in REQUIRED.get(name, ()):
        if "{" + placeholder + "}" not in text:
            raise ConfigError(f"prompt {where}: missing placeholder {{{placeholder}}}")
    return Prompt(name, parts.get("system", ""), parts["user"])


def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    path = (folder or default_prompts_dir()) / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt file {path}: {exc.strerror or exc}") from None
    return parse_prompt(name, text, str(path))


def numbered_sources(sentences: Sequence[str], labels: Sequence[str] = ()) -> str:
    """`[n] sentence (label)` lines; square brackets in article text become round ones so
    that an article cannot plant citation markers."""
    lines = []
    for i, sentence in enumerate(sentences, start=1):
        text = " ".join(quoted(sentence).split())
        label = f" ({labels[i - 1]})" if i - 1 < len(labels) and labels[i - 1] else ""
        lines.append(f"[{i}] {text}{label}")
    return "\n".join(lines)
