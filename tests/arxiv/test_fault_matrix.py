"""The arXiv-side fault matrix: every attack against the loopback fake, and its outcome.

Each row of drafts/harden-SECURITY.md points at one test here.  Limits are injected small
(1 MiB, about a second) so the matrix runs in seconds; the defaults (25 MB, 120 s) are checked
once at the end.  Hostile bodies labelled synthetic are described in
tests/fixtures/arxiv/PROVENANCE.md.
"""

from __future__ import annotations

import gzip
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from daily_papers.arxiv import client as arxiv_client
from daily_papers.arxiv import exchange
from daily_papers.arxiv.client import ArxivClient
from daily_papers.errors import ArxivError, ArxivQueryError, QueryError
from daily_papers.errors import ArxivErrorKind as Kind
from tests.fakes.arxiv_server import TEXT, FakeArxiv, fixture_bytes
from tests.rss_synthetic import EMPTY, recorded

PAGE1 = "api-2026-all_testing-relevance-start0-max10.xml"
QUERY = "all:testing"
MIB = 1024 * 1024


def make_client(url: str, **kwargs: Any) -> ArxivClient:
    options: dict[str, Any] = {
        "base_url": url,
        "delay": 0.0,
        "backoff_base": 0.01,
        "max_body_bytes": MIB,
        "request_deadline": 1.0,
        "timeout": (2.0, 2.0),
    }
    options.update(kwargs)
    return ArxivClient(**options)


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def client(fake_arxiv: FakeArxiv, events: list[str]) -> Iterator[ArxivClient]:
    with make_client(fake_arxiv.url, on_event=events.append) as c:
        yield c


def assert_one_clean_line(error: ArxivError, url: str) -> None:
    text = str(error)
    assert len(text) < 300, text
    assert text.count(url) == 1, text
    assert not any(ch in text for ch in "\r\n\x1b")


# -- unbounded reads -----------------------------------------------------------------------


@pytest.mark.parametrize("declare_length", [True, False])
def test_huge_body_is_cut_at_the_cap_and_retried_once(
    fake_arxiv: FakeArxiv, client: ArxivClient, declare_length: bool
) -> None:
    fake_arxiv.huge_next(64 * MIB, declare_length=declare_length, times=5)
    started = time.monotonic()
    with pytest.raises(ArxivError) as info:
        client.search(QUERY, 10, topic="Huge")
    assert time.monotonic() - started < 5
    assert info.value.kind is Kind.OVERSIZE
    assert "larger than 1 MB" in info.value.message
    assert len(fake_arxiv.requests) == 2  # an oversized body is retried at most once
    assert_one_clean_line(info.value, fake_arxiv.url)


