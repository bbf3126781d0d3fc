"""The arXiv API client: polite, paged, and loud when arXiv fails.

This is the only module that imports requests.  One :class:`ArxivClient` is made per run
and reused for every topic, because arXiv's Terms of Use ask for "no more than one request
every three seconds, and … a single connection at a time"
(https://info.arxiv.org/help/api/tou.html): the spacing is enforced client-wide, across
pages *and* topics, and one ``requests.Session`` keeps one connection alive.

Failure handling follows what the API does in 2026 (see the notes in the repository and
https://info.arxiv.org/help/api/user-manual.html):

* 429/500/502/503/504 and 406 (arXiv's answer to clients without ``Accept``/``User-Agent``,
  also seen as throttling), connection errors and timeouts, a non-Atom body (e.g. the
  plain-text ``Rate exceeded``), malformed XML and a *spurious empty page* (zero entries
  while ``totalResults`` says there are more; lukasschwab/arxiv.py#43, #119) are retried
  with exponential backoff and jitter, honouring ``Retry-After`` (capped), within
  ``max_attempts`` per request and ``time_budget`` seconds per :meth:`ArxivClient.search`;
* arXiv's Atom error feed (HTTP 400 on the new backend, HTTP 200 on the old one) becomes
  :class:`~daily_papers.errors.ArxivQueryError` carrying arXiv's message, not retried;
* other statuses (401, 403, 404, 414…) are permanent and raise
  :class:`~daily_papers.errors.ArxivError` at once — after a 403 arXiv treats continued
  requests as an attack.

A failed fetch is always an exception, never an empty list: "fetched, zero new" and "fetch
failed" must stay distinguishable (an empty list once wiped a README for two months).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests

from daily_papers import __version__
from daily_papers.atom import AtomPage, MalformedFeedError, parse_page
from daily_papers.errors import ArxivError, ArxivQueryError, ConfigError, QueryError
from daily_papers.models import Paper

__all__ = [
    "DEFAULT_ARXIV_URL",
    "MAX_COUNT",
    "RETRYABLE_STATUSES",
    "ArxivClient",
    "default_user_agent",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

#: The API endpoint; ``http://`` only redirects here, so https is the default.
DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
#: Largest ``max_count`` accepted per topic (the manual's per-call limit).
MAX_COUNT = 2000
#: Statuses worth retrying: throttling (429, 503, 406) and transient server errors.
RETRYABLE_STATUSES: frozenset[int] = frozenset({406, 429, 500, 502, 503, 504})
#: The new backend sits on Elasticsearch, which refuses offsets beyond 10,000.
_MAX_OFFSET = 10_000
_PROJECT_URL = "https://github.com/daily-papers/daily-papers"
_EXCERPT_CHARS = 200


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


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    if len(text) > _EXCERPT_CHARS:
        text = text[: _EXCERPT_CHARS - 1] + "…"
    return text


def _looks_like_xml(content_type: str, body: bytes) -> bool:
    """Cheap check before parsing: arXiv's throttling answers are text, not Atom."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/plain", "text/html", "application/json"):
        return False
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


@dataclass(frozen=True)
class _Transient:
    """A retryable failure of one attempt: why, and what arXiv said."""

    reason: str
    status: int | None = None
    retry_after: float | None = None


