"""Sentences keep exact offsets; chunks respect word and token budgets and overlap."""

import itertools

from assistant.ingest.split import chunk_sentences, count_words, split_sentences


def words_as_tokens(texts):
    return [count_words(t) for t in texts]


TEXT = (
    "Mr. Ramaphosa met the U.A.E. envoy on Aug. 22. The talks ended early.\n\n"
    "Iran, Egypt and Ethiopia will join on Jan. 1, 2024. Analysts expect more."
)


def test_sentences_carry_exact_offsets_into_the_text():
    sentences = split_sentences("a1", TEXT)
    assert [s.text for s in sentences] == [
        "Mr. Ramaphosa met the U.A.E. envoy on Aug. 22.",
        "The talks ended early.",
        "Iran, Egypt and Ethiopia will join on Jan. 1, 2024.",
        "Analysts expect more.",
    ]
    for i, s in enumerate(sentences):
        assert TEXT[s.start : s.end] == s.text
        assert s.index == i and s.article_id == "a1"


def test_sentences_never_cross_a_paragraph_break():
    sentences = split_sentences("a1", "No full stop here\n\nNext paragraph starts. It ends.")
    assert sentences[0].text == "No full stop here"


def test_a_title_before_a_name_does_not_end_a_sentence():
    text = (
        "Ada Brandt, who played Lt. Mara Quinn on the long-running drama, has retired. She "
        "was 71. Later that day Sen. Alex Ford and Rep. Dana Ortiz praised her."
    )
    assert [s.text for s in split_sentences("a1", text)] == [
        "Ada Brandt, who played Lt. Mara Quinn on the long-running drama, has retired.",
        "She was 71.",
        "Later that day Sen. Alex Ford and Rep. Dana Ortiz praised her.",
    ]


def make_text(n_sentences, words_each):
    return " ".join(
        " ".join(f"w{i}x{j}" for j in range(words_each - 1)) + f" end{i}."
        for i in range(n_sentences)
    )


def test_chunks_stay_within_the_word_budget_and_overlap_by_one_sentence():
    text = make_text(12, 10)
    sentences = split_sentences("a", text)
    chunks = chunk_sentences(
        sentences, text, count_tokens=words_as_tokens, max_words=35, max_tokens=256, overlap=1
    )
    assert len(chunks) > 1
    for chunk in chunks:
        assert count_words(chunk.text) <= 35
        assert chunk.text == text[chunk.start : chunk.end]
    for before, after in itertools.pairwise(chunks):
        assert after.sentence_start == before.sentence_end - 1
    assert chunks[0].sentence_start == 0 and chunks[-1].sentence_end == len(sentences)


def test_token_budget_counts_reserved_tokens():
    text = make_text(6, 10)
    sentences = split_sentences("a", text)
    chunks = chunk_sentences(
        sentences,
        text,
        count_tokens=words_as_tokens,
        max_words=200,
        max_tokens=32,
        reserved_tokens=2,
        overlap=0,
    )
    assert [c.sentence_end - c.sentence_start for c in chunks] == [3, 3]


def test_a_sentence_longer_than_the_budget_is_cut_at_word_boundaries():
    text = make_text(1, 100) + " Short one."
    sentences = split_sentences("a", text)
    chunks = chunk_sentences(
        sentences, text, count_tokens=words_as_tokens, max_words=30, max_tokens=256, overlap=1
    )
    long_pieces = [c for c in chunks if c.sentence_start == 0]
    assert len(long_pieces) == 4
    assert all(count_words(c.text) <= 30 for c in chunks)
    assert " ".join(c.text for c in long_pieces) == sentences[0].text
    assert chunks[-1].text.endswith("Short one.")


def test_chunk_ids_are_article_id_and_number():
    sentences = split_sentences("abc", TEXT)
    chunks = chunk_sentences(sentences, TEXT, count_tokens=words_as_tokens)
    assert [c.id for c in chunks] == ["abc:0"]


def test_no_sentences_no_chunks():
    assert chunk_sentences([], "", count_tokens=words_as_tokens) == []
