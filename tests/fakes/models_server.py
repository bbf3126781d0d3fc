"""A loopback fake of an OpenAI-compatible chat-completions endpoint (GitHub Models' shape).

:class:`FakeModels` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` and answers ``POST
…/chat/completions``.  By default it reads the papers out of the request (the JSON
document :func:`daily_papers.summaries.protocol.request_document` sends) and answers one
summary per id in the asked-for language, in the recorded completion shape.  Faults are
queued with :meth:`FakeModels.queue`, one per request, in order:

``401``, ``403``, ``429`` (with ``Retry-After``), ``content-filter`` (HTTP 400),
``filtered`` (a 200 whose ``finish_reason`` is ``content_filter``), ``slow`` (answers after
``delay`` seconds), ``drip`` (a byte at a time), ``truncated`` (JSON cut in half, as
``finish_reason: length`` leaves it), ``wrong-language`` (English whatever was asked),
``drop-first`` (leaves the first id out), ``copy-abstract`` (the abstract as the summary),
``hostile`` (Markdown, HTML and a pipe in a summary) and ``500``.

The error bodies are recorded in ``tests/fixtures/summaries/answers.json``, whose
``provenance`` block names where each shape is documented.  Every request is logged
(:attr:`FakeModels.requests`) with its headers and decoded body.
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ANSWERS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "summaries" / "answers.json").read_text(
        encoding="utf-8"
    )
)

#: What the fake writes per language (the language named in the request).
_SENTENCES = {
    "Chinese": "本文提出了一种新方法并在基准上取得了更好的结果。",
    "English": "Proposes a new method and reports better results on standard benchmarks.",
}


@dataclass
class Logged:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def papers(self) -> list[dict[str, str]]:
        """The papers the request asked about."""
        content = json.loads(self.body["messages"][1]["content"])
        return list(content["papers"])


class FakeModels:
    """The server; use as a context manager or through the ``fake_models`` fixture."""

    def __init__(self) -> None:
        self.requests: list[Logged] = []
        self.faults: deque[str] = deque()
        self.delay = 2.0
        self.retry_after = "3600"
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                logged = Logged(self.path, dict(self.headers.items()), body)
                with fake._lock:
                    fake.requests.append(logged)
                    fault = fake.faults.popleft() if fake.faults else "ok"
                fake._answer(self, logged, fault)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL (``…/v1``) to give as ``--summarize-url``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def queue(self, *faults: str) -> None:
        """Answer the next requests with these faults, one each."""
        self.faults.extend(faults)

    def start(self) -> FakeModels:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FakeModels:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ answers

    def _answer(self, handler: BaseHTTPRequestHandler, logged: Logged, fault: str) -> None:
        statuses = {
            "401": "unauthorized",
            "403": "no_entitlement",
            "429": "rate_limited",
            "content-filter": "content_filter",
        }
        if fault in statuses:
            headers = {"Retry-After": self.retry_after} if fault == "429" else {}
            code = 400 if fault == "content-filter" else int(fault)
            _send(handler, code, json.dumps(ANSWERS[statuses[fault]]).encode(), headers)
            return
        if fault == "500":
            _send(handler, 500, b'{"error": {"message": "upstream failed"}}')
            return
        if fault == "slow":
            time.sleep(self.delay)
        papers = logged.papers
        language = json.loads(logged.body["messages"][1]["content"])["language"]
        sentence = _SENTENCES.get(language, _SENTENCES["English"])
        if fault == "wrong-language":
            sentence = _SENTENCES["English"]
        items = {p["id"]: f"{sentence} ({p['title'][:30]})" for p in papers}
        if fault == "drop-first":
            items.pop(papers[0]["id"])
        if fault == "copy-abstract":
            items = {p["id"]: p["abstract"] for p in papers}
        if fault == "hostile":
            items = {
                p["id"]: "Uses **bold** | pipes <script>x</script> [a](https://evil.example) "
                + "x" * 500
                for p in papers
            }
        content = json.dumps({"summaries": items}, ensure_ascii=False)
        answer = copy.deepcopy(ANSWERS["chat_completion"])
        choice = answer["choices"][0]
        if fault == "truncated":
            content = content[: len(content) // 2]
            choice["finish_reason"] = "length"
        if fault == "filtered":
            content = ""
            choice["finish_reason"] = "content_filter"
        choice["message"]["content"] = content
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        if fault == "drip":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            try:
                for byte in data:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        _send(handler, 200, data)


def _send(
    handler: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    with contextlib.suppress(OSError):
        handler.wfile.write(data)


@pytest.fixture
def fake_models() -> Iterator[FakeModels]:
    """A started fake, stopped after the test."""
    with FakeModels() as server:
        yield server
