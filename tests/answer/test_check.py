"""The citation check: markers parsed and validated, sentences judged against their sources."""

from __future__ import annotations

from assistant.answer.check import (
    SUPPORT_THRESHOLD,
    answer_sentences,
    check_sentences,
    missing_facts,
    shown_citation_support,
    strip_markers,
)
from assistant.types import AnswerSentence
from tests.answer.check_pairs import labelled_pairs

BRICS = (
    "The six countries invited to join were Iran, Egypt, Ethiopia, the United Arab Emirates "
    "(UAE), Saudi Arabia and Argentina, with membership due to take effect on 1 January 2024."
)
RATE = "The central bank kept its main interest rate at 5.25% on Wednesday."


def test_answer_sentences_keep_the_markers_that_follow_them():
    text = "Iran joined BRICS [1]. Egypt joined too. [2] Rates held [1, 2]!\nNo more."
    assert answer_sentences(text) == [
        "Iran joined BRICS [1].",
        "Egypt joined too. [2]",
        "Rates held [1] [2]!",
        "No more.",
    ]
    assert strip_markers("Egypt joined too. [2]") == "Egypt joined too."


def test_markers_pointing_nowhere_are_reported_as_invented(embedder):
    (check,) = check_sentences(
        ["Iran was invited to join [1] [7] [source]."], [BRICS], embedder.embed
    )
    assert check.cited == (1,)
    assert check.invented == ("[7]", "[source]")
    assert check.supported


def test_a_country_no_source_names_makes_the_sentence_unsupported(embedder):
    checks = check_sentences(
        ["France and Iran were invited to join [1].", "Iran and Egypt were invited to join [1]."],
        [BRICS],
        embedder.embed,
    )
    assert [c.supported for c in checks] == [False, True]
    assert checks[0].missing == ("france",)


def test_a_changed_number_or_an_unrelated_source_is_unsupported(embedder):
    checks = check_sentences(
        ["The bank held its rate at 4.75% [1].", "The bank held its rate at 5.25% [2].",
         "The bank held its rate at 5.25% [1]."],
        [RATE, BRICS],
        embedder.embed,
    )  # fmt: skip
    assert [c.supported for c in checks] == [False, False, True]


def test_a_sentence_without_markers_is_unsupported_unless_the_check_may_cite_it(embedder):
    sentence = ["Iran and Egypt were among the invited countries."]
    (strict,) = check_sentences(sentence, [RATE, BRICS], embedder.embed)
    (cited,) = check_sentences(sentence, [RATE, BRICS], embedder.embed, cite_uncited=True)
    assert not strict.supported
    assert cited.supported and cited.attributed and cited.cited == (2,)


def test_names_may_come_from_the_cited_sources_title_or_outlet():
    missing, total = missing_facts("Meridian Wire says Iran joined.", "Iran joined. Meridian Wire")
    assert (missing, total) == ([], 3)  # meridian, wire, iran


def test_the_measured_threshold_separates_the_labelled_set(embedder):
    """The figures behind SUPPORT_THRESHOLD (bench/citation_check.py, docs/llm.md)."""
    pairs = labelled_pairs()
    checks = [check_sentences([p.answer + " [1]"], [p.source], embedder.embed)[0] for p in pairs]
    right = sum(c.supported == p.supported for c, p in zip(checks, pairs, strict=True))
    wrong_kept = [p for c, p in zip(checks, pairs, strict=True) if c.supported and not p.supported]
    assert len(pairs) > 150
    assert right / len(pairs) >= 0.95
    assert len(wrong_kept) <= 2, wrong_kept
    assert all(
        not c.supported for c, p in zip(checks, pairs, strict=True) if p.kind == "wrong source"
    )
    assert 0.3 < SUPPORT_THRESHOLD < 0.65


def test_shown_citation_support_rechecks_a_shown_answer(embedder):
    cited = {1: BRICS, 2: RATE}
    sentences = [
        AnswerSentence("Iran and Egypt were invited to join.", (1,)),
        AnswerSentence("The rate stayed at 5.25%.", (2,)),
        AnswerSentence("It fell.", (3,)),  # no such citation
        AnswerSentence("Norway and Iran were invited to join.", (1, 2)),  # Norway: in neither
    ]
    supported = shown_citation_support(sentences, cited, embedder.embed)
    assert supported == [True, True, False, False, False]
