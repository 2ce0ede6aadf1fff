"""The `newsqa` command: ingest, refresh, watch, feeds, stats, delete, ask, eval, serve.

A NewsQAError becomes a one-line error."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from assistant import offline
from assistant.errors import IndexDamagedError, NewsQAError

EXIT_FAILED_SOURCES = 1
EXIT_ERROR = 2
EXIT_DAMAGED = 1


def _settings() -> Any:
    from assistant.settings import load_settings

    return load_settings()


def _progress_bar(enabled: bool) -> tuple[Any, Any]:
    """A tqdm bar over sources with articles/s and chunks/s, and its callback; on a stderr
    that is not a terminal, a plain line every few seconds instead (and no bar)."""
    if not enabled:
        return None, None
    from assistant.progress import every, is_terminal, log_line

    def rates(p: Any) -> str:
        rate = max(p.elapsed, 1e-6)
        return (
            f"{p.articles} articles ({p.articles / rate:.1f}/s), "
            f"{p.chunks} chunks ({p.chunks / rate:.1f}/s)"
        )

    if not is_terminal(sys.stderr):
        due = every()

        def on_line(p: Any) -> None:
            if due(p.sources_done == p.sources_total):
                log_line(f"newsqa: {p.sources_done}/{p.sources_total} sources, {rates(p)}")

        return None, on_line
    from tqdm import tqdm

    bar = tqdm(total=0, unit="source", file=sys.stderr, dynamic_ncols=True, leave=False)

    def on_progress(p: Any) -> None:
        bar.total = p.sources_total
        bar.n = p.sources_done
        bar.set_postfix_str(rates(p), refresh=False)
        bar.refresh()

    return bar, on_progress


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.index.build import NewsIndex
    from assistant.index.embeddings import Embedder

    if not args.sources and not args.feed:
        raise_usage("ingest: name at least one SOURCE or --feed URL")
    settings = _settings()
    embedder = Embedder.packaged(settings.embedding.batch_size)
    bar, on_progress = _progress_bar(not args.quiet and not args.json)
    polls: list[Any] = []
    with NewsIndex.open(settings, args.index, embedder=embedder, create=True) as index:
        try:
            report = index.ingest(args.sources, on_progress)
            if args.feed:
                polls, from_feeds = _poll(index, args.feed, on_progress)
                report = report.merged(from_feeds)
        finally:
            if bar is not None:
                bar.close()
        articles, chunks = index.catalog.counts()
    _print_ingest(report, polls, articles, chunks, as_json=args.json)
    return EXIT_FAILED_SOURCES if report.failed else 0


def raise_usage(message: str) -> None:
    from assistant.errors import ConfigError

    raise ConfigError(message)


def _poll(
    index: Any, urls: Sequence[str], on_progress: Any, write_lock: Any = None
) -> tuple[list[Any], Any]:
    from assistant.following import poll_feeds
    from assistant.ingest.web import FetchPolicy

    policy = FetchPolicy.from_settings(index.settings)
    return poll_feeds(index, urls, policy, on_progress, write_lock=write_lock)


def _print_ingest(
    report: Any, polls: Sequence[Any], articles: int, chunks: int, *, as_json: bool
) -> None:
    for failure in report.failed:
        print(f"newsqa: failed: {failure}", file=sys.stderr)
    for poll in polls:
        for note in poll.partial:
            print(f"newsqa: partial: {note}", file=sys.stderr)
    if as_json:
        feeds = [
            {
                "url": p.url,
                "title": p.title,
                "entries": p.entries,
                "new_or_changed": p.fetched,
                "not_modified": p.not_modified,
                "error": p.error.reason if p.error else None,
                "partial": [n.source for n in p.partial],
            }
            for p in polls
        ]
        extra = {"feeds": feeds} if polls else {}
        print(json.dumps({**report.as_json(), **extra, "articles": articles, "chunks": chunks}))
        return
    for poll in polls:
        print(f"feed {poll.summary()}")
    rate = report.chunks_written / report.seconds if report.seconds else 0.0
    print(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"copies of stored stories {len(report.copies)}, "
        f"unchanged {len(report.unchanged)}, failed {len(report.failed)}"
        f"; {report.chunks_written} chunks written in {report.seconds:.1f} s "
        f"({rate:.1f} chunks/s); index now holds {articles} articles, {chunks} chunks"
    )


def _followed_feeds(index: Any) -> list[str]:
    from assistant.following import FeedState

    return list(FeedState.load(index.folder).feeds)


def cmd_refresh(args: argparse.Namespace) -> int:
    """Re-poll every feed the index follows, once."""
    from assistant.index.build import NewsIndex
    from assistant.index.embeddings import Embedder

    settings = _settings()
    with NewsIndex.open(
        settings, args.index, embedder=Embedder.packaged(settings.embedding.batch_size)
    ) as index:
        urls = _followed_feeds(index)
        if not urls:
            print("the index follows no feeds; add one with `newsqa ingest --feed URL`")
            return 0
        polls, report = _poll(index, urls, None)
        articles, chunks = index.catalog.counts()
    _print_ingest(report, polls, articles, chunks, as_json=args.json)
    return EXIT_FAILED_SOURCES if report.failed else 0


def parse_interval(text: str) -> float:
    """Seconds in "90", "90s", "15m", "2h" (at least 10 seconds)."""
    import re

    from assistant.errors import ConfigError

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text or "")
    if not match:
        raise ConfigError(f"--every: cannot read {text!r} (use e.g. 90s, 15m, 2h)")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if seconds < 10:
        raise ConfigError(f"--every: {text!r} is too often; poll at most every 10 s")
    return seconds


def cmd_watch(args: argparse.Namespace) -> int:
    """Poll feeds every interval until interrupted (or for --polls rounds)."""
    import contextlib
    import time

    from assistant.errors import IndexBusyError
    from assistant.index.build import NewsIndex
    from assistant.index.embeddings import Embedder

    every = parse_interval(args.every)
    settings = _settings()
    embedder = Embedder.packaged(settings.embedding.batch_size)
    with NewsIndex.open(settings, args.index, embedder=embedder, create=True) as index:
        urls = list(dict.fromkeys([*args.feeds, *_followed_feeds(index)]))
        if not urls:
            raise_usage("watch: name at least one FEED URL or follow one with ingest --feed")
        print(f"watching {len(urls)} feed(s) every {args.every}; Ctrl-C stops", flush=True)
        round_ = 0
        while True:
            round_ += 1
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            try:
                # fetch first, then hold the index lock only while writing
                polls, report = _poll(index, urls, None, write_lock=contextlib.nullcontext())
            except IndexBusyError as exc:
                print(f"[{stamp}] skipped: {exc}", file=sys.stderr, flush=True)
            else:
                articles, chunks = index.catalog.counts()
                print(f"[{stamp}] poll {round_}", flush=True)
                _print_ingest(report, polls, articles, chunks, as_json=False)
                sys.stdout.flush()
            if args.polls and round_ >= args.polls:
                return 0
            time.sleep(every)


def cmd_feeds(args: argparse.Namespace) -> int:
    """List the feeds an index follows, or stop following some."""
    from assistant.following import FeedState
    from assistant.index.build import NewsIndex

    with NewsIndex.open(_settings(), args.index) as index:
        state = FeedState.load(index.folder)
        if args.remove:
            missing = [u for u in args.remove if not state.forget(u)]
            state.save()
            for url in missing:
                print(f"newsqa: failed: {url}: not a followed feed", file=sys.stderr)
            print(f"following {len(state.feeds)} feed(s)")
            return EXIT_FAILED_SOURCES if missing else 0
    if args.json:
        print(json.dumps([{**vars(r), "entries": len(r.entries)} for r in state.feeds.values()]))
        return 0
    if not state.feeds:
        print("no feeds followed")
    for record in state.feeds.values():
        title = f" ({record.title})" if record.title else ""
        print(
            f"{record.url}{title}: {len(record.entries)} entries indexed; "
            f"last polled {record.last_polled or 'never'}: {record.last_result or '-'}"
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from assistant.following import stats_with_feeds
    from assistant.index.build import NewsIndex

    with NewsIndex.open(_settings(), args.index) as index:
        stats = stats_with_feeds(index)
    if args.json:
        print(json.dumps(stats))
        return 0
    print(f"index      {stats['index']}  (vectors: {stats['vectors']})")
    print(f"articles   {stats['articles']}")
    print(f"chunks     {stats['chunks']}")
    print(
        f"also       {stats['copies']} syndicated copies stored as aliases, "
        f"{stats['revised']} revised, {stats['partial']} partial (feed text only)"
    )
    print(f"feeds      {stats['feeds']}")
    print(
        f"published  {stats['published_from'] or '-'} .. {stats['published_to'] or '-'}  "
        f"({stats['undated']} undated)"
    )
    print(f"model      {stats['model']} ({stats['dimensions']} dims)")
    print("outlets    " + (", ".join(f"{k} ({v})" for k, v in stats["outlets"].items()) or "-"))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check an index against its catalog and repair what is derived from it."""
    from assistant.index.build import NewsIndex
    from assistant.index.embeddings import Embedder

    settings = _settings()
    embedder = Embedder.packaged(settings.embedding.batch_size)
    with NewsIndex.open(settings, args.index, embedder=embedder, heal=False) as index:
        found = index.examine()
        print(f"index      {index.folder}")
        for line in found.lines():
            print(line)
        if found.consistent:
            print("consistent: nothing to repair")
            return 0
        fixed = index.repair_all()
        print(
            f"repaired   {fixed['chunks_restored']} vectors restored, "
            f"{fixed['orphans_deleted']} stray vectors deleted, keyword index rebuilt"
        )
        after = index.examine()
        print("consistent after repair" if after.consistent else "still inconsistent:")
        for line in [] if after.consistent else after.lines():
            print(line)
        return 0 if after.consistent else EXIT_DAMAGED


