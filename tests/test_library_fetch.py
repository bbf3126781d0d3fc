"""Library entries named only by an arXiv id: their abstracts fetched once through ``id_list``,
kept in the data file, pruned with the library, and a failed fetch that only warns.

The step is checked on its own with a recording fetch (SYNTHETIC papers), then end to end
against the loopback fake arXiv answering real recorded ``id_list`` entries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from daily_papers.defaults import LIBRARY_RETRY_DAYS
from daily_papers.errors import ArxivError, ArxivErrorKind, DataFileError
from daily_papers.library import LibraryEntry
from daily_papers.library_fetch import complete
from daily_papers.models import Paper
from daily_papers.state import SCHEMA_VERSION, LibraryText, NotFound, State, load_state
from daily_papers.state_dump import dump_state
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.helpers import TODAY, TOPICS, Result, run_cli
from tests.papers import make_paper
from tests.test_cli_update import README, served, update_args

__all__ = ["served"]

#: Real recorded id_list answers (tests/fixtures/arxiv/PROVENANCE.md).
NONASCII = "api-2026-id_list-1707.08567-nonascii-author.xml"
OLD_STYLE = "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"


def _entry(arxiv_id: str | None, title: str = "", abstract: str = "") -> LibraryEntry:
    return LibraryEntry(arxiv_id, title, abstract, f"me.txt:{arxiv_id}")


class RecordingFetch:
    """A stand-in for ``papers_by_id``: what it was asked, SYNTHETIC papers for ``known``,
    and an ArxivError from batch ``fail_at`` (1-based) on."""

    def __init__(self, known: Sequence[str], fail_at: int | None = None) -> None:
        self.known = set(known)
        self.fail_at = fail_at
        self.calls: list[list[str]] = []

    def __call__(self, ids: Sequence[str]) -> list[Paper]:
        self.calls.append(list(ids))
        if self.fail_at is not None and len(self.calls) >= self.fail_at:
            raise ArxivError("arXiv answered HTTP 503 after 5 attempts.", kind=ArxivErrorKind.HTTP)
        return [
            make_paper(i, title=f"Title of {i}", abstract=f"Abstract of {i}")
            for i in ids
            if i in self.known
        ]


def test_cached_ids_are_not_asked_and_the_rest_go_in_batches() -> None:
    entries = [
        _entry("2401.00001"),
        _entry("2401.00002", title="My own title"),
        _entry("2401.00003"),
        _entry("2401.00004"),
        _entry("2401.00005"),  # arXiv knows no such paper
        _entry("2401.00006", "Has", "its own abstract"),
    ]
    cached = {
        "2401.00001": LibraryText("Cached title", "Cached abstract"),
        "2301.09999": LibraryText("Left the library", "Pruned"),
    }
    fetch = RecordingFetch(["2401.00002", "2401.00003", "2401.00004"])
    done = complete(entries, cached, fetch, today=TODAY, batch_size=2)
    assert fetch.calls == [["2401.00002", "2401.00003"], ["2401.00004", "2401.00005"]]
    assert sorted(done.cache) == [f"2401.0000{n}" for n in range(1, 6)]
    assert done.cache["2401.00005"] == NotFound("2026-11-26")
    assert done.entries[0].abstract == "Cached abstract"
    assert done.entries[1].title == "My own title"  # the file's title wins
    assert done.entries[1].abstract == "Abstract of 2401.00002"
    assert done.entries[4] == entries[4]
    assert done.entries[5] == entries[5]
    report = done.report
    assert report is not None
    assert (report.fetched, report.cached, report.unusable, report.batches) == (3, 1, 1, 2)
    assert report.not_found == ("2401.00005",)
    assert report.usable == 5
    assert not report.failed
    assert len(done.warnings) == 1
    assert "arXiv knows no paper for 1 library ids (2401.00005)" in done.warnings[0]


def test_nothing_is_asked_when_everything_is_cached_or_has_an_abstract() -> None:
    fetch = RecordingFetch([])
    cached = {"2401.00001": LibraryText("T", "A")}
    done = complete([_entry("2401.00001"), _entry(None, "T", "A")], cached, fetch, today=TODAY)
    assert fetch.calls == []
    assert done.report is not None
    assert (done.report.fetched, done.report.cached, done.report.batches) == (0, 1, 0)
    assert done.warnings == ()


def test_a_failed_batch_keeps_what_earlier_batches_gave_and_only_warns() -> None:
    entries = [_entry(f"2401.0000{n}") for n in range(1, 6)]
    fetch = RecordingFetch([e.arxiv_id or "" for e in entries], fail_at=2)
    done = complete(entries, {}, fetch, today=TODAY, batch_size=2)
    assert len(fetch.calls) == 2  # the third batch is not tried after a failure
    assert sorted(done.cache) == ["2401.00001", "2401.00002"]
    assert done.report is not None
    assert done.report.failed
    assert done.report.not_found == ()  # not answered is not "unknown to arXiv"
    assert (done.report.fetched, done.report.unusable) == (2, 3)
    assert done.warnings == (
        "The abstracts of 3 library papers could not be fetched from arXiv (arXiv answered "
        "HTTP 503 after 5 attempts.); ranking uses what the library files give, and the next "
        "run asks again.",
    )


def test_entries_with_only_a_title_are_ranked_by_it_and_counted_in_a_warning() -> None:
    entries = [_entry(None, f"Title {n}") for n in range(7)]
    done = complete(entries, {}, RecordingFetch([]), today=TODAY)
    assert done.report is not None
    assert (done.report.usable, done.report.titles_only) == (7, 7)
    (warning,) = done.warnings
    assert warning.startswith("7 library papers have neither an arXiv id nor an abstract")
    assert "me.txt:None, me.txt:None, me.txt:None, me.txt:None, me.txt:None and 2 more" in warning
    assert done.score is not None


def test_an_unknown_id_is_recorded_then_left_alone_until_its_retry_day() -> None:
    entries = [_entry("2401.00001"), _entry("2401.99999")]  # arXiv knows only the first
    fetch = RecordingFetch(["2401.00001"])
    first = complete(entries, {}, fetch, today=TODAY)
    assert fetch.calls == [["2401.00001", "2401.99999"]]
    assert first.cache["2401.99999"] == NotFound(TODAY.isoformat())
    assert first.report is not None
    assert (first.report.not_found, first.report.waiting) == (("2401.99999",), 0)
    retry = (TODAY + timedelta(days=LIBRARY_RETRY_DAYS)).isoformat()
    assert first.warnings == (
        "arXiv knows no paper for 1 library ids (2401.99999); check them in the library files "
        f"(they are asked for again from {retry}).",
    )

    # the next day, and the last day of the wait: nothing is asked, the record stays as it was
    for later in (1, LIBRARY_RETRY_DAYS - 1):
        fetch = RecordingFetch(["2401.00001", "2401.99999"])
        done = complete(entries, first.cache, fetch, today=TODAY + timedelta(days=later))
        assert fetch.calls == []
        assert done.cache == first.cache
        assert done.report is not None
        assert (done.report.not_found, done.report.waiting, done.report.batches) == ((), 1, 0)
        assert done.report.unusable == 1
        assert done.warnings == first.warnings  # still named, with the same retry day

    # the retry day: asked again; still unknown, it waits again from that day
    day = TODAY + timedelta(days=LIBRARY_RETRY_DAYS)
    fetch = RecordingFetch(["2401.00001"])
    again = complete(entries, first.cache, fetch, today=day)
    assert fetch.calls == [["2401.99999"]]
    assert again.cache["2401.99999"] == NotFound(day.isoformat())
    assert again.report is not None
    assert (again.report.not_found, again.report.waiting) == (("2401.99999",), 0)

    # announced meanwhile: its text replaces the record
    fetch = RecordingFetch(["2401.99999"])
    known = complete(entries, first.cache, fetch, today=day)
    assert known.cache["2401.99999"] == LibraryText("Title of 2401.99999", "Abstract of 2401.99999")
    assert known.warnings == ()


def test_a_failed_batch_records_no_id_as_unknown_and_keeps_the_old_records() -> None:
    due = (TODAY - timedelta(days=LIBRARY_RETRY_DAYS)).isoformat()
    cached = {"2401.00001": NotFound(due), "2401.00002": NotFound(TODAY.isoformat())}
    entries = [_entry(f"2401.0000{n}") for n in range(1, 4)]
    fetch = RecordingFetch([], fail_at=1)
    done = complete(entries, cached, fetch, today=TODAY)
    assert fetch.calls == [["2401.00001", "2401.00003"]]  # the one still waiting is not asked
    assert done.cache == cached  # 2401.00003 is not recorded; 2401.00001 keeps its old day
    assert done.report is not None
    assert (done.report.failed, done.report.not_found, done.report.waiting) == (True, (), 1)
    assert done.warnings[0].startswith("The abstracts of 2 library papers could not be fetched")
    assert done.warnings[1].startswith("arXiv knows no paper for 1 library ids (2401.00002)")


def test_unknown_ids_waiting_for_different_days_are_named_in_one_warning() -> None:
    cached = {
        "2401.00001": NotFound((TODAY - timedelta(days=1)).isoformat()),
        "2401.00002": NotFound((TODAY - timedelta(days=3)).isoformat()),
        "2401.00003": NotFound("2027-01-05"),  # after today (a wrong clock): asked again
    }
    entries = [_entry(f"2401.0000{n}") for n in range(1, 4)]
    fetch = RecordingFetch([])
    done = complete(entries, cached, fetch, today=TODAY)
    assert fetch.calls == [["2401.00003"]]
    assert done.cache["2401.00003"] == NotFound(TODAY.isoformat())
    next_day = (TODAY + timedelta(days=LIBRARY_RETRY_DAYS - 3)).isoformat()
    assert done.warnings == (
        "arXiv knows no paper for 3 library ids (2401.00001, 2401.00002, 2401.00003); check "
        f"them in the library files (each is asked for again {LIBRARY_RETRY_DAYS} days after "
        f"arXiv last answered nothing for it, the next from {next_day}).",
    )
    pruned = complete(entries[:1], done.cache, fetch, today=TODAY)
    assert sorted(pruned.cache) == ["2401.00001"]  # records leave with their entries


# -- the data file -------------------------------------------------------------------------


def test_the_library_cache_round_trips_one_per_line_and_is_validated() -> None:
    state = State(
        library_cache={
            "2401.00001": LibraryText("A | title", "An abstract"),
            "hep-th/9901001": LibraryText("Old", "Style"),
        }
    )
    written = dump_state(state)
    assert load_state(written, path="x") == state
    lines = written.decode().splitlines()
    assert '    "2401.00001": {"abstract": "An abstract", "title": "A | title"},' in lines
    for bad, where in (
        (written.replace(b'"2401.00001"', b'"2401.00001v2"'), "versionless arXiv id"),
        (written.replace(b'"abstract": "Style", ', b""), "lacks the field 'abstract'"),
        (written.replace(b'"Old"', b"7"), "'library_cache' 'hep-th/9901001', field 'title'"),
    ):
        with pytest.raises(DataFileError, match=where):
            load_state(bad, path="x")
    doc = json.loads(written)
    doc["library_cache"] = []
    with pytest.raises(DataFileError, match="'library_cache' must be an object"):
        load_state(json.dumps(doc).encode(), path="x")


def test_a_schema_4_file_loads_with_an_empty_cache_and_keeps_everything_else() -> None:
    current = State(
        last_update="2026-11-26",
        announcements=(("cs", "2026-11-26"),),
        feed_counts=(("cs", 722),),
    )
    doc = json.loads(dump_state(current))
    del doc["library_cache"]
    doc["schema"] = 4
    state = load_state(json.dumps(doc).encode(), path="x")
    assert state == current
    assert state.library_cache == {}
    assert f'"schema": {SCHEMA_VERSION}'.encode() in dump_state(state)


def test_a_not_found_record_round_trips_and_is_validated() -> None:
    state = State(
        library_cache={
            "2401.00001": LibraryText("T", "A"),
            "2401.99999": NotFound("2026-11-26"),
        }
    )
    written = dump_state(state)
    assert load_state(written, path="x") == state
    assert '    "2401.99999": {"not_found": "2026-11-26"}' in written.decode().splitlines()
    for bad, where in (
        (written.replace(b'"2026-11-26"}', b'"26.11.2026"}'), "field 'not_found' is not a YYYY"),
        (written.replace(b'"2026-11-26"}', b'"2026-11-26", "title": "T"}'), "unknown field"),
    ):
        with pytest.raises(DataFileError, match=where):
            load_state(bad, path="x")


def test_a_schema_7_file_loads_unchanged_and_is_written_as_the_current_schema() -> None:
    current = State(
        last_update="2026-11-26",
        library_cache={"2401.00001": LibraryText("T", "A")},
    )
    doc = json.loads(dump_state(current))
    doc["schema"] = 7
    state = load_state(json.dumps(doc).encode(), path="x")
    assert state == current
    assert SCHEMA_VERSION == 8
    assert b'"schema": 8' in dump_state(state)


# -- end to end against the fake arXiv -------------------------------------------------------


def _id_list_requests(fake: FakeArxiv) -> list[str]:
    return [r.params["id_list"] for r in fake.requests if "id_list" in r.params]


def _run(
    readme: Path, fake: FakeArxiv, library: Path, *, later: int = 0
) -> tuple[Result, dict[str, Any]]:
    """One run with ``library``, ``later`` days after the tests' day."""
    result_json = readme.parent / "result.json"
    res = run_cli(
        *update_args(readme, fake, "--library", str(library), "--sort", "relevance"),
        *("--result-json", str(result_json)),
        result_json=result_json,
        today=TODAY + timedelta(days=later),
    )
    assert res.status == 0, res.err
    assert res.json is not None
    data = json.loads((readme.parent / "daily-papers.json").read_text("utf-8"))
    return res, data


