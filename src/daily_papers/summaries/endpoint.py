"""One bounded JSON POST to a summarising endpoint: the only ``requests`` user besides arXiv's.

Kept apart from :mod:`daily_papers.arxiv.exchange` because nothing about arXiv applies here
(no redirects to follow, no feeds, no arXiv errors), but under the same bounds, since the
answer is just as untrusted: the body is read as a stream and refused past ``max_body_bytes``,
and the whole exchange, from connecting to the last byte, ends at a deadline on the injected
clock (:mod:`daily_papers.bounded_http`'s watchdog, which stops a server that drips its
answer).

The key goes in one header and is never part of a message; messages name the address
without any ``user:password@`` part.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from daily_papers import defaults
from daily_papers.bounded_http import Clock, Watchdog, WatchedAdapter, parse_retry_after

__all__ = ["Endpoint", "Reply", "Unreached", "safe_url"]

_CHUNK = 16 * 1024
_CONNECT_TIMEOUT = 10.0


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
        self._watchdog = Watchdog(clock)
        self._session = requests.Session()
        adapter = WatchedAdapter(self._watchdog.register)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def post(self, document: Mapping[str, Any], seconds: float) -> Reply | Unreached:
        """One POST of ``document``, answered completely within ``seconds`` or not at all."""
        ends = self._clock() + seconds
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        with self._watchdog.watching(ends):
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
                if self._watchdog.fired:
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
            if self._watchdog.fired:
                return self._late(seconds)
            return Unreached("connection", "the connection broke during the answer")
        if self._watchdog.fired:
            return self._late(seconds)
        retry_after = parse_retry_after(
            response.headers.get("Retry-After"), datetime.now(timezone.utc)
        )
        return Reply(response.status_code, retry_after, bytes(body))
