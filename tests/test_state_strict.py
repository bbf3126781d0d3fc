"""The data file is validated strictly: one clear error per problem, nothing coerced.

Each case takes a valid file written by dump_state and breaks one field, as a hand edit, a
bad merge or another tool might.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from daily_papers import state as state_module
from daily_papers.errors import DataFileError
from daily_papers.merge import merge_state
from daily_papers.models import Summary, Topic
from daily_papers.state import SCHEMA_VERSION, State, load_state
from daily_papers.state_dump import dump_state
from tests.papers import make_paper

TOPIC = Topic("Graphs", '(ti:"graph" OR abs:"graph")', max_count=3)
PATH = "papers/daily-papers.json"


def valid_state() -> State:
    papers = [make_paper("2611.00001", comment="10 pages"), make_paper("hep-th/9901001", day=2)]
    state, _ = merge_state([TOPIC], State(), {"Graphs": papers}, today="2026-11-26")
    return state


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(dump_state(valid_state()))
    return loaded


def paper(doc: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = doc["topics"][0]["papers"][0]
    return first


def load(doc: dict[str, Any]) -> State:
    return load_state(json.dumps(doc).encode(), path=PATH)


def test_a_valid_file_round_trips() -> None:
    assert load(document()) == valid_state()


def set_paper(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        paper(doc)[key] = value

    return change


def drop_paper_key(key: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        del paper(doc)[key]

    return change


def set_topic(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["topics"][0][key] = value

    return change


def set_top(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[key] = value

    return change


def duplicate_topic(doc: dict[str, Any]) -> None:
    doc["topics"].append(doc["topics"][0])


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        # today "Alice Bob" would become nine one-letter authors
        (set_paper("authors", "Alice Bob"), "field 'authors' must be a list of strings"),
        (set_paper("authors", ["Alice", 7]), "field 'authors', item 2 must be a string"),
        (set_paper("categories", "cs.CL"), "field 'categories' must be a list"),
        (set_paper("version", "2"), "field 'version' must be a whole number"),
        (set_paper("version", True), "field 'version' must be a whole number"),
        (set_paper("version", 0), "field 'version' must be a whole number"),
        (set_paper("title", 5), "field 'title' must be a string, not a number"),
        (set_paper("comment", ["x"]), "field 'comment' must be a string, not a list"),
        (set_paper("id", "1"), "field 'id' is not an arXiv id"),
        (set_paper("id", "2611.00001\r\n::error::x"), "field 'id' is not an arXiv id"),
        (set_paper("published", "2026-11-01"), "field 'published' is not a YYYY-MM-DDTHH:MM:SSZ"),
        (set_paper("updated", "2026-02-30T12:00:00Z"), "field 'updated' is not a"),
        (set_paper("first_seen", "2026-13-01"), "field 'first_seen' is not a YYYY-MM-DD"),
        (set_paper("title", "x\ud800y"), "field 'title' contains a lone surrogate"),
        (set_paper("abstract", "\udfff"), "field 'abstract' contains a lone surrogate"),
        (set_paper("extra", 1), "has the unknown field 'extra'"),
        (drop_paper_key("doi"), "lacks the field 'doi'"),
        (set_topic("fingerprint", "md5:abc"), "field 'fingerprint' is not sha256"),
        (set_topic("papers", {}), "field 'papers' must be a list"),
        (set_topic("name", ["Graphs"]), "field 'name' must be a string"),
        (duplicate_topic, "topic 'Graphs' appears twice"),
        (set_top("last_update", "yesterday"), "field 'last_update' is not a YYYY-MM-DD"),
        (set_top("topics", "Graphs"), "field 'topics' must be a list"),
        (set_top("schema", "1"), "has schema '1'"),
        (set_top("schema", True), "has schema True"),
    ],
)
def test_one_broken_field_is_one_clear_error(
    change: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    doc = document()
    change(doc)
    with pytest.raises(DataFileError) as info:
        load(doc)
    message = str(info.value)
    assert fragment in message
    assert PATH in message
    assert "\r" not in message
    assert "\n" not in message
    if "paper" in fragment or "field 'id'" in fragment or "'authors'" in fragment:
        assert "topic 'Graphs'" in message


def test_a_surrogate_escape_in_the_json_text_is_refused() -> None:
    data = dump_state(valid_state()).replace(b'"Paper 2611.00001"', b'"Paper \\ud83d"')
    assert data != dump_state(valid_state())
    with pytest.raises(DataFileError, match="lone surrogate"):
        load_state(data, path=PATH)


def test_a_newer_schema_is_refused_with_the_right_hint() -> None:
    doc = document()
    doc["schema"] = SCHEMA_VERSION + 1
    with pytest.raises(DataFileError, match="Update daily-papers"):
        load(doc)


def test_an_older_schema_loads_through_its_migration(monkeypatch: pytest.MonkeyPatch) -> None:
    # A made-up schema 0 that called the paper list "entries": the hook upgrades it.
    def zero_to_one(doc: dict[str, Any]) -> dict[str, Any]:
        for topic in doc["topics"]:
            topic["papers"] = topic.pop("entries")
        return doc

    old = document()
    old["schema"] = 0
    for topic in old["topics"]:
        topic["entries"] = topic.pop("papers")
    with pytest.raises(DataFileError, match="has schema 0"):
        load(old)  # without the migration, schema 0 is unknown
    monkeypatch.setitem(state_module.MIGRATIONS, 0, zero_to_one)
    migrated = load(old)
    assert migrated == valid_state()
    assert json.loads(dump_state(migrated))["schema"] == SCHEMA_VERSION


def test_a_migration_that_leaves_a_bad_document_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = document()
    old["schema"] = 0
    monkeypatch.setitem(state_module.MIGRATIONS, 0, lambda doc: {**doc, "topics": None})
    with pytest.raises(DataFileError, match="field 'topics' must be a list"):
        load(old)


@pytest.mark.parametrize(
    "data",
    [b"[" * 200_000 + b"]" * 200_000, b'{"schema": ' + b"9" * 10_000 + b"}", b"\xff\xfe"],
)
def test_hostile_json_is_a_data_file_error(data: bytes) -> None:
    with pytest.raises(DataFileError, match="not valid JSON"):
        load_state(data, path=PATH)


def test_a_schema_1_file_migrates_to_the_current_schema_with_nothing_consumed() -> None:
    old = b'{"generator": "daily-papers", "last_update": "2026-11-26", "schema": 1, "topics": []}\n'
    state = load_state(old, path="daily-papers.json")
    assert state.announcements == ()
    assert state.feed_only == frozenset()
    assert state.is_new
    assert state.summaries == {}
    written = dump_state(state)
    assert f'"schema": {SCHEMA_VERSION}'.encode() in written
    assert load_state(written, path="x") == state


def test_a_schema_2_file_loads_with_no_summaries_and_keeps_its_papers() -> None:
    doc = json.loads(dump_state(valid_state()))
    del doc["summaries"]
    doc["schema"] = 2
    state = load(doc)
    assert state.summaries == {}
    assert state.topics == valid_state().topics


def test_summaries_round_trip_one_per_line_and_are_validated() -> None:
    summary = Summary("Finds a | pipe.", "English", "openai/gpt-4o-mini")
    state = State(summaries={"2411.00001v2": summary, "hep-th/9901001v1": summary})
    written = dump_state(state)
    assert load_state(written, path="x") == state
    lines = written.decode().splitlines()
    assert sum(1 for line in lines if '"text": "Finds a | pipe."' in line) == 2
    for bad, where in (
        (written.replace(b'"2411.00001v2"', b'"2411.00001"'), "versioned arXiv id"),
        (written.replace(b'"language": "English", ', b"", 1), "lacks the field 'language'"),
        (written.replace(b'"Finds a | pipe."', b"7", 1), "must be a string"),
    ):
        with pytest.raises(DataFileError, match=where):
            load_state(bad, path="x")


def test_announcements_and_feed_only_round_trip_and_are_validated() -> None:
    state = State(announcements=(("cs", "2024-11-28"),), feed_only=frozenset({"2411.00001"}))
    assert load_state(dump_state(state), path="x") == state
    bad = dump_state(state).replace(b'"2024-11-28"', b'"yesterday"')
    with pytest.raises(DataFileError, match="announcements"):
        load_state(bad, path="x")
    bad = dump_state(state).replace(b'"2411.00001"', b'"not an id"')
    with pytest.raises(DataFileError, match="feed_only"):
        load_state(bad, path="x")


def test_the_same_file_read_twice_is_validated_once() -> None:
    data = dump_state(valid_state())
    first = load_state(data, path=PATH)
    assert load_state(bytes(data), path=PATH) is first  # the fetch and the build share it
    other = data.replace(b'"Paper 2611.00001"', b'"Paper 2611.00009"')
    assert load_state(other, path=PATH) is not first
    assert load_state(other, path=PATH) != first


def two_topics(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with a second topic that stores the same papers (as topics that overlap do)."""
    second: dict[str, Any] = json.loads(json.dumps(doc["topics"][0]))
    second["name"] = "Networks"
    doc["topics"].append(second)
    return second


