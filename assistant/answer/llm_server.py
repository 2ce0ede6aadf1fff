"""A small OpenAI-compatible chat server on 127.0.0.1 serving the local SmolLM2 model (or a
fixed scripted reply): `python -m assistant.answer.llm_server --port 8765 [--reply TEXT]
[--delay SECONDS]`.

It answers POST /v1/chat/completions (with `"stream": true` as server-sent events) and
GET /v1/models. Tests use it as a real endpoint for the OpenAI-like backend; users can use
it to try NEWSQA_LLM_URL without installing Ollama or vLLM. `--delay` makes the scripted
reply wait that long before its first word, per request (requests run in threads of their
own, so concurrent requests wait side by side): a slow model for `bench/load.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant.answer.backends import LOCAL_NAME, ChatModel, LocalModel, Message


class ScriptedModel(ChatModel):
    """Always replies with the same text, streamed word by word, after `delay_s` seconds."""

    def __init__(self, reply: str, delay_s: float = 0.0) -> None:
        self.reply = reply
        self.delay_s = delay_s
        self.name = "scripted"

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        if self.delay_s > 0:
            time.sleep(self.delay_s)
        words = self.reply.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word


def completion_chunk(model: str, delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-newsqa",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-newsqa",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def make_handler(chat: ChatModel, model_name: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": model_name, "object": "model"}]})
            else:
                self._json(404, {"error": {"message": f"no route {self.path}"}})

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            try:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                messages = [
                    {"role": str(m["role"]), "content": str(m.get("content") or "")}
                    for m in body["messages"]
                ]
            except (ValueError, KeyError, TypeError) as exc:
                self._json(400, {"error": {"message": f"bad request: {exc}"}})
                return
            if not body.get("stream"):
                self._json(200, completion(model_name, chat.complete(messages)))
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.end_headers()

            def send(payload: dict[str, Any] | str) -> None:
                data = payload if isinstance(payload, str) else json.dumps(payload)
                self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()

            send(completion_chunk(model_name, {"role": "assistant", "content": ""}, None))
            for piece in chat.stream(messages):
                send(completion_chunk(model_name, {"content": piece}, None))
            send(completion_chunk(model_name, {}, "stop"))
            send("[DONE]")

    return Handler


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reply", help="always answer with this text instead of the model")
    parser.add_argument("--max-tokens", type=int, default=120)
    parser.add_argument(
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --reply: wait this long before each answer (a slow model)",
    )
    args = parser.parse_args(argv)
    from assistant import offline

    offline.enforce()
    if args.delay < 0:
        parser.error(f"--delay must be 0 or more seconds, got {args.delay}")
    if args.delay and not args.reply:
        parser.error("--delay needs --reply (it slows the scripted reply)")
    chat: ChatModel = (
        ScriptedModel(args.reply, args.delay) if args.reply else LocalModel(args.max_tokens)
    )
    server = ThreadingHTTPServer((args.host, args.port), make_handler(chat, LOCAL_NAME))
    print(f"serving {chat.name} on http://{args.host}:{args.port}/v1", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
