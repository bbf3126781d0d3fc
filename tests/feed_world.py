"""The announcement-feed world many end-to-end tests share: one topic, a README and its data
file, updated day by day against the fake rss.arxiv.org + API (the ``world`` fixture).

One copy, so the update's arguments and the recorded days are changed in one place.  The feeds
are SYNTHETIC days built from the recorded 2024-11-28 feed's own items (tests/rss_synthetic.py);
API answers are recorded pages (tests/fixtures/arxiv).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from daily_papers.query.build import topic_query
from tests.fakes.arxiv_server import FakeArxivFeeds, fixture_bytes
from tests.rss_synthetic import categories_of, recorded_items, renumber, synthetic_feed
from tests.test_cli_update import README, run

TOPIC = "language model"
QUERY = topic_query(TOPIC, categories=["cs.CL"])
API_PAGE = "api-2026-all_testing-relevance-start0-max10.xml"
THU, FRI, SAT = date(2024, 11, 28), date(2024, 11, 29), date(2024, 11, 30)


def cs_cl_items() -> tuple[bytes, ...]:
    return tuple(
        i
        for i in recorded_items()
        if "cs.CL" in categories_of(i) and b"language model" in i.lower() and b"new<" in i
    )


def day_feed(day: date, items: tuple[bytes, ...]) -> bytes:
    return synthetic_feed(items, day=day)


def fresh(items: tuple[bytes, ...], prefix: str) -> tuple[bytes, ...]:
    """The items under new ids (another day's announcement of similar papers)."""
    return tuple(renumber(item, f"{prefix}{n:04d}") for n, item in enumerate(items))


class World:
    """A README, its data file and result JSON in one folder, updated day by day with topic
    :data:`TOPIC` against the fake rss.arxiv.org + API (serving :data:`API_PAGE` for
    :data:`QUERY`); each update keeps the requests it made."""

    def __init__(self, fake: FakeArxivFeeds, tmp: Path) -> None:
        self.fake = fake
        self.readme = tmp / "README.md"
        self.readme.write_bytes(README.encode("utf-8"))
        self.result = tmp / "result.json"
        self.data = tmp / "daily-papers.json"
        fake.serve_feed(fixture_bytes(API_PAGE), search_query=QUERY)

    def update(self, *extra: str, today: date) -> tuple[int, str, str, dict[str, Any]]:
        seen = len(self.fake.requests)
        res = run(
            "update",
            str(self.readme),
            "-k",
            TOPIC,
            "--category",
            "cs.CL",
            "--max-count",
            "20",
            # Two pages a day by the API, as many as one feed and its id_list: ``auto``
            # keeps the feeds (a single page would make the API the cheaper route).
            "--page-size",
            "10",
            "--arxiv-url",
            self.fake.url,
            "--arxiv-rss-url",
            self.fake.rss_url,
            "--arxiv-delay",
            "0",
            "--result-json",
            str(self.result),
            *extra,
            today=today,
        )
        self.last_requests = self.fake.requests[seen:]
        doc = json.loads(self.result.read_text("utf-8")) if self.result.exists() else {}
        return res.status, res.out, res.err, doc

    @property
    def searches(self) -> list[str]:
        return [r.params.get("search_query", "") for r in self.last_requests if r.params]

    @property
    def feed_paths(self) -> list[str]:
        return [r.path for r in self.last_requests if r.path.startswith("/rss/")]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A :class:`World` in the test's folder, its fake arXiv stopped after the test."""
    fake = FakeArxivFeeds()
    with fake:
        yield World(fake, tmp_path)
