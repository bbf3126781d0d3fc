"""One bounded HTTP exchange with arXiv.

An answer is untrusted and read as a stream within hard limits: at most ``max_body_bytes``
*after* gzip decompression (a 2 MB gzip body can expand to gigabytes), and within a
deadline from connecting to the last byte.  A read timeout fires per socket read, so a
server dripping a byte every few seconds would never trip it; the watchdog of
:mod:`daily_papers.bounded_http` shuts the sockets down when the deadline passes instead.
Every deadline is measured on the injected clock, so a test with a fake clock sees a
deadline pass without waiting for it.

What comes back is an :class:`Answer` (status, headers that matter, body) or a
:class:`Transient` failure to retry; what the answer *means* is :mod:`.answers`' business,
and when to retry is :mod:`.client`'s.
"""

from __future__ import annotations

import socket
import ssl
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from urllib3.exceptions import NameResolutionError
from urllib3.exceptions import SSLError as Urllib3SSLError

from daily_papers.bounded_http import Clock, Watchdog, WatchedAdapter, parse_retry_after
from daily_papers.errors import ArxivError
from daily_papers.errors import ArxivErrorKind as Kind
from daily_papers.escape import console_text

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BODY_BYTES",
    "Answer",
    "Exchange",
    "Session",
    "Transient",
    "safe_url",
    "short",
]

#: ``(connect, read)`` socket timeouts in seconds; the read timeout applies per socket read.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)
#: Largest body accepted, in bytes after decompression.  The largest real answers are about
#: 4.6 MB (an API page of 2000 entries) and 3.7 MB (an RSS feed of 2000 items).
MAX_BODY_BYTES = 25 * 1024 * 1024
_MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_EXCERPT_CHARS = 60

#: The HTTP session type, named here so that only this module imports requests.
Session = requests.Session


