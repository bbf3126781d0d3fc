"""The announcement-feed sources end to end: ``update`` against a fake rss.arxiv.org + API.

The feeds are SYNTHETIC days built from the recorded 2024-11-28 feed's own items
(tests/rss_synthetic.py); API answers are recorded pages (tests/fixtures/arxiv).  The ``world``
fixture and its days come from tests/feed_world.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from daily_papers.state import SCHEMA_VERSION
from tests.fakes.arxiv_server import fixture_bytes
from tests.feed_world import FRI, QUERY, SAT, THU, World, cs_cl_items, day_feed, fresh
from tests.rss_synthetic import as_type


def test_first_run_backfills_then_the_next_day_needs_no_per_topic_request(world: World) -> None:
    thursday = cs_cl_items()
    world.fake.serve_announcement("cs", day_feed(THU, thursday))
    status, _out, err, doc = world.update(today=THU)
    assert status == 0, err
    assert world.feed_paths == ["/rss/cs"]
    assert QUERY in world.searches  # a new data file: backfilled through the API
    assert doc["topics"][0]["source"] == "api"
    state = json.loads(world.data.read_text("utf-8"))
    assert state["announcements"] == {"cs": "2024-11-28"}

    friday = fresh(thursday[:5], "2411.8")
    world.fake.serve_announcement("cs", day_feed(FRI, friday))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert QUERY not in world.searches  # the next announcement day: the feed alone
    assert world.feed_paths == ["/rss/cs"]
    assert doc["topics"][0]["source"] == "rss"
    assert doc["requests"]["rss"] == 1
    assert doc["requests"]["api"] <= 1  # one id_list batch for the comments
    assert doc["new_papers"] == 5
    assert {n["id"] for n in doc["new"]} == {f"2411.8{n:04d}" for n in range(5)}
    text = world.readme.read_text("utf-8")
    assert "arxiv.org/abs/2411.80000v" in text
    # The API index lagged: no id_list answer, so the feed's data stays and is asked again.
    assert set(json.loads(world.data.read_text("utf-8"))["feed_only"]) >= {"2411.80000"}


def test_a_weekend_feed_changes_nothing(world: World) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    before = (world.readme.read_bytes(), world.data.read_bytes())
    world.fake.serve_announcement("cs", day_feed(SAT, ()))
    status, out, err, doc = world.update(today=SAT)
    assert status == 0, err
    assert "No announcement today" in err
    assert "No announcement today" not in out  # progress, not the report
    assert (world.readme.read_bytes(), world.data.read_bytes()) == before
    assert doc["changed"] is False
    assert QUERY not in world.searches


def test_a_missed_day_is_backfilled_and_rss_alone_says_so(world: World) -> None:
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    assert world.update(today=THU)[0] == 0
    monday = date(2024, 12, 2)  # Friday's announcement was missed
    world.fake.serve_announcement("cs", day_feed(monday, fresh(cs_cl_items()[:3], "2412.3")))
    status, _out, err, _doc = world.update("--arxiv-source", "rss", today=monday)
    assert status == 0, err
    assert QUERY not in world.searches
    assert "never backfills" in err
    tuesday = date(2024, 12, 4)  # and now Tuesday's is missed too
    world.fake.serve_announcement("cs", day_feed(tuesday, fresh(cs_cl_items()[:3], "2412.4")))
    status, _out, err, doc = world.update(today=tuesday)
    assert status == 0, err
    assert QUERY in world.searches  # auto backfills the gap through the API
    assert doc["topics"][0]["source"] == "api"


def test_a_failing_feed_falls_back_to_the_api_and_says_so_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from daily_papers import cli
    from daily_papers.arxiv.client import ArxivClient

    waits: list[float] = []

    def client(arxiv: Any, console: Any) -> ArxivClient:
        # The production client, with its retry waits recorded instead of slept.
        return ArxivClient(base_url=arxiv.url, delay=0, sleep=waits.append)

    monkeypatch.setattr(cli, "_client", client)
    world.fake.fail_feed_next(503, times=10)
    status, _out, err, doc = world.update(today=THU)
    assert status == 0, err
    assert QUERY in world.searches
    assert err.count("announcement feed") == 1
    assert doc["topics"][0]["source"] == "api"
    assert len(world.feed_paths) == 5  # the feed was retried before falling back
    assert waits


def test_the_error_feed_falls_back_to_the_api(world: World) -> None:
    from tests.fakes.arxiv_server import rss_error_feed

    world.fake.serve_announcement("cs", rss_error_feed("cs", "Bad archive 'cs'."), status=400)
    status, _out, err, _doc = world.update(today=THU)
    assert status == 0, err
    assert QUERY in world.searches


def test_a_replaced_paper_is_updated_not_listed_as_new(world: World) -> None:
    thursday = cs_cl_items()
    world.fake.serve_announcement("cs", day_feed(THU, thursday))
    assert world.update(today=THU)[0] == 0
    shown = json.loads(world.data.read_text("utf-8"))["topics"][0]["papers"]
    from_feed = next(p for p in shown if p["id"].startswith("2411."))
    item = next(i for i in thursday if from_feed["id"].encode() in i)
    newer = as_type(item, "replace").replace(
        f"{from_feed['id']}v{from_feed['version']}".encode(),
        f"{from_feed['id']}v{from_feed['version'] + 1}".encode(),
    )
    world.fake.serve_announcement("cs", day_feed(FRI, (newer,)))
    status, _out, err, doc = world.update(today=FRI)
    assert status == 0, err
    assert doc["new_papers"] == 0
    papers = json.loads(world.data.read_text("utf-8"))["topics"][0]["papers"]
    updated = next(p for p in papers if p["id"] == from_feed["id"])
    assert updated["version"] == from_feed["version"] + 1
    assert doc["topics"][0]["replaced_ids"] == [from_feed["id"]]


def test_an_old_data_file_migrates_and_backfills(world: World) -> None:
    world.data.write_text(
        '{"generator": "daily-papers", "last_update": null, "schema": 1, "topics": []}\n',
        encoding="utf-8",
    )
    world.fake.serve_announcement("cs", day_feed(THU, cs_cl_items()))
    status, _out, err, _doc = world.update(today=THU)
    assert status == 0, err
    assert QUERY in world.searches
    assert json.loads(world.data.read_text("utf-8"))["schema"] == SCHEMA_VERSION


def test_a_feed_answering_2000_items_is_split_finer_and_fetched_again(world: World) -> None:
    from tests.rss_synthetic import oversized

    world.fake.serve_announcement("cs", day_feed(THU, oversized(2000)))
    status, _out, err, doc = world.update(today=THU)
    assert status == 0, err
    paths = world.feed_paths
    assert paths[0] == "/rss/cs"
    parts = paths[1:]
    assert len(parts) >= 2  # cs was split into groups of its categories
    assert all(p.startswith("/rss/cs.") for p in parts)
    names = {name for p in parts for name in p[len("/rss/") :].split("+")}
    assert "cs.CL" in names  # every category of cs is asked for in one of the parts
    # The fake has no feeds for the parts, so the topic falls back to the API this run.
    assert doc["topics"][0]["source"] == "api"


def test_a_paper_the_api_did_not_know_yet_is_filled_in_on_a_later_run(world: World) -> None:
    thursday = cs_cl_items()
    world.fake.serve_announcement("cs", day_feed(THU, thursday))
    assert world.update(today=THU)[0] == 0
    friday = fresh(thursday[:2], "2411.8")
    world.fake.serve_announcement("cs", day_feed(FRI, friday))
    assert world.update(today=FRI)[0] == 0
    assert "2411.80000" in json.loads(world.data.read_text("utf-8"))["feed_only"]
    # SYNTHETIC: a recorded id_list entry renamed to the Friday paper, as the API would
    # describe it once its index caught up (with the comment the feed lacks).
    entry = fixture_bytes("api-2026-id_list-1707.08567-nonascii-author.xml")
    entry = (
        entry.replace(b"1707.08567", b"2411.80000")
        .replace(b"44 pages, editors for the proceedings", b"Accepted at ACL 2025, 44 pages")
        .replace(b"2017-07-27T08:18:33Z", b"2024-11-29T04:00:00Z")  # just before Friday
    )
    world.fake.serve_id_list(entry)
    monday = date(2024, 12, 2)
    world.fake.serve_announcement("cs", day_feed(monday, fresh(thursday[2:3], "2412.5")))
    status, _out, err, doc = world.update(today=monday)
    assert status == 0, err
    state = json.loads(world.data.read_text("utf-8"))
    assert "2411.80000" not in state["feed_only"]
    shown = [p["id"] for t in state["topics"] for p in t["papers"]]
    assert "2411.80000" in shown, (shown, world.searches, doc["requests"])
    filled = next(p for t in state["topics"] for p in t["papers"] if p["id"] == "2411.80000")
    assert filled["comment"] == "Accepted at ACL 2025, 44 pages: Yanling Chen and A. J. Han Vinck"
    assert doc["new_papers"] == 1  # only Monday's paper is new; the filled one is not
