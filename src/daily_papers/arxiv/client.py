"""The arXiv client: polite, paged, bounded, and loud when arXiv fails.

This is the only module that imports requests.  One :class:`ArxivClient` is made per run
and reused for every topic and both sources (the API and the rss.arxiv.org feeds), because
arXiv's Terms of Use ask for "no more than one request every three seconds, and … a single
connection at a time" (https://info.arxiv.org/help/api/tou.html): the spacing is enforced
client-wide, across pages, topics and sources, and one ``requests.Session`` keeps one
connection alive.

Every answer is untrusted and read as a stream within hard limits (module constants below):
at most :data:`MAX_BODY_BYTES` *after* gzip decompression (a 2 MB gzip body can expand to
gigabytes), within :data:`REQUEST_DEADLINE` wall seconds from connecting to the last byte
(a read timeout fires per socket read, so a server dripping a byte every few seconds would
never trip it; a watchdog shuts the socket down instead), and all requests and waits of a
run within :data:`RUN_BUDGET` seconds.

Failure handling follows what the API does in 2026 (https://info.arxiv.org/help/api/user-manual.html):

* 429/500/502/503/504 and 406 (arXiv's answer to clients without ``Accept``/``User-Agent``,
  also seen as throttling), timeouts, the deadline, a non-Atom body (e.g. the plain-text
  ``Rate exceeded``), malformed XML and a *spurious empty page* (zero entries while
  ``totalResults`` says there are more; lukasschwab/arxiv.py#43, #119) are retried with
  exponential backoff and jitter, honouring ``Retry-After`` (capped), within
  ``max_attempts`` per request and the run's time budget;
* a host name that does not resolve, a refused connection and a TLS failure are not
  throttling: retried once after :data:`CONNECT_RETRY_PAUSE`, then reported as what they
  are; an oversized body is retried once too;
* arXiv's Atom error feed (HTTP 400 on the new backend, HTTP 200 on the old one) becomes
  :class:`~daily_papers.errors.ArxivQueryError` carrying arXiv's message, not retried;
* other statuses (401, 403, 404, 414…) are permanent and raise
  :class:`~daily_papers.errors.ArxivError` at once — after a 403 arXiv treats continued
  requests as an attack.

Every error carries ``kind`` (see :class:`~daily_papers.errors.ArxivError`) so a caller can
stop a run whose requests all fail the same way.  A failed fetch is always an exception,
never an empty list: "fetched, zero new" and "fetch failed" must stay distinguishable (an
empty list once wiped a README for two months).
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import ssl
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError
from urllib3.exceptions import SSLError as Urllib3SSLError

from daily_papers import __version__, defaults
from daily_papers.arxiv.api_page import AtomPage, MalformedFeedError, parse_page
from daily_papers.arxiv.ids import is_arxiv_id, split_version
from daily_papers.errors import ArxivError, ArxivQueryError, ConfigError, QueryError
from daily_papers.errors import ArxivErrorKind as Kind
from daily_papers.escape import console_text
from daily_papers.models import Paper

__all__ = [
    "BACKOFF_BASE",
    "CONNECT_RETRY_PAUSE",
    "DEFAULT_ARXIV_URL",
    "DEFAULT_DELAY",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TIMEOUT",
    "ID_BATCH_SIZE",
    "MAX_BODY_BYTES",
    "MAX_COUNT",
    "REQUEST_DEADLINE",
    "RETRYABLE_STATUSES",
    "RETRY_AFTER_CAP",
    "RUN_BUDGET",
    "ArxivClient",
    "EventSink",
    "default_user_agent",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

#: The endpoint, the largest request, the page size and the spacing: defined once in
#: :mod:`daily_papers.defaults`, named here for the client's callers.
DEFAULT_ARXIV_URL = defaults.ARXIV_API_URL
MAX_COUNT = defaults.MAX_COUNT_LIMIT
DEFAULT_PAGE_SIZE = defaults.ARXIV_PAGE_SIZE
#: Ids per ``id_list`` request of :meth:`ArxivClient.papers_by_id`.
ID_BATCH_SIZE = 100
DEFAULT_DELAY = defaults.ARXIV_DELAY
#: ``(connect, read)`` socket timeouts in seconds; the read timeout applies per socket read.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)
#: Tries per request, the first included.
DEFAULT_MAX_ATTEMPTS = 5
#: Largest body accepted, in bytes after decompression.  The largest real answers are about
#: 4.6 MB (an API page of 2000 entries) and 3.7 MB (an RSS feed of 2000 items).
MAX_BODY_BYTES = 25 * 1024 * 1024
#: Wall seconds one request may take from connecting to its last byte.
REQUEST_DEADLINE = 120.0
#: Seconds all requests and waits of one client (one run) may take: 200 topics at the
#: mandated 3 s take 10 minutes, retries need room, and a job must still end.
RUN_BUDGET = 1800.0
#: Longest ``Retry-After`` honoured (a misconfigured proxy must not stall a run for hours).
RETRY_AFTER_CAP = 120.0
#: Backoff before retry *n* is ``BACKOFF_BASE * 2**(n-1)`` seconds, jittered (see the class).
BACKOFF_BASE = 5.0
#: Pause before the single retry of a connection that could not be made (dns/refused/tls).
CONNECT_RETRY_PAUSE = 1.0
#: Statuses worth retrying: throttling (429, 503, 406) and transient server errors.
RETRYABLE_STATUSES: frozenset[int] = frozenset({406, 429, 500, 502, 503, 504})

#: Failure kinds retried at most once: the same answer is expected the second time.
_RETRIED_ONCE = frozenset({Kind.DNS, Kind.REFUSED, Kind.TLS, Kind.OVERSIZE})
#: Failure kinds after which :data:`CONNECT_RETRY_PAUSE` replaces the backoff.
_CONNECT_KINDS = frozenset({Kind.DNS, Kind.REFUSED, Kind.TLS})
#: The new backend sits on Elasticsearch, which refuses offsets beyond 10,000.
_MAX_OFFSET = 10_000
_MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_EXCERPT_CHARS = 60
_PROJECT_URL = "https://github.com/daily-papers/daily-papers"
_ATOM_ACCEPT = "application/atom+xml"
_FEED_ACCEPT = "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8"

#: Receives one human-readable line before every wait for a retry (the console prints it).
EventSink = Callable[[str], None]
_T = TypeVar("_T")


def default_user_agent() -> str:
    """``daily-papers/<version> (+<project URL>)``: arXiv asks for a descriptive agent."""
    return f"daily-papers/{__version__} (+{_PROJECT_URL})"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    ``None`` when absent or unreadable; never negative.  ``now`` must be timezone-aware
    (RFC 9110 §10.2.3).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _safe_url(base_url: str, params: Mapping[str, str | int] | None = None) -> str:
    """The request URL for messages, without any user:password@ part."""
    parts = urlsplit(base_url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(params) if params else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"The {what} {console_text(repr(url))} is not an http(s) URL.",
            hint=f"Use the default {DEFAULT_ARXIV_URL} or a full mirror URL.",
        )


def _excerpt(body: bytes) -> str:
    text = console_text(body[: _EXCERPT_CHARS * 4].decode("utf-8", "replace"))
    if len(text) > _EXCERPT_CHARS:
        text = text[: _EXCERPT_CHARS - 1] + "…"
    return text


def _short(text: object, limit: int = 80) -> str:
    clean = console_text(str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _looks_like_xml(content_type: str, body: bytes) -> bool:
    """Cheap check before parsing: arXiv's throttling answers are text, not Atom."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/plain", "text/html", "application/json"):
        return False
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


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


