"""ArxivClient against the loopback fake arXiv: requests sent, paging, spacing, every fault.

Backoff tests inject a fake clock/sleeper (no real waiting); spacing tests use small real
delays and the server's arrival times.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
import requests

from daily_papers import __version__
from daily_papers.arxiv.api_page import parse_page
from daily_papers.arxiv.client import DEFAULT_ARXIV_URL, ArxivClient
from daily_papers.bounded_http import parse_retry_after
from daily_papers.errors import ArxivError, ArxivQueryError, ConfigError, QueryError
from daily_papers.errors import ArxivErrorKind as Kind
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes, slice_feed

PAGE1 = "api-2026-all_testing-relevance-start0-max10.xml"
BIG = "api-2026-all_testing-relevance-start0-max100.xml"
QUERY = "all:testing"
# The client spaces the *starts* of its requests (the ToU rule), so the spacing tests stamp
# each start in the session rather than read the fake server's arrival gaps: the server sees
# a request after a thread hand-off (on a loaded 2-core machine once 48 ms late).  A stamp
# still lands a little after the moment the client's pacing counts as the start (building
# the request: a few ms under load), hence the slack.  The exact arithmetic is checked with
# a fake clock in test_only_the_remainder_of_the_delay_is_slept.
#: How far a stamp may trail the start the client's pacing counted.
STAMP_SLACK = 0.02


class StampingSession(requests.Session):
    """A real session that notes when each request starts (before it is sent)."""

    def __init__(self) -> None:
        super().__init__()
        self.starts: list[float] = []

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        self.starts.append(time.monotonic())
        return super().request(*args, **kwargs)


class FakeTime:
    """A monotonic clock that only moves when someone sleeps (or ``advance`` is called)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make_client(fake: FakeArxiv, fake_time: FakeTime | None = None, **kwargs: Any) -> ArxivClient:
    options: dict[str, Any] = {"base_url": fake.url, "delay": 0.0, "backoff_base": 1.0}
    if fake_time is not None:
        options.update(clock=fake_time.clock, sleep=fake_time.sleep, rand=lambda: 0.0)
    options.update(kwargs)
    return ArxivClient(**options)


