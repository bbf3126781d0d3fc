"""How many arXiv requests a day's papers cost: counted against the loopback fake arXiv.

The id lists are the recorded 100-entry API page's ids plus ids the fake does not know (a
day's worth of papers); the fake answers each ``id_list`` POST with the recorded entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from daily_papers import defaults
from daily_papers.arxiv import taxonomy
from daily_papers.arxiv.client import ArxivClient
from daily_papers.arxiv.exchange import MAX_BODY_BYTES
from daily_papers.sources import announcements as feeds
from tests.fakes.arxiv_server import FakeArxiv, FakeArxivFeeds, fixture_bytes
from tests.rss_synthetic import recorded_items, renumber, synthetic_feed
from tests.test_cli_update import README, run

PAGE = "api-2026-all_testing-relevance-start0-max100.xml"


def recorded_ids() -> list[str]:
    body = fixture_bytes(PAGE)
    return [m.decode() for m in re.findall(rb"<id>https?://arxiv\.org/abs/(.+?)v\d+</id>", body)]


@pytest.fixture
def client(fake_arxiv: FakeArxiv) -> Iterator[ArxivClient]:
    fake_arxiv.serve_id_list(fixture_bytes(PAGE))
    with ArxivClient(base_url=fake_arxiv.url, delay=0.0) as made:
        yield made


def test_a_days_papers_take_one_id_list_request(fake_arxiv: FakeArxiv, client: ArxivClient) -> None:
    known = recorded_ids()
    ids = known + [f"2411.9{n:04d}" for n in range(1500 - len(known))]
    papers = client.papers_by_id(ids)
    assert len(papers) == len(known) == 100
    assert [r.method for r in fake_arxiv.requests] == ["POST"]  # was 15 batches of 100
    assert fake_arxiv.requests[0].params["max_results"] == str(defaults.MAX_COUNT_LIMIT)


def test_more_than_the_api_limit_takes_a_second_request(
    fake_arxiv: FakeArxiv, client: ArxivClient
) -> None:
    ids = recorded_ids() + [f"2411.9{n:04d}" for n in range(defaults.MAX_COUNT_LIMIT)]
    assert len(client.papers_by_id(ids)) == 100
    assert len(fake_arxiv.requests) == 2


def test_a_full_id_list_answer_fits_the_clients_body_cap() -> None:
    """The largest recorded entry times the batch size, with the page's head, stays far under."""
    body = fixture_bytes(PAGE)
    entries = re.findall(rb"<entry>.*?</entry>", body, re.DOTALL)
    largest = max(len(e) for e in entries)
    head = len(body) - sum(len(e) for e in entries)
    assert head + largest * defaults.ARXIV_ID_BATCH < MAX_BODY_BYTES // 3


# -- feed groups sized from the last announcement -----------------------------------------------


def test_remembered_counts_pack_every_archive_into_two_groups() -> None:
    archives = taxonomy.feed_archives()
    first = feeds.plan_groups(archives, counts=feeds.estimates({}), budget=feeds.LIVE_BUDGET)
    later = feeds.plan_groups(
        archives, counts=feeds.estimates(feeds.RECORDED_COUNTS), budget=feeds.LIVE_BUDGET
    )
    assert len(first) == 3  # no counts yet: the recorded ones with the wide margin
    assert len(later) == 2  # the last announcement's counts: was 3 every day
    for group in later:
        assert sum(feeds.RECORDED_COUNTS.get(n, 0) for n in group.names) <= feeds.LIVE_BUDGET


def _day(day: date) -> bytes:
    items = tuple(
        renumber(i, f"2411.{day.day % 10}{n:04d}") for n, i in enumerate(recorded_items())
    )
    return synthetic_feed(items, day=day)


