"""What an answer from arXiv means: a page, a feed, a rejected query, throttling or garbage.

Read against what the API did in 2026 (the recorded answers are in tests/fixtures/arxiv):
429/500/502/503/504 and 406 (arXiv's answer to clients without
``Accept``/``User-Agent``, also seen as throttling), a non-Atom body (the plain-text
``Rate exceeded``), malformed XML and a *spurious empty page* (zero entries while
``totalResults`` says there are more) are :class:`~.exchange.Transient` failures to retry.
arXiv's Atom error feed (HTTP 400 on the new backend, HTTP 200 on the old one) is
:class:`~daily_papers.errors.ArxivQueryError` carrying arXiv's message.  Other statuses (401,
403, 404, 414…) are permanent :class:`~daily_papers.errors.ArxivError` at once: after a 403
arXiv treats continued requests as an attack.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from daily_papers.arxiv.announcement_feed import Announcement, parse_announcement
from daily_papers.arxiv.api_page import AtomPage, MalformedFeedError, parse_page
from daily_papers.arxiv.exchange import Answer, Transient, short
from daily_papers.errors import ArxivError, ArxivQueryError
from daily_papers.errors import ArxivErrorKind as Kind
from daily_papers.escape import console_text

__all__ = [
    "RETRYABLE_STATUSES",
    "Target",
    "announcement",
    "api_page",
    "budget_spent",
    "gave_up",
]

logger = logging.getLogger(__name__)

#: Statuses worth retrying: throttling (429, 503, 406) and transient server errors.
RETRYABLE_STATUSES: frozenset[int] = frozenset({406, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Target:
    """What one logical request is for: names and URLs used in messages."""

    label: str  # "topic 'X'" or "a feed"
    topic: str | None
    endpoint: str  # base URL without credentials, named once in messages
    url: str  # the full request URL without credentials (ArxivError.url)


def _looks_like_xml(content_type: str, body: bytes) -> bool:
    """Cheap check before parsing: arXiv's throttling answers are text, not Atom."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/plain", "text/html", "application/json"):
        return False
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _retry(answer: Answer, kind: Kind, reason: str) -> Transient:
    return Transient(kind, reason, answer.status, answer.retry_after)


def api_page(answer: Answer, target: Target, *, start: int, id_list: bool) -> AtomPage | Transient:
    """The API page in ``answer`` to a request from offset ``start``, or why to retry.

    Raises :class:`~daily_papers.errors.ArxivQueryError` for arXiv's error feed and
    :class:`~daily_papers.errors.ArxivError` for a permanent refusal.
    """
    status = answer.status
    page: AtomPage | None = None
    if _looks_like_xml(answer.content_type, answer.body):
        try:
            page = parse_page(answer.body)
        except MalformedFeedError as exc:
            if status == 200:
                return _retry(answer, Kind.MALFORMED, f"HTTP 200 with {short(exc)}")
    if status in RETRYABLE_STATUSES:
        # The new backend wraps 5xx in its error feed too: still a transient failure.
        return _retry(answer, Kind.HTTP, answer.describe())
    if page is not None and page.error is not None and status in (200, 400):
        raise ArxivQueryError(
            f"arXiv rejected the query for {target.label} (HTTP {status}): "
            f"{short(page.error, 160)}.",
            hint="Fix the topic's query (https://info.arxiv.org/help/api/user-manual.html"
            "#query_details).",
            topic=target.topic,
            url=target.url,
            status=status,
            kind=Kind.HTTP,
        )
    if status != 200:
        error_class = ArxivQueryError if status == 400 else ArxivError
        detail = short(page.error) if page is not None and page.error else answer.excerpt
        raise error_class(
            f"arXiv refused {target.label} at {target.endpoint}: HTTP {status} {detail!r}.",
            hint="Check the arXiv URL and the topic's query.",
            topic=target.topic,
            url=target.url,
            status=status,
            kind=Kind.HTTP,
        )
    if page is None:
        return _retry(answer, Kind.NOT_ATOM, f"{answer.describe()}, which is not an Atom feed")
    if (
        not id_list
        and page.entry_count == 0
        and page.total_results is not None
        and page.total_results > start
    ):
        return _retry(
            answer,
            Kind.EMPTY_PAGE,
            f"an empty page although totalResults is {page.total_results}",
        )
    for warning in page.skipped:
        logger.warning("arXiv, %s: %s", target.label, console_text(warning))
    return page


def announcement(answer: Answer, target: Target) -> Announcement | Transient:
    """The rss.arxiv.org feed in ``answer``, or why to retry; raises like :func:`api_page`.

    Parsed here, inside the retry loop, so a truncated body, an HTML page or an Atom feed
    served with HTTP 200 is retried like the API's broken pages and then reported as an
    :class:`~daily_papers.errors.ArxivError` the routing falls back from, never a traceback.
    """
    status = answer.status
    if status in RETRYABLE_STATUSES:
        return _retry(answer, Kind.HTTP, answer.describe())
    if status != 200:
        error_class = ArxivQueryError if status == 400 else ArxivError
        raise error_class(
            f"arXiv refused {target.label} at {target.endpoint}: HTTP {status} {answer.excerpt!r}.",
            hint="Check the feed's archive or category names.",
            url=target.url,
            status=status,
            kind=Kind.HTTP,
        )
    if not _looks_like_xml(answer.content_type, answer.body):
        return _retry(answer, Kind.NOT_ATOM, f"{answer.describe()}, which is not a feed")
    try:
        return parse_announcement(answer.body)
    except MalformedFeedError as exc:
        return _retry(answer, Kind.MALFORMED, f"HTTP 200 with {short(exc)}")


_THROTTLED_HINT = (
    "arXiv may be overloaded or rate-limiting this machine; the next scheduled run will try again."
)
#: The fix to suggest per failure kind (throttling for HTTP and the rest).
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


def gave_up(
    target: Target, outcome: Transient, tries: int, *, budget: float | None = None
) -> ArxivError:
    """The error once retries end: after ``tries``, or since a retry would pass ``budget`` s."""
    when = f"{tries} {'attempt' if tries == 1 else 'attempts'}"
    if budget is not None:
        when += f"; a retry would pass the {budget:g} s time budget"
    return ArxivError(
        f"arXiv did not deliver {target.label} from {target.endpoint}: {outcome.reason} ({when}).",
        hint=_HINTS.get(outcome.kind, _THROTTLED_HINT),
        topic=target.topic,
        url=target.url,
        status=outcome.status,
        kind=outcome.kind,
    )


def budget_spent(target: Target, budget: float) -> ArxivError:
    """The error for a request not sent because the run's ``budget`` seconds are used up."""
    return ArxivError(
        f"arXiv was not asked for {target.label} at {target.endpoint}: the run's "
        f"{budget:g} s time budget for arXiv is used up.",
        hint="The next scheduled run will fetch it.",
        topic=target.topic,
        url=target.url,
        kind=Kind.BUDGET,
    )