def test_a_paper_two_topics_store_alike_is_read_once_and_written_alike() -> None:
    doc = document()
    two_topics(doc)
    loaded = load(doc)
    first, second = loaded.topics
    assert first.papers == second.papers
    assert all(a is b for a, b in zip(first.papers, second.papers, strict=True))
    assert json.loads(dump_state(loaded)) == doc


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        # equal to the first topic's 1 in Python, but not a whole number in the file
        ("version", True, "field 'version' must be a whole number"),
        ("version", 1.0, "field 'version' must be a whole number"),
        ("title", 5, "field 'title' must be a string"),
        ("first_seen", "2026-13-01", "field 'first_seen' is not a YYYY-MM-DD"),
    ],
)
def test_a_repeated_paper_that_differs_is_validated_again(
    key: str, value: Any, fragment: str
) -> None:
    doc = document()
    paper(doc)["version"] = 1
    two_topics(doc)["papers"][0][key] = value
    with pytest.raises(DataFileError, match="topic 'Networks'") as info:
        load(doc)
    assert fragment in str(info.value)


def test_a_repeated_paper_with_another_first_seen_keeps_its_own() -> None:
    doc = document()
    two_topics(doc)["papers"][0]["first_seen"] = "2026-11-27"
    first, second = load(doc).topics
    assert first.papers[0].first_seen == "2026-11-26"
    assert second.papers[0].first_seen == "2026-11-27"
    assert first.papers[0].paper == second.papers[0].paper
    assert json.loads(dump_state(load(doc))) == doc