def test_the_day_after_costs_two_feeds_and_one_id_list(tmp_path: Path) -> None:
    """Four topics over every archive (as many searches as day 1's 3 feeds and id_list): day 1
    builds the data file, day 2 is counted."""
    readme, data = tmp_path / "README.md", tmp_path / "daily-papers.json"
    readme.write_text(README, encoding="utf-8")
    fake = FakeArxivFeeds()
    with fake:
        fake.serve_feed_for_any_query(fixture_bytes(PAGE))
        fake.serve_id_list(fixture_bytes(PAGE))

        def update(day: date) -> list[str]:
            remembered = json.loads(data.read_text("utf-8"))["feed_counts"] if data.exists() else {}
            sizes = feeds.estimates(remembered)
            for group in feeds.plan_groups(
                taxonomy.feed_archives(), counts=sizes, budget=feeds.LIVE_BUDGET
            ):
                fake.serve_announcement(group.path, _day(day))
            seen = len(fake.requests)
            res = run(
                "update", str(readme), "-k", "neural network", "-k", "dark matter",
                "-k", "black hole", "-k", "graph",
                "--arxiv-url", fake.url, "--arxiv-rss-url", fake.rss_url, "--arxiv-delay", "0",
                today=day,
            )  # fmt: skip
            assert res.status == 0, res.err
            return [r.path for r in fake.requests[seen:]]

        update(date(2024, 11, 28))
        counts = json.loads(data.read_text("utf-8"))["feed_counts"]
        assert counts["cs"] == feeds.RECORDED_COUNTS["cs"]  # counted from the recorded feed
        paths = update(date(2024, 11, 29))
    assert sum(p.startswith("/rss/") for p in paths) == 2
    assert sum(p == "/api/query" for p in paths) == 1  # the id_list of the day's matches


# -- the cheaper route for a few topics ---------------------------------------------------------


def test_one_topic_under_auto_takes_the_one_search_and_says_so(tmp_path: Path) -> None:
    readme, result = tmp_path / "README.md", tmp_path / "result.json"
    readme.write_text(README, encoding="utf-8")
    fake = FakeArxivFeeds()
    with fake:
        fake.serve_feed_for_any_query(fixture_bytes(PAGE))
        fake.serve_announcements_by(lambda names: _day(date(2024, 11, 28)))
        for day in (date(2024, 11, 28), date(2024, 11, 29)):
            seen = len(fake.requests)
            res = run(
                "update", str(readme), "-k", "neural network", "--arxiv-url", fake.url,
                "--arxiv-rss-url", fake.rss_url, "--arxiv-delay", "0",
                "--result-json", str(result), today=day,
            )  # fmt: skip
            assert res.status == 0, res.err
            asked = fake.requests[seen:]
            assert [r.path for r in asked] == ["/api/query"]  # was a feed, an id_list
            assert "search_query" in asked[0].params
            doc = json.loads(result.read_text("utf-8"))
            assert doc["requests"] == {**doc["requests"], "api": 1, "rss": 0, "route": "api"}
            assert "searched the API: 1 request(s) a day" in res.err
            assert "warning:" not in res.err  # a choice, not a problem
            assert any("for the announcement feeds and their id_list" in n for n in doc["notes"])


def test_the_route_weighs_pages_and_leaves_out_what_only_the_api_can_answer() -> None:
    from daily_papers.models import Topic
    from daily_papers.sources.routing import cheaper_route

    few = [Topic("a", "ti:graph"), Topic("b", "ti:graph", max_count=250)]
    assert cheaper_route(few, 1) == (4, 2)
    assert cheaper_route(few, 1, page_size=2000) == (2, 2)
    assert cheaper_route([], 2) == (0, 0)


def test_the_summary_names_the_route() -> None:
    from daily_papers.publish import Operation, PublishResult
    from daily_papers.result import RunResult
    from daily_papers.runner import summary_markdown

    done = PublishResult(Operation.NONE)
    by_api = RunResult("local", (), (), done, requests={"api": 1}, route="api")
    assert "**arXiv**: 1 request, by API searches." in summary_markdown(by_api)
    by_feeds = RunResult("local", (), (), done, requests={"api": 1, "rss": 2}, route="feeds")
    assert "**arXiv**: 3 requests, by the announcement feeds." in summary_markdown(by_feeds)
