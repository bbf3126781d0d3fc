"""One bounded JSON POST to a summarising endpoint: the only ``requests`` user besides arXiv's.

Kept apart from :mod:`daily_papers.arxiv.exchange` because nothing about arXiv applies here
(no redirects to follow, no feeds, no arXiv errors), but built on the same two rules, since
the answer is just as untrusted: the body is read as a stream and refused past
``max_body_bytes``, and the whole exchange, from connecting to the last byte, ends at a
deadline on the injected clock.  A read timeout bounds only one socket read, so a timer
shuts the exchange's sockets down when the deadline passes; that is what stops a server
that drips its answer.

The key goes in one header and is never part of a message; messages name the address
without any ``user:password@`` part.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from daily_papers import defaults

__all__ = ["Clock", "Endpoint", "Reply", "Unreached", "safe_url"]

#: A monotonic clock in seconds (``time.monotonic`` in production).
Clock = Callable[[], float]

_CHUNK = 16 * 1024
_CONNECT_TIMEOUT = 10.0
_POLL = 0.05


def safe_url(url: str) -> str:
    """``url`` for messages: no credentials, no query."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path, "", ""))


@dataclass(frozen=True)
class Reply:
    """A complete answer: its status, ``Retry-After`` in seconds (or None) and its body."""

    status: int
    retry_after: float | None
    body: bytes

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None


@dataclass(frozen=True)
class Unreached:
    """No complete answer: ``kind`` is ``timeout``, ``connection`` or ``oversize``."""

    kind: str
    reason: str


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date); None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    with contextlib.suppress(ValueError):
        return max(0.0, float(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class _Sockets:
    """The exchange's sockets, shut down from a watcher thread when the deadline passes."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._open: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.fired = False

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    @contextlib.contextmanager
    def watched(self, ends: float) -> Any:
        stop = threading.Event()
        self.fired = False

        def watch() -> None:
            while not stop.wait(_POLL):
                if self._clock() >= ends:
                    self.fired = True
                    with self._lock:
                        sockets = list(self._open)
                    for sock in sockets:
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)
                    return

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()  # a run leaves no thread behind


def _adapter(register: Callable[[socket.socket], None]) -> HTTPAdapter:
    """requests' adapter whose every new socket is handed to ``register``."""

    class Connection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class SecureConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}

    return Adapter()


class Endpoint:
    """POSTs JSON to one address over a kept-alive session, each exchange bounded."""

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        clock: Clock,
        max_body_bytes: int = defaults.SUMMARIZE_MAX_BODY,
    ) -> None:
        self.url = url
        self._headers = {"Content-Type": "application/json", **headers}
        self._clock = clock
        self._cap = max_body_bytes
        self._sockets = _Sockets(clock)
        self._session = requests.Session()
        adapter = _adapter(self._sockets.add)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def post(self, document: Mapping[str, Any], seconds: float) -> Reply | Unreached:
        """One POST of ``document``, answered completely within ``seconds`` or not at all."""
        ends = self._clock() + seconds
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        with self._sockets.watched(ends):
            try:
                response = self._session.post(
                    self.url,
                    data=data,
                    headers=self._headers,
                    timeout=(min(_CONNECT_TIMEOUT, seconds), seconds),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout:
                return self._late(seconds)
            except requests.RequestException as exc:
                if self._sockets.fired:
                    return self._late(seconds)
                return Unreached("connection", f"{safe_url(self.url)}: {type(exc).__name__}")
            try:
                return self._read(response, ends, seconds)
            finally:
                response.close()

    def _late(self, seconds: float) -> Unreached:
        return Unreached("timeout", f"no complete answer within {seconds:.0f} s")

    def _read(self, response: requests.Response, ends: float, seconds: float) -> Reply | Unreached:
        too_big = Unreached("oversize", f"the answer was larger than {self._cap} bytes")
        body = bytearray()
        try:
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > self._cap:
                    return too_big
                if self._clock() > ends:
                    return self._late(seconds)
        except (requests.RequestException, OSError):
            if self._sockets.fired:
                return self._late(seconds)
            return Unreached("connection", "the connection broke during the answer")
        if self._sockets.fired:
            return self._late(seconds)
        return Reply(
            response.status_code, _retry_after(response.headers.get("Retry-After")), bytes(body)
        )
