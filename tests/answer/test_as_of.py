"""Answers as of a date, over articles written for these tests: a post filled and then
filled again, a fare raised and then cut, months apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from assistant.answer.cues import question_cues
from assistant.answer.extractive import score_sentences
from assistant.chat.session import ChatService
from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.pipeline import Assistant, scoped_filters
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch
from assistant.retrieve.timescope import as_of_time, time_scope
from assistant.settings import TimeSettings, load_settings
from assistant.types import Answer
from tests.helpers import write_article

WIRE = (
    "The disused lighthouse on Gannet Point will reopen as a maritime museum next spring, "
    "the county council said on Tuesday, after a local trust raised 1.2 million pounds to "
    "restore the tower and the keeper's cottage. The trust said volunteers would guide "
    "visitors up the 142 steps to the lamp room, which has been closed since 1991.\n\n"
    "The council will lease the site to the trust for 99 years at a nominal rent."
)

ARTICLES = [
    (
        "appointed.md",
        "Port authority names Mara Quint as chief executive",
        "The Kestrel Bay Port Authority appointed Mara Quint as its chief executive on Monday. "
        "Quint previously ran the container terminal at Saltmarsh and takes over a port that "
        "handled 2.1 million containers last year.\n\nThe board said Quint would lead a "
        "five-year plan to deepen the main shipping channel.",
        "Coastline Business Review",
        "2025-01-20T09:00:00+00:00",
    ),
    (
        "replaced.md",
        "Port authority replaces Quint with Tobias Renn",
        "The Kestrel Bay Port Authority named Tobias Renn as its new chief executive on "
        "Monday, replacing Mara Quint after five months in the job. Renn, a former harbour "
        "pilot, had been the authority's head of operations.\n\nThe board gave no reason for "
        "the change but said the channel plan would go ahead.",
        "Harbourside Times",
        "2025-06-30T08:00:00+00:00",
    ),
    (
        "fare-raised.md",
        "Island ferry fare raised to 4.50 pounds",
        "The single adult fare on the Gull Island ferry rose to 4.50 pounds on Monday, the "
        "operator Tern Line said, blaming the price of fuel. The fare had been 3.95 pounds "
        "since 2022.\n\nIslanders said the rise would hit commuters hardest.",
        "Gull Island Gazette",
        "2025-02-10T07:30:00+00:00",
    ),
    (
        "fare-cut.md",
        "Island ferry fare cut to 3.80 pounds",
        "Tern Line cut the single adult fare on the Gull Island ferry to 3.80 pounds from "
        "Friday after fuel prices fell over the summer. Season tickets will also be cheaper."
        "\n\nThe island council welcomed the cut.",
        "Harbourside Times",
        "2025-08-15T12:00:00+00:00",
    ),
    (
        "gannet-a.md",
        "Old lighthouse on Gannet Point to become a museum",
        WIRE,
        "Bay Herald",
        "2025-04-01T10:00:00+00:00",
    ),
    (
        "gannet-b-copy.md",
        "Gannet Point lighthouse will be a museum",
        "This wire report is carried in full. " + WIRE,
        "Valley Times",
        "2025-04-20T10:00:00+00:00",
    ),
    (
        "rowing.md",
        "Saltmarsh crew wins the coastal rowing race",
        "A crew from Saltmarsh won the annual coastal rowing race on Saturday in a time of "
        "two hours and four minutes. Twelve boats took part.",
        "Coastline Business Review",
        "2025-05-03T18:00:00+00:00",
    ),
    (
        "regatta.md",
        "Ines Vale takes the Harrow Cup",
        "The skipper Ines Vale won the Harrow Cup regatta off Gannet Point, finishing the "
        "three-race series four minutes ahead of the defending champion.",
        "Sailing Notes",
        None,  # undated: a window cannot place it
    ),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("as-of")
    corpus = folder / "corpus"
    for name, title, body, outlet, published in ARTICLES:
        write_article(corpus, name, title, body, outlet=outlet, published=published)
    settings = load_settings(indexes_dir=folder / "indexes")
    index = NewsIndex.open(settings, "as-of", embedder=embedder, create=True)
    report = index.ingest([corpus])
    assert not report.failed
    yield Assistant(HybridSearch(index, embedder))
    index.close()


def assert_nothing_after(answer: Answer, as_of: str) -> None:
    limit = as_of_time(as_of)
    assert answer.as_of == limit
    for citation in answer.citations:
        # an undated article counts as older than any dated one: it may be cited
        assert citation.published is None or citation.published <= limit


CHIEF = "Who is the chief executive of the Kestrel Bay Port Authority?"
FARE = "How much is the single adult fare on the Gull Island ferry?"
TOOK_OVER = "Who took over as chief executive of the Kestrel Bay Port Authority this week?"


def test_after_both_appointments_the_later_one_leads_and_the_earlier_is_an_earlier_report(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(CHIEF, as_of="2025-12-01")
    assert not answer.refused
    first = answer.citations[0]
    assert "Tobias Renn" in first.text and first.outlet == "Harbourside Times"
    assert answer.text.startswith("As of 30 June 2025 (Harbourside Times):")
    assert len(answer.earlier) == 1
    earlier = next(c for c in answer.citations if c.n == answer.earlier[0])
    assert "Mara Quint" in earlier.text and earlier.published == datetime.fromisoformat(
        "2025-01-20T09:00:00+00:00"
    )
    assert "Earlier (20 January 2025, Coastline Business Review):" in answer.text


def test_between_the_appointments_the_first_one_is_named_and_nothing_later_is_cited(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(CHIEF, as_of="2025-03-01")
    assert not answer.refused
    assert "Mara Quint" in answer.citations[0].text
    assert "Renn" not in answer.text
    assert_nothing_after(answer, "2025-03-01")


def test_before_both_appointments_the_question_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask(CHIEF, as_of="2024-12-01")
    assert answer.refused
    assert_nothing_after(answer, "2024-12-01")


@pytest.mark.parametrize(
    ("as_of", "named", "not_named"),
    [
        ("2025-07-03", "Tobias Renn", "Mara Quint as its chief"),
        ("2025-01-24", "Mara Quint", "Renn"),
    ],
)
def test_who_took_over_this_week_picks_the_article_of_that_week(
    assistant: Assistant, as_of: str, named: str, not_named: str
) -> None:
    answer = assistant.ask(TOOK_OVER, as_of=as_of)
    assert not answer.refused
    assert named in answer.citations[0].text
    assert all(not_named not in c.text for c in answer.citations)
    assert_nothing_after(answer, as_of)


def test_after_the_cut_the_lower_fare_leads_and_the_raise_is_an_earlier_report(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(FARE, as_of="2025-09-01")
    assert "3.80" in answer.citations[0].text
    assert answer.earlier and "4.50" in answer.citations[answer.earlier[0] - 1].text
    assert "Sources differ" not in answer.text  # months apart: an update, not a disagreement


def test_between_raise_and_cut_only_the_raise_is_cited(assistant: Assistant) -> None:
    answer = assistant.ask(FARE, as_of="2025-03-15")
    assert "4.50" in answer.citations[0].text
    assert "3.80" not in answer.text
    assert_nothing_after(answer, "2025-03-15")


def test_latest_news_leads_with_the_newest_article(assistant: Assistant) -> None:
    answer = assistant.ask("What is the latest news on the Gull Island ferry?", as_of="2025-12-01")
    assert not answer.refused
    assert answer.citations[0].published == datetime.fromisoformat("2025-08-15T12:00:00+00:00")


FROM_EARLIER = "; the answer comes from earlier articles."


@pytest.mark.parametrize(
    ("as_of", "outlets", "named", "note"),
    [
        pytest.param(
            "2025-10-01",
            (),
            "Tobias Renn",
            "No article was published this week" + FROM_EARLIER,
            id="no article in the window",
        ),
        pytest.param(
            "2025-04-21",  # the week before holds only the lighthouse copy
            (),
            "Mara Quint",
            "Nothing in the articles published this week answers this" + FROM_EARLIER,
            id="the window's articles do not answer",
        ),
        pytest.param(
            "2025-07-03",  # other outlets published that week
            ("Coastline Business Review",),
            "Mara Quint",
            "Nothing in the articles published this week answers this" + FROM_EARLIER,
            id="no article of the chosen outlets in the window",
        ),
    ],
)
def test_a_window_that_does_not_answer_falls_back_to_earlier_articles_and_says_why(
    assistant: Assistant, as_of: str, outlets: tuple[str, ...], named: str, note: str
) -> None:
    answer = assistant.ask(TOOK_OVER, as_of=as_of, filters=Filters(outlets=outlets))
    assert not answer.refused
    assert named in answer.citations[0].text
    assert answer.note == note


def test_a_named_month_reads_as_published_in_it_in_the_note(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How much was the Gull Island ferry fare raised to in March?", as_of="2025-12-01"
    )
    assert "4.50" in answer.text
    assert answer.note and answer.note.startswith("No article was published in March;")


def test_searches_of_one_question_under_other_bounds_get_what_each_gets_alone(
    assistant: Assistant,
) -> None:
    # a question whose window holds no answer searches again around it, reusing what its
    # first search read (id queries, dates, keyword hits, rerank and sentence features);
    # the Renn article leads the first bounds and is second in the widest: what depends on
    # a passage's place must not be reused
    question = "Who is the chief executive of the Kestrel Bay Port Authority?"
    june = datetime(2025, 6, 1, tzinfo=UTC)
    bounds = [Filters(since=june), Filters(until=june), Filters()]
    search = assistant.search
    vector = search.embedder.embed([question])[0]
    cues = question_cues(question)

    def scored(filters: Filters, memo: dict) -> list:
        passages = search.search(question, 5, filters, query_vector=vector)
        ranked = score_sentences(question, cues, passages, search, vector, memo)
        return [(p.chunk.id, p.score, p.features) for p in passages] + [
            (s.article.id, s.sentence.index, s.score, s.features) for s in ranked
        ]

    with search.reading():
        memo: dict = {}
        together = [scored(f, memo) for f in bounds]
    alone = [scored(f, {}) for f in bounds]
    assert together == alone
    firsts = [next(p for p in found if len(p) == 3)[0] for found in together]
    assert firsts[0] != firsts[2]  # the bounds rank the passages differently


def test_an_undated_article_answers_when_no_dated_one_does_in_or_around_the_window(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Who won the Harrow Cup regatta in 2019?", as_of="2025-12-01")
    assert not answer.refused
    assert "Ines Vale" in answer.citations[0].text and answer.citations[0].published is None
    assert answer.note and "undated articles" in answer.note


def test_a_current_question_answered_from_old_sources_says_how_old_they_are(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "What is the current single adult fare on the Gull Island ferry?", as_of="2026-06-01"
    )
    assert "3.80" in answer.citations[0].text
    assert answer.note and "15 August 2025" in answer.note and "290 days" in answer.note


@pytest.mark.parametrize(
    ("as_of", "carriers"), [("2025-04-10", []), ("2025-05-01", ["Valley Times"])]
)
def test_a_copy_run_after_the_as_of_time_is_not_named_as_also_carrying_the_story(
    assistant: Assistant, as_of: str, carriers: list[str]
) -> None:
    answer = assistant.ask("How much did the trust raise to restore the lighthouse?", as_of=as_of)
    assert not answer.refused and answer.citations[0].outlet == "Bay Herald"
    assert [c.outlet for c in answer.citations[0].also_carried_by] == carriers


def test_a_kazan_summit_article_leads_over_the_older_johannesburg_one(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask("Where is the BRICS summit being held?")
    assert not answer.refused
    assert "Kazan" in answer.citations[0].text


def test_retrieval_looks_outside_an_empty_window_up_to_the_as_of_time(assistant: Assistant) -> None:
    passages = assistant.retrieve(
        "Who became chief executive of the Kestrel Bay Port Authority in 2023?", as_of="2025-03-01"
    )
    assert passages  # nothing was published in 2023: the articles after it, up to 1 March 2025
    assert all(p.article.published <= as_of_time("2025-03-01") for p in passages)
    assert "Renn" not in " ".join(p.chunk.text for p in passages)


def test_every_question_prefers_newer_news_and_a_question_about_now_strongly() -> None:
    as_of = datetime(2025, 7, 1, tzinfo=UTC)
    times = TimeSettings()
    plain = scoped_filters(None, time_scope("Who runs the port?", as_of), times)
    now = scoped_filters(None, time_scope("Who runs the port now?", as_of), times)
    assert plain.recency_half_life_days == times.background_half_life_days == 365
    assert now.recency_half_life_days == times.recent_half_life_days == 30
    off = TimeSettings(background_half_life_days=0)
    assert (
        scoped_filters(None, time_scope("Who runs the port?", as_of), off).recency_half_life_days
        is None
    )
    asked = Filters(recency_half_life_days=7)  # the caller's own preference stands
    assert (
        scoped_filters(asked, time_scope("Who runs the port?", as_of), times).recency_half_life_days
        == 7
    )


def test_the_latest_on_a_subject_leads_with_its_newest_source(sample_assistant: Assistant) -> None:
    # two bundled BRICS articles: the enlargement (December 2023), the Kazan summit (October
    # 2024); the older one holds the sentences closest to the bare word "BRICS"
    for question in ("What is the latest on BRICS?", "latest news on BRICS"):
        answer = sample_assistant.ask(question, as_of="2026-01-01")
        assert not answer.refused
        assert "Kazan" in answer.citations[0].text, question
        assert answer.note and "24 October 2024" in answer.note


def test_a_request_for_news_on_a_subject_is_answered_from_it(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("latest news on the bridge", as_of="2026-01-01")
    assert not answer.refused
    assert "Key Bridge" in answer.citations[0].text


@pytest.mark.parametrize(
    ("question", "as_of"),
    [("How many MEPs voted in favour of the AI Act?", "2024-08-01"), ("Who runs the port?", None)],
)
def test_an_older_figure_or_name_from_another_story_is_no_earlier_report(
    sample_assistant: Assistant, question: str, as_of: str | None
) -> None:
    # the writers' contract article gives vote counts and "runs until": another story
    answer = sample_assistant.ask(question, as_of=as_of)
    assert not answer.earlier and "Earlier (" not in answer.text


def test_a_count_told_in_other_words_is_an_answer_as_of_its_day(
    sample_assistant: Assistant,
) -> None:
    # as of 17 October 2024 only the "10,000 soldiers" report is out; "troops" came a day later
    answer = sample_assistant.ask(
        "How many troops has North Korea sent to Russia?", as_of="2024-10-17"
    )
    assert not answer.refused
    assert "10,000 soldiers" in answer.citations[0].text
    assert_nothing_after(answer, "2024-10-17")


def test_a_follow_up_in_chat_asks_the_same_question_of_another_time(assistant: Assistant) -> None:
    chat = ChatService(assistant)
    now = chat.ask(CHIEF, as_of="2025-12-01")
    assert "Tobias Renn" in now.citations[0].text
    then = chat.ask("And in January?", previous=[CHIEF], as_of="2025-12-01")
    assert then.standalone_question == CHIEF.rstrip("?") + " in January?"
    assert "Mara Quint" in then.citations[0].text and "Renn" not in then.text
