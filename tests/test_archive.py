"""The per-month JSON Lines archive: filing, in-place updates, byte stability, validation.

Papers are the real recorded ones of tests/fixtures/render (see PROVENANCE.md there), plus
SYNTHETIC papers from tests.papers where a test needs controlled versions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers.archive import (
    Archive,
    ArchiveFiles,
    archive_path,
    load_archive,
    month_of_path,
    read_archive,
    update_archive,
)
from daily_papers.errors import DataFileError
from daily_papers.models import PAPER_KEYS, Paper, StoredPaper
from daily_papers.state import load_state
from tests.papers import TESTING_10, recorded_papers, synthetic_paper

DIR = "papers-archive"


def stored(paper: Paper, first_seen: str) -> StoredPaper:
    return StoredPaper(paper=paper, first_seen=first_seen)


def apply(files: dict[str, bytes], changes: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, **changes}


def test_first_run_files_each_paper_under_its_first_seen_month() -> None:
    real = recorded_papers(TESTING_10)
    shown = {
        "testing": [stored(real[0], "2026-10-30"), stored(real[1], "2026-11-02")],
        "other": [stored(real[1], "2026-11-05")],
    }
    files = update_archive({}, shown, archive_dir=DIR, today="2026-11-26")
    assert sorted(files) == [f"{DIR}/2026-10.jsonl", f"{DIR}/2026-11.jsonl"]
    archive = load_archive(files, archive_dir=DIR)
    by_id = {r.paper.id: r for r in archive.records}
    assert by_id[real[0].id].topics == ("testing",)
    assert by_id[real[1].id].topics == ("other", "testing")
    assert by_id[real[1].id].first_shown == "2026-11-02"
    assert by_id[real[1].id].paper == real[1]  # round trip keeps every field
    assert {t for r in archive.records for t in r.topics} == {"other", "testing"}


def test_unchanged_run_changes_nothing_and_bytes_are_stable() -> None:
    real = recorded_papers(TESTING_10)
    shown = {"testing": [stored(p, "2026-11-20") for p in real]}
    first = update_archive({}, shown, archive_dir=DIR, today="2026-11-20")
    assert update_archive(first, shown, archive_dir=DIR, today="2026-11-21") == {}
    # same input in another order: same bytes
    again = update_archive(
        {}, {"testing": list(reversed(shown["testing"]))}, archive_dir=DIR, today="2026-11-20"
    )
    assert again == first
    text = first[f"{DIR}/2026-11.jsonl"].decode()
    assert text.endswith("\n")
    assert "\r" not in text
    lines = text.splitlines()
    assert len(lines) == len(real)
    assert all(list(json.loads(line)) == ["first_shown", "paper", "topics"] for line in lines)


def test_new_version_rewrites_only_its_month_in_place() -> None:
    old = synthetic_paper(1, title="Old title")
    later = synthetic_paper(2)
    files = update_archive(
        {},
        {"t": [stored(old, "2026-10-03")]},
        archive_dir=DIR,
        today="2026-10-03",
    )
    files = apply(
        files,
        update_archive(
            files, {"t": [stored(later, "2026-11-01")]}, archive_dir=DIR, today="2026-11-01"
        ),
    )
    v2 = replace(old, version=2, title="New title", updated=old.updated + timedelta(days=40))
    # the data file may have restarted the topic (query changed): first_seen is newer now
    changes = update_archive(
        files,
        {"t": [stored(v2, "2026-11-12"), stored(later, "2026-11-01")]},
        archive_dir=DIR,
        today="2026-11-12",
    )
    assert list(changes) == [f"{DIR}/2026-10.jsonl"]  # November is untouched
    record = load_archive(apply(files, changes), archive_dir=DIR).records[0]
    assert record.paper.title == "New title"
    assert record.first_shown == "2026-10-03"


def test_older_version_never_replaces_newer() -> None:
    v2 = replace(synthetic_paper(1), version=2)
    files = update_archive(
        {}, {"t": [stored(v2, "2026-11-01")]}, archive_dir=DIR, today="2026-11-01"
    )
    assert (
        update_archive(
            files,
            {"t": [stored(synthetic_paper(1), "2026-11-01")]},
            archive_dir=DIR,
            today="2026-11-02",
        )
        == {}
    )


def test_paper_shown_by_a_second_topic_later_stays_in_its_first_month() -> None:
    paper = synthetic_paper(1)
    files = update_archive(
        {}, {"a": [stored(paper, "2026-09-30")]}, archive_dir=DIR, today="2026-09-30"
    )
    changes = update_archive(
        files, {"a": [], "b": [stored(paper, "2026-11-01")]}, archive_dir=DIR, today="2026-11-01"
    )
    assert list(changes) == [f"{DIR}/2026-09.jsonl"]
    (record,) = load_archive(apply(files, changes), archive_dir=DIR).records
    assert record.topics == ("a", "b")


def test_removed_topic_keeps_its_history() -> None:
    paper = synthetic_paper(1)
    files = update_archive(
        {}, {"gone": [stored(paper, "2026-11-01")]}, archive_dir=DIR, today="2026-11-01"
    )
    assert update_archive(files, {"kept": []}, archive_dir=DIR, today="2026-11-02") == {}
    assert [r.topics for r in load_archive(files, archive_dir=DIR).records] == [("gone",)]


def test_future_or_broken_first_seen_is_clamped_to_today() -> None:
    files = update_archive(
        {},
        {"t": [stored(synthetic_paper(1), "2099-01-01"), stored(synthetic_paper(2), "soon")]},
        archive_dir=DIR,
        today="2026-11-26",
    )
    assert list(files) == [f"{DIR}/2026-11.jsonl"]


def test_paths() -> None:
    assert archive_path("papers-archive/", "2026-11") == "papers-archive/2026-11.jsonl"
    assert month_of_path("papers-archive/", "papers-archive/2026-11.jsonl") == "2026-11"
    assert month_of_path("papers-archive", "papers-archive/README.md") is None
    assert month_of_path("papers-archive", "papers-archive/sub/2026-11.jsonl") is None
    assert month_of_path("papers-archive", "other/2026-11.jsonl") is None


def test_load_rejects_paths_outside_the_archive() -> None:
    with pytest.raises(ValueError, match="not a month file"):
        load_archive({"papers-archive/notes.txt": b""}, archive_dir=DIR)


def _good_line() -> dict[str, object]:
    files = update_archive(
        {}, {"t": [stored(synthetic_paper(1), "2026-11-01")]}, archive_dir=DIR, today="2026-11-01"
    )
    result: dict[str, object] = json.loads(files[f"{DIR}/2026-11.jsonl"])
    return result


def _damaged(mutate: object) -> bytes:
    line = _good_line()
    assert callable(mutate)
    mutate(line)
    return (json.dumps(line) + "\n").encode()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r.pop("topics"), "topics"),
        (lambda r: r.update(extra=1), "extra"),
        (lambda r: r.update(first_shown="2026-10-31"), "first_shown"),
        (lambda r: r.update(first_shown="2026-11-31"), "first_shown"),
        (lambda r: r.update(topics=[]), "topics"),
        (lambda r: r.update(topics=["a", "a"]), "topics"),
        (lambda r: r["paper"].pop("abstract"), "paper.abstract"),
        (lambda r: r["paper"].update(version=0), "paper.version"),
        (lambda r: r["paper"].update(authors="A. Author"), "paper.authors"),
        (lambda r: r["paper"].update(comment=3), "paper.comment"),
        (lambda r: r["paper"].update(published="yesterday"), "paper.published"),
        (lambda r: r["paper"].update(updated="2026-11-01T12:00:00+05:00"), "paper.updated"),
        (lambda r: r["paper"].update(published="2026-13-45T12:00:00Z"), "paper.published"),
        (lambda r: r["paper"].update(id=""), "paper.id"),
        (lambda r: r["paper"].update(bogus=""), "paper.bogus"),
        # issue 24: the archive is checked as strictly as the data file
        (lambda r: r["paper"].update(id="not-an-id"), "paper.id"),
        (lambda r: r["paper"].update(id="2611.00001\r\n::error::x"), "paper.id"),
        (lambda r: r["paper"].update(version=True), "paper.version"),
        (lambda r: r["paper"].update(version=1.0), "paper.version"),
        (lambda r: r["paper"].update(title="\ud800"), "paper.title"),
        (lambda r: r["paper"].update(authors=["ok", "\udfff"]), "paper.authors"),
        (lambda r: r["paper"].update(doi="\ud834"), "paper.doi"),
        (lambda r: r.update(topics=["\ud800"]), "topics"),
    ],
)
def test_damage_names_file_line_and_field(mutate: object, field: str) -> None:
    good = _good_line()
    data = (json.dumps(good) + "\n").encode() + _damaged(mutate)
    with pytest.raises(DataFileError) as info:
        load_archive({f"{DIR}/2026-11.jsonl": data}, archive_dir=DIR)
    assert f"{DIR}/2026-11.jsonl line 2" in info.value.message
    assert repr(field) in info.value.message


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"{not json}\n", 1),
        (b"[]\n", 1),
        (b'{"a": 1}', 1),  # no final newline
        (b"\n", 1),
        (b"\xff\n", 1),
        (b'{"version": ' + b"9" * 5000 + b"}\n", 1),  # issue 24: a traceback before
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", 1),
    ],
)
def test_damaged_lines(data: bytes, line: int) -> None:
    with pytest.raises(DataFileError, match=f"line {line}"):
        load_archive({f"{DIR}/2026-11.jsonl": data}, archive_dir=DIR)


def test_a_paper_filed_twice_is_damage() -> None:
    line = (json.dumps(_good_line()) + "\n").encode()
    other = json.loads(line)
    other["first_shown"] = "2026-12-01"
    files = {
        f"{DIR}/2026-11.jsonl": line,
        f"{DIR}/2026-12.jsonl": (json.dumps(other) + "\n").encode(),
    }
    with pytest.raises(DataFileError, match="also filed in"):
        load_archive(files, archive_dir=DIR)


def test_empty_and_absent_files_are_empty() -> None:
    assert (
        load_archive({f"{DIR}/2026-11.jsonl": b"", f"{DIR}/2026-12.jsonl": None}, archive_dir=DIR)
        == Archive()
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 30),  # 2611.00000 is no arXiv id
            st.sampled_from(["a", "b", "c"]),
            st.integers(1, 3),
            st.integers(1, 60),
        ),
        max_size=25,
    )
)
def test_runs_are_idempotent_and_each_paper_is_filed_once(
    events: list[tuple[int, str, int, int]],
) -> None:
    """Any sequence of runs: replaying the last run changes nothing; no paper twice."""
    files: dict[str, bytes] = {}
    for n, topic, version, day in events:
        paper = replace(synthetic_paper(n), version=version)
        today = f"2026-{9 + day // 30:02d}-{1 + day % 28:02d}"
        shown = {topic: [stored(paper, today)]}
        files = apply(files, update_archive(files, shown, archive_dir=DIR, today=today))
        assert update_archive(files, shown, archive_dir=DIR, today=today) == {}
    ids = [r.paper.id for r in load_archive(files, archive_dir=DIR).records]
    assert len(ids) == len(set(ids)) == len({n for n, *_ in events})


def test_the_parts_compose_to_update_archive() -> None:
    """The site path (load once, file, dump the changed months) matches update_archive."""
    from daily_papers.archive import archive_changes, file_papers

    real = recorded_papers(TESTING_10)
    files = update_archive(
        {}, {"t": [stored(p, "2026-10-01") for p in real[:5]]}, archive_dir=DIR, today="2026-10-01"
    )
    shown = {"t": [stored(p, "2026-11-02") for p in real]}
    update = file_papers(load_archive(files, archive_dir=DIR), shown, today="2026-11-02")
    changes = archive_changes(update, files, archive_dir=DIR)
    assert changes == update_archive(files, shown, archive_dir=DIR, today="2026-11-02")
    assert list(changes) == [f"{DIR}/2026-11.jsonl"]
    assert update.months == {"2026-11"}
    assert update.archive == load_archive({**files, **changes}, archive_dir=DIR)


# ------------------------------------------- issue 24: as strict as the data file, no traceback

_EDGE_VALUES: st.SearchStrategy[object] = st.sampled_from(
    [
        *(
            "2611.00001",
            "cs/0112017",
            "0704.0001",
            "2611.1",
            "",
            "\ud800",
            "a\udfffb",
            "\U0001f600",
        ),
        *("2026-11-01T12:00:00Z", "2026-13-01T00:00:00Z", "2026-11-01T12:00:00+05:00"),
        *(None, True, False, 0, 1, 2, -1, 1.0, 10**30, [], ["a"], ["\ud800"], [1], {}),
    ]
)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


def _data_file_with(paper: dict[str, object]) -> bytes:
    topic = {"fingerprint": "sha256:" + "0" * 16, "name": "t", "query": "q"}
    document = {
        "announcements": {},
        "feed_only": [],
        "generator": "daily-papers",
        "last_update": "2026-11-01",
        "schema": 2,
        "topics": [{**topic, "papers": [{**paper, "first_seen": "2026-11-01"}]}],
    }
    return json.dumps(document).encode()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PAPER_KEYS), _EDGE_VALUES | _JSON_VALUES)
def test_a_paper_field_the_data_file_refuses_the_archive_refuses(key: str, value: object) -> None:
    """Issue 24: the archive accepted ``version: true`` and ids that are no arXiv id, which the
    data file refuses.  One edited field: both files accept it or both refuse it, and a
    refusal is always the one-sentence DataFileError, never another exception."""
    line = _good_line()
    paper = line["paper"]
    assert isinstance(paper, dict)
    paper[key] = value
    state_refusal = _refusal(lambda: load_state(_data_file_with(paper), path="data.json"))
    data = (json.dumps(line) + "\n").encode()
    refusal = _refusal(lambda: load_archive({f"{DIR}/2026-11.jsonl": data}, archive_dir=DIR))
    assert (refusal is None) == (state_refusal is None), (refusal, state_refusal)
    assert refusal is None or refusal.startswith(f"Archive file {DIR}/2026-11.jsonl line 1: field ")


def _refusal(load: Callable[[], object]) -> str | None:
    """The DataFileError's sentence, or None when ``load`` accepts; any other exception fails."""
    try:
        load()
    except DataFileError as exc:
        return exc.message
    return None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_no_byte_edit_of_a_month_file_gives_a_traceback(data: st.DataObject) -> None:
    good = (json.dumps(_good_line(), ensure_ascii=False) + "\n").encode()
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(good) - 1), st.binary(max_size=3))))
    damaged = bytearray(good)
    for at, inserted in edits:
        damaged[at : at + 1] = inserted
    files = {f"{DIR}/2026-11.jsonl": bytes(damaged)}
    refusal = _refusal(lambda: load_archive(files, archive_dir=DIR))
    assert refusal is None or refusal.startswith(f"Archive file {DIR}/2026-11.jsonl line ")


