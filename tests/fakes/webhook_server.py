"""A loopback stand-in for chat webhooks (Slack, Discord, Telegram, Feishu, generic JSON).

:class:`FakeWebhooks` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` and records every
request (method, path, headers, body).  It answers what each service documents for an accepted
message (see ``tests/fixtures/notify/README.md`` for the shapes and their sources) unless a
fault was queued with :meth:`FakeWebhooks.answer_next` (status and body) or
:meth:`FakeWebhooks.stall_next` (no answer until the client gives up).  Tests point apprise's
service base addresses here with ``monkeypatch`` (:func:`point_services_at`): no test reaches a
real service.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

__all__ = ["FakeWebhooks", "Recorded", "fake_webhooks", "point_services_at"]


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON (every service here posts JSON)."""
        return json.loads(self.body.decode("utf-8"))


#: What each service answers an accepted message with (path prefix → status, body).
_ACCEPTED: tuple[tuple[str, int, bytes], ...] = (
    ("/slack/", 200, b"ok"),
    ("/discord/", 204, b""),
    ("/telegram/", 200, b'{"ok":true,"result":{"message_id":1}}'),
    ("/feishu/", 200, b'{"code":0,"data":{},"msg":"success"}'),
    ("/wecom/", 200, b'{"errcode":0,"errmsg":"ok"}'),
)


class FakeWebhooks:
    """The server; :attr:`url` is its base address, :attr:`requests` what it received."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._faults: deque[tuple[int, bytes, float]] = deque()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                owner._record(
                    Recorded(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body
                    )
                )
                status, answer, pause = owner._answer(self.path)
                if pause:
                    time.sleep(pause)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> FakeWebhooks:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer_next(self, status: int, body: bytes = b"") -> None:
        """The next request gets this answer instead of the service's acceptance."""
        with self._lock:
            self._faults.append((status, body, 0.0))

    def stall_next(self, seconds: float) -> None:
        """The next request is answered only after ``seconds`` (a client timeout first)."""
        with self._lock:
            self._faults.append((200, b"ok", seconds))

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def _answer(self, path: str) -> tuple[int, bytes, float]:
        with self._lock:
            if self._faults:
                return self._faults.popleft()
        for prefix, status, body in _ACCEPTED:
            if path.startswith(prefix):
                return status, body, 0.0
        return 200, b"{}", 0.0


def point_services_at(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    """Send apprise's Slack, Discord, Telegram, Feishu and WeCom requests to ``base``.

    Each plugin keeps its service address in a class attribute; only that host part changes,
    the path and payload are the plugin's own.
    """
    from apprise.plugins.discord import NotifyDiscord
    from apprise.plugins.feishu import NotifyFeishu
    from apprise.plugins.slack import NotifySlack
    from apprise.plugins.telegram import NotifyTelegram
    from apprise.plugins.wecombot import NotifyWeComBot

    monkeypatch.setattr(NotifySlack, "webhook_url", f"{base}/slack/services")
    monkeypatch.setattr(NotifyDiscord, "notify_url", f"{base}/discord/api/webhooks")
    monkeypatch.setattr(NotifyTelegram, "notify_url", f"{base}/telegram/bot")
    monkeypatch.setattr(
        NotifyFeishu, "notify_url", f"{base}/feishu/open-apis/bot/v2/hook/{{token}}/"
    )
    monkeypatch.setattr(
        NotifyWeComBot, "notify_url", f"{base}/wecom/cgi-bin/webhook/send?key={{key}}"
    )


@pytest.fixture
def fake_webhooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWebhooks]:
    """A started server with every supported service pointed at it."""
    server = FakeWebhooks().start()
    point_services_at(monkeypatch, server.url)
    try:
        yield server
    finally:
        server.stop()
