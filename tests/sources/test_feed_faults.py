"""Hostile and broken announcement feeds, end to end against the loopback fake arXiv.

Every feed here is SYNTHETIC: the recorded 2024-11-28 feed (tests/rss_synthetic.py) or a
recorded API page, mutated into one fault each.  What must hold: no traceback; a malformed
answer is retried, then ``auto`` falls back to the API and ``rss`` fails the topic with one
sentence; a date far in the future never becomes the remembered feed date; an item with an
unusable id or version is skipped, counted and never written; unknown announce types are
counted; a hostile author string parses in bounded time.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from daily_papers import defaults
from daily_papers.arxiv.announcement_feed import parse_announcement
from daily_papers.arxiv.api_page import bound_runs, parse_page
from tests.fakes.arxiv_server import fixture_bytes
from tests.feed_world import FRI, QUERY, THU, World, cs_cl_items, day_feed, fresh
from tests.rss_synthetic import as_type, synthetic_feed

MONDAY = date(2024, 12, 2)


@pytest.fixture
def world(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The shared :class:`World` (tests/feed_world.py) with the production client, its retry
    waits skipped rather than slept."""
    from daily_papers import cli
    from daily_papers.arxiv.client import ArxivClient

    def client(arxiv: Any, console: Any) -> ArxivClient:
        return ArxivClient(base_url=arxiv.url, delay=0, sleep=lambda _s: None)

    monkeypatch.setattr(cli, "_client", client)
    return world


