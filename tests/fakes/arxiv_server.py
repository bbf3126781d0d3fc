"""A loopback fake of the arXiv API: a real HTTP server answering recorded bodies.

:class:`FakeArxiv` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` (free port) in a thread
and serves ``/api/query`` (GET, and POST with a form body, as arXiv does).  Each request is
answered by the first of these that applies:

1. **the fault queue** — faults queued with :meth:`FakeArxiv.fail_next`,
   :meth:`~FakeArxiv.drop_next`, :meth:`~FakeArxiv.slow_next`,
   :meth:`~FakeArxiv.empty_page_next`, :meth:`~FakeArxiv.malformed_next` or
   :meth:`~FakeArxiv.rate_exceeded_next` are consumed one per request, in order, whatever
   the request (a slow fault then answers as below, after the pause); the hostile answers
   :meth:`~FakeArxiv.huge_next`, :meth:`~FakeArxiv.gzip_bomb_next` and
   :meth:`~FakeArxiv.drip_next` are queued the same way;
2. **exact routes** — :meth:`~FakeArxiv.add_route`: ``search_query``, ``id_list`` and
   ``start`` must match exactly; ``max_results`` too unless the route gives ``None``;
3. **id lists** — :meth:`~FakeArxiv.serve_id_list`: an ``id_list`` request without a
   ``search_query`` gets the recorded entries for the ids asked for, unknown ids absent;
4. **sliced feeds** — :meth:`~FakeArxiv.serve_feed` for one ``search_query`` (or for any
   query with ``search_query=None`` / :meth:`~FakeArxiv.serve_feed_for_any_query`): the
   recorded body's entries ``[start:start+max_results]`` are served, with
   ``opensearch:totalResults`` rewritten to the number of entries in the body and
   ``startIndex``/``itemsPerPage`` to the request's ``start``/``max_results``, so a client
   walks it exactly like a real result set of that size;
5. otherwise **HTTP 404** with a ``text/plain`` body naming the unmatched parameters (arXiv
   cannot be faked for queries nobody recorded, so unknown requests fail loudly; the client
   treats 404 as permanent).  Non-integer ``start``/``max_results`` get arXiv's HTTP 400
   error feed, and other paths get 404.

Every request is logged (:attr:`FakeArxiv.requests`) with method, path, all parameters
(``sortBy``/``sortOrder`` included), headers, arrival time on ``time.monotonic`` and what
answered it.  The function-scoped pytest fixture ``fake_arxiv`` yields a started server.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = [
    "ATOM",
    "FIXTURES",
    "FakeArxiv",
    "LoggedRequest",
    "fake_arxiv",
    "fixture_bytes",
    "slice_feed",
]

#: The Content-Type arXiv sends with its Atom answers.
ATOM = "application/atom+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
#: Folder of the recorded (and labelled synthetic) arXiv bodies.
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "arxiv"

#: The six recorded consecutive pages of ``all:testing`` (10 entries each, 60 papers).
TESTING_WALK: tuple[tuple[int, str], ...] = (
    (0, "api-2026-all_testing-relevance-start0-max10.xml"),
    (10, "api-2026-all_testing-relevance-start10-max10-page2.xml"),
    (20, "api-2026-all_testing-relevance-start20-max10-page3.xml"),
    (30, "api-2026-all_testing-relevance-start30-max10-page4.xml"),
    (40, "api-2026-all_testing-relevance-start40-max10-page5.xml"),
    (50, "api-2026-all_testing-relevance-start50-max10-page6.xml"),
)

_ENTRY = re.compile(rb"[ \t]*<entry>.*?</entry>[ \t]*\r?\n?", re.DOTALL)


def fixture_bytes(name: str) -> bytes:
    """The bytes of ``tests/fixtures/arxiv/<name>``."""
    return (FIXTURES / name).read_bytes()


def _replace_tag(body: bytes, tag: bytes, value: int) -> bytes:
    pattern = re.compile(
        rb"(<opensearch:" + tag + rb"[^>]*>)\s*\d+\s*(</opensearch:" + tag + rb">)"
    )
    return pattern.sub(lambda m: m.group(1) + str(value).encode() + m.group(2), body, count=1)


def slice_feed(body: bytes, start: int, max_results: int) -> bytes:
    """``body`` with only entries ``[start:start+max_results]``; see the module docstring."""
    entries = list(_ENTRY.finditer(body))
    if not entries:
        head, tail = body[: body.rindex(b"</feed>")], body[body.rindex(b"</feed>") :]
    else:
        head, tail = body[: entries[0].start()], body[entries[-1].end() :]
    chosen = b"".join(m.group(0) for m in entries[start : start + max_results])
    head = _replace_tag(head, b"totalResults", len(entries))
    head = _replace_tag(head, b"startIndex", start)
    head = _replace_tag(head, b"itemsPerPage", max_results)
    return head + chosen + tail


def error_feed(message: str) -> bytes:
    """An error feed shaped like the new backend's (see the recorded HTTP 400 fixture)."""
    slug = re.sub(r"\W+", "_", message)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        "  <updated>2026-04-12T22:59:06Z</updated>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        f"  <entry>\n    <id>https://arxiv.org/api/errors#{slug}</id>\n    <title>Error</title>\n"
        "    <updated>2026-04-12T22:59:06Z</updated>\n"
        f"    <summary>{message}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    ).encode()


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    body: bytes
    status: int = 200
    content_type: str = ATOM
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Fault:
    kind: str  # "reply", "drop", "slow" or "stream" (hostile answers written by ``writer``)
    name: str
    reply: Reply | None = None
    seconds: float = 0.0
    writer: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass(frozen=True)
