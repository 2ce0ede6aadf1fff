"""The default answerer: choose source sentences that answer the question, verbatim, cited.

Each sentence of the retrieved passages gets features (assistant/answer/features.py): its
similarity to the question, the rare question words it and the sentence before it cover,
whether it holds a thing of the asked-for kind, its passage's rank and its place in the
article. A learned combiner (assistant/answer/combiner.py) turns them into the probability
that the sentence answers. The best becomes the answer, and others join only when they add
a new thing of the asked-for kind (named entities, assistant/answer/entities.py) or name what
the best one only describes ("the show": the sentence before it says which); a later
source giving another value (an update) leads, and an older one giving another value is
shown as an earlier report with its date. A shown sentence that gives the thing as asked
("in which month?": a month) leads one that does not. Refusal needs both a probability above
the combiner's threshold and the question's names in the source (or other names of them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from assistant.answer.aliases import aliased
from assistant.answer.combiner import default_combiner
from assistant.answer.conflicts import (
    Claim,
    counts_any,
    figure_conflict,
    figure_value,
    magnitude_of,
    of_the_measure,
)
from assistant.answer.cues import (
    YEAR,
    QuestionCues,
    gives_the_date,
    new_things,
    question_clause,
)
from assistant.answer.entities import (
    ORGANISATION,
    PERSON,
    PLACE,
    QUANTITY,
    TIME,
    Entity,
    EntityTagger,
    asked_labels,
    new_entities,
    shared_tagger,
)
from assistant.answer.features import rank_feature, sentence_features
from assistant.answer.spans import answer_spans
from assistant.ingest.clean import is_site_notice
from assistant.text import (
    STOPWORDS,
    Vocabulary,
    contains_term,
    coverage,
    names,
    quoted,
    terms,
    words,
)
from assistant.types import Answer, AnswerSentence, Article, Carrier, Citation, Conflict, Sentence

if TYPE_CHECKING:
    import numpy as np

    from assistant.retrieve.search import Passage

# Thresholds on the combiner's probabilities (assistant/answer/combiner.py; the refusal
# threshold is in its weights file), chosen on RealTimeQA 2022 dev weeks, the 2023 weeks up to
# 2023-02-24 and the bundled set (bench/train_combiner.py prints what each gives).
# A second gate kept from the hand-set scorer this combiner replaced (a grid search over the
# bundled set and RealTimeQA dev weeks): a weighted sum of the features below MIN_SUPPORT
# means nothing answers. With it the bundled set refuses 7 of its 8 unanswerable questions;
# the learned probability alone refused 5 at the same false-refusal rate.
SUPPORT_WEIGHTS = {"similarity": 0.25, "terms": 0.05, "context": 0.10, "kind": 0.10, "rank": 0.20}
MIN_SUPPORT = 0.45
MIN_WORDS = 4  # shorter "sentences" are datelines and fragments, never answers
MIN_KEY_COVERAGE = 0.60  # share (by rarity) of the question's names the source must hold
COMMON_KEY_IDF = 3.0  # names rarer than this (BM25 idf; 3.0: in about 5% of chunks) count
EXTRA_RATIO = 0.5  # a further sentence may join the answer when this close to the best
MAX_SENTENCES = 3
CONFLICT_RATIO = 0.55  # competing figures are shown when their sentences score this close
NEWER_RATIO = 0.6  # a newer answering sentence this close to the best one leads instead
EARLIER_RATIO = 0.6  # an older report with another value is shown when it scores this close
SAME_TIME_DAYS = 7.0  # sources this close in date that disagree "differ"; else older is earlier
TAGGED = 5  # the best this many sentences get named entities (~2 ms each on 2 cores)
LEAD_SENTENCES = 4  # the first article's lead read beside its passages (6 gave the same)
REQUIRE_KIND = True  # a who/when/how-many question needs a sentence holding such a thing


class SentenceSource(Protocol):
    """What the answerer reads besides the passages (HybridSearch provides it)."""

    def sentences(self, article_id: str) -> list[Sentence]: ...
    def sentence_vectors(self, article_id: str) -> np.ndarray | None: ...
    def term_weights(self, words: Sequence[str]) -> dict[str, float]: ...


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    article: Article
    passage_rank: int
    score: float  # the combiner's probability that this sentence answers
    features: dict[str, float]
    copies: tuple[Article, ...] = ()
    entities: tuple[Entity, ...] = ()  # things of the asked-for kind the question does not name


def support(features: dict[str, float], article_rank: int | None = None) -> float:
    """The hand-set support score of a sentence (the second refusal gate). `article_rank`:
    the rank of its article's best passage, read in place of its own passage's."""
    if article_rank is not None:
        features = {**features, "rank": rank_feature(article_rank)}
    return sum(w * features.get(name, 0.0) for name, w in SUPPORT_WEIGHTS.items())


def article_ranks(scored: Sequence[ScoredSentence]) -> list[int]:
    """Each sentence's article's best passage rank. Which of the first article's chunks the
    search ranked first is chance (a chunk of photo captions above the one that answers): the
    support gate credits a sentence with its article's rank."""
    best: dict[str, int] = {}
    for item in scored:
        best[item.article.id] = min(best.get(item.article.id, item.passage_rank), item.passage_rank)
    return [best[item.article.id] for item in scored]


