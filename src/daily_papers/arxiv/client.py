"""The polite arXiv client: spacing, retries and the run's budget around three API calls.

One :class:`ArxivClient` is made per run and reused for every topic and both sources (the
API and the rss.arxiv.org feeds), because arXiv's Terms of Use ask for no more than one
request every three seconds over a single connection: the spacing is enforced client-wide,
across pages, topics and sources, and one session keeps one connection alive.  Each request
is one bounded :class:`~daily_papers.arxiv.exchange.Exchange`; what its answer means is
decided in :mod:`daily_papers.arxiv.answers`; when it may be sent and retried, in
:mod:`daily_papers.arxiv.pacing`.

Transient failures are retried with exponential backoff and jitter, honouring
``Retry-After`` (capped), within ``max_attempts`` per request and the run's time budget (all
requests and waits of a run within :data:`RUN_BUDGET` seconds, on the injected clock).  A host
name that does not resolve, a refused connection and a TLS failure are not throttling: retried
once after :data:`CONNECT_RETRY_PAUSE`, then reported as what they are; an oversized body is
retried once too.

Every error carries ``kind`` (:class:`~daily_papers.errors.ArxivErrorKind`) so a caller can
stop a run whose requests all fail the same way.  A failed fetch is always an exception,
never an empty list: "fetched, zero new" and "fetch failed" must stay distinguishable (an
empty list once wiped a README for two months).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from urllib.parse import urlsplit

from daily_papers import __version__, defaults
from daily_papers.arxiv import answers
from daily_papers.arxiv.announcement_feed import Announcement
from daily_papers.arxiv.answers import Target
from daily_papers.arxiv.api_page import AtomPage
from daily_papers.arxiv.exchange import (
    DEFAULT_TIMEOUT,
    MAX_BODY_BYTES,
    Answer,
    Exchange,
    Session,
    Transient,
    safe_url,
)
from daily_papers.arxiv.ids import is_arxiv_id, split_version
from daily_papers.arxiv.pacing import (
    BACKOFF_BASE,
    CONNECT_RETRY_PAUSE,
    DEFAULT_MAX_ATTEMPTS,
    REQUEST_DEADLINE,
    RETRY_AFTER_CAP,
    RUN_BUDGET,
    EventSink,
    Pacing,
)
from daily_papers.bounded_http import Clock
from daily_papers.errors import ConfigError, QueryError
from daily_papers.escape import console_text
from daily_papers.models import Paper, Shortened, keep_newest

__all__ = [
    "BACKOFF_BASE",
    "CONNECT_RETRY_PAUSE",
    "DEFAULT_ARXIV_URL",
    "DEFAULT_DELAY",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_PAGE_SIZE",
    "ID_BATCH_SIZE",
    "MAX_COUNT",
    "REQUEST_DEADLINE",
    "RETRY_AFTER_CAP",
    "RUN_BUDGET",
    "ArxivClient",
    "EventSink",
    "default_user_agent",
]

logger = logging.getLogger(__name__)

#: The endpoint, the largest request, the page size and the spacing: defined once in
#: :mod:`daily_papers.defaults`, named here for the client's callers.
DEFAULT_ARXIV_URL = defaults.ARXIV_API_URL
MAX_COUNT = defaults.MAX_COUNT_LIMIT
DEFAULT_PAGE_SIZE = defaults.ARXIV_PAGE_SIZE
#: Ids per ``id_list`` request of :meth:`ArxivClient.papers_by_id` (see the default).
ID_BATCH_SIZE = defaults.ARXIV_ID_BATCH
DEFAULT_DELAY = defaults.ARXIV_DELAY
#: The new backend sits on Elasticsearch, which refuses offsets beyond 10,000.
_MAX_OFFSET = 10_000
_PROJECT_URL = "https://github.com/daily-papers/daily-papers"
_ATOM_ACCEPT = "application/atom+xml"
_FEED_ACCEPT = "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8"


def default_user_agent() -> str:
    """``daily-papers/<version> (+<project URL>)``: arXiv asks for a descriptive agent."""
    return f"daily-papers/{__version__} (+{_PROJECT_URL})"


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"The {what} {console_text(repr(url))} is not an http(s) URL.",
            hint=f"Use the default {DEFAULT_ARXIV_URL} or a full mirror URL.",
        )


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
        it; its exchange mounts the watched adapter on it), the monotonic clock every wait,
        budget and deadline is measured on, the sleeper, and a ``[0, 1)`` source for jitter.
    ``user_agent``
        Overrides :func:`default_user_agent`.

    Attributes ``requests_made`` (HTTP requests sent), ``requests_by_source``
    (``{"api": n, "rss": m}``), ``waited`` (seconds slept to keep the mandated spacing) and
    ``backoff_waited`` (seconds slept before retries) are for benchmarks and logs;
    ``shortened`` holds, by versioned id in arrival order, every paper a size cap cut in the
    pages and feeds this client read (one client per run: the run's warning and count).
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
        session: Session | None = None,
        clock: Clock = time.monotonic,
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
        self._pacing = Pacing(
            delay=self.delay,
            max_attempts=max_attempts,
            time_budget=self.time_budget,
            request_deadline=self.request_deadline,
            retry_after_cap=self.retry_after_cap,
            backoff_base=self.backoff_base,
            on_event=on_event,
            clock=clock,
            sleep=sleep,
            rand=rand,
        )
        self._exchange = Exchange(
            clock=clock, timeout=timeout, max_body_bytes=max_body_bytes, session=session
        )
        self.requests_made = 0
        self.requests_by_source: dict[str, int] = {"api": 0, "rss": 0}
        self.shortened: dict[str, Shortened] = {}

    @property
    def waited(self) -> float:
        """Seconds slept so far to keep the mandated spacing."""
        return self._pacing.waited

    @property
    def backoff_waited(self) -> float:
        """Seconds slept so far before retries."""
        return self._pacing.backoff_waited

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        self._exchange.close()

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
            keep_newest(page.papers, into=found)
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
            keep_newest(page.papers, into=found)
        result: list[Paper] = []
        for raw in unique:
            split = split_version(raw)
            assert split is not None  # validated above
            if split[0] in found:
                result.append(found.pop(split[0]))
        return result

    def announcement(self, url: str) -> Announcement:
        """One rss.arxiv.org feed, parsed, read within the same limits.

        Shares the client's spacing, retries and budget with the API; counted under
        ``requests_by_source["rss"]``.  A text answer such as ``Rate exceeded`` is retried
        like throttling, and so is a body that is not a well-formed RSS 2.0 feed.
        Raises :class:`~daily_papers.errors.ArxivQueryError` for HTTP 400 (arXiv's feed
        error for an unknown archive) and :class:`~daily_papers.errors.ArxivError`
        otherwise.
        """
        _check_url(url, "feed URL")
        endpoint = safe_url(url)
        target = Target("a feed", None, endpoint, endpoint)

        def attempt(deadline: float) -> Announcement | Transient:
            answer = self._send(
                "GET", url, None, accept=_FEED_ACCEPT, source="rss", deadline=deadline
            )
            if isinstance(answer, Transient):
                return answer
            return answers.announcement(answer, target)

        announcement = self._pacing.run(target, attempt)
        self.shortened.update((cut.versioned_id, cut) for cut in announcement.shortened)
        return announcement

    # -- one API page and one HTTP exchange -------------------------------------------------

    def _api_page(self, params: Mapping[str, str | int], name: str, *, post: bool) -> AtomPage:
        label = f"topic {console_text(repr(name))}" if not post else console_text(name)
        endpoint = safe_url(self.base_url)
        full = endpoint if post else safe_url(self.base_url, params)
        target = Target(label, None if post else name, endpoint, full)

        def attempt(deadline: float) -> AtomPage | Transient:
            answer = self._send(
                "POST" if post else "GET",
                self.base_url,
                params,
                accept=_ATOM_ACCEPT,
                source="api",
                deadline=deadline,
                form=post,
            )
            if isinstance(answer, Transient):
                return answer
            return answers.api_page(answer, target, start=int(params["start"]), id_list=post)

        page = self._pacing.run(target, attempt)
        self.shortened.update((cut.versioned_id, cut) for cut in page.shortened)
        return page

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
    ) -> Answer | Transient:
        """One counted request, with the client's headers."""
        self.requests_made += 1
        self.requests_by_source[source] += 1
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip",
        }
        logger.debug("arXiv request %d: %s %s", self.requests_made, method, safe_url(url))
        return self._exchange.send(
            method, url, params, headers=headers, deadline=deadline, form=form
        )