def _fresh(root: Path) -> Path:
    root.mkdir()
    readme = root / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    return readme


def _oldest_alpha_paper(tmp_path: Path, fake: FakeArxiv) -> dict[str, Any]:
    """The first topic's oldest shown paper, by a run without a library."""
    readme = _fresh(tmp_path / "plain")
    assert run_cli(*update_args(readme, fake)).status == 0
    data = json.loads((readme.parent / "daily-papers.json").read_text("utf-8"))
    oldest: dict[str, Any] = data["topics"][0]["papers"][-1]
    return oldest


def test_id_only_entries_are_fetched_once_ranked_and_pruned(
    tmp_path: Path, served: FakeArxiv
) -> None:
    oldest = _oldest_alpha_paper(tmp_path, served)
    served.serve_id_list(
        fixture_bytes(TOPICS["alpha"]), fixture_bytes(NONASCII), fixture_bytes(OLD_STYLE)
    )
    library = tmp_path / "reading-list.txt"
    library.write_text(
        f"# my reading list\n{oldest['id']}\narXiv:1707.08567v1\nastro-ph/0601001\n", "utf-8"
    )
    readme = _fresh(tmp_path / "repo")

    res, data = _run(readme, served, library)
    assert _id_list_requests(served) == [f"{oldest['id']},1707.08567,astro-ph/0601001"]
    cache = data["library_cache"]
    assert sorted(cache) == sorted([oldest["id"], "1707.08567", "astro-ph/0601001"])
    assert cache[oldest["id"]] == {"title": oldest["title"], "abstract": oldest["abstract"]}
    assert res.json is not None
    assert res.json["library"] == {
        "entries": 3,
        "usable": 3,
        "fetched": 3,
        "cached": 0,
        "unusable": 0,
        "titles_only": 0,
        "not_found": [],
        "not_found_waiting": 0,
        "batches": 1,
        "fetch_failed": False,
    }
    assert res.json["requests"]["api"] == len(TOPICS) + 1  # the id_list request is counted
    assert "Library: 3 of 3 papers usable for ranking (3 abstracts fetched from arXiv" in res.err
    # an id alone now ranks: the library's own paper heads its topic
    block = readme.read_text("utf-8")
    alpha = block[block.index("## alpha") : block.index("## beta")]
    assert alpha.index(oldest["id"]) < min(
        alpha.index(p["id"]) for p in data["topics"][0]["papers"] if p["id"] != oldest["id"]
    )

    before = readme.read_bytes()
    res, again = _run(readme, served, library)
    assert len(_id_list_requests(served)) == 1  # nothing asked the second time
    assert again["library_cache"] == cache
    assert res.json is not None
    assert (res.json["library"]["fetched"], res.json["library"]["cached"]) == (0, 3)
    assert res.json["requests"]["api"] == len(TOPICS)
    assert readme.read_bytes() == before

    library.write_text("1707.08567\n", "utf-8")  # two papers leave the library
    _res, pruned = _run(readme, served, library)
    assert sorted(pruned["library_cache"]) == ["1707.08567"]
    assert len(_id_list_requests(served)) == 1


