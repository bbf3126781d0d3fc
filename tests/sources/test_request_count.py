"""How many arXiv requests a day's papers cost: counted against the loopback fake arXiv.

The id lists are the recorded 100-entry API page's ids plus ids the fake does not know (a
day's worth of papers); the fake answers each ``id_list`` POST with the recorded entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from daily_papers import defaults
from daily_papers.arxiv.client import ArxivClient
from daily_papers.arxiv.exchange import MAX_BODY_BYTES
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes

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
