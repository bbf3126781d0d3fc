"""Merge rules and the data file: never lose papers to an arXiv failure, stay deterministic."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers.errors import DataFileError
from daily_papers.merge import FetchFailure, merge_state
from daily_papers.models import Topic
from daily_papers.state import SCHEMA_VERSION, State, load_state
from daily_papers.state_dump import dump_state
from tests.papers import make_paper

A = Topic("alpha", '(ti:"alpha" OR abs:"alpha")', max_count=3)
B = Topic("beta", '(ti:"beta" OR abs:"beta")', max_count=3)


def test_first_run_keeps_newest_max_count_newest_first() -> None:
    papers = [make_paper(f"2611.0000{i}", day=i) for i in range(1, 6)]
    state, outcomes = merge_state([A], State(), {"alpha": papers}, today="2026-11-26")
    kept = [s.paper.id for s in state.topics[0].papers]
    assert kept == ["2611.00005", "2611.00004", "2611.00003"]
    assert outcomes[0].fetched == 5
    assert outcomes[0].new_ids == tuple(kept)
    assert state.last_update == "2026-11-26"
    assert all(s.first_seen == "2026-11-26" for s in state.topics[0].papers)


def test_newer_version_replaces_older_and_keeps_first_seen() -> None:
    first, _ = merge_state([A], State(), {"alpha": [make_paper("1", day=3)]}, today="2026-11-01")
    second, outcomes = merge_state(
        [A], first, {"alpha": [make_paper("1", day=3, version=2)]}, today="2026-11-02"
    )
    (stored,) = second.topics[0].papers
    assert stored.paper.version == 2
    assert stored.first_seen == "2026-11-01"
    assert outcomes[0].new_ids == ()


def test_older_version_never_downgrades() -> None:
    first, _ = merge_state(
        [A], State(), {"alpha": [make_paper("1", version=3)]}, today="2026-11-01"
    )
    second, _ = merge_state([A], first, {"alpha": [make_paper("1", version=2)]}, today="2026-11-02")
    assert second.topics[0].papers[0].paper.version == 3


def test_papers_stay_until_pushed_out() -> None:
    old = [make_paper(str(i), day=i) for i in (1, 2, 3)]
    first, _ = merge_state([A], State(), {"alpha": old}, today="2026-11-03")
    second, outcomes = merge_state(
        [A], first, {"alpha": [make_paper("9", day=9)]}, today="2026-11-09"
    )
    assert [s.paper.id for s in second.topics[0].papers] == ["9", "3", "2"]
    assert outcomes[0].new_ids == ("9",)


def test_failed_topic_keeps_previous_papers_and_others_update() -> None:
    first, _ = merge_state(
        [A, B],
        State(),
        {"alpha": [make_paper("1")], "beta": [make_paper("2")]},
        today="2026-11-01",
    )
    second, outcomes = merge_state(
        [A, B],
        first,
        {"alpha": FetchFailure("arXiv answered 503"), "beta": [make_paper("3", day=5)]},
        today="2026-11-02",
    )
    assert second.topics[0] == first.topics[0]
    assert outcomes[0].failed
    assert outcomes[0].error == "arXiv answered 503"
    assert outcomes[0].fetched == 0
    assert outcomes[0].kept == 1
    assert [s.paper.id for s in second.topics[1].papers] == ["3", "2"]


def test_failed_topic_with_changed_query_keeps_old_state() -> None:
    first, _ = merge_state([A], State(), {"alpha": [make_paper("1")]}, today="2026-11-01")
    changed = Topic("alpha", '(ti:"other" OR abs:"other")', max_count=3)
    second, _ = merge_state([changed], first, {"alpha": FetchFailure("x")}, today="2026-11-02")
    assert second.topics[0] == first.topics[0]


def test_changed_query_starts_afresh_and_removed_topic_disappears() -> None:
    first, _ = merge_state(
        [A, B], State(), {"alpha": [make_paper("1")], "beta": [make_paper("2")]}, today="d1"
    )
    changed = Topic("alpha", '(ti:"other" OR abs:"other")', max_count=3)
    second, _ = merge_state([changed], first, {"alpha": [make_paper("5")]}, today="d2")
    assert [t.name for t in second.topics] == ["alpha"]
    assert [s.paper.id for s in second.topics[0].papers] == ["5"]
    assert second.topics[0].fingerprint == changed.fingerprint


def test_new_ids_counted_once_across_topics() -> None:
    shared = make_paper("7")
    _, outcomes = merge_state(
        [A, B], State(), {"alpha": [shared], "beta": [shared]}, today="2026-11-01"
    )
    assert outcomes[0].new_ids == ("7",)
    assert outcomes[1].new_ids == ()


def test_last_update_moves_only_when_papers_change() -> None:
    first, _ = merge_state([A], State(), {"alpha": [make_paper("1")]}, today="2026-11-01")
    again, _ = merge_state([A], first, {"alpha": [make_paper("1")]}, today="2026-11-05")
    assert again.last_update == "2026-11-01"
    assert dump_state(again) == dump_state(first)


def test_state_round_trip_and_determinism() -> None:
    state, _ = merge_state(
        [A, B],
        State(),
        {
            "alpha": [make_paper("2611.00001", comment="ü 10 pages")],
            "beta": [make_paper("2611.00002")],
        },
        today="2026-11-01",
    )
    data = dump_state(state)
    assert load_state(data, path="d.json") == state
    assert dump_state(load_state(data, path="d.json")) == data
    doc = json.loads(data)
    assert doc["schema"] == SCHEMA_VERSION
    assert [t["name"] for t in doc["topics"]] == ["alpha", "beta"]
    assert "ü 10 pages" in data.decode("utf-8")
    assert data.endswith(b"}\n")
    # one line per paper: a changed paper is a one-line diff
    paper_lines = [line for line in data.decode("utf-8").splitlines() if '"first_seen"' in line]
    assert len(paper_lines) == 2
    assert all(json.loads(line.strip().rstrip(",")) for line in paper_lines)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"schema": 99, "topics": []}', "schema 99"),
        (b"[]", "schema None"),
        (
            b'{"generator": "daily-papers", "last_update": null, "schema": 1, '
            b'"topics": [{"name": "x"}]}',
            "topic 'x' lacks the field 'fingerprint'",
        ),
    ],
)
def test_bad_data_file_is_an_error_not_an_empty_state(data: bytes, fragment: str) -> None:
    with pytest.raises(DataFileError) as info:
        load_state(data, path="papers/daily-papers.json")
    assert fragment in str(info.value)
    assert "papers/daily-papers.json" in str(info.value)


def test_missing_data_file_is_empty_state() -> None:
    assert load_state(None, path="x.json") == State()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.integers(1, 4), st.integers(1, 28)),
        max_size=25,
    )
)
def test_merge_twice_is_merge_once(rows: list[tuple[int, int, int]]) -> None:
    papers = [make_paper(str(pid), version=v, day=d) for pid, v, d in rows]
    once, _ = merge_state([A], State(), {"alpha": papers}, today="2026-11-01")
    twice, outcomes = merge_state([A], once, {"alpha": papers}, today="2026-11-02")
    assert dump_state(twice) == dump_state(once)
    assert outcomes[0].new_ids == ()
    kept = once.topics[0].papers
    assert len(kept) <= A.max_count
    assert len({s.paper.id for s in kept}) == len(kept)


def test_the_json_form_has_exactly_the_paper_keys() -> None:
    from daily_papers.models import PAPER_KEYS

    assert tuple(make_paper("2401.00001").to_json()) == PAPER_KEYS


def test_keep_newest_is_the_one_rule_for_a_papers_newest_record() -> None:
    """Every dedupe (API pages, feeds, BibTeX, Atom, replacements) keeps the record
    :meth:`Paper.supersedes` prefers, in the order the ids were first seen."""
    from daily_papers.models import keep_newest
    from tests.papers import make_paper

    a1, b1 = make_paper("2611.00001"), make_paper("2611.00002")
    a2 = make_paper("2611.00001", version=2)
    corrected = dataclasses.replace(b1, title="Corrected title")  # same version, new metadata
    kept = keep_newest([a1, b1, a2, corrected, a1])
    assert list(kept) == ["2611.00001", "2611.00002"]  # first-seen order
    assert kept["2611.00001"] is a2  # an older version never wins back
    assert kept["2611.00002"] is corrected
    into = {"2611.00001": a2}
    assert keep_newest([a1], into=into) is into
    assert into["2611.00001"] is a2