def test_an_id_arxiv_does_not_know_is_asked_again_only_after_the_retry_interval(
    tmp_path: Path, served: FakeArxiv
) -> None:
    served.serve_id_list(fixture_bytes(NONASCII))
    library = tmp_path / "reading-list.txt"
    library.write_text("1707.08567\n2401.99999\n", "utf-8")
    readme = _fresh(tmp_path / "repo")

    res, data = _run(readme, served, library)
    assert _id_list_requests(served) == ["1707.08567,2401.99999"]
    assert data["schema"] == 8
    assert data["library_cache"]["2401.99999"] == {"not_found": "2026-11-26"}
    assert res.json is not None
    assert res.json["library"]["not_found"] == ["2401.99999"]
    assert res.json["library"]["not_found_waiting"] == 0
    (warning,) = [w for w in res.json["warnings"] if "2401.99999" in w]
    assert "(they are asked for again from 2026-12-03)" in warning

    res, data = _run(readme, served, library, later=1)
    assert len(_id_list_requests(served)) == 1  # the next day asks nothing
    assert data["library_cache"]["2401.99999"] == {"not_found": "2026-11-26"}
    assert res.json is not None
    assert (res.json["library"]["not_found"], res.json["library"]["not_found_waiting"]) == ([], 1)
    assert res.json["requests"]["api"] == len(TOPICS)
    assert (
        "2401.99999); check them in the library files (they are asked for again from "
        "2026-12-03)" in res.err
    )

    res, data = _run(readme, served, library, later=LIBRARY_RETRY_DAYS)
    assert _id_list_requests(served)[1:] == ["2401.99999"]
    assert data["library_cache"]["2401.99999"] == {"not_found": "2026-12-03"}
    assert res.json is not None
    assert res.json["library"]["not_found"] == ["2401.99999"]