class ArxivClient:
    """Fetch the newest papers for a query from the arXiv API.

    Keyword arguments (all optional):

    ``base_url``
        API endpoint (the CLI's ``--arxiv-url`` / ``DAILY_PAPERS_ARXIV_URL``).
    ``delay``
        Minimum seconds between the *starts* of any two requests of this client (ToU: 3).
        The previous page is parsed before the wait, so only the remainder is slept.
    ``page_size``
        Largest ``max_results`` per request (1–2000); a search uses
        ``min(max_count, page_size)``.
    ``timeout``
        ``(connect, read)`` seconds for each request.
    ``max_attempts``
        Tries per request (first try included) before giving up.
    ``time_budget``
        Seconds one :meth:`search` may spend; a retry whose backoff would end past it is not
        made and the search fails instead.
    ``retry_after_cap``
        Longest ``Retry-After`` honoured, in seconds (a misconfigured proxy must not stall
        a run for hours).
    ``backoff_base``
        Backoff before retry *n* (1-based) is ``backoff_base * 2**(n-1)`` seconds scaled by
        a jitter factor in [0.5, 1) ("equal jitter", so retries of parallel runs spread out
        but never shrink to nothing), and at least the capped ``Retry-After``.  The default
        5 s gives 2.5–5, 5–10, 10–20 and 20–40 s for the four retries of the default five
        attempts — about a minute of patience in all, reaching the 30 s pauses that ended
        429 streaks in 2026 (TideDra/zotero-arxiv-daily#250) without exceeding a run's
        budget.
    ``session``, ``clock``, ``sleep``, ``rand``
        Seams for tests: the HTTP session (closed by :meth:`close` only if the client made
        it), a monotonic clock, the sleeper, and a ``[0, 1)`` random source for jitter.
    ``user_agent``
        Overrides :func:`default_user_agent`.

    Attributes ``requests_made`` (HTTP requests sent), ``waited`` (seconds slept to keep the
    mandated spacing) and ``backoff_waited`` (seconds slept before retries) are for
    benchmarks and logs.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_ARXIV_URL,
        delay: float = 3.0,
        page_size: int = 100,
        timeout: tuple[float, float] = (10.0, 60.0),
        max_attempts: int = 5,
        time_budget: float = 600.0,
        retry_after_cap: float = 120.0,
        backoff_base: float = 5.0,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        user_agent: str | None = None,
    ) -> None:
        scheme = urlsplit(base_url).scheme
        if scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise ConfigError(
                f"The arXiv URL {base_url!r} is not an http(s) URL.",
                hint=f"Use the default {DEFAULT_ARXIV_URL} or a full mirror URL.",
            )
        if delay < 0:
            raise ConfigError(f"The arXiv delay {delay} is negative.", hint="Use 3 or more.")
        if not 1 <= page_size <= MAX_COUNT:
            raise ConfigError(f"The arXiv page size {page_size} is not between 1 and {MAX_COUNT}.")
        if max_attempts < 1:
            raise ConfigError(f"The arXiv attempt count {max_attempts} is below 1.")
        if time_budget <= 0 or retry_after_cap < 0 or backoff_base < 0:
            raise ConfigError(
                "The arXiv time budget, Retry-After cap and backoff must be positive."
            )
        self.base_url = base_url
        self.delay = float(delay)
        self.page_size = page_size
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.time_budget = float(time_budget)
        self.retry_after_cap = float(retry_after_cap)
        self.backoff_base = float(backoff_base)
        self.user_agent = user_agent or default_user_agent()
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._last_start: float | None = None
        self.requests_made = 0
        self.waited = 0.0
        self.backoff_waited = 0.0

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
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
        label = topic if topic is not None else query
        size = min(max_count, self.page_size)
        deadline = self._clock() + self.time_budget
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
            page = self._fetch_page(params, label, deadline)
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
            label,
            self.requests_made - requests_before,
        )
        return list(found.values())[:max_count]

    # -- internals -----------------------------------------------------------------------

    def _wait_turn(self) -> None:
        """Sleep until ``delay`` seconds have passed since the previous request started."""
        if self._last_start is not None:
            remaining = self._last_start + self.delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)
                self.waited += remaining
        self._last_start = self._clock()

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        wait: float = self.backoff_base * 2.0 ** (attempt - 1) * (0.5 + 0.5 * self._rand())
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.retry_after_cap))
        return wait

    def _fetch_page(self, params: Mapping[str, str | int], topic: str, deadline: float) -> AtomPage:
        """One page, retried per the module docstring; raises ArxivError when it gives up."""
        url = _safe_url(self.base_url, params)
        attempt = 0
        while True:
            attempt += 1
            outcome = self._attempt(params, topic, url)
            if isinstance(outcome, AtomPage):
                return outcome
            logger.warning(
                "arXiv attempt %d/%d for %s failed: %s",
                attempt,
                self.max_attempts,
                topic,
                outcome.reason,
            )
            if attempt >= self.max_attempts:
                raise self._gave_up(topic, url, outcome, f"after {attempt} attempts")
            wait = self._backoff(attempt, outcome.retry_after)
            if self._clock() + wait > deadline:
                raise self._gave_up(
                    topic,
                    url,
                    outcome,
                    f"after {attempt} attempts (the next retry would pass the "
                    f"{self.time_budget:g} s time budget)",
                )
            self._sleep(wait)
            self.backoff_waited += wait

    def _gave_up(self, topic: str, url: str, outcome: _Transient, when: str) -> ArxivError:
        return ArxivError(
            f"arXiv did not deliver the papers for topic {topic!r} from {url} {when}; "
            f"last answer: {outcome.reason}.",
            hint="arXiv may be overloaded or rate-limiting this machine; try again later "
            "(the schedule will retry tomorrow).",
            topic=topic,
            url=url,
            status=outcome.status,
        )

    def _attempt(
        self, params: Mapping[str, str | int], topic: str, url: str
    ) -> AtomPage | _Transient:
        self._wait_turn()
        self.requests_made += 1
        logger.debug("arXiv request %d: GET %s", self.requests_made, url)
        headers = {"User-Agent": self.user_agent, "Accept": "application/atom+xml"}
        try:
            response = self._session.get(
                self.base_url, params=dict(params), headers=headers, timeout=self.timeout
            )
            body = response.content
        except requests.Timeout as exc:
            return _Transient(f"no answer within the timeout ({type(exc).__name__})")
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            return _Transient(f"connection failed ({type(exc).__name__}: {exc})")
        except requests.RequestException as exc:
            raise ArxivError(
                f"Could not send the request for topic {topic!r} to {url}: {exc}.",
                hint="Check the arXiv URL.",
                topic=topic,
                url=url,
            ) from exc
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        answer = (
            f"HTTP {status} {_excerpt(body)!r}" if body else f"HTTP {status} with an empty body"
        )
        retry_after = parse_retry_after(
            response.headers.get("Retry-After"), datetime.now(timezone.utc)
        )
        xml = _looks_like_xml(content_type, body)

        page: AtomPage | None = None
        if xml:
            try:
                page = parse_page(body)
            except MalformedFeedError as exc:
                if status == 200:
                    return _Transient(f"{answer} ({exc})", status, retry_after)
        if status in RETRYABLE_STATUSES:
            # The new backend wraps 5xx in its error feed too: still a transient failure.
            return _Transient(answer, status, retry_after)
        if page is not None and page.error is not None and status not in (200, 400):
            raise ArxivError(
                f"arXiv refused the request for topic {topic!r} at {url} with HTTP {status}: "
                f"{page.error}.",
                hint="Check the arXiv URL.",
                topic=topic,
                url=url,
                status=status,
            )
        if page is not None and page.error is not None:
            raise ArxivQueryError(
                f"arXiv rejected the query for topic {topic!r} (HTTP {status}): {page.error}.",
                hint="Fix the topic's query (https://info.arxiv.org/help/api/user-manual.html"
                "#query_details).",
                topic=topic,
                url=url,
                status=status,
            )
        if status != 200:
            error_class = ArxivQueryError if status == 400 else ArxivError
            raise error_class(
                f"arXiv refused the request for topic {topic!r} at {url}: {answer}.",
                hint="Check the arXiv URL and the topic's query.",
                topic=topic,
                url=url,
                status=status,
            )
        if page is None:
            return _Transient(f"{answer}, which is not an Atom feed", status, retry_after)
        start = int(params["start"])
        if page.entry_count == 0 and page.total_results is not None and page.total_results > start:
            return _Transient(
                f"HTTP 200 with an empty page although totalResults is {page.total_results}",
                status,
                retry_after,
            )
        for warning in page.skipped:
            logger.warning("arXiv, topic %s: %s", topic, warning)
        return page