def cmd_delete(args: argparse.Namespace) -> int:
    from assistant.index.build import NewsIndex

    with NewsIndex.open(_settings(), args.index) as index:
        deleted, missing = index.delete(args.article_ids)
    for article_id in missing:
        print(f"newsqa: failed: no article with id {article_id!r}", file=sys.stderr)
    print(f"deleted {len(deleted)} article(s)")
    return EXIT_FAILED_SOURCES if missing else 0


def _date(value: str | None, flag: str) -> Any:
    from assistant.errors import ConfigError
    from assistant.ingest.dates import parse_published

    if value is None:
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise ConfigError(f"{flag}: cannot read {value!r} as a date (use YYYY-MM-DD)")
    return parsed


def as_of_label(moment: datetime) -> str:
    """ "21 October 2024" for an as-of given as a date (the end of that day, UTC); the time
    too when one was given."""
    from assistant.answer.render import long_date

    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (23, 59, 59, 999_999):
        return long_date(utc)
    return f"{long_date(moment)}, {moment:%H:%M} {moment.tzname() or 'UTC'}"


def _source_lines(source: Any, earlier: Sequence[int]) -> list[str]:
    """One cited article: "[1, 2] title - outlet - date - link (also carried by ...)", then
    each cited sentence, with its number when the article has more than one (and marked
    when it is an earlier report in an article also cited for the current answer)."""
    c = source.first
    when = c.published.date().isoformat() if c.published else "undated"
    where = " - ".join(x for x in (c.outlet, when, c.url) if x)
    carriers = ", ".join(
        " - ".join(x for x in (k.name, k.published and k.published.date().isoformat()) if x)
        for k in c.also_carried_by
    )
    also = f" (also carried by {carriers})" if carriers else ""
    numbers = ", ".join(str(n) for n in source.numbers)
    lines = [f"[{numbers}] {c.title} - {where}{also}"]
    if len(source.citations) == 1:
        return [*lines, f'    "{c.text}"']
    for cited in source.citations:
        label = "(earlier report) " if cited.n in earlier else ""
        lines.append(f'    [{cited.n}] {label}"{cited.text}"')
    return lines


