"""When the arXiv client may send: the spacing between requests, the run's time budget and
the retries with backoff, apart from what is asked (:mod:`daily_papers.arxiv.client`).

A :class:`Pacing` is made by the client and shared by all its requests, API and feeds alike,
so the mandated spacing and the budget hold across pages, topics and sources.  The options
mean what :class:`~daily_papers.arxiv.client.ArxivClient` documents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from daily_papers.arxiv import answers
from daily_papers.arxiv.answers import Target
from daily_papers.arxiv.exchange import Transient
from daily_papers.bounded_http import Clock
from daily_papers.errors import ArxivErrorKind as Kind
from daily_papers.escape import console_text

__all__ = [
    "BACKOFF_BASE",
    "CONNECT_RETRY_PAUSE",
    "DEFAULT_MAX_ATTEMPTS",
    "REQUEST_DEADLINE",
    "RETRY_AFTER_CAP",
    "RUN_BUDGET",
    "EventSink",
    "Pacing",
]

logger = logging.getLogger(__name__)

#: Tries per request, the first included.
DEFAULT_MAX_ATTEMPTS = 5
#: Seconds one request may take from connecting to its last byte.
REQUEST_DEADLINE = 120.0
#: Seconds all requests and waits of one client (one run) may take: 200 topics at the
#: mandated 3 s take 10 minutes, retries need room, and a job must still end.
RUN_BUDGET = 1800.0
#: Longest ``Retry-After`` honoured (a misconfigured proxy must not stall a run for hours).
RETRY_AFTER_CAP = 120.0
#: Backoff before retry *n* is ``BACKOFF_BASE * 2**(n-1)`` seconds, jittered (see
#: :class:`~daily_papers.arxiv.client.ArxivClient`).
BACKOFF_BASE = 5.0
#: Pause before the single retry of a connection that could not be made (dns/refused/tls).
CONNECT_RETRY_PAUSE = 1.0

#: Failure kinds retried at most once: the same answer is expected the second time.
_RETRIED_ONCE = frozenset({Kind.DNS, Kind.REFUSED, Kind.TLS, Kind.OVERSIZE})
#: Failure kinds after which :data:`CONNECT_RETRY_PAUSE` replaces the backoff.
_CONNECT_KINDS = frozenset({Kind.DNS, Kind.REFUSED, Kind.TLS})
#: Receives one human-readable line before every wait for a retry (the console prints it).
EventSink = Callable[[str], None]
_T = TypeVar("_T")


class Pacing:
    """The spacing, budget and retries of one client; ``waited`` (seconds slept to keep the
    spacing) and ``backoff_waited`` (seconds slept before retries) are for benchmarks."""

    def __init__(
        self,
        *,
        delay: float,
        max_attempts: int,
        time_budget: float,
        request_deadline: float,
        retry_after_cap: float,
        backoff_base: float,
        on_event: EventSink | None,
        clock: Clock,
        sleep: Callable[[float], None],
        rand: Callable[[], float],
    ) -> None:
        self.delay = delay
        self.max_attempts = max_attempts
        self.time_budget = time_budget
        self.request_deadline = request_deadline
        self.retry_after_cap = retry_after_cap
        self.backoff_base = backoff_base
        self._on_event = on_event
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._last_start: float | None = None
        self._budget_end: float | None = None
        self.waited = 0.0
        self.backoff_waited = 0.0

    def run(self, target: Target, attempt: Callable[[float], _T | Transient]) -> _T:
        """Run ``attempt`` (given its deadline in seconds) until it succeeds or we give up."""
        tries = 0
        while True:
            self._wait_turn()
            remaining = self._budget_left()
            if remaining <= 0:
                raise answers.budget_spent(target, self.time_budget)
            tries += 1
            outcome = attempt(min(self.request_deadline, remaining))
            if not isinstance(outcome, Transient):
                return outcome
            allowed = (
                min(self.max_attempts, 2) if outcome.kind in _RETRIED_ONCE else self.max_attempts
            )
            if tries >= allowed:
                raise answers.gave_up(target, outcome, tries)
            wait = self._backoff(tries, outcome)
            if self._clock() + wait > self._budget_end_or_now():
                raise answers.gave_up(target, outcome, tries, budget=self.time_budget)
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

    def _backoff(self, attempt: int, outcome: Transient) -> float:
        if outcome.kind in _CONNECT_KINDS:
            return CONNECT_RETRY_PAUSE
        wait: float = self.backoff_base * 2.0 ** (attempt - 1) * (0.5 + 0.5 * self._rand())
        if outcome.retry_after is not None:
            wait = max(wait, min(outcome.retry_after, self.retry_after_cap))
        return wait

    def _announce(
        self, target: Target, outcome: Transient, wait: float, retry: int, retries: int
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