@pytest.fixture
def client(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> Iterator[ArxivClient]:
    with make_client(fake_arxiv, fake_time) as c:
        yield c


def expected_ids(name: str, count: int) -> list[str]:
    return [p.id for p in parse_page(fixture_bytes(name)).papers][:count]


# -- the requests sent ------------------------------------------------------------------


def test_normal_page_and_the_request_sent(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY, max_results=10)
    papers = client.search(QUERY, 10, topic="Testing")
    assert [p.id for p in papers] == expected_ids(PAGE1, 10)
    (request,) = fake_arxiv.requests
    assert request.method == "GET"
    assert request.path == "/api/query"
    assert request.params == {
        "search_query": QUERY,
        "start": "0",
        "max_results": "10",
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    assert request.headers["user-agent"] == (
        f"daily-papers/{__version__} (+https://github.com/daily-papers/daily-papers)"
    )
    assert request.headers["accept"] == "application/atom+xml"
    assert client.requests_made == 1


def test_query_is_sent_verbatim(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    query = '(ti:"large language model" OR abs:"large language model") AND cat:cs.CL'
    fake_arxiv.add_fixture_route(PAGE1, search_query=query)
    client.search(query, 3)
    assert fake_arxiv.requests[0].params["search_query"] == query
    assert fake_arxiv.requests[0].params["max_results"] == "3"  # min(max_count, page_size)


def test_user_agent_override(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(fake_arxiv, user_agent="mirror-test/1.0") as c:
        c.search(QUERY, 10)
    assert fake_arxiv.requests[0].headers["user-agent"] == "mirror-test/1.0"


def test_default_url_is_https_export() -> None:
    assert DEFAULT_ARXIV_URL == "https://export.arxiv.org/api/query"


# -- paging -----------------------------------------------------------------------------


def test_paged_walk_with_real_spacing_on_one_connection(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_testing_walk()
    delay = 0.1
    session = StampingSession()
    with make_client(fake_arxiv, delay=delay, page_size=10, session=session) as c:
        papers = c.search(QUERY, 60, topic="Testing")
    assert [p.id for p in papers] == expected_ids(BIG, 60)
    log = fake_arxiv.requests
    assert [r.params["start"] for r in log] == ["0", "10", "20", "30", "40", "50"]
    assert {r.params["max_results"] for r in log} == {"10"}
    assert {r.params["sortBy"] for r in log} == {"submittedDate"}
    assert len(session.starts) == len(log)
    gaps = [b - a for a, b in itertools.pairwise(session.starts)]
    assert all(gap >= delay - STAMP_SLACK for gap in gaps), gaps
    assert len({r.client_port for r in log}) == 1  # one kept-alive connection
    assert c.requests_made == 6
    assert 0 < c.waited <= 5 * delay


def test_spacing_is_client_wide_across_topics(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_fixture_route(PAGE1, search_query="all:a")
    fake_arxiv.add_fixture_route(PAGE1, search_query="all:b")
    fake_arxiv.add_fixture_route(PAGE1, search_query="all:c")
    delay = 0.15
    session = StampingSession()
    with make_client(fake_arxiv, delay=delay, session=session) as c:
        for query in ("all:a", "all:b", "all:c"):
            c.search(query, 10, topic=query)
    log = fake_arxiv.requests
    assert [r.params["search_query"] for r in log] == ["all:a", "all:b", "all:c"]
    assert len(session.starts) == len(log)
    gaps = [b - a for a, b in itertools.pairwise(session.starts)]
    assert all(gap >= delay - STAMP_SLACK for gap in gaps), gaps


class SlowSession(requests.Session):
    """A real session whose every request "takes" one second of fake time (request + parse)."""

    def __init__(self, fake_time: FakeTime) -> None:
        super().__init__()
        self.fake_time = fake_time

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        response = super().request(*args, **kwargs)
        self.fake_time.now += 1.0
        return response


def test_only_the_remainder_of_the_delay_is_slept(
    fake_arxiv: FakeArxiv, fake_time: FakeTime
) -> None:
    fake_arxiv.add_testing_walk()
    session = SlowSession(fake_time)
    with make_client(fake_arxiv, fake_time, delay=3.0, page_size=10, session=session) as c:
        c.search(QUERY, 30)
    # Time already spent since the previous request started counts towards the 3 s.
    assert fake_time.sleeps == [2.0, 2.0]
    assert c.waited == 4.0
    session.close()


def test_stops_at_max_count(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_testing_walk()
    client.page_size = 10
    papers = client.search(QUERY, 25)
    assert [p.id for p in papers] == expected_ids(BIG, 25)
    assert [r.params["start"] for r in fake_arxiv.requests] == ["0", "10", "20"]


def test_hundred_entry_page(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(BIG, search_query=QUERY, max_results=100)
    papers = client.search(QUERY, 100)
    assert len(papers) == 100
    assert "$ω$Test: WebView-Oriented Testing for Android Applications" in [p.title for p in papers]
    assert len(fake_arxiv.requests) == 1


def test_stops_at_total_results(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    # Sliced feed: totalResults becomes 10, so asking for 100 makes exactly one request.
    fake_arxiv.serve_feed(fixture_bytes(PAGE1), search_query=QUERY)
    client.page_size = 4
    papers = client.search(QUERY, 100)
    assert [p.id for p in papers] == expected_ids(PAGE1, 10)
    assert [r.params["start"] for r in fake_arxiv.requests] == ["0", "4", "8"]


def test_total_zero_is_an_empty_success(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(
        "api-2026-id_list-0000.0000-empty-total0.xml", search_query="ti:zzzz"
    )
    assert client.search("ti:zzzz", 50) == []
    assert len(fake_arxiv.requests) == 1


def test_dedup_across_overlapping_pages(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    # Page 2 (recorded at start=5) repeats five papers of page 1, as when new papers shift
    # the result list between two requests.
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY, start=0)
    fake_arxiv.add_fixture_route(
        "api-2026-all_testing-relevance-start5-max10.xml", search_query=QUERY, start=10
    )
    fake_arxiv.add_fixture_route(
        "api-2026-all_testing-relevance-start20-max10-page3.xml", search_query=QUERY, start=20
    )
    client.page_size = 10
    papers = client.search(QUERY, 20)
    ids = [p.id for p in papers]
    assert len(ids) == len(set(ids)) == 20
    assert ids[:15] == expected_ids(BIG, 15)
    assert [r.params["start"] for r in fake_arxiv.requests] == ["0", "10", "20"]


def test_highest_version_wins_across_pages(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.serve_feed(fixture_bytes("synthetic-same-paper-two-versions.xml"))
    client.page_size = 1
    papers = client.search("all:zero", 3)
    assert [(p.id, p.version) for p in papers] == [("2104.12255", 2), ("1707.08567", 1)]
    assert len(fake_arxiv.requests) == 3


def test_bogus_entries_advance_start(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(
        "api-2025-08-oldapi-id_list-4ids-3-nonexistent-bogus-empty-entries-rsxiv.xml",
        search_query="all:bogus",
    )
    papers = client.search("all:bogus", 10)
    assert [p.id for p in papers] == ["2201.13452"]
    assert len(fake_arxiv.requests) == 1  # 4 entries received = totalResults 4


def test_links_without_rel(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(
        "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml",
        search_query="all:electron AND all:proton",
    )
    papers = client.search("all:electron AND all:proton", 10)
    assert papers[0].pdf_url == "https://arxiv.org/pdf/nucl-ex/0408020v1"
    assert papers[0].abs_url == "https://arxiv.org/abs/nucl-ex/0408020v1"


def test_three_topics_each_served_a_different_feed(fake_arxiv: FakeArxiv) -> None:
    bodies = {
        "all:one": fixture_bytes(PAGE1),
        "all:two": fixture_bytes("api-2026-all_testing-relevance-start10-max10-page2.xml"),
        "all:three": fixture_bytes("api-2026-id_list-2104.12255v1-title-is-0.xml"),
    }
    for query, body in bodies.items():
        fake_arxiv.serve_feed(body, search_query=query)
    with make_client(fake_arxiv) as c:
        results = {q: [p.id for p in c.search(q, 100)] for q in bodies}
    assert results["all:one"] == expected_ids(PAGE1, 10)
    assert results["all:three"] == ["2104.12255"]
    assert not set(results["all:one"]) & set(results["all:two"])


def test_fake_answers_unknown_queries_with_404(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    with pytest.raises(ArxivError, match="HTTP 404") as info:
        client.search("all:unrecorded", 10)
    assert info.value.status == 404
    assert len(fake_arxiv.requests) == 1  # permanent: not retried
    assert fake_arxiv.requests[0].answered_by == "unmatched"


# -- arXiv rejecting the query ----------------------------------------------------------


def test_http400_error_feed_is_a_query_error(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route(
        "api-2026-error-http400-incorrect-id-format.xml", search_query="id:abc", status=400
    )
    with pytest.raises(ArxivQueryError) as info:
        client.search("id:abc", 10, topic="Bad ids")
    assert "incorrect id format for abc" in info.value.message
    assert "Bad ids" in info.value.message
    assert info.value.status == 400
    assert info.value.topic == "Bad ids"
    assert len(fake_arxiv.requests) == 1


def test_old_backend_error_feed_with_200(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route("synthetic-old-backend-error-http200.xml", search_query="x:y")
    with pytest.raises(ArxivQueryError, match="start must be an integer"):
        client.search("x:y", 10)
    assert len(fake_arxiv.requests) == 1


def test_other_4xx_error_feed_is_not_blamed_on_the_query(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    fake_arxiv.fail_next(
        405,
        fixture_bytes("api-2026-error-http400-incorrect-id-format.xml"),
        content_type="application/atom+xml",
    )
    with pytest.raises(ArxivError, match="HTTP 405") as info:
        client.search(QUERY, 10)
    assert not isinstance(info.value, ArxivQueryError)


def test_403_is_permanent(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.fail_next(403, b"Forbidden")
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with pytest.raises(ArxivError, match="HTTP 403") as info:
        client.search(QUERY, 10)
    assert not isinstance(info.value, ArxivQueryError)
    assert len(fake_arxiv.requests) == 1


# -- transient faults: retried, then success --------------------------------------------


@pytest.mark.parametrize(
    ("status", "body_name"),
    [
        (429, "synthetic-http429-body.txt"),
        (503, "synthetic-http503-body.html"),
        (500, None),
        (502, None),
        (504, None),
        (406, None),
    ],
)
def test_retryable_status_then_success(
    fake_arxiv: FakeArxiv,
    client: ArxivClient,
    fake_time: FakeTime,
    status: int,
    body_name: str | None,
) -> None:
    body = fixture_bytes(body_name) if body_name else b""
    fake_arxiv.fail_next(status, body, times=2)
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    papers = client.search(QUERY, 10)
    assert len(papers) == 10
    assert [r.answered_by for r in fake_arxiv.requests] == [
        f"fault:{status}",
        f"fault:{status}",
        "route",
    ]
    # Exponential backoff: backoff_base * 2**(n-1) * (0.5 + 0.5*rand) with rand = 0.
    assert fake_time.sleeps == [0.5, 1.0]
    assert client.backoff_waited == 1.5


def test_server_error_in_error_feed_shape_is_retried(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    # The new backend wraps 500s in its error feed; that is not the user's query's fault.
    fake_arxiv.fail_next(
        500,
        fixture_bytes("api-2026-error-http400-incorrect-id-format.xml"),
        content_type="application/atom+xml",
    )
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10


def test_retry_after_seconds_is_honoured(
    fake_arxiv: FakeArxiv, client: ArxivClient, fake_time: FakeTime
) -> None:
    fake_arxiv.fail_next(429, b"slow down", headers={"Retry-After": "7"})
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    client.search(QUERY, 10)
    assert fake_time.sleeps == [7.0]


def test_retry_after_is_capped(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> None:
    fake_arxiv.fail_next(503, b"", headers={"Retry-After": "86400"})
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(fake_arxiv, fake_time, retry_after_cap=30.0) as c:
        c.search(QUERY, 10)
    assert fake_time.sleeps == [30.0]


def test_retry_after_http_date_is_honoured(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=60)
    fake_arxiv.fail_next(503, b"", headers={"Retry-After": format_datetime(when, usegmt=True)})
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(fake_arxiv, fake_time) as c:
        c.search(QUERY, 10)
    (slept,) = fake_time.sleeps
    assert 50.0 <= slept <= 60.0


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Thu, 26 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 26 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("-5", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("", now) is None


def test_jitter_scales_the_backoff(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> None:
    fake_arxiv.fail_next(503, times=2)
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(fake_arxiv, fake_time, backoff_base=4.0, rand=lambda: 0.5) as c:
        c.search(QUERY, 10)
    assert fake_time.sleeps == [3.0, 6.0]  # 4 * 2**(n-1) * 0.75


def test_connection_drop_is_retried(
    fake_arxiv: FakeArxiv, client: ArxivClient, fake_time: FakeTime
) -> None:
    fake_arxiv.drop_next()
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10
    assert [r.answered_by for r in fake_arxiv.requests] == ["fault:drop", "route"]
    assert len(fake_time.sleeps) == 1


def test_read_timeout_is_retried(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> None:
    fake_arxiv.slow_next(1.0)
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(fake_arxiv, fake_time, timeout=(2.0, 0.2)) as c:
        assert len(c.search(QUERY, 10)) == 10
    assert [r.answered_by for r in fake_arxiv.requests] == ["fault:slow+route", "route"]


def test_connection_refused_is_retried_then_reported(fake_time: FakeTime) -> None:
    with FakeArxiv() as stopped:
        url = stopped.url
    client = ArxivClient(base_url=url, clock=fake_time.clock, sleep=fake_time.sleep, max_attempts=2)
    with client, pytest.raises(ArxivError, match="connection was refused") as info:
        client.search(QUERY, 10, topic="Offline")
    assert "Offline" in info.value.message
    assert info.value.kind is Kind.REFUSED
    assert "overloaded" not in str(info.value)  # not blamed on throttling
    assert client.requests_made == 2


def test_rate_exceeded_text_is_throttling(
    fake_arxiv: FakeArxiv, client: ArxivClient, fake_time: FakeTime
) -> None:
    fake_arxiv.rate_exceeded_next()
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10
    assert len(fake_arxiv.requests) == 2


def test_non_xml_200_without_content_type_hint(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.fail_next(200, b"Rate exceeded.", content_type="application/octet-stream")
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10


def test_malformed_xml_is_retried(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.malformed_next()
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10
    assert len(fake_arxiv.requests) == 2


def test_malformed_xml_reported_after_retries(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.malformed_next(times=5)
    with pytest.raises(ArxivError, match="not well-formed XML"):
        client.search(QUERY, 10, topic="Testing")
    assert len(fake_arxiv.requests) == 5


def test_spurious_empty_page_is_retried(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_testing_walk()
    fake_arxiv.empty_page_next()  # zero entries while totalResults says 214881
    client.page_size = 10
    papers = client.search(QUERY, 20)
    assert [p.id for p in papers] == expected_ids(BIG, 20)
    log = fake_arxiv.requests
    assert [r.answered_by for r in log] == ["fault:empty-page", "route", "route"]
    assert [r.params["start"] for r in log] == ["0", "0", "10"]  # asked again, not skipped


# -- giving up --------------------------------------------------------------------------


def test_exhausted_retries_name_topic_url_and_answer(
    fake_arxiv: FakeArxiv, fake_time: FakeTime
) -> None:
    fake_arxiv.fail_next(429, fixture_bytes("synthetic-http429-body.txt"), times=5)
    secret_url = fake_arxiv.url.replace("http://", "http://user:s3cret@")
    c = make_client(fake_arxiv, fake_time, base_url=secret_url, max_attempts=5)
    with c, pytest.raises(ArxivError) as info:
        c.search(QUERY, 10, topic="Software testing")
    error = info.value
    assert not isinstance(error, ArxivQueryError)
    assert "Software testing" in error.message
    assert "HTTP 429" in error.message
    assert "Too Many Requests" in error.message
    assert "(5 attempts)" in error.message
    assert error.url is not None
    assert error.url.startswith(fake_arxiv.url + "?search_query=")
    assert str(error).count(fake_arxiv.url) == 1  # the endpoint, named once
    assert len(str(error)) < 300
    assert "s3cret" not in str(error)
    assert error.status == 429
    assert (error.kind, error.status) == (Kind.HTTP, 429)
    assert error.topic == "Software testing"
    assert len(fake_arxiv.requests) == 5
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0]


def test_time_budget_stops_retrying(fake_arxiv: FakeArxiv, fake_time: FakeTime) -> None:
    fake_arxiv.fail_next(503, times=5)
    with (
        make_client(
            fake_arxiv, fake_time, backoff_base=8.0, rand=lambda: 0.99, time_budget=20.0
        ) as c,
        pytest.raises(ArxivError, match="time budget"),
    ):
        c.search(QUERY, 10)
    assert len(fake_arxiv.requests) == 2  # 8 s backoff fits in 20 s, the next 16 s does not


def test_empty_pages_forever_is_an_error_not_no_papers(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    fake_arxiv.empty_page_next(times=5)
    with pytest.raises(ArxivError, match="empty page although totalResults is 214881"):
        client.search(QUERY, 10)


# -- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize("max_count", [0, -1, 2001])
def test_max_count_range(client: ArxivClient, max_count: int) -> None:
    with pytest.raises(ConfigError, match="max count"):
        client.search(QUERY, max_count)


def test_empty_query(client: ArxivClient) -> None:
    with pytest.raises(QueryError):
        client.search("  ", 10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "export.arxiv.org/api/query"},
        {"base_url": "ftp://export.arxiv.org/api/query"},
        {"delay": -1.0},
        {"page_size": 0},
        {"page_size": 2001},
        {"max_attempts": 0},
        {"time_budget": 0.0},
    ],
)
def test_invalid_client_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        ArxivClient(**kwargs)


def test_injected_session_is_not_closed(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    session = requests.Session()
    with make_client(fake_arxiv, session=session) as c:
        c.search(QUERY, 10)
    # Still usable: the caller owns it.
    assert session.get(fake_arxiv.url, params={"search_query": QUERY}).status_code == 200
    session.close()


# -- the fake itself (other tests rely on these behaviours) -------------------------------


def test_slice_feed_rewrites_opensearch_counts() -> None:
    sliced = parse_page(slice_feed(fixture_bytes(BIG), 95, 10))
    assert (sliced.total_results, sliced.start_index, sliced.items_per_page) == (100, 95, 10)
    assert [p.id for p in sliced.papers] == expected_ids(BIG, 100)[95:]
    empty = parse_page(
        slice_feed(fixture_bytes("api-2026-id_list-0000.0000-empty-total0.xml"), 0, 5)
    )
    assert (empty.total_results, empty.papers) == (0, ())


def test_fake_serves_any_query_and_post(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.serve_feed_for_any_query(fixture_bytes(PAGE1))
    with requests.Session() as session:
        got = session.post(
            fake_arxiv.url, data={"search_query": "all:x", "start": "8", "max_results": "5"}
        )
        wrong = session.get(fake_arxiv.url.replace("/api/query", "/api/other"))
    assert got.status_code == 200
    assert len(parse_page(got.content).papers) == 2
    assert wrong.status_code == 404
    assert [r.method for r in fake_arxiv.requests] == ["POST", "GET"]
    assert fake_arxiv.requests[0].params["start"] == "8"


def test_error_kinds_read_as_the_strings_logs_and_results_show() -> None:
    assert [k.value for k in Kind] == [
        "dns",
        "refused",
        "tls",
        "connection",
        "timeout",
        "deadline",
        "oversize",
        "not-atom",
        "malformed",
        "empty-page",
        "budget",
        "redirect",
        "http",
    ]
    assert f"{Kind.NOT_ATOM}" == str(Kind.NOT_ATOM) == "not-atom"
    assert json.dumps({"kind": Kind.EMPTY_PAGE}) == '{"kind": "empty-page"}'