def format_answer(answer: Any, *, show_as_of: bool = False) -> str:
    """The answer for a terminal: the as-of date (when one was asked for), text, the LLM
    note and dropped sentences, then the cited articles, each once with its date and the
    sentences cited from it; articles cited only as older reports that gave another value
    come last, under their own heading."""
    lines = [f"As of {as_of_label(answer.as_of)}", ""] if show_as_of and answer.as_of else []
    lines += [answer.text, ""]
    if answer.note:
        lines += [f"({answer.note})", ""]
    for sentence in answer.unsupported:
        lines.append(f"  unsupported, dropped: {sentence}")
    if answer.unsupported:
        lines.append("")
    older = [s for s in answer.sources if all(n in answer.earlier for n in s.numbers)]
    current = [s for s in answer.sources if s not in older]
    if current:
        lines.append("Closest sources:" if answer.refused else "Sources:")
    for source in current:
        lines += _source_lines(source, answer.earlier)
    if older:
        lines += ["", "Earlier reports:"] if current else ["Earlier reports:"]
    for source in older:
        lines += _source_lines(source, answer.earlier)
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.pipeline import Assistant
    from assistant.retrieve.filters import Filters
    from assistant.retrieve.timescope import as_of_time

    # read before the index and the model load, so a typo fails at once
    as_of = None if args.as_of is None else as_of_time(args.as_of, name="--as-of")
    filters = Filters(
        outlets=tuple(args.outlet or ()),
        since=_date(args.since, "--since"),
        until=_date(args.until, "--until"),
        recency_half_life_days=args.recent,
    )
    assistant = Assistant.from_index(
        args.index, settings=_settings(), k=args.k, answerer=args.answerer
    )
    try:
        answer = assistant.ask(args.question, filters=filters, as_of=as_of)
    finally:
        assistant.close()
    shown = format_answer(answer, show_as_of=as_of is not None)
    print(json.dumps(answer.as_json()) if args.json else shown)
    return 0


