"""The browser UI (gradio; serve.py mounts it beside the REST API), built from a
ChatService it is given; every article-derived string is HTML-escaped before display."""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.answer.render import answer_text, long_date
from assistant.chat.session import ChatService
from assistant.chat.writes import Job
from assistant.errors import NewsQAError
from assistant.following import FeedState, stats_with_feeds
from assistant.ingest.dates import parse_published
from assistant.retrieve.filters import Filters
from assistant.retrieve.timescope import as_of_time
from assistant.types import Answer, Carrier, Citation, CitedArticle

EXAMPLES = [
    "Who is joining BRICS?",
    "How many North Korean troops have been sent to Russia?",
    "When did Chandrayaan-3 land on the Moon?",
    "What did the ECB decide in June 2025?",
]
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".json", ".jsonl"]

CSS = """
.source { border-left: 3px solid #888; padding: 4px 10px; margin: 8px 0; }
.source .meta { font-size: 0.85em; opacity: 0.8; }
.source .cited { background: rgba(253, 230, 138, 0.35); }
.source mark { background: #fbbf24; color: inherit; padding: 0 2px; }
.conflict { border: 2px solid #d97706; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.refused { border: 2px solid #6b7280; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.standalone { font-size: 0.85em; opacity: 0.8; }
.note { border: 2px dashed #2563eb; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.source.earlier { border-left-style: dashed; opacity: 0.85; }
"""