def safe_url(base_url: str, params: Mapping[str, str | int] | None = None) -> str:
    """The request URL for messages, without any user:password@ part."""
    parts = urlsplit(base_url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(params) if params else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def short(text: object, limit: int = 80) -> str:
    """Remote or exception text for one line of a message: escaped and cut to ``limit``."""
    clean = console_text(str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size} bytes"


@dataclass(frozen=True)
class Transient:
    """A retryable failure of one attempt: its kind, why, and what arXiv said."""

    kind: Kind
    reason: str
    status: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer, read within the limits."""

    status: int
    content_type: str
    retry_after: float | None
    body: bytes

    def describe(self) -> str:
        if not self.body:
            return f"HTTP {self.status} with an empty body"
        return f"HTTP {self.status} {self.excerpt!r}"

    @property
    def excerpt(self) -> str:
        text = console_text(self.body[: _EXCERPT_CHARS * 4].decode("utf-8", "replace"))
        if len(text) > _EXCERPT_CHARS:
            text = text[: _EXCERPT_CHARS - 1] + "…"
        return text


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (``__cause__``/``__context__``, urllib3's ``reason``)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked: list[Any] = [current.__cause__, current.__context__]
        linked.append(getattr(current, "reason", None))
        linked.extend(current.args[:1])
        stack.extend(item for item in linked if isinstance(item, BaseException))


def _connection_kind(exc: BaseException) -> Kind:
    """DNS, REFUSED, TLS or CONNECTION for a failed connection."""
    chain = list(_causes(exc))
    if any(isinstance(e, (NameResolutionError, socket.gaierror)) for e in chain):
        return Kind.DNS
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return Kind.REFUSED
    if any(
        isinstance(e, (ssl.SSLError, Urllib3SSLError, requests.exceptions.SSLError)) for e in chain
    ):
        return Kind.TLS
    return Kind.CONNECTION


class Exchange:
    """One HTTP request at a time over one kept-alive ``requests.Session``, bounded.

    ``session`` is closed by :meth:`close` only if the exchange made it; the watched
    adapter is mounted on it either way.  ``timeout`` is ``(connect, read)`` per request.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_body_bytes: int = MAX_BODY_BYTES,
        session: Session | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self._clock = clock
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._watchdog = Watchdog(clock)
        adapter = WatchedAdapter(self._watchdog.register)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._deadline = 0.0  # of the request in flight, for messages

    def close(self) -> None:
        self._watchdog.disarm()
        if self._owns_session:
            self._session.close()

    def send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        *,
        headers: Mapping[str, str],
        deadline: float,
        form: bool = False,
    ) -> Answer | Transient:
        """One request with its redirects, read within ``deadline`` s and the size cap.

        ``form`` sends ``params`` as a POST form body instead of the query string.
        """
        ends = self._clock() + deadline
        self._deadline = deadline
        self._watchdog.arm(ends)
        try:
            return self._redirected(method, url, params, headers, ends, form=form)
        finally:
            self._watchdog.disarm()

    def _redirected(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str],
        ends: float,
        *,
        form: bool,
    ) -> Answer | Transient:
        request_url = url
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                response = self._session.request(
                    method,
                    request_url,
                    params=None if form or params is None else dict(params),
                    data=dict(params) if form and params is not None else None,
                    headers=dict(headers),
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout as exc:
                return self._timed_out(exc)
            except requests.ConnectionError as exc:
                return self._connection_failed(exc)
            except requests.RequestException as exc:
                raise ArxivError(
                    f"Could not send a request to {safe_url(url)}: {short(exc)}.",
                    hint="Check the arXiv URL.",
                    url=safe_url(url),
                ) from exc
            try:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    request_url = urljoin(request_url, location)
                    if urlsplit(request_url).scheme not in ("http", "https"):
                        raise ArxivError(
                            f"{safe_url(url)} redirected to a non-http(s) URL.",
                            hint="Check the arXiv URL.",
                            url=safe_url(url),
                            kind=Kind.REDIRECT,
                        )
                    if response.status_code == 303 or not form:
                        # The Location carries the query of a GET; a 303 asks for a GET.
                        method, form, params = "GET", False, None
                    continue  # the redirect's body is never read
                return self._read(response, ends)
            finally:
                response.close()
        return Transient(Kind.CONNECTION, f"more than {_MAX_REDIRECTS} redirects")

    def _timed_out(self, exc: BaseException) -> Transient:
        if self._watchdog.fired:
            return self._deadline_passed()
        phase = "connect" if isinstance(exc, requests.ConnectTimeout) else "read"
        seconds = self.timeout[0] if phase == "connect" else self.timeout[1]
        return Transient(Kind.TIMEOUT, f"no answer within the {seconds:g} s {phase} timeout")

    def _deadline_passed(self) -> Transient:
        return Transient(
            Kind.DEADLINE, f"the answer took longer than the {self._deadline:g} s limit"
        )

    def _connection_failed(self, exc: BaseException) -> Transient:
        if self._watchdog.fired:
            return self._deadline_passed()
        kind = _connection_kind(exc)
        reasons = {
            Kind.DNS: "the host name does not resolve",
            Kind.REFUSED: "the connection was refused",
            Kind.TLS: f"the TLS connection failed ({short(exc.__class__.__name__, 40)})",
        }
        return Transient(kind, reasons.get(kind, f"the connection failed ({short(exc, 60)})"))

    def _read(self, response: requests.Response, ends: float) -> Answer | Transient:
        """The body as a stream: at most ``max_body_bytes`` after decompression."""
        cap = self.max_body_bytes
        too_big = Transient(Kind.OVERSIZE, f"the answer was larger than {_megabytes(cap)}")
        length = response.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > cap:
            return too_big
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding in ("", "identity"):
            decoder = None
        else:
            return Transient(
                Kind.MALFORMED, f"an unrequested Content-Encoding {short(encoding, 20)!r}"
            )
        body = bytearray()
        received = 0
        try:
            while True:
                chunk = response.raw.read(_CHUNK, decode_content=False)
                if not chunk:
                    break
                received += len(chunk)
                if received > cap:
                    return too_big
                if decoder is None:
                    body += chunk
                else:
                    data = chunk
                    while data:
                        body += decoder.decompress(data, min(_CHUNK, cap + 1 - len(body)))
                        if len(body) > cap:
                            return too_big
                        data = decoder.unconsumed_tail
                if self._clock() > ends:
                    return self._deadline_passed()
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            if self._watchdog.fired:
                return self._deadline_passed()
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                return self._timed_out(exc)
            return Transient(
                Kind.CONNECTION, f"the connection broke ({short(type(exc).__name__, 40)})"
            )
        except zlib.error:
            return Transient(Kind.MALFORMED, "the gzip body is corrupt")
        if self._watchdog.fired:
            return self._deadline_passed()
        if decoder is not None and not decoder.eof:
            return Transient(Kind.MALFORMED, "the gzip body is truncated")
        retry_after = parse_retry_after(
            response.headers.get("Retry-After"), datetime.now(timezone.utc)
        )
        return Answer(
            response.status_code,
            response.headers.get("Content-Type", ""),
            retry_after,
            bytes(body),
        )