class _Route:
    search_query: str
    id_list: str
    start: int
    max_results: int | None
    reply: Reply


@dataclass(frozen=True)
class LoggedRequest:
    """What the fake received, and which rule answered (``route``, ``feed``, ``fault:…``…)."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    arrived: float
    answered_by: str = ""
    header_names: tuple[str, ...] = field(default=())
    client_port: int = 0  # one port for all requests = one kept-alive connection


class FakeArxiv:
    """The loopback arXiv; use as a context manager or via the ``fake_arxiv`` fixture."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: deque[_Fault] = deque()
        self._routes: list[_Route] = []
        self._feeds: dict[str | None, bytes] = {}
        self._log: list[LoggedRequest] = []
        self._id_bodies: list[bytes] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep pytest output clean; the request log is the record

            def do_GET(self) -> None:
                fake._handle(self, urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fake._handle(self, self.rfile.read(length).decode("utf-8", "replace"))

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # a "slow" handler may still be sleeping at shutdown

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._started = False

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API URL to give the client, e.g. ``http://127.0.0.1:PORT/api/query``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/query"

    def start(self) -> FakeArxiv:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._started = False
        self._server.server_close()

    def __enter__(self) -> FakeArxiv:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- configuration -------------------------------------------------------------------

    def add_route(
        self,
        *,
        body: bytes,
        search_query: str = "",
        id_list: str = "",
        start: int = 0,
        max_results: int | None = None,
        status: int = 200,
        content_type: str = ATOM,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer exactly this request (``max_results=None`` matches any page size)."""
        reply = Reply(body, status, content_type, tuple((headers or {}).items()))
        with self._lock:
            self._routes.append(_Route(search_query, id_list, start, max_results, reply))

    def add_fixture_route(
        self,
        name: str,
        *,
        search_query: str = "",
        id_list: str = "",
        start: int = 0,
        max_results: int | None = None,
        status: int = 200,
    ) -> None:
        """:meth:`add_route` with the body of a fixture file."""
        self.add_route(
            body=fixture_bytes(name),
            search_query=search_query,
            id_list=id_list,
            start=start,
            max_results=max_results,
            status=status,
        )

    def add_testing_walk(self, search_query: str = "all:testing") -> None:
        """Route the six recorded 10-entry pages (60 papers) to ``search_query``."""
        for start, name in TESTING_WALK:
            self.add_fixture_route(name, search_query=search_query, start=start, max_results=10)

    def serve_feed(self, body: bytes, *, search_query: str | None = None) -> None:
        """Serve ``body`` sliced by start/max_results for ``search_query`` (None = any query)."""
        with self._lock:
            self._feeds[search_query] = body

    def serve_feed_for_any_query(self, body: bytes) -> None:
        """Every ``search_query`` without a more specific rule gets slices of ``body``."""
        self.serve_feed(body, search_query=None)

    def fail_next(
        self,
        status: int = 503,
        body: bytes = b"",
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = TEXT,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests with this status and body."""
        reply = Reply(body, status, content_type, tuple((headers or {}).items()))
        self._queue(_Fault("reply", f"fault:{status}", reply), times)

    def rate_exceeded_next(self, times: int = 1) -> None:
        """HTTP 200 ``text/plain`` ``Rate exceeded.`` (synthetic; seen in 2026)."""
        reply = Reply(fixture_bytes("synthetic-rate-exceeded.txt"), 200, TEXT)
        self._queue(_Fault("reply", "fault:rate-exceeded", reply), times)

    def empty_page_next(self, times: int = 1) -> None:
        """HTTP 200 Atom page with no entries while totalResults is 214881 (synthetic)."""
        reply = Reply(fixture_bytes("synthetic-empty-page-total214881.xml"))
        self._queue(_Fault("reply", "fault:empty-page", reply), times)

    def malformed_next(self, times: int = 1) -> None:
        """HTTP 200 with truncated Atom XML (synthetic)."""
        reply = Reply(fixture_bytes("synthetic-malformed-truncated.xml"))
        self._queue(_Fault("reply", "fault:malformed", reply), times)

    def drop_next(self, times: int = 1) -> None:
        """Close the connection without answering."""
        self._queue(_Fault("drop", "fault:drop"), times)

    def slow_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` before answering normally (to trigger client read timeouts)."""
        self._queue(_Fault("slow", "fault:slow", seconds=seconds), times)

    # -- hostile answers (the fault matrix) ----------------------------------------------

    def serve_id_list(self, *bodies: bytes) -> None:
        """Answer ``id_list`` requests (GET or POST) like the API: the entries of ``bodies``
        whose ids were asked for, in the order asked; unknown ids are simply absent."""
        with self._lock:
            self._id_bodies.extend(bodies)

    def huge_next(self, size: int, *, declare_length: bool = True, times: int = 1) -> None:
        """HTTP 200 Atom with a ``size``-byte body, streamed in 1 MiB pieces (never held).

        Without ``declare_length`` no Content-Length is sent (the body ends at close), so
        only a cap counted while reading can stop it.
        """
        self._queue(
            _Fault("stream", "fault:huge", writer=_huge_writer(size, declare_length)), times
        )

    def gzip_bomb_next(self, expanded: int, times: int = 1) -> None:
        """``Content-Encoding: gzip`` whose body inflates to ``expanded`` bytes (~1000:1)."""
        gzip_bomb(expanded)  # built now (and cached), not while the client waits
        self._queue(_Fault("stream", "fault:gzip-bomb", writer=_bomb_writer(expanded)), times)

    def drip_next(
        self, interval: float, *, in_headers: bool = False, size: int = 100_000, times: int = 1
    ) -> None:
        """Send one byte every ``interval`` seconds: of the body (a 200 Atom answer of
        ``size`` bytes), or with ``in_headers`` already of the status line."""
        writer = _drip_writer(interval, in_headers, size)
        self._queue(_Fault("stream", "fault:drip", writer=writer), times)

    def _queue(self, fault: _Fault, times: int) -> None:
        with self._lock:
            self._faults.extend([fault] * times)

    # -- inspection ----------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request received so far, in arrival order."""
        with self._lock:
            return list(self._log)

    @property
    def pending_faults(self) -> int:
        """Faults queued but not yet served."""
        with self._lock:
            return len(self._faults)

    # -- serving -------------------------------------------------------------------------

    def _answer(self, params: Mapping[str, str]) -> tuple[Reply, str]:
        try:
            start = int(params.get("start", "0"))
            max_results = int(params.get("max_results", "10"))
        except ValueError:
            return Reply(error_feed("start and max_results must be integers"), 400), "error"
        query, ids = params.get("search_query", ""), params.get("id_list", "")
        with self._lock:
            for route in self._routes:
                if (route.search_query, route.id_list, route.start) == (query, ids, start) and (
                    route.max_results is None or route.max_results == max_results
                ):
                    return route.reply, "route"
            feed = self._feeds.get(query)
            if feed is None and not ids and None in self._feeds:
                feed = self._feeds[None]
            id_bodies = list(self._id_bodies)
        if ids and not query and id_bodies:
            return Reply(_id_list_feed(id_bodies, ids, max_results)), "id_list"
        if feed is not None:
            return Reply(slice_feed(feed, start, max_results)), "feed"
        text = f"fake arXiv has no route for {dict(params)!r}"
        return Reply(text.encode(), 404, TEXT), "unmatched"

    def _handle(self, handler: BaseHTTPRequestHandler, query_string: str) -> None:
        arrived = time.monotonic()
        params = {k: v[0] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        path = urlsplit(handler.path).path
        with self._lock:
            fault = self._faults.popleft() if self._faults and path == "/api/query" else None
        if path != "/api/query":
            reply, answered_by = Reply(b"not found", 404, TEXT), "wrong-path"
        elif fault is not None and fault.kind == "reply":
            assert fault.reply is not None
            reply, answered_by = fault.reply, fault.name
        elif fault is not None and fault.kind in ("drop", "stream"):
            reply, answered_by = Reply(b""), fault.name
        else:
            reply, answered_by = self._answer(params)
            if fault is not None:
                answered_by = f"{fault.name}+{answered_by}"
        with self._lock:
            self._log.append(
                LoggedRequest(
                    method=handler.command,
                    path=path,
                    params=params,
                    headers={k.lower(): v for k, v in handler.headers.items()},
                    arrived=arrived,
                    answered_by=answered_by,
                    header_names=tuple(handler.headers.keys()),
                    client_port=int(handler.client_address[1]),
                )
            )
        if fault is not None and fault.kind == "drop":
            handler.close_connection = True
            return
        if fault is not None and fault.writer is not None:
            handler.close_connection = True
            with contextlib.suppress(OSError):  # the client gave up, as it should
                fault.writer(handler)
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client gave up (timeout test)


def _id_list_feed(bodies: list[bytes], id_list: str, max_results: int) -> bytes:
    """A feed of the recorded entries whose ids are in ``id_list`` (versions optional)."""
    entries: dict[str, bytes] = {}
    for body in bodies:
        for match in _ENTRY.finditer(body):
            found = re.search(rb"<id>https?://arxiv\.org/abs/(.+?)(v\d+)</id>", match.group(0))
            if found is not None:
                entries.setdefault(found.group(1).decode(), match.group(0))
                entries.setdefault((found.group(1) + found.group(2)).decode(), match.group(0))
    chosen = [entries[i] for i in id_list.split(",") if i in entries][:max_results]
    template = bodies[0]
    matches = list(_ENTRY.finditer(template))
    head = template[: matches[0].start()] if matches else template[: template.rindex(b"</feed>")]
    tail = template[matches[-1].end() :] if matches else template[template.rindex(b"</feed>") :]
    head = _replace_tag(head, b"totalResults", len(chosen))
    head = _replace_tag(head, b"startIndex", 0)
    head = _replace_tag(head, b"itemsPerPage", max_results)
    return head + b"".join(chosen) + tail


_PIECE = 1 << 20


def _huge_writer(size: int, declare_length: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", ATOM)
        if declare_length:
            handler.send_header("Content-Length", str(size))
        handler.send_header("Connection", "close")
        handler.end_headers()
        piece = b"<" + b" " * (_PIECE - 1)
        sent = 0
        while sent < size:
            part = piece[: min(_PIECE, size - sent)]
            handler.wfile.write(part)
            sent += len(part)

    return write


@functools.lru_cache(maxsize=4)
def gzip_bomb(expanded: int) -> bytes:
    """Gzip bytes inflating to ``expanded`` spaces after ``<`` (compressed ~1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b"<")]
    block = b" " * _PIECE
    left = expanded - 1
    while left > 0:
        parts.append(packer.compress(block[: min(_PIECE, left)]))
        left -= _PIECE
    parts.append(packer.flush())
    return b"".join(parts)


def _bomb_writer(expanded: int) -> Callable[[BaseHTTPRequestHandler], None]:
    def write(handler: BaseHTTPRequestHandler) -> None:
        body = gzip_bomb(expanded)
        handler.send_response(200)
        handler.send_header("Content-Type", ATOM)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return write


def _drip_writer(
    interval: float, in_headers: bool, size: int
) -> Callable[[BaseHTTPRequestHandler], None]:
    def write(handler: BaseHTTPRequestHandler) -> None:
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: {ATOM}\r\nContent-Length: {size}\r\n\r\n"
        ).encode()
        if not in_headers:
            handler.wfile.write(head)
            handler.wfile.flush()
        payload = (head if in_headers else b"") + b"<" + b" " * (size - 1)
        for byte in payload:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(interval)

    return write


@pytest.fixture
def fake_arxiv() -> Iterator[FakeArxiv]:
    """A started :class:`FakeArxiv`, shut down after the test."""
    with FakeArxiv() as fake:
        yield fake


# -- announcement feeds (rss.arxiv.org) ---------------------------------------------------------
# Appended as a subclass so the API fake above stays as it is.

#: The Content-Type rss.arxiv.org sends with its feeds.
RSS = "application/rss+xml; charset=utf-8"
#: Folder of the recorded announcement feeds.
RSS_FIXTURES = FIXTURES.parent / "rss"
_RSS_ERROR = "rss-2024-11-28-error-bad-archive-astroph-aioarxiv.xml"


def rss_error_feed(names: str, message: str) -> bytes:
    """SYNTHETIC: the recorded error feed (``/rss/astroph``) rewritten for ``names``."""
    body = (RSS_FIXTURES / _RSS_ERROR).read_bytes()
    recorded_message = re.search(rb"<description>(.*?)</description>", body, re.DOTALL)
    assert recorded_message is not None
    body = body.replace(recorded_message.group(1), message.encode())
    return body.replace(b"/rss/astroph", b"/rss/" + names.encode())


def _feed_key(names: str) -> str:
    # rss.arxiv.org ignores the order of the names (it hashes them sorted).
    return "+".join(sorted(part.strip() for part in names.split("+")))


class FakeArxivFeeds(FakeArxiv):
    """:class:`FakeArxiv` that also serves ``GET /rss/<names>`` like rss.arxiv.org.

    Feeds are registered per set of names (order-insensitive) with :meth:`serve_announcement`;
    :meth:`fail_feed_next` queues HTTP failures for feed requests only.  Names no feed was
    registered for get arXiv's error feed with HTTP 400 when ``known`` (a callable) says the
    archive does not exist, else HTTP 404 (unrecorded requests fail loudly).  Feed requests
    are logged in :attr:`requests` like API ones, ``answered_by`` ``rss``/``rss-error``/….
    """

    def __init__(self, known: object = None) -> None:
        super().__init__()
        self._announcements: dict[str, Reply] = {}
        self._feed_faults: deque[Reply] = deque()
        self._builder: Callable[[tuple[str, ...]], bytes] | None = None
        self._known = known

    @property
    def rss_url(self) -> str:
        """The feed base URL, e.g. ``http://127.0.0.1:PORT/rss/`` (append ``cs+stat``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/rss/"

    def serve_announcement(self, names: str, body: bytes, *, status: int = 200) -> None:
        """Answer ``/rss/<names>`` (any order of the ``+``-joined names) with ``body``."""
        with self._lock:
            self._announcements[_feed_key(names)] = Reply(body, status, RSS)

    def serve_announcements_by(self, build: Callable[[tuple[str, ...]], bytes] | None) -> None:
        """Answer any feed no body was registered for with ``build(names)`` (``None``: stop),
        so a test or benchmark need not know in advance how the client groups the archives."""
        with self._lock:
            self._builder = build

    def fail_feed_next(self, status: int = 503, times: int = 1) -> None:
        """The next ``times`` feed requests answer ``status`` with a plain-text body."""
        with self._lock:
            for _ in range(times):
                self._feed_faults.append(Reply(b"Service Unavailable", status, TEXT))

    def _handle(self, handler: BaseHTTPRequestHandler, query_string: str) -> None:
        path = urlsplit(handler.path).path
        if not path.startswith("/rss/"):
            super()._handle(handler, query_string)
            return
        arrived = time.monotonic()
        names = path[len("/rss/") :]
        with self._lock:
            fault = self._feed_faults.popleft() if self._feed_faults else None
            registered = self._announcements.get(_feed_key(names))
            build = self._builder
        if fault is not None:
            reply, answered_by = fault, "rss-fault"
        elif registered is not None:
            reply, answered_by = registered, "rss"
        elif build is not None:
            reply, answered_by = Reply(build(tuple(names.split("+"))), 200, RSS), "rss-built"
        elif callable(self._known) and not all(self._known(n) for n in names.split("+")):
            message = f"Bad archive '{names}'."
            reply, answered_by = Reply(rss_error_feed(names, message), 400, RSS), "rss-error"
        else:
            text = f"fake arXiv has no announcement feed for {names!r}"
            reply, answered_by = Reply(text.encode(), 404, TEXT), "unmatched"
        with self._lock:
            self._log.append(
                LoggedRequest(
                    method=handler.command,
                    path=path,
                    params={},
                    headers={k.lower(): v for k, v in handler.headers.items()},
                    arrived=arrived,
                    answered_by=answered_by,
                    header_names=tuple(handler.headers.keys()),
                    client_port=int(handler.client_address[1]),
                )
            )
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        handler.wfile.write(reply.body)