def escape(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered; anything else (javascript:, data:) is dropped."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def markdown_escape(text: str) -> str:
    """Article or user text for the chat's markdown: markup characters neutralized."""
    return html.escape(text, quote=False).replace("*", "\\*")


def earlier_label(source: CitedArticle, earlier: Collection[int]) -> str:
    """ " (earlier report)" for an article cited only as an earlier report (an older source
    that gave another value), " (earlier report [4])" when only some of its sentences are."""
    older = [n for n in source.numbers if n in earlier]
    if not older:
        return ""
    if len(older) == len(source.numbers):
        return " (earlier report)"
    return f" (earlier report {''.join(f'[{n}]' for n in older)})"


def numbers_label(source: CitedArticle) -> str:
    return "".join(f"[{n}]" for n in source.numbers)


def source_dates_markdown(answer: Answer) -> str:
    """Who said it and when, one line per cited article: "[1][2] Meridian Wire, 30 December
    2023". Built from the citations, so the answer text is never parsed."""
    if not answer.citations:
        return ""
    lines = ["Closest sources:" if answer.refused else "Sources:"]
    for source in answer.sources:
        c = source.first
        when = long_date(c.published) if c.published else "undated"
        mark = earlier_label(source, answer.earlier)
        name = markdown_escape(c.outlet or c.title)
        lines.append(f"- {numbers_label(source)} {name}, {when}{mark}")
    return "\n".join(lines)


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: its text (rendered from the answer's data, every article
    string escaped), then the LLM note and the sentences the citation check dropped, each
    marked "unsupported", then the date of each cited article."""
    text = answer_text(answer, markdown_escape)
    parts = [text] if text else []
    if answer.note:
        parts.append(f"_{markdown_escape(answer.note)}_")
    if answer.unsupported:
        parts.append(
            "\n".join(f"- ~~{markdown_escape(s)}~~ (unsupported)" for s in answer.unsupported)
        )
    sources = source_dates_markdown(answer)
    if sources:
        parts.append(sources)
    return "\n\n".join(parts)


def marked_sentence(citation: Citation, earlier: bool = False) -> str:
    """The cited sentence, escaped, with its number and its answering words in <mark>;
    `earlier`: labelled as an earlier report."""
    text, pieces, cursor = citation.text, [], 0
    for start, end in citation.answer_spans:
        if start < cursor or end > len(text):
            continue  # spans come sorted and inside the sentence; anything else is ignored
        pieces.append(f"{escape(text[cursor:start])}<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(escape(text[cursor:]))
    label = f'<b class="n">[{citation.n}]</b>' + (" <i>earlier report:</i>" if earlier else "")
    return f'<span class="cited">{label} {"".join(pieces)}</span>'


def cited_paragraphs(
    article_text: str, citations: Sequence[Citation], earlier: Collection[int] = ()
) -> str:
    """The article's paragraphs that hold cited sentences, each once and escaped, with every
    cited sentence in it marked (a sentence not found in the text stands alone); those
    numbered in `earlier` are labelled earlier reports."""
    found: list[tuple[int, Citation]] = []
    alone: list[Citation] = []
    for citation in citations:
        start = article_text.find(citation.text) if citation.text else -1
        if start >= 0:
            found.append((start, citation))
        else:
            alone.append(citation)
    paragraphs: dict[tuple[int, int], list[tuple[int, Citation]]] = {}
    for start, citation in sorted(found, key=lambda pair: pair[0]):
        before = article_text.rfind("\n\n", 0, start)
        after = article_text.find("\n\n", start + len(citation.text))
        bounds = (0 if before < 0 else before + 2, len(article_text) if after < 0 else after)
        paragraphs.setdefault(bounds, []).append((start, citation))
    parts = []
    for (first, last), cited in paragraphs.items():
        pieces, cursor = [], first
        for start, citation in cited:
            if start < cursor:  # the same words cited twice: shown on their own
                alone.append(citation)
                continue
            shown = marked_sentence(citation, citation.n in earlier)
            pieces += [escape(article_text[cursor:start]), shown]
            cursor = start + len(citation.text)
        pieces.append(escape(article_text[cursor:last]))
        parts.append(f"<p>{''.join(pieces)}</p>")
    parts += [f"<p>{marked_sentence(c, c.n in earlier)}</p>" for c in alone]
    return "".join(parts)


def carrier_html(carrier: Carrier) -> str:
    """Another outlet running the story: its name linked to its copy, with its date."""
    name = escape(carrier.name)
    url = safe_url(carrier.url)
    link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
    when = f" ({carrier.published.date().isoformat()})" if carrier.published else ""
    return (link if url else name) + when


def source_html(source: CitedArticle, article_text: str, earlier: Collection[int] = ()) -> str:
    """One cited article: title (linked), outlet, date, the other outlets carrying it, then
    its paragraphs with the cited sentences marked. Sentences numbered in `earlier` are older
    reports that gave another value: labelled so, and the whole entry marked when all are."""
    c = source.first
    when = c.published.date().isoformat() if c.published else "undated"
    url = safe_url(c.url)
    title = escape(c.title)
    link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    heading = link if url else title
    carriers = ", ".join(carrier_html(k) for k in c.also_carried_by)
    also = f" · also carried by {carriers}" if carriers else ""
    only_earlier = all(n in earlier for n in source.numbers)
    kind, mark = ("source earlier", " · earlier report") if only_earlier else ("source", "")
    return (
        f'<div class="{kind}"><b>{numbers_label(source)}</b> {heading}'
        f'<div class="meta">{escape(c.outlet or "unknown outlet")} · {when}{mark}{also}</div>'
        f"{cited_paragraphs(article_text, source.citations, () if only_earlier else earlier)}"
        "</div>"
    )


def sources_panel(answer: Answer, service: ChatService) -> str:
    parts = []
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(
            f'<div class="standalone">Searched for: {escape(answer.standalone_question)}</div>'
        )
    if answer.note:
        parts.append(f'<div class="note">{escape(answer.note)}</div>')
    if answer.refused:
        parts.append('<div class="refused">No answer in the articles. The closest sources:</div>')
    for conflict in answer.conflicts:
        values = "; ".join(
            f"{escape(answer.citation(n).outlet or answer.citation(n).title)}: {escape(v)} [{n}]"
            for v, n in conflict.values
        )
        parts.append(f'<div class="conflict">⚠ Sources disagree: {values}</div>')
    for source in answer.sources:
        article = service.index.catalog.article(source.first.article_id)
        text = article.text if article else ""
        parts.append(source_html(source, text, answer.earlier))
    return "\n".join(parts) or "<p>Sources appear here.</p>"


def build_filters(outlets: Sequence[str] | None, since: str, until: str) -> Filters:
    def date(value: str, name: str) -> Any:
        if not value or not value.strip():
            return None
        parsed = parse_published(value.strip())
        if parsed is None:
            raise NewsQAError(f"{name}: cannot read {value!r} as a date (use YYYY-MM-DD)")
        return parsed

    return Filters(
        outlets=tuple(outlets or ()), since=date(since, "since"), until=date(until, "until")
    )


def read_as_of(value: str | None) -> datetime | None:
    """The as-of time typed in the Filters; None (now) when the box is empty. An unreadable
    value raises ConfigError naming it; a future date is allowed."""
    if not value or not value.strip():
        return None
    return as_of_time(value, name="as of")


CHAT_CONCURRENCY = 8  # questions of the chat answered at once
LIBRARY_COLUMNS = ["id", "title", "outlet", "published", "chunks", "also carried by"]
LIBRARY_ROWS = 500  # the table shows the newest this many; search finds the others


def library_rows(service: ChatService, query: str = "") -> list[list[Any]]:
    """The Library table: the newest LIBRARY_ROWS articles matching `query` (title or outlet,
    theirs or a copy's)."""
    catalog = service.index.catalog
    page = catalog.library(query.strip(), LIBRARY_ROWS)
    copies = catalog.copies_of([article.id for article, _ in page])
    rows = []
    for article, chunks in page:
        carriers = ", ".join(c.outlet or c.title for c in copies[article.id])
        when = article.published.date().isoformat() if article.published else ""
        title = f"{article.title} (partial: feed text only)" if article.partial else article.title
        rows.append([article.id, title, article.outlet or "", when, chunks, carriers])
    return rows


def stats_markdown(service: ChatService) -> str:
    s = stats_with_feeds(service.index)
    return (
        f"**{s['articles']} articles** (+{s['copies']} syndicated copies, {s['partial']} partial), "
        f"{s['chunks']} chunks, {len(s['outlets'])} outlets, {s['feeds']} feeds followed, "
        f"published {s['published_from'] or '?'} to {s['published_to'] or '?'} "
        f"({s['undated']} undated); "
        f"model {s['model']}; index `{escape(s['index'])}`"
    )


def writes_markdown(service: ChatService, shown: int = 8) -> str:
    """The background writes (newest first) and the followed feeds' last polls."""
    jobs = service.writes.jobs()[:shown]
    lines = ["**Background writes**"]
    lines += [f"- {escape(job.progress_line())}" for job in jobs] or ["- none yet"]
    try:
        feeds = list(FeedState.load(service.index.folder).feeds.values())
    except NewsQAError as exc:
        return "\n".join([*lines, f"\n{escape(str(exc))}"])
    if feeds:
        lines.append("\n**Followed feeds**")
        for feed in feeds:
            polled = feed.last_polled or "not yet polled"
            result = f": {feed.last_result}" if feed.last_result else ""
            lines.append(f"- {escape(feed.title or feed.url)}, last poll {polled}{escape(result)}")
    return "\n".join(lines)


def build_ui(service: ChatService) -> Any:
    import gradio as gr

    def outlet_choices() -> list[str]:
        return sorted(o for o in service.index.catalog.outlets() if o != "(unknown)")

    def respond(message, chat, previous, outlets, since, until, as_of, k):
        # A generator: with an LLM the chat shows the text as it is generated, then the
        # checked answer replaces it.
        message = (message or "").strip()
        if not message:
            yield "", chat, previous, gr.update()
            return
        try:
            filters = build_filters(outlets, since, until)
            as_of_moment = read_as_of(as_of)
        except NewsQAError as exc:
            chat = [*chat, {"role": "user", "content": message},
                    {"role": "assistant", "content": escape(str(exc))}]  # fmt: skip
            yield "", chat, previous, gr.update()
            return
        asked = [*chat, {"role": "user", "content": escape(message)}]
        for event in service.ask_stream(message, previous, filters, int(k), as_of=as_of_moment):
            if isinstance(event, str):
                partial = {"role": "assistant", "content": markdown_escape(event) + " …"}
                yield "", [*asked, partial], previous, gr.update()
                continue
            yield (
                "",
                [*asked, {"role": "assistant", "content": answer_markdown(event)}],
                [*previous, event.standalone_question or message],
                sources_panel(event, service),
            )

    def retry(chat, previous, outlets, since, until, as_of, k):
        if not chat or not previous:
            yield chat, previous, gr.update()
            return
        last_question = html.unescape(
            next(m["content"] for m in reversed(chat) if m["role"] == "user")
        )
        for _, new_chat, new_previous, panel in respond(
            last_question, chat[:-2], previous[:-1], outlets, since, until, as_of, k
        ):
            yield new_chat, new_previous, panel

    def follow(job: Job, outputs: int = 4) -> Iterator[tuple[Any, ...]]:
        """The job's progress while it runs in the background, then its outcome with the
        library, stats (and outlet choices) as they are after it."""
        for state in service.writes.follow(job.id):
            if not state.ended:
                yield (f"{escape(state.progress_line())} …", *[gr.update()] * (outputs - 1))
                continue
            message = state.summary if state.state == "done" else f"Failed: {escape(state.summary)}"
            after = (
                library_rows(service),
                stats_markdown(service),
                gr.update(choices=outlet_choices()),
            )
            yield (message, *after[: outputs - 1])

    def add_files(files):
        if not files:
            yield "Choose files first.", gr.update(), gr.update(), gr.update()
            return
        yield from follow(
            service.add_files([Path(f if isinstance(f, str) else f.name) for f in files])
        )

    def web_urls(text: str) -> list[str]:
        return [u for u in (text or "").split() if u.strip()]

    def add_url(text):
        urls = web_urls(text)
        if not urls:
            yield "Paste one or more article URLs first.", gr.update(), gr.update(), gr.update()
            return
        yield from follow(service.add_urls(urls))

    def add_feed(text):
        urls = web_urls(text)
        if not urls:
            yield "Paste one or more feed URLs first.", gr.update(), gr.update(), gr.update()
            return
        yield from follow(service.add_feeds(urls))

    def delete(article_id):
        article_id = (article_id or "").strip()
        if not article_id:
            yield "Give the id of an article first.", gr.update(), gr.update()
            return
        yield from follow(service.delete([article_id]), outputs=3)

    def api_as_of(value: str) -> datetime | None:
        # a client sees the one-line message, not gradio's generic "Error"
        try:
            return read_as_of(value)
        except NewsQAError as exc:
            raise gr.Error(str(exc)) from None

    # The names below are the Gradio client endpoints and the MCP tool names. Both return
    # JSON text: an MCP client receives a tool's result as str(result), and a dict would
    # arrive as its Python repr.
    def ask(question: str, k: int = 5, as_of: str = "") -> str:
        """Answer a question from the indexed news articles, citing the source sentences.

        Args:
            question: the question, in plain words
            k: how many passages to read (1-50)
            as_of: answer as of this date, YYYY-MM-DD (or an ISO date and time); nothing
                published later is cited; empty means now

        Returns:
            A JSON object, the same as `newsqa ask --json`: the answer text, its sentences
            with their citation numbers, the citations (each with the character spans of
            the answering words), the cited articles, conflicts and earlier reports.
        """
        answer = service.ask(question, (), None, int(k), as_of=api_as_of(as_of))
        return json.dumps(answer.as_json())

    def retrieve(question: str, k: int = 5, as_of: str = "") -> str:
        """The passages of the indexed news articles that best match a question.

        Args:
            question: the question or search words
            k: how many passages to return (1-50)
            as_of: search as of this date, YYYY-MM-DD (or an ISO date and time); nothing
                published later is returned; empty means now

        Returns:
            A JSON array of passages: text, score and the article's metadata.
        """
        from assistant.chat.api import passage_json

        passages = service.retrieve(question, int(k), as_of=api_as_of(as_of))
        return json.dumps([passage_json(p) for p in passages])

    with gr.Blocks(title="newsqa") as demo:
        gr.Markdown("# newsqa\nAsk about the indexed news; answers quote their sources.")
        with gr.Tab("Chat"):
            previous = gr.State([])
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Answers", height=480, sanitize_html=True, buttons=["copy"]
                    )
                    question = gr.Textbox(
                        placeholder="Ask about the news…", show_label=False, elem_id="question"
                    )
                    with gr.Row():
                        ask_button = gr.Button("Ask", variant="primary", elem_id="ask")
                        retry_button = gr.Button("Retry", elem_id="retry")
                        clear_button = gr.Button("Clear chat", elem_id="clear")
                    gr.Examples(EXAMPLES, inputs=question)
                    with gr.Accordion("Filters (apply to the next question)", open=False):
                        outlets = gr.Dropdown(
                            outlet_choices(), multiselect=True, label="Outlets", elem_id="outlets"
                        )
                        with gr.Row():
                            since = gr.Textbox(label="Published since (YYYY-MM-DD)")
                            until = gr.Textbox(label="Published until (YYYY-MM-DD)")
                        as_of = gr.Textbox(
                            label="As of (YYYY-MM-DD, empty = now)", elem_id="as-of",
                            info="Answer as on that day: nothing published later is read.",
                        )  # fmt: skip
                        k = gr.Slider(1, 20, value=5, step=1, label="Passages to read")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML("<p>Sources appear here.</p>", elem_id="sources")
            inputs = [question, chat, previous, outlets, since, until, as_of, k]
            outputs = [question, chat, previous, sources]
            # questions run side by side (each reads one committed state of the index)
            chat_events = {"concurrency_id": "chat", "concurrency_limit": CHAT_CONCURRENCY}
            question.submit(respond, inputs, outputs, api_visibility="private", **chat_events)
            ask_button.click(respond, inputs, outputs, api_visibility="private", **chat_events)
            retry_button.click(
                retry, [chat, previous, outlets, since, until, as_of, k], [chat, previous, sources],
                api_visibility="private",
            )  # fmt: skip
            clear_button.click(
                lambda: ([], [], "<p>Sources appear here.</p>"), None, [chat, previous, sources],
                api_visibility="private",
            )  # fmt: skip
        with gr.Tab("Library"):
            # callables: each page load reads the index as it is now (other processes write too)
            stats = gr.Markdown(lambda: stats_markdown(service), elem_id="stats")
            with gr.Row():
                upload = gr.File(
                    file_count="multiple", file_types=UPLOAD_TYPES, label="Article files",
                    elem_id="upload",
                )  # fmt: skip
                with gr.Column():
                    add_button = gr.Button("Add to index", variant="primary", elem_id="add")
                    add_status = gr.Markdown(elem_id="add-status")
            with gr.Row(equal_height=True):
                url_box = gr.Textbox(
                    label="Article URLs (separated by spaces)", lines=1, elem_id="url-box",
                    placeholder="https://...", scale=4,
                )  # fmt: skip
                add_url_button = gr.Button("Add URL", elem_id="add-url", scale=1)
            with gr.Row(equal_height=True):
                feed_box = gr.Textbox(
                    label="RSS or Atom feed URLs (followed: re-polled in the background)",
                    lines=1, elem_id="feed-box", placeholder="https://.../feed.xml", scale=4,
                )  # fmt: skip
                add_feed_button = gr.Button("Add feed", elem_id="add-feed", scale=1)
            search = gr.Textbox(
                label=f"Search titles and outlets (the table shows the newest {LIBRARY_ROWS})"
            )
            table = gr.Dataframe(
                lambda: library_rows(service), headers=LIBRARY_COLUMNS, interactive=False,
                elem_id="library",
            )  # fmt: skip
            writes_panel = gr.Markdown(lambda: writes_markdown(service), elem_id="writes")
            gr.Timer(2.0).tick(
                lambda: writes_markdown(service), None, writes_panel, api_visibility="private"
            )
            with gr.Row():
                delete_id = gr.Textbox(label="Article id to delete")
                delete_button = gr.Button("Delete", variant="stop")
                delete_status = gr.Markdown()
            add_button.click(add_files, upload, [add_status, table, stats, outlets],
                             api_visibility="private")  # fmt: skip
            add_url_button.click(add_url, url_box, [add_status, table, stats, outlets],
                                 api_visibility="private")  # fmt: skip
            add_feed_button.click(add_feed, feed_box, [add_status, table, stats, outlets],
                                  api_visibility="private")  # fmt: skip
            search.change(lambda q: library_rows(service, q), search, table,
                          api_visibility="private")  # fmt: skip
            delete_button.click(delete, delete_id, [delete_status, table, stats],
                                api_visibility="private")  # fmt: skip
        # each page load offers the outlets of the index as it is now
        demo.load(lambda: gr.update(choices=outlet_choices()), None, outlets,
                  api_visibility="private")  # fmt: skip
        gr.api(ask, api_name="ask")
        gr.api(retrieve, api_name="retrieve")
    return demo