def test_a_failed_fetch_keeps_the_run_green_and_the_readme_as_without_those_ids(
    tmp_path: Path, served: FakeArxiv
) -> None:
    oldest = _oldest_alpha_paper(tmp_path, served)
    own = tmp_path / "mine.bib"
    own.write_text(
        f"@misc{{x,\n title = {{{oldest['title']}}},\n abstract = {{{oldest['abstract']}}}\n}}\n",
        "utf-8",
    )
    ids = tmp_path / "ids.txt"
    ids.write_text("1707.08567\nastro-ph/0601001\n", "utf-8")

    titled = _fresh(tmp_path / "titled")
    _run(titled, served, own)

    # no id_list answer is recorded yet: the fake answers HTTP 404, a permanent failure
    readme = _fresh(tmp_path / "repo")
    result_json = readme.parent / "result.json"
    args = update_args(readme, served, "--library", str(own), "--library", str(ids))
    args += ["--sort", "relevance"]
    res = run_cli(*args, "--result-json", str(result_json), result_json=result_json)
    assert res.status == 0, res.err
    assert res.json is not None
    assert res.json["status"] == "success"
    assert res.json["library"]["fetch_failed"] is True
    assert (res.json["library"]["usable"], res.json["library"]["unusable"]) == (1, 2)
    (warning,) = [w for w in res.json["warnings"] if "library" in w]
    assert warning.startswith("The abstracts of 2 library papers could not be fetched from arXiv")
    assert res.err.count("could not be fetched from arXiv") == 1  # said once, on stderr
    assert "2 arXiv ids still without a title or abstract" in res.err
    assert readme.read_bytes() == titled.read_bytes()  # ranked by what it had
    data = json.loads((readme.parent / "daily-papers.json").read_text("utf-8"))
    assert data["library_cache"] == {}

    served.serve_id_list(fixture_bytes(NONASCII), fixture_bytes(OLD_STYLE))
    res = run_cli(*args, "--result-json", str(result_json), result_json=result_json)
    assert res.status == 0, res.err
    assert res.json is not None
    assert res.json["library"]["fetched"] == 2  # the next run tries again
    data = json.loads((readme.parent / "daily-papers.json").read_text("utf-8"))
    assert sorted(data["library_cache"]) == ["1707.08567", "astro-ph/0601001"]