def test_gzip_bomb_is_cut_after_decompression(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.gzip_bomb_next(64 * MIB, times=2)  # ~65 KB on the wire, 64 MiB inflated
    with pytest.raises(ArxivError) as info:
        client.search(QUERY, 10, topic="Bomb")
    assert info.value.kind is Kind.OVERSIZE
    assert len(fake_arxiv.requests) == 2


def test_one_oversized_answer_then_a_good_one(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.gzip_bomb_next(8 * MIB)
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10


def test_a_gzip_answer_within_the_cap_is_read(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    body = fixture_bytes(PAGE1)
    fake_arxiv.add_route(
        body=gzip.compress(body), search_query=QUERY, headers={"Content-Encoding": "gzip"}
    )
    assert len(client.search(QUERY, 10)) == 10
    assert fake_arxiv.requests[0].headers["accept-encoding"] == "gzip"


def test_a_truncated_gzip_answer_is_retried(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    packed = gzip.compress(fixture_bytes(PAGE1))
    fake_arxiv.fail_next(
        200, packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"}, times=5
    )
    with pytest.raises(ArxivError, match="truncated") as info:
        client.search(QUERY, 10)
    assert info.value.kind is Kind.MALFORMED


@pytest.mark.parametrize("in_headers", [False, True])
def test_drip_feed_hits_the_request_deadline(
    fake_arxiv: FakeArxiv, events: list[str], in_headers: bool
) -> None:
    fake_arxiv.drip_next(0.2, in_headers=in_headers, times=2)
    started = time.monotonic()
    with (
        make_client(fake_arxiv.url, max_attempts=2, on_event=events.append) as c,
        pytest.raises(ArxivError) as info,
    ):
        c.search(QUERY, 10, topic="Drip")
    elapsed = time.monotonic() - started
    assert info.value.kind is Kind.DEADLINE
    assert "longer than the 1 s limit" in info.value.message
    assert (
        2.0 <= elapsed < 6.0
    )  # two attempts of one second each, not the hours the drip would take
    assert len(fake_arxiv.requests) == 2  # retried like a timeout
    assert len(events) == 1


def test_the_run_budget_covers_time_inside_requests(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.drip_next(0.2, times=3)
    started = time.monotonic()
    with (
        make_client(fake_arxiv.url, request_deadline=30.0, time_budget=1.0) as c,
        pytest.raises(ArxivError) as info,
    ):
        c.search(QUERY, 10)
    assert time.monotonic() - started < 3.0  # cut to the budget, not the 30 s deadline
    assert info.value.kind in (Kind.DEADLINE, Kind.BUDGET)
    with pytest.raises(ArxivError) as later:
        c.search(QUERY, 10)  # the budget is per run, not per search
    assert later.value.kind is Kind.BUDGET
    assert len(fake_arxiv.requests) == 1


# -- connection failures are not throttling ---------------------------------------------------


def refused_url() -> str:
    with FakeArxiv() as stopped:
        return stopped.url  # nothing listens there any more


def test_ten_topics_against_a_refused_port_fail_fast_with_short_messages(
    events: list[str],
) -> None:
    url = refused_url()
    errors: list[ArxivError] = []
    started = time.monotonic()
    with ArxivClient(base_url=url, delay=0.0, on_event=events.append) as c:
        for number in range(10):
            with pytest.raises(ArxivError) as info:
                c.search(QUERY, 10, topic=f"Topic {number}")
            errors.append(info.value)
    elapsed = time.monotonic() - started
    assert elapsed < 15.0, elapsed
    assert {e.kind for e in errors} == {Kind.REFUSED}
    for error in errors:
        assert_one_clean_line(error, url)
        assert "overloaded" not in str(error)
        assert "refused" in error.message
    assert c.requests_made == 20  # one retry each
    assert len(events) == 10
    assert events[0].startswith("arXiv request for topic 'Topic 0' failed")


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "export.arxiv.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    url = "http://export.arxiv.invalid/api/query"
    with (
        ArxivClient(base_url=url, delay=0.0, sleep=lambda _: None) as c,
        pytest.raises(ArxivError) as info,
    ):
        c.search(QUERY, 10, topic="DNS")
    assert info.value.kind is Kind.DNS
    assert c.requests_made == 2
    assert "does not resolve" in info.value.message
    assert "DNS" in str(info.value.hint)
    assert_one_clean_line(info.value, url)


def test_a_tls_failure(fake_arxiv: FakeArxiv) -> None:
    url = fake_arxiv.url.replace("http://", "https://")  # TLS to a plain-HTTP port
    with (
        ArxivClient(base_url=url, delay=0.0, sleep=lambda _: None) as c,
        pytest.raises(ArxivError) as info,
    ):
        c.search(QUERY, 10)
    assert info.value.kind is Kind.TLS
    assert c.requests_made == 2


def test_throttling_is_announced_before_the_wait(fake_arxiv: FakeArxiv) -> None:
    log: list[str] = []
    fake_arxiv.fail_next(429, b"slow down", headers={"Retry-After": "7"})
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    with make_client(
        fake_arxiv.url, on_event=log.append, sleep=lambda s: log.append(f"sleep {s:g}")
    ) as c:
        c.search(QUERY, 10, topic="Slow")
    assert log == [
        "arXiv asked us to wait 7 s (HTTP 429) for topic 'Slow'; retry 1 of 4",
        "sleep 7",
    ]


# -- remote text on the console ------------------------------------------------------------------


def test_cr_in_an_entry_id_never_reaches_a_log_line(
    fake_arxiv: FakeArxiv, client: ArxivClient, caplog: pytest.LogCaptureFixture
) -> None:
    fake_arxiv.serve_feed(fixture_bytes("synthetic-cr-in-entry-id.xml"), search_query=QUERY)
    with caplog.at_level(logging.WARNING):
        papers = client.search(QUERY, 10, topic="CR")
    assert len(papers) == 9  # the rest of the page is kept
    (warning,) = [r.getMessage() for r in caplog.records if "not an arXiv id" in r.getMessage()]
    assert "\r" not in warning
    assert "\n" not in warning
    assert "2405.13786" in warning


def test_control_characters_in_an_error_body_are_removed(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    fake_arxiv.fail_next(403, b"denied\r\n::error title=x::spoofed\x1b[2J", content_type=TEXT)
    with pytest.raises(ArxivError) as info:
        client.search(QUERY, 10)
    assert (info.value.kind, info.value.status) == (Kind.HTTP, 403)
    assert_one_clean_line(info.value, fake_arxiv.url)


def test_another_prefix_for_arxivs_namespace(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.add_fixture_route("synthetic-spoofed-arxiv-prefix.xml", search_query=QUERY)
    papers = client.search(QUERY, 10)
    assert papers[0].primary_category == "cs.SE"  # not the spoofed hep-th
    assert papers[0].comment is not None


# -- the feeds transport and id lists -----------------------------------------------------------


def test_papers_by_id_posts_batches_and_drops_unknown_ids(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    fake_arxiv.serve_id_list(
        fixture_bytes("api-2026-id_list-2104.12255v1-title-is-0.xml"),
        fixture_bytes("api-2026-id_list-1707.08567-nonascii-author.xml"),
        fixture_bytes("api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"),
    )
    ids = ["1707.08567", "2612.99999", "2104.12255v1", "astro-ph/0601001", "1707.08567"]
    papers = client.papers_by_id(ids, batch_size=2)
    assert [p.id for p in papers] == ["1707.08567", "2104.12255", "astro-ph/0601001"]
    log = fake_arxiv.requests
    assert [r.method for r in log] == ["POST", "POST"]
    assert [r.params["id_list"] for r in log] == [
        "1707.08567,2612.99999",
        "2104.12255v1,astro-ph/0601001",
    ]
    assert {r.params["max_results"] for r in log} == {"2"}
    assert "id_list" not in log[0].path
    assert client.requests_by_source == {"api": 2, "rss": 0}


@pytest.mark.parametrize("bad", ["2101.00001\r\n", "../etc/passwd", "0000.0000", "2101.1"])
def test_papers_by_id_refuses_what_is_not_an_id(client: ArxivClient, bad: str) -> None:
    with pytest.raises(QueryError, match="not an arXiv id") as info:
        client.papers_by_id([bad])
    assert "\r" not in str(info.value)


def test_feeds_and_api_share_one_spacing_and_count_per_source(fake_arxiv: FakeArxiv) -> None:
    feed_url = fake_arxiv.url  # any path of the fake; the feed body is returned verbatim
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    fake_arxiv.add_route(body=recorded(EMPTY))  # a feed request carries no parameters
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:  # a clock that only moves when the client waits
        sleeps.append(seconds)
        now[0] += seconds

    with make_client(fake_arxiv.url, delay=3.0, clock=lambda: now[0], sleep=sleep) as c:
        c.search(QUERY, 10)
        feed = c.announcement(feed_url)
        c.search(QUERY, 10)
    assert feed.is_empty
    assert c.requests_by_source == {"api": 2, "rss": 1}
    assert sleeps == [3.0, 3.0]  # API -> feed -> API: one spacing for both sources
    assert "application/rss+xml" in fake_arxiv.requests[1].headers["accept"]


def test_feed_rate_exceeded_is_retried_and_400_is_an_error(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.rate_exceeded_next()
    fake_arxiv.add_route(body=recorded(EMPTY))
    with make_client(fake_arxiv.url) as c:
        assert c.announcement(fake_arxiv.url).is_empty
        fake_arxiv.fail_next(400, b"<rss><channel><title>Feed error</title></channel></rss>")
        with pytest.raises(ArxivQueryError) as info:
            c.announcement(fake_arxiv.url)
    assert (info.value.kind, info.value.status) == (Kind.HTTP, 400)


def test_feed_bodies_are_bounded_too(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.gzip_bomb_next(64 * MIB, times=2)
    with pytest.raises(ArxivError) as info:
        client.announcement(fake_arxiv.url)
    assert info.value.kind is Kind.OVERSIZE


# -- the defaults -------------------------------------------------------------------------------


def test_documented_defaults() -> None:
    assert exchange.MAX_BODY_BYTES == 25 * MIB
    assert arxiv_client.REQUEST_DEADLINE == 120.0
    with ArxivClient() as c:
        assert (c.max_body_bytes, c.request_deadline) == (25 * MIB, 120.0)
        assert c.time_budget == arxiv_client.RUN_BUDGET


# -- redirects ------------------------------------------------------------------------------------


def test_a_redirect_is_followed_without_reading_its_body(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    target = fake_arxiv.url + "?search_query=all%3Atesting&start=0&max_results=10"
    fake_arxiv.fail_next(301, b"x" * (4 * MIB), headers={"Location": target})  # > the cap
    fake_arxiv.add_fixture_route(PAGE1, search_query=QUERY)
    assert len(client.search(QUERY, 10)) == 10
    assert [r.answered_by for r in fake_arxiv.requests] == ["fault:301", "route"]
    assert fake_arxiv.requests[1].params == {
        "search_query": QUERY,
        "start": "0",
        "max_results": "10",
    }  # the Location's query, not ours appended a second time


def test_a_redirect_away_from_http_is_refused(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    fake_arxiv.fail_next(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(ArxivError) as info:
        client.search(QUERY, 10)
    assert info.value.kind is Kind.REDIRECT
    assert len(fake_arxiv.requests) == 1