@dataclass(frozen=True)
class _Transient:
    """A retryable failure of one attempt: its kind, why, and what arXiv said."""

    kind: Kind
    reason: str
    status: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class _Answer:
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
        return _excerpt(self.body)


@dataclass(frozen=True)
class _Target:
    """What one logical request is for: names and URLs used in messages."""

    label: str  # "topic 'X'" or "the feed …"
    topic: str | None
    endpoint: str  # base URL without credentials, named once in messages
    url: str  # the full request URL without credentials (ArxivError.url)


class _Watchdog:
    """Shuts down the client's sockets when a request's deadline passes.

    A read timeout only bounds the gap between two socket reads, and urllib3 reads the
    status line and headers in many small reads: shutting the socket down from a timer
    thread is the one way to end a drip-fed answer on time, in any phase.
    """

    def __init__(self) -> None:
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.fired = False

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def arm(self, seconds: float) -> None:
        self.disarm()
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        # Joined, not just cancelled: a run leaves no thread behind, so the site phase may
        # fork (see daily_papers.site.render.can_fork_index).
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
            self._timer = None

    def _fire(self) -> None:
        self.fired = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


def _watched_pools(
    register: Callable[[socket.socket], None],
) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose new sockets are handed to ``register`` (the watchdog)."""

    class WatchedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class WatchedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    return {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter, with every connection (proxied too) under the watchdog."""

    def __init__(self, register: Callable[[socket.socket], None]) -> None:
        self._pools = _watched_pools(register)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager


class ArxivClient:
    """Fetch papers from the arXiv API and feeds from rss.arxiv.org, politely and bounded.

    Keyword arguments (all optional; the defaults are the module constants):

    ``base_url``
        API endpoint (the CLI's ``--arxiv-url`` / ``DAILY_PAPERS_ARXIV_URL``).
    ``delay``
        Minimum seconds between the *starts* of any two requests of this client, API and
        feeds alike (ToU: 3).  The previous page is parsed before the wait, so only the
        remainder is slept.
    ``page_size``
        Largest ``max_results`` per request (1–2000); a search uses
        ``min(max_count, page_size)``.
    ``timeout``
        ``(connect, read)`` socket timeouts for each request.
    ``max_attempts``
        Tries per request (first try included) before giving up; connection failures and
        oversized bodies get at most two.
    ``time_budget``
        Seconds all requests *and* waits of this client may take, counted from its first
        request (one client per run, so: per run).  A retry whose backoff would end past it
        is not made, and each request's deadline is cut to what is left.
    ``request_deadline``, ``max_body_bytes``
        Wall seconds per request, and the largest body after decompression.
    ``retry_after_cap``
        Longest ``Retry-After`` honoured, in seconds.
    ``backoff_base``
        Backoff before retry *n* (1-based) is ``backoff_base * 2**(n-1)`` seconds scaled by
        a jitter factor in [0.5, 1) ("equal jitter", so retries of parallel runs spread out
        but never shrink to nothing), and at least the capped ``Retry-After``.  The default
        5 s gives 2.5–5, 5–10, 10–20 and 20–40 s for the four retries of the default five
        attempts — about a minute of patience in all, reaching the 30 s pauses that ended
        429 streaks in 2026 (TideDra/zotero-arxiv-daily#250).
    ``on_event``
        Called with one line (no control characters) before every wait for a retry, e.g.
        ``arXiv asked us to wait 30 s (HTTP 429); retry 2 of 4``.  Without it those lines
        are logged as warnings.  The routine spacing wait is not announced.
    ``session``, ``clock``, ``sleep``, ``rand``
        Seams for tests: the HTTP session (closed by :meth:`close` only if the client made
        it; the client mounts its watched adapter on it), a monotonic clock, the sleeper,
        and a ``[0, 1)`` random source for jitter.
    ``user_agent``
        Overrides :func:`default_user_agent`.

    Attributes ``requests_made`` (HTTP requests sent), ``requests_by_source``
    (``{"api": n, "rss": m}``), ``waited`` (seconds slept to keep the mandated spacing) and
    ``backoff_waited`` (seconds slept before retries) are for benchmarks and logs.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_ARXIV_URL,
        delay: float = DEFAULT_DELAY,
        page_size: int = DEFAULT_PAGE_SIZE,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        time_budget: float = RUN_BUDGET,
        request_deadline: float = REQUEST_DEADLINE,
        max_body_bytes: int = MAX_BODY_BYTES,
        retry_after_cap: float = RETRY_AFTER_CAP,
        backoff_base: float = BACKOFF_BASE,
        on_event: EventSink | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        user_agent: str | None = None,
    ) -> None:
        _check_url(base_url, "arXiv URL")
        if delay < 0:
            raise ConfigError(f"The arXiv delay {delay} is negative.", hint="Use 3 or more.")
        if not 1 <= page_size <= MAX_COUNT:
            raise ConfigError(f"The arXiv page size {page_size} is not between 1 and {MAX_COUNT}.")
        if max_attempts < 1:
            raise ConfigError(f"The arXiv attempt count {max_attempts} is below 1.")
        if (
            time_budget <= 0
            or request_deadline <= 0
            or max_body_bytes <= 0
            or retry_after_cap < 0
            or backoff_base < 0
        ):
            raise ConfigError(
                "The arXiv time budget, deadline, size cap, Retry-After cap and backoff must "
                "be positive."
            )
        self.base_url = base_url
        self.delay = float(delay)
        self.page_size = page_size
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.time_budget = float(time_budget)
        self.request_deadline = float(request_deadline)
        self.max_body_bytes = max_body_bytes
        self.retry_after_cap = float(retry_after_cap)
        self.backoff_base = float(backoff_base)
        self.user_agent = user_agent or default_user_agent()
        self._on_event = on_event
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._watchdog = _Watchdog()
        adapter = _WatchedAdapter(self._watchdog.register)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._last_start: float | None = None
        self._budget_end: float | None = None
        self._deadline = self.request_deadline  # of the request in flight (maybe cut short)
        self.requests_made = 0
        self.requests_by_source: dict[str, int] = {"api": 0, "rss": 0}
        self.waited = 0.0
        self.backoff_waited = 0.0

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        self._watchdog.disarm()
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- public API ----------------------------------------------------------------------

    def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
        """The newest ``max_count`` papers for ``query`` (an arXiv ``search_query``).

        Sorted by ``submittedDate`` descending (the first-version date; ``lastUpdatedDate``
        would bring revised old papers back as "new"), in arXiv's order, each paper once
        with its highest version.  Pages advance ``start`` by the entries received and stop
        at ``totalResults`` or once ``max_count`` papers are in hand (at most one page beyond
        ``max_count`` entries is fetched to make up for duplicates).  ``topic`` only names
        the topic in errors.

        Raises :class:`~daily_papers.errors.ConfigError` for ``max_count`` outside 1–2000,
        :class:`~daily_papers.errors.QueryError` for an empty query,
        :class:`~daily_papers.errors.ArxivQueryError` when arXiv rejects the query and
        :class:`~daily_papers.errors.ArxivError` when arXiv cannot be reached or keeps
        answering garbage.  Never returns a partial list silently.
        """
        if isinstance(max_count, bool) or not 1 <= max_count <= MAX_COUNT:
            raise ConfigError(
                f"The max count {max_count!r} is not between 1 and {MAX_COUNT}.",
                hint="Ask arXiv for at most 2000 papers per topic.",
            )
        if not query.strip():
            raise QueryError(f"The arXiv query for topic {topic or query!r} is empty.")
        name = topic if topic is not None else query
        size = min(max_count, self.page_size)
        found: dict[str, Paper] = {}
        start = 0
        requests_before = self.requests_made
        # Duplicates across pages (new papers shifting the list) may leave us short of
        # max_count: allow one extra page to fill up, never an open-ended walk.
        limit = min(max_count + size, _MAX_OFFSET)
        while len(found) < max_count and start < limit:
            params: dict[str, str | int] = {
                "search_query": query,
                "start": start,
                "max_results": size,
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
            page = self._api_page(params, name, post=False)
            for paper in page.papers:
                previous = found.get(paper.id)
                if previous is None or paper.version > previous.version:
                    found[paper.id] = paper
            start += page.entry_count
            total = page.total_results
            if page.entry_count == 0:
                break  # total reached (a spurious empty page was already retried)
            if total is None and page.entry_count < size:
                break  # no totalResults to go by: a short page is the last one
            if total is not None and start >= total:
                break
        logger.info(
            "arXiv: %d papers for %s in %d requests",
            len(found),
            console_text(name),
            self.requests_made - requests_before,
        )
        return list(found.values())[:max_count]

    def papers_by_id(self, ids: Sequence[str], *, batch_size: int = ID_BATCH_SIZE) -> list[Paper]:
        """The API's record of each of ``ids`` (``2501.01234`` or ``2501.01234v2``).

        Sent as POST ``id_list`` batches of ``batch_size`` (a long GET answers 414), with
        ``max_results`` = ``batch_size``.  Papers come back in the order of ``ids``, once
        each; ids the API does not know yet are simply absent.  Raises
        :class:`~daily_papers.errors.QueryError` for a string that is not an arXiv id, and
        what :meth:`search` raises for failures.
        """
        if isinstance(batch_size, bool) or not 1 <= batch_size <= MAX_COUNT:
            raise ConfigError(f"The id batch size {batch_size!r} is not between 1 and {MAX_COUNT}.")
        wanted: dict[str, None] = {}
        for raw in ids:
            if not isinstance(raw, str) or not is_arxiv_id(raw, versioned=True):
                raise QueryError(
                    f"{console_text(repr(raw))[:100]} is not an arXiv id.",
                    hint="Use ids such as 2501.01234, 2501.01234v2 or hep-th/9901001.",
                )
            wanted[raw] = None
        unique = list(wanted)
        found: dict[str, Paper] = {}
        for first in range(0, len(unique), batch_size):
            batch = unique[first : first + batch_size]
            params: dict[str, str | int] = {
                "id_list": ",".join(batch),
                "start": 0,
                "max_results": batch_size,
            }
            page = self._api_page(params, f"{len(batch)} ids from {batch[0]}", post=True)
            for paper in page.papers:
                previous = found.get(paper.id)
                if previous is None or paper.version > previous.version:
                    found[paper.id] = paper
        result: list[Paper] = []
        for raw in unique:
            split = split_version(raw)
            assert split is not None  # validated above
            if split[0] in found:
                result.append(found.pop(split[0]))
        return result

    def get_feed(self, url: str) -> bytes:
        """The body of one rss.arxiv.org feed (RSS or Atom), read within the same limits.

        Shares the client's spacing, retries and budget with the API; counted under
        ``requests_by_source["rss"]``.  Returns the bytes of an HTTP 200 answer that looks
        like XML; a text answer such as ``Rate exceeded`` is retried like throttling.
        Raises :class:`~daily_papers.errors.ArxivQueryError` for HTTP 400 (arXiv's feed
        error for an unknown archive) and :class:`~daily_papers.errors.ArxivError`
        otherwise.
        """
        _check_url(url, "feed URL")
        endpoint = _safe_url(url)
        target = _Target("a feed", None, endpoint, endpoint)

        def attempt(deadline: float) -> bytes | _Transient:
            answer = self._send(
                "GET", url, None, accept=_FEED_ACCEPT, source="rss", deadline=deadline
            )
            if isinstance(answer, _Transient):
                return answer
            return self._feed_body(answer, target)

        return self._with_retries(target, attempt)

    # -- the retry loop ------------------------------------------------------------------

    def _with_retries(self, target: _Target, attempt: Callable[[float], _T | _Transient]) -> _T:
        """Run ``attempt`` (given its deadline in seconds) until it succeeds or we give up."""
        tries = 0
        while True:
            self._wait_turn()
            remaining = self._budget_left()
            if remaining <= 0:
                raise self._budget_error(target)
            tries += 1
            outcome = attempt(min(self.request_deadline, remaining))
            if not isinstance(outcome, _Transient):
                return outcome
            allowed = (
                min(self.max_attempts, 2) if outcome.kind in _RETRIED_ONCE else self.max_attempts
            )
            if tries >= allowed:
                raise self._gave_up(target, outcome, tries)
            wait = self._backoff(tries, outcome)
            if self._clock() + wait > self._budget_end_or_now():
                raise self._gave_up(target, outcome, tries, budget=True)
            self._announce(target, outcome, wait, tries, allowed - 1)
            self._sleep(wait)
            self.backoff_waited += wait

    def _budget_end_or_now(self) -> float:
        return self._budget_end if self._budget_end is not None else self._clock()

    def _budget_left(self) -> float:
        return self._budget_end_or_now() - self._clock()

    def _wait_turn(self) -> None:
        """Sleep until ``delay`` seconds have passed since the previous request started."""
        if self._last_start is not None:
            remaining = self._last_start + self.delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)
                self.waited += remaining
        self._last_start = self._clock()
        if self._budget_end is None:
            self._budget_end = self._last_start + self.time_budget

    def _backoff(self, attempt: int, outcome: _Transient) -> float:
        if outcome.kind in _CONNECT_KINDS:
            return CONNECT_RETRY_PAUSE
        wait: float = self.backoff_base * 2.0 ** (attempt - 1) * (0.5 + 0.5 * self._rand())
        if outcome.retry_after is not None:
            wait = max(wait, min(outcome.retry_after, self.retry_after_cap))
        return wait

    def _announce(
        self, target: _Target, outcome: _Transient, wait: float, retry: int, retries: int
    ) -> None:
        if outcome.retry_after is not None and outcome.status is not None:
            line = (
                f"arXiv asked us to wait {wait:.0f} s (HTTP {outcome.status}) for "
                f"{target.label}; retry {retry} of {retries}"
            )
        else:
            line = (
                f"arXiv request for {target.label} failed ({outcome.reason}); "
                f"retry {retry} of {retries} in {wait:.1f} s"
            )
        line = console_text(line)
        if self._on_event is not None:
            self._on_event(line)
        else:
            logger.warning("%s", line)

    def _budget_error(self, target: _Target) -> ArxivError:
        return ArxivError(
            f"arXiv was not asked for {target.label} at {target.endpoint}: the run's "
            f"{self.time_budget:g} s time budget for arXiv is used up.",
            hint="The next scheduled run will fetch it.",
            topic=target.topic,
            url=target.url,
            kind=Kind.BUDGET,
        )

    def _gave_up(
        self, target: _Target, outcome: _Transient, tries: int, *, budget: bool = False
    ) -> ArxivError:
        plural = "attempt" if tries == 1 else "attempts"
        when = f"{tries} {plural}"
        if budget:
            when += f"; a retry would pass the {self.time_budget:g} s time budget"
        return ArxivError(
            f"arXiv did not deliver {target.label} from {target.endpoint}: {outcome.reason} "
            f"({when}).",
            hint=_HINTS.get(outcome.kind, _THROTTLED_HINT),
            topic=target.topic,
            url=target.url,
            status=outcome.status,
            kind=outcome.kind,
        )

    # -- one API page ----------------------------------------------------------------------

    def _api_page(self, params: Mapping[str, str | int], name: str, *, post: bool) -> AtomPage:
        label = f"topic {console_text(repr(name))}" if not post else console_text(name)
        endpoint = _safe_url(self.base_url)
        full = endpoint if post else _safe_url(self.base_url, params)
        target = _Target(label, None if post else name, endpoint, full)

        def attempt(deadline: float) -> AtomPage | _Transient:
            answer = self._send(
                "POST" if post else "GET",
                self.base_url,
                params,
                accept=_ATOM_ACCEPT,
                source="api",
                deadline=deadline,
                form=post,
            )
            if isinstance(answer, _Transient):
                return answer
            return self._atom_page(answer, params, target, id_list=post)

        return self._with_retries(target, attempt)

    def _atom_page(
        self, answer: _Answer, params: Mapping[str, str | int], target: _Target, *, id_list: bool
    ) -> AtomPage | _Transient:
        status = answer.status
        page: AtomPage | None = None
        if _looks_like_xml(answer.content_type, answer.body):
            try:
                page = parse_page(answer.body)
            except MalformedFeedError as exc:
                if status == 200:
                    return _Transient(
                        Kind.MALFORMED, f"HTTP 200 with {_short(exc)}", status, answer.retry_after
                    )
        if status in RETRYABLE_STATUSES:
            # The new backend wraps 5xx in its error feed too: still a transient failure.
            return _Transient(Kind.HTTP, answer.describe(), status, answer.retry_after)
        if page is not None and page.error is not None and status in (200, 400):
            raise ArxivQueryError(
                f"arXiv rejected the query for {target.label} (HTTP {status}): "
                f"{_short(page.error, 160)}.",
                hint="Fix the topic's query (https://info.arxiv.org/help/api/user-manual.html"
                "#query_details).",
                topic=target.topic,
                url=target.url,
                status=status,
                kind=Kind.HTTP,
            )
        if status != 200:
            error_class = ArxivQueryError if status == 400 else ArxivError
            detail = _short(page.error) if page is not None and page.error else answer.excerpt
            raise error_class(
                f"arXiv refused {target.label} at {target.endpoint}: HTTP {status} {detail!r}.",
                hint="Check the arXiv URL and the topic's query.",
                topic=target.topic,
                url=target.url,
                status=status,
                kind=Kind.HTTP,
            )
        if page is None:
            return _Transient(
                Kind.NOT_ATOM,
                f"{answer.describe()}, which is not an Atom feed",
                status,
                answer.retry_after,
            )
        start = int(params["start"])
        if (
            not id_list
            and page.entry_count == 0
            and page.total_results is not None
            and page.total_results > start
        ):
            return _Transient(
                Kind.EMPTY_PAGE,
                f"an empty page although totalResults is {page.total_results}",
                status,
                answer.retry_after,
            )
        for warning in page.skipped:
            logger.warning("arXiv, %s: %s", target.label, console_text(warning))
        return page

    def _feed_body(self, answer: _Answer, target: _Target) -> bytes | _Transient:
        status = answer.status
        if status in RETRYABLE_STATUSES:
            return _Transient(Kind.HTTP, answer.describe(), status, answer.retry_after)
        if status != 200:
            error_class = ArxivQueryError if status == 400 else ArxivError
            raise error_class(
                f"arXiv refused {target.label} at {target.endpoint}: HTTP {status} "
                f"{answer.excerpt!r}.",
                hint="Check the feed's archive or category names.",
                url=target.url,
                status=status,
                kind=Kind.HTTP,
            )
        if not _looks_like_xml(answer.content_type, answer.body):
            return _Transient(
                Kind.NOT_ATOM,
                f"{answer.describe()}, which is not a feed",
                status,
                answer.retry_after,
            )
        return answer.body

    # -- one HTTP exchange, bounded ----------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        *,
        accept: str,
        source: str,
        deadline: float,
        form: bool = False,
    ) -> _Answer | _Transient:
        """One request with its redirects, read within ``deadline`` s and the size cap."""
        self.requests_made += 1
        self.requests_by_source[source] += 1
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip",
        }
        logger.debug("arXiv request %d: %s %s", self.requests_made, method, _safe_url(url))
        ends = time.monotonic() + deadline
        self._deadline = deadline
        self._watchdog.arm(deadline)
        try:
            return self._exchange(method, url, params, headers, ends, form=form)
        finally:
            self._watchdog.disarm()

    def _exchange(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str],
        ends: float,
        *,
        form: bool,
    ) -> _Answer | _Transient:
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
                    f"Could not send a request to {_safe_url(url)}: {_short(exc)}.",
                    hint="Check the arXiv URL.",
                    url=_safe_url(url),
                ) from exc
            try:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    request_url = urljoin(request_url, location)
                    if urlsplit(request_url).scheme not in ("http", "https"):
                        raise ArxivError(
                            f"{_safe_url(url)} redirected to a non-http(s) URL.",
                            hint="Check the arXiv URL.",
                            url=_safe_url(url),
                            kind=Kind.REDIRECT,
                        )
                    if response.status_code == 303 or not form:
                        # The Location carries the query of a GET; a 303 asks for a GET.
                        method, form, params = "GET", False, None
                    continue  # the redirect's body is never read
                return self._read(response, ends)
            finally:
                response.close()
        return _Transient(Kind.CONNECTION, f"more than {_MAX_REDIRECTS} redirects")

    def _timed_out(self, exc: BaseException) -> _Transient:
        if self._watchdog.fired:
            return self._deadline_passed()
        phase = "connect" if isinstance(exc, requests.ConnectTimeout) else "read"
        seconds = self.timeout[0] if phase == "connect" else self.timeout[1]
        return _Transient(Kind.TIMEOUT, f"no answer within the {seconds:g} s {phase} timeout")

    def _deadline_passed(self) -> _Transient:
        return _Transient(
            Kind.DEADLINE, f"the answer took longer than the {self._deadline:g} s limit"
        )

    def _connection_failed(self, exc: BaseException) -> _Transient:
        if self._watchdog.fired:
            return self._deadline_passed()
        kind = _connection_kind(exc)
        reasons = {
            Kind.DNS: "the host name does not resolve",
            Kind.REFUSED: "the connection was refused",
            Kind.TLS: f"the TLS connection failed ({_short(exc.__class__.__name__, 40)})",
        }
        return _Transient(kind, reasons.get(kind, f"the connection failed ({_short(exc, 60)})"))

    def _read(self, response: requests.Response, ends: float) -> _Answer | _Transient:
        """The body as a stream: at most ``max_body_bytes`` after decompression."""
        cap = self.max_body_bytes
        too_big = _Transient(Kind.OVERSIZE, f"the answer was larger than {_megabytes(cap)}")
        length = response.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > cap:
            return too_big
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding in ("", "identity"):
            decoder = None
        else:
            return _Transient(
                Kind.MALFORMED, f"an unrequested Content-Encoding {_short(encoding, 20)!r}"
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
                if time.monotonic() > ends:
                    return self._deadline_passed()
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            if self._watchdog.fired:
                return self._deadline_passed()
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                return self._timed_out(exc)
            return _Transient(
                Kind.CONNECTION, f"the connection broke ({_short(type(exc).__name__, 40)})"
            )
        except zlib.error:
            return _Transient(Kind.MALFORMED, "the gzip body is corrupt")
        if self._watchdog.fired:
            return self._deadline_passed()
        if decoder is not None and not decoder.eof:
            return _Transient(Kind.MALFORMED, "the gzip body is truncated")
        retry_after = parse_retry_after(
            response.headers.get("Retry-After"), datetime.now(timezone.utc)
        )
        return _Answer(
            response.status_code,
            response.headers.get("Content-Type", ""),
            retry_after,
            bytes(body),
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size} bytes"


_THROTTLED_HINT = (
    "arXiv may be overloaded or rate-limiting this machine; the next scheduled run will try again."
)
#: The fix to suggest per failure kind (throttling for the HTTP kinds and the rest).
_HINTS: Mapping[Kind, str] = {
    Kind.DNS: "Check the arXiv URL's host name and this machine's DNS.",
    Kind.REFUSED: "Nothing accepts connections there; check the arXiv URL.",
    Kind.TLS: "Check the URL, any proxy, and the machine's clock and CA certificates.",
    Kind.CONNECTION: "Check the network; the next scheduled run will try again.",
    Kind.TIMEOUT: "arXiv or the network is very slow; the next scheduled run will try again.",
    Kind.DEADLINE: "arXiv or the network is very slow; the next scheduled run will try again.",
    Kind.OVERSIZE: "That is not an arXiv answer; check the arXiv URL.",
    Kind.MALFORMED: "arXiv sent a broken answer; the next scheduled run will try again.",
}