def highest_support(features: Sequence[dict[str, float]], ranks: Sequence[int | None]) -> float:
    """The highest support of sentences given by their features, each read with its
    article's rank (None: its own passage's)."""
    return max((support(f, r) for f, r in zip(features, ranks, strict=True)), default=0.0)


def best_support(scored: Sequence[ScoredSentence]) -> float:
    """The highest support of the sentences, each read with its article's rank."""
    return highest_support([s.features for s in scored], article_ranks(scored))


def is_statement(text: str) -> bool:
    """A sentence that can answer: not a dateline ("New York CNN —") or a fragment of a few
    words, which name-shaped words and the lead position would otherwise favour, not a
    question ("What is the location of the 2022 Super Bowl?" restates one, answering none),
    and not a site's notice ("Sign up for our science newsletter.")."""
    stripped = text.strip()
    return (
        len(words(stripped)) >= MIN_WORDS
        and not stripped.endswith(("—", "–", "-", ":"))
        and not stripped.rstrip("\"'”’)").endswith("?")
        and not is_site_notice(stripped)
    )


def _read_spans(passages: Sequence[Passage]) -> list[tuple[int, Passage, int, int]]:
    """The sentence ranges to score, each with its rank: every passage's, then the lead of the
    first passage's article when that passage does not hold it (news tells the answer early:
    the lead is read as the passage ranked last)."""
    spans = [(r, p, p.chunk.sentence_start, p.chunk.sentence_end) for r, p in enumerate(passages)]
    if passages and passages[0].chunk.sentence_start > 0:
        top = passages[0]
        spans.append((len(passages), top, 0, min(LEAD_SENTENCES, top.chunk.sentence_start)))
    return spans


