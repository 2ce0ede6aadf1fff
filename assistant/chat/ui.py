"""The browser UI: the only module that imports gradio.

For now a status page showing what the index holds; the chat comes with the UI issue.
"""

from __future__ import annotations

import html
from typing import Any

from assistant.index.build import NewsIndex


def status_markdown(index: NewsIndex) -> str:
    stats = index.stats()
    outlets = ", ".join(html.escape(name) for name in stats["outlets"]) or "none"
    return (
        "# newsqa\n\n"
        f"The index `{html.escape(stats['index'])}` holds **{stats['articles']} articles** "
        f"({stats['chunks']} chunks) from {outlets}, published "
        f"{stats['published_from'] or '?'} to {stats['published_to'] or '?'}.\n\n"
        "The chat is not built yet; use `newsqa stats` and `newsqa ingest` meanwhile."
    )


def build_ui(index: NewsIndex) -> Any:
    import gradio as gr

    with gr.Blocks(title="newsqa") as demo:
        gr.Markdown(status_markdown(index))
    return demo
