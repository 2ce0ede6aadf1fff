"""What the answer combiner reads about each candidate sentence (pure).

Seven numbers in [0, 1]: the sentence's similarity to the question (its vector pooled at
ingest), the share (by rarity) of the question's words it covers and that it, the sentence
before it and the headline cover, whether it holds a thing of the asked-for kind, the share
(by rarity) of the headline's words beyond the question's that it holds (a headline names
what a quiz question leaves out: "Which show got the green light?" under "Squid Game returns"),
the rank of its passage and how near the top of its article it stands. Others were tried
and measured (docs/evaluation.md, "Answer combiner"): entity types, article age, the most
question-like sentence of the article and its neighbours, the question's names in the
sentence or article, the similarity of the sentences beside it, how often its new words
recur in the article or the other sources; none raised the out-of-fold first-sentence
recall on the training questions.
"""

from __future__ import annotations

FEATURES = ("similarity", "terms", "context", "kind", "headline", "rank", "position")
POSITION_SCALE = 3.0  # the position feature halves this many sentences into the article


def rank_feature(rank: int) -> float:
    """A passage rank (0 = first) as a number in (0, 1]."""
    return 1.0 / (1 + rank)


def sentence_features(
    similarity: float,
    terms: float,
    context: float,
    kind: bool,
    rank: int,
    index: int,
    headline: float = 0.0,
) -> dict[str, float]:
    """The features of one candidate: `rank` is its passage's (0 = first), `index` its place
    in its article (0 = the lead)."""
    return {
        "similarity": similarity,
        "terms": terms,
        "context": context,
        "kind": 1.0 if kind else 0.0,
        "headline": headline,
        "rank": rank_feature(rank),
        # news puts the facts first: the lead sentences answer most questions
        "position": 1.0 / (1 + index / POSITION_SCALE),
    }
