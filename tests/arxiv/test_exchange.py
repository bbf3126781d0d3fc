"""One bounded exchange: its deadlines run on the injected clock, so a fake clock ends a
request without the test waiting for the deadline."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from daily_papers.arxiv.client import ArxivClient
from daily_papers.arxiv.exchange import Answer, Exchange, Transient
from daily_papers.errors import ArxivError
from daily_papers.errors import ArxivErrorKind as Kind
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes

PAGE = "api-2026-all_testing-relevance-start0-max10.xml"
PARAMS: dict[str, str | int] = {"search_query": "all:testing", "start": 0, "max_results": 10}
HEADERS = {"Accept": "application/atom+xml"}
#: The request deadline, in seconds on the fake clock: far longer than any test may take.
DEADLINE = 600.0


class TickingClock:
    """A fake monotonic clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.step = step
        self._ticks = itertools.count()
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return next(self._ticks) * self.step


def send(exchange: Exchange, fake: FakeArxiv) -> Answer | Transient:
    return exchange.send("GET", fake.url, PARAMS, headers=HEADERS, deadline=DEADLINE)


@pytest.mark.parametrize("in_headers", [False, True])
def test_the_watchdog_ends_a_drip_when_the_injected_clock_says_so(
    fake_arxiv: FakeArxiv, in_headers: bool
) -> None:
    fake_arxiv.drip_next(0.2, in_headers=in_headers)
    exchange = Exchange(clock=TickingClock(step=100.0), timeout=(5.0, 30.0))
    started = time.monotonic()
    try:
        outcome = send(exchange, fake_arxiv)
    finally:
        exchange.close()
    assert isinstance(outcome, Transient)
    assert outcome.kind is Kind.DEADLINE
    assert f"longer than the {DEADLINE:g} s limit" in outcome.reason
    assert time.monotonic() - started < 5.0  # not the 600 s deadline, nor a read timeout


def test_a_quick_answer_past_the_deadline_on_the_clock_is_too_late(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.serve_feed_for_any_query(fixture_bytes(PAGE))
    readings = iter([0.0])  # the start of the request; every later reading is past its end

    def clock() -> float:
        return next(readings, DEADLINE + 1.0)

    exchange = Exchange(clock=clock)
    try:
        outcome = send(exchange, fake_arxiv)
    finally:
        exchange.close()
    assert isinstance(outcome, Transient)
    assert outcome.kind is Kind.DEADLINE


def test_a_clock_that_stands_still_lets_the_answer_through(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.serve_feed_for_any_query(fixture_bytes(PAGE))
    exchange = Exchange(clock=lambda: 0.0)
    try:
        outcome = send(exchange, fake_arxiv)
    finally:
        exchange.close()
    assert isinstance(outcome, Answer)
    assert outcome.status == 200
    assert outcome.body.startswith(b"<?xml")


def test_the_client_hands_its_clock_to_the_exchange(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.drip_next(0.2)
    started = time.monotonic()
    with (
        ArxivClient(
            base_url=fake_arxiv.url,
            delay=0.0,
            max_attempts=1,
            request_deadline=DEADLINE,
            clock=TickingClock(step=100.0),
            sleep=lambda _: None,
        ) as client,
        pytest.raises(ArxivError) as info,
    ):
        client.search("all:testing", 10)
    assert info.value.kind is Kind.DEADLINE
    assert time.monotonic() - started < 5.0