def _truncated() -> bytes:
    body = day_feed(THU, cs_cl_items())
    return body[: len(body) // 2]


MALFORMED: dict[str, Callable[[], bytes]] = {
    "truncated": _truncated,
    "html": lambda: fixture_bytes("synthetic-http503-body.html"),
    "atom": lambda: fixture_bytes("api-2026-all_testing-relevance-start0-max10.xml"),
}


@pytest.mark.parametrize("fault", sorted(MALFORMED))
def test_a_malformed_feed_is_retried_then_auto_falls_back_to_the_api(
    world: World, fault: str
) -> None:
    world.fake.serve_announcement("cs", MALFORMED[fault]())
    status, _out, err, doc = world.update(today=THU)
    assert status == 0, err
    assert "Traceback" not in err
    assert len(world.feed_paths) == 5  # retried like a broken API page
    assert QUERY in world.searches
    assert doc["topics"][0]["source"] == "api"
    assert err.count("warning: The announcement feed") == 1  # said once, in one sentence
    assert (
        "announcements" not in json.loads(world.data.read_text("utf-8"))
        or json.loads(world.data.read_text("utf-8"))["announcements"] == {}
    )


@pytest.mark.parametrize("fault", sorted(MALFORMED))
def test_a_malformed_feed_fails_the_rss_topic_with_one_sentence(world: World, fault: str) -> None:
    readme = world.readme.read_bytes()
    world.fake.serve_announcement("cs", MALFORMED[fault]())
    status, _out, err, _doc = world.update("--arxiv-source", "rss", today=THU)
    assert status == 1, err  # the only topic failed: an error, nothing written
    assert "Traceback" not in err
    assert QUERY not in world.searches
    assert len(world.feed_paths) == 5
    (error,) = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "The announcement feed " in error
    assert error.endswith(
        "the rss source does not fall back to the API, so the topic keeps its papers."
    )
    assert world.readme.read_bytes() == readme
    assert not world.data.exists()


def test_a_feed_dated_in_the_future_is_refused_and_does_not_freeze_the_source(
    world: World,
) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    world.fake.serve_announcement(
        "cs", day_feed(date(2099, 1, 1), fresh(cs_cl_items()[:2], "2411.7"))
    )
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert "2099-01-01" in err
    assert "refused" in err
    assert doc["topics"][0]["source"] == "api"  # that run falls back to the API
    assert json.loads(world.data.read_text("utf-8"))["announcements"] == {"cs": "2024-11-28"}
    # The next real announcement is read from the feed again (not taken for an old repeat).
    world.fake.serve_announcement("cs", day_feed(FRI, fresh(cs_cl_items()[:3], "2411.8")))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert doc["topics"][0]["source"] == "rss"
    assert doc["new_papers"] == 3


def test_a_future_date_already_in_the_data_file_is_forgotten(world: World) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    state = json.loads(world.data.read_text("utf-8"))
    state["announcements"] = {"cs": "2099-12-31"}  # what an earlier release remembered
    world.data.write_text(json.dumps(state), encoding="utf-8")
    world.fake.serve_announcement("cs", day_feed(FRI, fresh(cs_cl_items()[:3], "2411.8")))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert "2099-12-31" in err
    assert "forgotten" in err
    assert doc["new_papers"] >= 3  # fetched, not ignored as a stale repeat
    assert json.loads(world.data.read_text("utf-8"))["announcements"] == {"cs": "2024-11-29"}


def test_a_pubdate_of_9999_is_no_traceback(world: World) -> None:
    body = day_feed(THU, cs_cl_items()).replace(
        b"Thu, 28 Nov 2024 00:00:00 -0500", b"Fri, 31 Dec 9999 23:00:00 -0500"
    )
    world.fake.serve_announcement("cs", body)
    status, _out, err, doc = world.update(today=THU)
    assert status == 0, err
    assert "Traceback" not in err
    assert doc["topics"][0]["source"] == "api"


def _with_guid(item: bytes, guid: bytes) -> bytes:
    return re.sub(
        rb"<guid[^>]*>[^<]*</guid>", b'<guid isPermaLink="false">' + guid + b"</guid>", item
    )


BAD_GUIDS = (
    b"oai:arXiv.org:../../etc/passwdv1",
    b"oai:arXiv.org:2411.70001v0",
    b"oai:arXiv.org:2411.70002v" + b"9" * 5000,
)


def test_items_with_unusable_ids_or_versions_are_skipped_counted_and_never_written(
    world: World,
) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    good = fresh(cs_cl_items()[:2], "2411.8")
    bad = tuple(
        _with_guid(item, guid)
        for item, guid in zip(fresh(cs_cl_items()[2:5], "2411.9"), BAD_GUIDS, strict=True)
    )
    world.fake.serve_announcement("cs", day_feed(FRI, (*good, *bad)))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert "Traceback" not in err
    assert doc["feed_items"]["skipped"] == 3
    assert "3 unusable items" in err
    text = world.data.read_text("utf-8") + world.readme.read_text("utf-8")
    assert "passwd" not in text
    assert "2411.70001" not in text
    assert "2411.70002" not in text
    assert {n["id"] for n in doc["new"]} == {"2411.80000", "2411.80001"}
    # The data file written stays readable by the next run.
    assert world.update(today=FRI)[0] == 0


def test_unknown_announce_types_are_logged_and_counted(world: World) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    items = fresh(cs_cl_items()[:3], "2411.8")
    odd = (as_type(items[0], "absonly"), as_type(items[1], "absonly"), items[2])
    world.fake.serve_announcement("cs", day_feed(FRI, odd))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert doc["feed_items"] == {"skipped": 2, "unknown_announce_types": {"absonly": 2}}
    assert "unknown announce types" in err
    assert "'absonly' ×2" in err
    assert [n["id"] for n in doc["new"]] == ["2411.80002"]


# -- parse time on hostile text -------------------------------------------------------------

#: A 64,000-letter author name took feedparser 20 s before remote runs were bounded.
LONG_NAME = b"a" * 64_000
PARSE_BOUND = 2.0


def test_a_hostile_author_in_a_feed_parses_in_bounded_time() -> None:
    item = re.sub(
        rb"<dc:creator>[^<]*</dc:creator>",
        b"<dc:creator>" + LONG_NAME + b"</dc:creator>",
        cs_cl_items()[0],
    )
    body = synthetic_feed([item] * 1, label="synthetic: 64,000-letter author")
    started = time.perf_counter()
    feed = parse_announcement(body)
    assert time.perf_counter() - started < PARSE_BOUND
    assert len(feed.items) == 1
    assert len(feed.items[0].paper.authors[0]) <= defaults.MAX_REMOTE_RUN


def test_a_hostile_author_in_an_api_page_parses_in_bounded_time() -> None:
    page = fixture_bytes("api-2026-id_list-1707.08567-nonascii-author.xml")
    # SYNTHETIC: the recorded page with its first author's name replaced.
    page = re.sub(rb"<name>[^<]*</name>", b"<name>" + LONG_NAME + b"</name>", page, count=1)
    started = time.perf_counter()
    parsed = parse_page(page)
    assert time.perf_counter() - started < PARSE_BOUND
    assert len(parsed.papers) == 1


def test_bounding_keeps_real_answers_byte_for_byte_and_cuts_at_character_boundaries() -> None:
    recorded = day_feed(THU, cs_cl_items())
    assert bound_runs(recorded) == recorded
    cut = bound_runs(b"<a>" + "é".encode() * 1000 + b"&amp;</a>")
    assert cut.decode("utf-8").startswith("<a>é")  # no half character
    assert len(cut) <= len(b"<a></a>") + defaults.MAX_REMOTE_RUN
    cut = bound_runs(b"<a>" + b"x" * (defaults.MAX_REMOTE_RUN - 2) + b"&amp;amp;</a>")
    assert b"&am<" not in cut
    assert cut.endswith(b"</a>")
