# ruff: noqa: E501  (one labelled pair a line reads best)
"""A labelled set for the citation check: (answer sentence, cited source, supported?) built
from the bundled question set's evidence sentences. Supported: the sentence itself, the
sentence after a lead-in, and short paraphrases written by hand in the way a model answers.
Not supported: the sentence with a number changed, with a name replaced by a country no
source names, and the sentence cited to another question's evidence."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

QUESTIONS = Path(__file__).resolve().parents[2] / "data" / "articles" / "questions.jsonl"
FOREIGN = ["Norway", "Peru", "Vietnam", "Portugal", "Kenya", "Canada", "Chile", "Sweden"]
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_MID_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")

# (source evidence as in questions.jsonl, a short answer a model might write)
PARAPHRASES = [
    ("The six countries invited to join were Iran", "Iran was one of the six countries invited."),
    ("North Korea has sent about 1,500 special forces", "About 1,500 North Korean special forces troops were sent to Russia."),
    ("South African President Cyril Ramaphosa", "Cyril Ramaphosa announced the agreement."),
    ("Javier Milei, a libertarian economist", "Javier Milei refused the invitation after taking office on 10 December."),
    ("bringing the deposit facility rate down to 2%", "The deposit facility rate was cut to 2%."),
    ("the leftist former president received 50.9%", "Lula won 50.9% of the valid votes, Bolsonaro 49.1%."),
    ("Chandrayaan-3 was launched on 14 July 2023", "It was launched on 14 July 2023 on an LVM3 rocket."),
    ("developed countries should provide at least $300 billion", "Rich countries are to provide at least $300 billion a year by 2035."),
    ("Argentina won the World Cup for the third time", "Argentina beat France 4-2 on penalties to win the World Cup."),
    ("Gonzalo Montiel struck the decisive penalty", "The decisive penalty was scored by Gonzalo Montiel."),
    ("Alaska will pay $18 per share", "Alaska is paying $18 a share in cash."),
    ("The European Parliament approved the text on March 13", "Parliament approved it on March 13, by 523 votes to 46."),
    ("ending the strike after 148 days", "The strike lasted 148 days."),
    ("Twitter shareholders receive $54.20", "Shareholders get $54.20 in cash per share."),
]  # fmt: skip


@dataclass(frozen=True)
class Pair:
    answer: str
    source: str
    supported: bool
    kind: str


def evidence_sentences() -> list[str]:
    found = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        question = json.loads(line)
        if question["answerable"] and question["evidence"]:
            found.append(question["evidence"][0])
    return found


def swap_number(sentence: str) -> str | None:
    match = _DIGITS.search(sentence)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(0))
    changed = str(int(digits) * 3 + 7)
    return sentence[: match.start()] + changed + sentence[match.end() :]


def swap_name(sentence: str, i: int) -> str | None:
    match = _MID_NAME.search(sentence) or re.match(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", sentence)
    if not match:
        return None
    return sentence[: match.start()] + FOREIGN[i % len(FOREIGN)] + sentence[match.end() :]


def labelled_pairs() -> list[Pair]:
    evidence = evidence_sentences()
    pairs = []
    for i, source in enumerate(evidence):
        sentence = source[0].upper() + source[1:] + "."
        pairs.append(Pair(sentence, source, True, "verbatim"))
        lowered = source[0].lower() + source[1:] if not source[:2].isupper() else source
        pairs.append(Pair(f"According to the source, {lowered}.", source, True, "lead-in"))
        for kind, changed in (("number", swap_number(sentence)), ("name", swap_name(sentence, i))):
            if changed and changed != sentence:
                pairs.append(Pair(changed, source, False, f"swapped {kind}"))
        other = evidence[(i + 7) % len(evidence)]
        pairs.append(Pair(sentence, other, False, "wrong source"))
    for start, answer in PARAPHRASES:
        source = next(e for e in evidence if e.startswith(start))
        pairs.append(Pair(answer, source, True, "paraphrase"))
    return pairs