def test_the_month_files_are_found_by_listing_not_by_the_index() -> None:
    line = (json.dumps(_good_line()) + "\n").encode()
    files = {
        f"{DIR}/2026-11.jsonl": line,
        f"{DIR}/2026-13.jsonl": b"not a month\n",
        f"{DIR}/README.md": b"mine\n",
        f"{DIR}/months.json": b'["2026-11"]\n',
    }
    # An API lists "./papers-archive/" as papers-archive/…: the file names decide.
    found = read_archive(f"./{DIR}/", lambda p: files.get(p.removeprefix("./")), lambda _: [*files])
    assert found.files == {f"./{DIR}/2026-11.jsonl": line}
    found = read_archive(DIR, files.get, lambda folder: sorted(files) if folder == DIR else ())
    assert found.files == {f"{DIR}/2026-11.jsonl": line}
    assert found.note is None
    del files[f"{DIR}/months.json"]
    found = read_archive(DIR, files.get, lambda folder: sorted(files))
    assert found.note == (
        f"Archive index {DIR}/months.json is missing; it is rewritten from the 1 month file "
        f"found in {DIR}/ (the month files hold every paper; the index only lists them)."
    )
    new = read_archive(DIR, lambda _: None, lambda _: ())
    assert new == ArchiveFiles(f"{DIR}/months.json", None, {})  # a new archive: no note