def _question_bar(label: str, quiet: bool) -> Any:
    """A progress callback (done, total) drawing a tqdm bar on stderr (a plain line every
    few seconds when stderr is not a terminal); None when quiet."""
    if quiet:
        return None
    from assistant.progress import every, is_terminal, log_line

    if not is_terminal(sys.stderr):
        due = every()

        def on_line(done: int, total: int) -> None:
            if due(done == total):
                log_line(f"newsqa: {label} {done}/{total} questions")

        return on_line
    from tqdm import tqdm

    bar = tqdm(desc=label, unit="q", file=sys.stderr, leave=False)

    def on_progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return on_progress


DATASETS = ("realtimeqa", "realtimeqa-2023q1", "rgb", "rgb-negative")
SPLIT_DATASETS = ("realtimeqa", "realtimeqa-2023q1")


def _load_dataset(args: argparse.Namespace) -> tuple[Any, str]:
    """A public set (articles and questions) from --corpus-root, and the report's title."""
    from pathlib import Path

    from assistant.errors import ConfigError

    root = Path(args.corpus_root)
    folder = "rgb" if args.dataset.startswith("rgb") else args.dataset
    if not (root / folder).is_dir():
        raise ConfigError(f"--corpus-root {root}: no {folder} folder there")
    if args.dataset == "realtimeqa":
        from assistant.evaluate.realtimeqa import load_realtimeqa

        data = load_realtimeqa(root, args.split)
    elif args.dataset == "realtimeqa-2023q1":
        from assistant.evaluate.realtimeqa2023 import load_realtimeqa2023

        data = load_realtimeqa2023(root, args.split)
    else:
        from assistant.evaluate.rgb import load_rgb

        data = load_rgb(root, negative=args.dataset == "rgb-negative")
    split = f" {args.split}" if args.dataset in SPLIT_DATASETS else ""
    return data, f"{args.dataset}{split}"