def score_sentences(
    question: str,
    cues: QuestionCues,
    passages: Sequence[Passage],
    source: SentenceSource,
    query_vector: np.ndarray,
    memo: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> list[ScoredSentence]:
    """Every statement of the passages (and of the first one's article lead, `_read_spans`)
    once, scored by the combiner, best first. The best few also get their named entities of
    the asked-for kind (what a further sentence must add, and the words that answer). `memo`
    (one per question) keeps what a sentence's features owe nothing to its passage's rank,
    for the question's next search."""
    model = default_combiner()
    memo = {} if memo is None else memo
    weights = source.term_weights(list(cues.terms))
    asked = Vocabulary(cues.terms)
    scored: dict[tuple[str, int], ScoredSentence] = {}
    for rank, passage, start, end in _read_spans(passages):
        article = passage.article
        sentences = source.sentences(article.id)
        vectors = source.sentence_vectors(article.id)
        title_terms = terms(article.title)
        beyond = [t for t in title_terms if t not in asked]  # what the headline adds
        beyond_weights = source.term_weights(beyond) if beyond else {}
        for i in range(start, end):
            if (article.id, i) in scored or i >= len(sentences):
                continue
            sentence = sentences[i]
            if not is_statement(sentence.text):
                continue
            found = memo.get((article.id, i))
            if found is None:
                own = terms(sentence.text)
                before = terms(sentences[i - 1].text) if i > 0 else []
                found = memo[(article.id, i)] = {
                    "similarity": float(vectors[i] @ query_vector) if vectors is not None else 0.0,
                    "terms": coverage(cues.terms, own, weights),
                    "context": coverage(cues.terms, own + before + title_terms, weights),
                    "kind": cues.kind == "any" or bool(new_things(sentence.text, cues)),
                    "index": sentence.index,
                    "headline": coverage(beyond, own, beyond_weights) if beyond else 0.0,
                }
            features = sentence_features(**found, rank=rank)
            scored[(article.id, i)] = ScoredSentence(
                sentence, article, rank, model.probability(features), features, passage.copies
            )
    ranked = sorted(scored.values(), key=lambda s: -s.score)
    return with_entities(question, ranked, shared_tagger())


def with_entities(
    question: str, ranked: list[ScoredSentence], tagger: EntityTagger
) -> list[ScoredSentence]:
    """The ranking with the first TAGGED sentences' entities of the asked-for kind added."""
    head = ranked[:TAGGED]
    labels = asked_labels(question)
    tagged = tagger.tag([s.sentence.text for s in head])
    return [
        replace(s, entities=tuple(new_entities(s.sentence.text, found, question, labels)))
        for s, found in zip(head, tagged, strict=True)
    ] + ranked[TAGGED:]


def key_coverage(
    cues: QuestionCues, article: Article, source: SentenceSource, people: Sequence[str] = ()
) -> float:
    """Share, weighted by rarity, of the question clause's names and numbers found in the
    article (cues.required_terms). Names common across the index ("US" in American news)
    are not required: an article about a thing in the US rarely says so. `people`: the
    persons the question names (`people_named`), held when their last name is."""
    weights = source.term_weights(list(cues.required_terms))
    required = [t for t in cues.required_terms if weights.get(t, COMMON_KEY_IDF) >= COMMON_KEY_IDF]
    if not required:
        return 1.0
    return coverage(required, held_terms(article, required, people), weights)


def held_terms(article: Article, wanted: Sequence[str], people: Sequence[str] = ()) -> list[str]:
    """The article's terms, each of `wanted` that it holds as a compound spelled with other
    joining words ("20-to-1" for "20-for-1") or under another name (`aliases`: "Americans"
    for "the US"), and the first names and titles of each of `people` whose last name it
    holds (news says "Biden" for "President Joe Biden")."""
    held = terms(article.title + " " + article.text)
    compounds = {compound_parts(t) for t in held if "-" in t}
    known = set(held)
    surnamed = [t for person in people if (parts := terms(person))[-1] in known for t in parts]
    return [
        *held,
        *(t for t in wanted if "-" in t and compound_parts(t) in compounds),
        *aliased(wanted, held),
        *surnamed,
    ]


def people_named(question: str, tagger: EntityTagger) -> list[str]:
    """The persons of two or more words the question clause names ("President Joe Biden"),
    spelled as names: the tagger also calls "Girl Scout cookie" a person."""
    clause = question_clause(question)
    spans = [clause[e.start : e.end] for e in tagger.tag([clause])[0] if e.label in PERSON]
    return [
        span
        for span in spans
        if len(parts := span.split()) >= 2 and all(p[:1].isupper() for p in parts)
    ]


def compound_parts(term: str) -> tuple[str, ...]:
    """A hyphenated term's parts without its joining words ("20-for-1": 20, 1)."""
    return tuple(p for p in term.split("-") if p and p not in STOPWORDS)


def names_the_years(article: Article, years: Sequence[str]) -> bool:
    """Whether the article can speak of each year: its text names it, or it was published
    then (a report of "the 2022 Stanley Cup final" written in 2022 need not name the year),
    or nothing places it in time (undated, naming no year: the answer's note says undated
    articles answered)."""
    named = set(YEAR.findall(f"{article.title} {article.text}"))
    if article.published is None and not named:
        return True
    published = str(article.published.year) if article.published else None
    return all(year in named or year == published for year in years)


def _citation(n: int, item: ScoredSentence, cues: QuestionCues | None = None) -> Citation:
    """Citation number `n` for a scored sentence; with `cues`, the words in it that answer."""
    a = item.article
    text = item.sentence.text
    return Citation(
        n=n,
        article_id=a.id,
        sentence_index=item.sentence.index,
        text=text,
        title=a.title,
        outlet=a.outlet,
        published=a.published,
        url=a.url,
        score=item.score,
        also_carried_by=tuple(Carrier(c.outlet, c.title, c.url, c.published) for c in item.copies),
        answer_spans=answer_spans(text, cues, item.entities) if cues is not None else (),
    )


def _stamp(item: ScoredSentence) -> float:
    """Publication time for ordering; undated counts as older than any dated source."""
    published = item.article.published
    return published.timestamp() if published else float("-inf")


def _days_apart(a: ScoredSentence, b: ScoredSentence) -> float:
    if a.article.published is None or b.article.published is None:
        return float("inf")
    return abs((a.article.published - b.article.published).total_seconds()) / 86400


def main_value(item: ScoredSentence, cues: QuestionCues, question: str) -> str | None:
    """The thing of the asked-for kind a sentence gives first ("10,000", "Jane Roe"),
    normalized, or None when it gives none (or the question asks for no kind)."""
    if cues.kind == "number":
        value = figure_value(item.sentence.text, question)
        magnitude = magnitude_of(value) if value else None
        return None if magnitude is None else f"{magnitude:g}"
    if cues.kind == "any":
        return None
    found = new_things(item.sentence.text, cues)
    return " ".join(words(found[0])) if found else None


def answers(item: ScoredSentence) -> bool:
    """Whether a sentence's probability of answering clears the refusal threshold."""
    return item.score >= default_combiner().threshold


def merit(item: ScoredSentence) -> float:
    """How well a sentence itself answers: its probability without the rank of its passage
    (which only says which article the search met first) and its place in the article
    (every article has a lead)."""
    return default_combiner().merit(item.features)


def lead_sentence(
    scored: Sequence[ScoredSentence], cues: QuestionCues, question: str
) -> ScoredSentence:
    """The sentence the answer starts with: the best one, unless a source published more
    than SAME_TIME_DAYS later answers about as well (merit within NEWER_RATIO) and gives
    another value for what is asked (an update): then the newest such source's sentence
    scored best. Asked for the latest on a subject ("What's the latest on BRICS?": no kind of
    thing, no value to compare), the newest source with a sentence that answers (`answers`)
    leads."""
    best = scored[0]
    if cues.kind == "date":  # when a thing happened does not change with later reports
        return best
    later = [
        s for s in scored if _stamp(s) > _stamp(best) and _days_apart(s, best) > SAME_TIME_DAYS
    ]
    if cues.current and cues.kind == "any":
        updates = [s for s in later if answers(s)]
    else:
        best_value = main_value(best, cues, question)
        updates = [
            s
            for s in later
            if merit(s) >= NEWER_RATIO * merit(best)
            and main_value(s, cues, question) not in (None, best_value)
        ]
    # among the newest source's sentences, the one scored best where it stands
    return max(updates, key=lambda s: (_stamp(s), s.score)) if updates else best


def earlier_report(
    scored: Sequence[ScoredSentence], lead: ScoredSentence, cues: QuestionCues, question: str
) -> ScoredSentence | None:
    """An older source (more than SAME_TIME_DAYS before the lead) that answers nearly as
    well but gives another value for the same thing: shown as an earlier report. It must
    answer on its own (`answers`): a vote count from another story is no earlier report of
    this one's."""
    lead_value = main_value(lead, cues, question)
    if lead_value is None or cues.kind == "date":
        return None
    for item in scored:
        if not answers(item) or merit(item) < EARLIER_RATIO * merit(lead):
            continue
        if item.article.id == lead.article.id or _stamp(item) >= _stamp(lead):
            continue
        if _days_apart(item, lead) <= SAME_TIME_DAYS:
            continue
        value = main_value(item, cues, question)
        if value is not None and value != lead_value:
            return item
    return None


def choose(
    scored: Sequence[ScoredSentence],
    cues: QuestionCues,
    question: str,
    tagger: EntityTagger | None = None,
) -> tuple[list[ScoredSentence], Conflict | None, ScoredSentence | None]:
    """The answer sentences (the lead first, unless the lead only describes the asked-for thing:
    then the sentence before it that names it, and the lead after it, as the article has them),
    a figure conflict among sources of about the same date, and an older report giving another
    value, if any."""
    best = lead_sentence(scored, cues, question)
    rest = [s for s in scored if s is not best]
    earlier = earlier_report(scored, best, cues, question)
    # sources far older than the lead with another value are earlier reports, not rivals
    lead_value = main_value(best, cues, question)
    current = [
        s
        for s in rest
        if s is not earlier
        and (
            _days_apart(s, best) <= SAME_TIME_DAYS
            or s.article.id == best.article.id
            or main_value(s, cues, question) in (None, lead_value)
        )
    ]
    chosen = [best]
    conflict = None
    if cues.kind == "number":
        rivals: list[ScoredSentence] = []
        for item in current:
            if item.score < CONFLICT_RATIO * best.score or len(rivals) == MAX_SENTENCES - 1:
                break
            if (
                item.features["kind"]
                and _days_apart(item, best) <= SAME_TIME_DAYS
                and item.article.id not in {r.article.id for r in [best, *rivals]}
            ):
                rivals.append(item)
        candidates = [best, *rivals]
        claims = [Claim(i + 1, s.article.id, s.sentence.text) for i, s in enumerate(candidates)]
        found = figure_conflict(claims, question, cues.head) if rivals else None
        if found:
            picked = [n for _, n in found.values]
            chosen = [candidates[n - 1] for n in picked]
            renumber = {n: i + 1 for i, n in enumerate(picked)}
            conflict = Conflict(found.kind, tuple((v, renumber[n]) for v, n in found.values))
    if conflict is None:
        resolver = resolving_sentence(best, scored, cues, question, tagger or shared_tagger())
        if resolver is not None:
            chosen = [best, resolver]
        for item in current:
            if len(chosen) >= MAX_SENTENCES or item.score < EXTRA_RATIO * best.score:
                break
            if all(item.sentence is not c.sentence for c in chosen) and adds_to(item, chosen):
                chosen.append(item)
        if resolver is not None:  # it stands before the lead: the answer reads in that order
            chosen = [resolver, best, *chosen[2:]]
        chosen = asked_first(chosen, cues, question, tagger or shared_tagger())
        chosen = clause_first(chosen, cues, question)
    return chosen, conflict, earlier


# a person or an organisation the question asks for by a noun ("which judge", "which
# company") is named by an entity of this label, not of the others a "who" may be answered by
# (stricter than NAMED_AS below: a nationality names no organisation)
NAMED_BY = {"person": PERSON, "organisation": frozenset({"ORG"})}
# a country or a city asked for by its noun ("which country", "which island nation") is named
# by a place, not by its people: "Saudi Arabian officials" (NORP) tell the country only in
# passing, "Saudi Arabia" names it (a park or a stadium, tagged now as a place and now as a
# body, is left to the other rules)
STATE_NOUNS = frozenset(
    {"country", "countries", "nation", "state", "city", "cities", "capital", "town", "island"}
    | {"province", "region", "territory", "county", "village", "continent"}
)
NAMED_AS_STATE = frozenset({"GPE", "LOC"})


def named_by(cues: QuestionCues) -> frozenset[str] | None:
    """The labels that name what the question asks for by a noun (NAMED_BY, or a place by a
    noun of STATE_NOUNS), or None."""
    if cues.head is None:
        return None
    if cues.asked == "place":
        return NAMED_AS_STATE if cues.head in STATE_NOUNS else None
    return NAMED_BY.get(cues.asked)


def gives_the_asked(item: ScoredSentence, cues: QuestionCues, question: str) -> bool:
    """Whether a sentence gives the thing asked for as the question specifies it: asked
    "when", a date more than a weekday, of the month or year asked for (`gives_the_date`);
    asked for a figure whose measure the question names ("the magnitude"), a figure of that
    measure (`of_the_measure`); asked for a person, an organisation or a country by a noun
    ("which judge", "which country"), an entity naming one (its tagged `entities`). Any
    sentence gives what other questions ask."""
    if (labels := named_by(cues)) is not None:
        return any(e.label in labels for e in item.entities)
    if cues.kind == "date":
        return any(gives_the_date(t, cues.head) for t in new_things(item.sentence.text, cues))
    if cues.kind == "number" and cues.head is not None:
        return of_the_measure(item.sentence.text, question, cues.head)
    return True


def asked_first(
    chosen: list[ScoredSentence], cues: QuestionCues, question: str, tagger: EntityTagger
) -> list[ScoredSentence]:
    """The shown sentences with the first that gives the asked thing (`gives_the_asked`) in
    the lead when the best one does not: news tells the day of its event in passing ("voted
    on Wednesday"), a quake's toll beside its magnitude, and "the judge" before her name.
    Asked for a person, an organisation or a country by a noun (`named_by`), shown sentences
    ranked below the tagged few get their entities here."""
    if named_by(cues) is not None:
        tagged = iter(with_entities(question, [c for c in chosen if not c.entities], tagger))
        chosen = [c if c.entities else next(tagged) for c in chosen]
    if gives_the_asked(chosen[0], cues, question):
        return chosen
    for i, item in enumerate(chosen[1:], start=1):
        if gives_the_asked(item, cues, question):
            return [item, *chosen[:i], *chosen[i + 1 :]]
    return chosen


def clause_first(
    chosen: list[ScoredSentence], cues: QuestionCues, question: str
) -> list[ScoredSentence]:
    """The shown sentences with the first that holds a word of the question clause in the
    lead, when the question opens with context and the lead holds none of the clause's own
    words: after "The IRS started accepting returns this week. When is the deadline to
    file?", the sentence naming the deadline answers, not the lead that restates the context
    ("The IRS started accepting returns on Monday, Jan. 23."). The sentence moved must give
    the asked thing too (`gives_the_asked`)."""
    clause = question_clause(question)
    context = question[: question.rfind(clause)]
    own = set(terms(clause)) - set(terms(context))
    if not context.strip() or not own or len(chosen) < 2:
        return chosen

    def holds(item: ScoredSentence) -> bool:
        return bool(own & set(terms(item.sentence.text)))

    if holds(chosen[0]):
        return chosen
    for i, item in enumerate(chosen[1:], start=1):
        if holds(item) and gives_the_asked(item, cues, question):
            return [item, *chosen[:i], *chosen[i + 1 :]]
    return chosen


_PRONOUN_START = re.compile(
    r"^\W*(?:he|she|it|they|his|her|its|their|this|these|those|that)\b", re.I
)
RESOLVE_BACK = 3  # how far before the lead a sentence naming what it describes may stand
# entity labels that surely name a thing of the asked kind (a lead holding one names it)
NAMED_AS = {"person": PERSON, "place": PLACE, "organisation": ORGANISATION}


def describes_the_asked(text: str, cues: QuestionCues) -> bool:
    """Whether a sentence speaks of the asked-for thing by its kind, not its name: "Netflix
    said the hugely popular show got the green light" for "Which show got the green light?"."""
    if cues.head is None:
        return False
    head = re.escape(cues.head)
    return bool(
        re.search(rf"\b(?:the|this|that)\s+(?:[\w'’-]+\s+){{0,4}}?{head}(?:e?s)?\b", text, re.I)
    )


def resolving_sentence(
    lead: ScoredSentence,
    scored: Sequence[ScoredSentence],
    cues: QuestionCues,
    question: str,
    tagger: EntityTagger,
) -> ScoredSentence | None:
    """The sentence before the lead that names what the lead only describes: when the lead
    speaks of the asked-for thing by its kind ("the show"), the nearest of the RESOLVE_BACK
    candidate sentences before it that names something the lead and the question do not."""
    if cues.kind != "name" or not describes_the_asked(lead.sentence.text, cues):
        return None
    own_kind = NAMED_AS.get(cues.asked)
    if own_kind and any(e.label in own_kind for e in tagger.tag([lead.sentence.text])[0]):
        return None  # "... a depot in Ohio, with outlets across the state to follow"
    before = sorted(
        (
            s
            for s in scored
            if s.article.id == lead.article.id
            and lead.sentence.index - RESOLVE_BACK <= s.sentence.index < lead.sentence.index
        ),
        key=lambda s: -s.sentence.index,
    )
    said = set(words(question + " " + lead.sentence.text))
    labels = asked_labels(question) - TIME - QUANTITY
    tagged = tagger.tag([s.sentence.text for s in before])
    for item, found in zip(before, tagged, strict=True):
        text = item.sentence.text
        spans = [(e.start, e.end) for e in found if e.label in labels]
        for name in names(text, openers=True):
            start = text.find(name)
            if start >= 0:
                spans.append((start, start + len(name)))
        fresh = [
            Entity(start, end, "NAME")
            for start, end in spans
            if any(w not in said for w in words(text[start:end]) if w not in STOPWORDS)
        ]
        if fresh:
            return replace(item, entities=tuple(fresh))
    return None


def adds_to(item: ScoredSentence, chosen: Sequence[ScoredSentence]) -> bool:
    """A further sentence joins a short answer only when it names a new thing of the asked-for
    kind, or when it is the sentence just before the lead and the lead opens with a pronoun
    ("She was appointed ...": the sentence before says who she is)."""
    lead = chosen[0]
    if (
        item.article.id == lead.article.id
        and item.sentence.index == lead.sentence.index - 1
        and _PRONOUN_START.match(lead.sentence.text)
    ):
        return True
    said = set(words(" ".join(c.sentence.text for c in chosen)))
    for entity in item.entities:
        own = [w for w in words(item.sentence.text[entity.start : entity.end]) if w not in said]
        if own:
            return True
    return False


def refusal(question: str, scored: Sequence[ScoredSentence], reason: str | None = None) -> Answer:
    """No answer, `reason` saying why when there is more to say; the closest sources (the
    best sentence of up to three articles) are cited."""
    closest: list[ScoredSentence] = []
    for item in scored:
        if all(item.article.id != c.article.id for c in closest):
            closest.append(item)
        if len(closest) == 3:
            break
    citations = tuple(_citation(i + 1, item) for i, item in enumerate(closest))
    return Answer(question, citations=citations, refused=True, refusal_reason=reason)


def decide(
    question: str,
    cues: QuestionCues,
    scored: Sequence[ScoredSentence],
    source: SentenceSource,
) -> Answer:
    """The answer from scored sentences: refuse without support, else cite the best few."""
    if cues.years and scored:
        # "Who won Wimbledon in 2019?" is not answered by a report of the 2021 final
        articles = {s.article.id: s.article for s in scored}
        speaks = {i: names_the_years(a, cues.years) for i, a in articles.items()}
        of_the_year = [s for s in scored if speaks[s.article.id]]
        if not of_the_year:
            return refusal(question, scored, f"the sources do not mention {', '.join(cues.years)}")
        scored = of_the_year
    if not scored or not answers(scored[0]) or best_support(scored) < MIN_SUPPORT:
        return refusal(question, scored)
    best = scored[0]
    if key_coverage(cues, best.article, source) < MIN_KEY_COVERAGE:
        # tagged only here: most sources spell the question's names as it does
        people = people_named(question, shared_tagger())
        if key_coverage(cues, best.article, source, people) < MIN_KEY_COVERAGE:
            source_terms = held_terms(best.article, cues.required_terms, people)
            weights = source.term_weights(list(cues.required_terms))
            missing = [
                t
                for t in cues.required_terms
                if weights[t] >= COMMON_KEY_IDF and not contains_term(t, source_terms)
            ]
            reason = f"the sources do not mention {', '.join(missing)}"
            return refusal(question, scored, reason)
    if cues.counted and not any(
        counts_any(s.sentence.text, question, cues.counted) for s in scored[:TAGGED]
    ):
        # "How many employees were laid off?" is not answered by the deal's price
        return refusal(question, scored, f"the sources give no number of {cues.counted[-1]}")
    chosen, conflict, earlier = choose(scored, cues, question)
    if REQUIRE_KIND and not any(item.features["kind"] for item in chosen):
        return refusal(question, scored, f"no source sentence gives the {cues.kind} asked for")
    shown = [*chosen, earlier] if earlier else chosen
    citations = tuple(_citation(i + 1, item, cues) for i, item in enumerate(shown))
    return Answer(
        question,
        sentences=tuple(AnswerSentence(quoted(c.text), (c.n,)) for c in citations[: len(chosen)]),
        citations=citations,
        conflicts=(conflict,) if conflict else (),
        earlier=(citations[-1].n,) if earlier else (),
    )