def _cached_dataset_index(args: argparse.Namespace, settings: Any, embedder: Any, data: Any) -> Any:
    """The realtimeqa-2023q1 index, reused from the eval cache or built into it (said on
    stderr either way)."""
    import time
    from pathlib import Path

    from assistant.evaluate.cache import cached_index_folder, open_cached_index, read_stamp
    from assistant.evaluate.realtimeqa2023 import ARTICLES
    from assistant.index.manifest import MANIFEST_FILE

    corpus = Path(args.corpus_root) / ARTICLES
    folder = cached_index_folder(settings, embedder, args.dataset, corpus)
    if read_stamp(folder) is None and (folder / MANIFEST_FILE).exists():
        print(
            f"{args.dataset}: completing the index at {folder} (not stamped complete: ingesting "
            "the corpus again, which skips every article already stored)",
            file=sys.stderr,
        )
    elif read_stamp(folder) is None:
        print(
            f"{args.dataset}: building the index at {folder} ({len(data.articles)} articles; "
            "about 25 minutes on 2 cores, once: later runs reuse it)",
            file=sys.stderr,
        )
    started = time.perf_counter()
    bar, on_progress = _progress_bar(not args.quiet)
    try:
        cached = open_cached_index(
            settings, embedder, args.dataset, corpus, data.articles, on_progress
        )
    finally:
        if bar is not None:
            bar.close()
    articles, chunks = cached.index.catalog.counts()
    holds = f"{articles} articles, {chunks} chunks"
    if cached.ingest is None:
        print(f"{args.dataset}: reused the index at {folder} ({holds})", file=sys.stderr)
    else:
        report = cached.ingest
        for failure in report.failed:
            print(f"newsqa: failed: {failure}", file=sys.stderr)
        print(
            f"{args.dataset}: the index at {folder} is complete, stamped for reuse "
            f"({holds}); this run added {len(report.added)} articles and "
            f"{len(report.copies)} copies and found {len(report.unchanged)} already stored "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    return cached.index


def _temporary_index(args: argparse.Namespace, embedder: Any, articles: Any, tmp: str) -> Any:
    """An index of the dataset's articles or of --corpus, in `tmp` (gone after the run)."""
    from pathlib import Path

    from assistant.index.build import NewsIndex
    from assistant.ingest.loaded import loaded_articles
    from assistant.settings import load_settings

    index = NewsIndex.open(
        load_settings(indexes_dir=Path(tmp)), "eval", embedder=embedder, create=True
    )
    bar, on_progress = _progress_bar(not args.quiet)
    try:
        if articles is not None:
            report = index.ingest_articles(loaded_articles(articles), on_progress)
        else:
            report = index.ingest(args.corpus, on_progress)
    finally:
        if bar is not None:
            bar.close()
    for failure in report.failed:
        print(f"newsqa: failed: {failure}", file=sys.stderr)
    return index


def _print_table(rows: dict[str, dict[str, Any]], first: str, columns: Sequence[str]) -> None:
    from assistant.evaluate.report import fmt

    print(f"| {first} | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(fmt(row[c]) for c in columns) + " |")


def cmd_eval(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from assistant.errors import ConfigError
    from assistant.evaluate.dataset import load_questions
    from assistant.evaluate.report import CATEGORY_COLUMNS, MAIN_METRICS, compare, write_report
    from assistant.evaluate.run import by_category, evaluate, summarize
    from assistant.index.build import NewsIndex
    from assistant.index.embeddings import Embedder
    from assistant.pipeline import Assistant, llm_answerer
    from assistant.retrieve.search import HybridSearch
    from assistant.retrieve.timescope import as_of_time

    if args.compare:
        print(compare(Path(args.compare[0]), Path(args.compare[1])))
        return 0
    # read before anything slow, so a typo fails at once; questions with a date keep theirs
    as_of = as_of_time(args.as_of, name="--as-of") if args.as_of else None
    data, articles = None, None
    if args.dataset:
        data, title = _load_dataset(args)
        questions, articles = data.questions, data.articles
        print(
            f"{title}: {len(questions)} questions, {len(articles)} articles"
            + (
                f" ({data.dropped_questions} questions without a usable gold article left out)"
                if data.dropped_questions
                else ""
            ),
            file=sys.stderr,
        )
        variants = args.retriever or ["hybrid", "dense"]
    elif args.questions:
        questions = load_questions(Path(args.questions))
        title = f"{args.questions}"
        variants = args.retriever or ["hybrid"]
    else:
        raise ConfigError("give a question file, --dataset NAME or --compare A B")

    settings = _settings()
    embedder = Embedder.packaged(settings.embedding.batch_size)
    out = Path(args.out)
    with tempfile.TemporaryDirectory(prefix="newsqa-eval-") as tmp:
        if args.dataset == "realtimeqa-2023q1":
            index = _cached_dataset_index(args, settings, embedder, data)
        elif articles is not None or args.corpus:
            index = _temporary_index(args, embedder, articles, tmp)
        else:
            index = NewsIndex.open(settings, args.index, embedder=embedder)
        summaries, records, categories = {}, {}, {}
        try:
            for mode in variants:
                search = HybridSearch(index, embedder)
                llm = llm_answerer(settings, search, args.answerer)
                assistant = Assistant(search, k=args.k, mode=mode, llm=llm)
                records[mode] = evaluate(
                    assistant, questions, _question_bar(mode, args.quiet), as_of=as_of
                )
                summaries[mode] = summarize(records[mode], args.k)
                categories[mode] = by_category(records[mode])
        finally:
            index.close()
    meta = {
        "title": title,
        "k": args.k,
        "retrievers": variants,
        "model": index.manifest.model,
        "answerer": args.answerer or settings.answerer,
        "as_of": as_of.isoformat() if as_of else None,
    }
    paths = write_report(out, f"newsqa evaluation: {title}", meta, summaries, records, categories)
    shown = [
        metric
        for metric in next(iter(summaries.values()))
        if metric in MAIN_METRICS
        or metric.startswith(
            ("hits@", "evidence", "latency", "llm", "citations_after", "sentences")
        )
    ]
    _print_table({m: {v: s[m] for v, s in summaries.items()} for m in shown}, "metric", variants)
    for mode, rows in categories.items():
        if rows:
            print()
            _print_table(dict(rows), f"category ({mode})", CATEGORY_COLUMNS)
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.chat.serve import serve

    serve(_settings(), index=args.index, host=args.host, port=args.port)
    return 0


def add_answerer_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--answerer",
        choices=["extractive", "llm"],
        help="extractive: quote the sources; llm: the configured language model writes the "
        "answer and its citations are checked (default NEWSQA_ANSWERER or extractive)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsqa", description="Question answering over news articles, with cited sources."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index",
        metavar="NAME_OR_PATH",
        help="index name under indexes/ or a folder path (default: NEWSQA_INDEX or 'default')",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser(
        "ingest", parents=[common], help="add articles from files, folders or web pages"
    )
    ingest.add_argument("sources", nargs="*", metavar="SOURCE", help="file, folder or http(s) URL")
    ingest.add_argument(
        "--feed",
        action="append",
        metavar="URL",
        help="an RSS or Atom feed: index its entries and follow it (repeatable)",
    )
    ingest.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    ingest.set_defaults(func=cmd_ingest)

    refresh = sub.add_parser("refresh", parents=[common], help="re-poll every followed feed")
    refresh.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    refresh.set_defaults(func=cmd_refresh)

    watch = sub.add_parser("watch", parents=[common], help="poll feeds on a schedule")
    watch.add_argument("feeds", nargs="*", metavar="FEED", help="feed URLs (followed ones too)")
    watch.add_argument("--every", default="15m", help="interval: 90s, 15m, 2h (default 15m)")
    watch.add_argument("--polls", type=int, default=0, help="stop after this many polls")
    watch.set_defaults(func=cmd_watch)

    feeds = sub.add_parser("feeds", parents=[common], help="list or forget followed feeds")
    feeds.add_argument("--remove", nargs="+", metavar="URL", help="stop following these")
    feeds.add_argument("--json", action="store_true", help="print as one JSON array")
    feeds.set_defaults(func=cmd_feeds)

    stats = sub.add_parser("stats", parents=[common], help="what the index holds")
    stats.add_argument("--json", action="store_true", help="print as one JSON object")
    stats.set_defaults(func=cmd_stats)

    doctor = sub.add_parser(
        "doctor", parents=[common], help="check an index against its catalog and repair it"
    )
    doctor.set_defaults(func=cmd_doctor)

    delete = sub.add_parser("delete", parents=[common], help="remove articles by id")
    delete.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID")
    delete.set_defaults(func=cmd_delete)

    ask = sub.add_parser("ask", parents=[common], help="answer a question with cited sentences")
    ask.add_argument("question")
    ask.add_argument("--k", type=int, default=5, help="passages to read (default 5)")
    ask.add_argument("--outlet", action="append", help="only this outlet (repeatable)")
    ask.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    ask.add_argument("--until", help="only articles published on or before YYYY-MM-DD")
    ask.add_argument(
        "--as-of",
        metavar="DATE",
        help="answer as of YYYY-MM-DD (the end of that day, UTC) or an ISO date and time: "
        "nothing published later is read, and 'this week' means the week before it "
        "(default: now)",
    )
    ask.add_argument(
        "--recent",
        type=float,
        metavar="DAYS",
        help="prefer newer articles (score halves every DAYS)",
    )
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    add_answerer_flag(ask)
    ask.set_defaults(func=cmd_ask)

    ev = sub.add_parser(
        "eval", parents=[common], help="score answers against a question set, write a report"
    )
    ev.add_argument("questions", nargs="?", help="question set (JSONL, one question a line)")
    ev.add_argument(
        "--corpus", nargs="+", metavar="PATH", help="build a temporary index from these"
    )
    ev.add_argument(
        "--dataset",
        choices=DATASETS,
        help="a public set instead (realtimeqa-2023q1: its index is built once and reused)",
    )
    ev.add_argument(
        "--split",
        default="test",
        choices=["dev", "test", "all"],
        help="RealTimeQA weeks to score (default test); the index holds every week's articles",
    )
    ev.add_argument(
        "--as-of",
        metavar="DATE",
        help="ask questions without a date of their own as of YYYY-MM-DD (end of that day, "
        "UTC) or an ISO time (default: now)",
    )
    ev.add_argument("--corpus-root", default="../shared/corpora", help="where public sets live")
    ev.add_argument("--k", type=int, default=5, help="passages read per question (default 5)")
    ev.add_argument(
        "--retriever",
        nargs="+",
        choices=["hybrid", "dense", "bm25"],
        help="retriever variants to run side by side",
    )
    ev.add_argument("--out", default="eval-report", help="folder for report.md/json, chart.png")
    ev.add_argument("--compare", nargs=2, metavar=("A", "B"), help="difference of two report.json")
    ev.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    add_answerer_flag(ev)
    ev.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", parents=[common], help="start the browser chat")
    serve.add_argument("--host", help="address to bind (default NEWSQA_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default NEWSQA_PORT or 7860)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    offline.enforce()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except IndexDamagedError as exc:  # the index itself needs attention, not the command
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return EXIT_DAMAGED
    except NewsQAError as exc:
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newsqa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
