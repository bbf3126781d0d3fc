"""For you kept in the data file: a day arXiv announces nothing shows the last announcement's
selection unchanged (or those papers ranked again for a changed library), end to end against the
fake rss.arxiv.org serving an empty weekend feed; the ``for_you`` key's validation; and the new
count once ``min-score`` hides a paper."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from daily_papers.errors import DataFileError
from daily_papers.kept_for_you import KeptForYou, KeptPaper, KeptScore, KeptScores, fingerprint
from daily_papers.merge import merge_state
from daily_papers.models import Topic, new_papers
from daily_papers.ranked_view import TOPICS, RankedView, Ranker
from daily_papers.relevance import Score
from daily_papers.state import State, load_state
from daily_papers.state_dump import dump_state
from tests.feed_world import SAT, THU, World, cs_cl_items
from tests.papers import make_paper
from tests.rss_synthetic import categories_of, recorded_items, synthetic_feed

THU_DAY = THU.isoformat()
ITEMS = tuple(i for i in recorded_items() if "cs.CL" in categories_of(i) and b"new<" in i)


def _title(item: bytes) -> str:
    return item.split(b"<title>")[1].split(b"</title>")[0].decode("utf-8")


def _library(path: Path, *titles: str) -> Path:
    path.write_text(
        "".join(f"@misc{{x{n},\n title = {{{t}}}\n}}\n" for n, t in enumerate(titles)),
        encoding="utf-8",
    )
    return path


def _for_you(readme: Path) -> str:
    return readme.read_bytes().decode("utf-8").split("## For you")[1].split("\n## ")[0]


def _thursday(world: World, library: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    unmatched = next(i for i in ITEMS if i not in cs_cl_items())
    _library(library, _title(unmatched))
    world.fake.serve_announcement("cs", synthetic_feed(ITEMS, day=THU))
    status, _out, err, doc = world.update(
        "--library", str(library), "--for-you-count", "3", today=THU
    )
    assert status == 0, err
    return doc, json.loads(world.data.read_text("utf-8"))


def test_a_weekend_shows_the_last_announcements_for_you_byte_for_byte(
    world: World, tmp_path: Path
) -> None:
    doc, data = _thursday(world, tmp_path / "me.bib")
    kept = data["for_you"]
    assert kept["day"] == "2024-11-28"
    assert kept["library"].startswith("sha256:")
    assert [p["id"] for p in kept["papers"]] == doc["ranking"]["for_you"]
    assert [p["score"] for p in kept["papers"]] == [
        doc["ranking"]["papers"][pid]["score"] for pid in doc["ranking"]["for_you"]
    ]
    in_topics = {p["id"] for t in data["topics"] for p in t["papers"]}
    assert doc["ranking"]["for_you"][0] not in in_topics  # a paper kept only here
    before = (world.readme.read_bytes(), world.data.read_bytes())

    world.fake.serve_announcement("cs", synthetic_feed((), day=SAT))
    status, _out, err, doc = world.update(
        "--library", str(tmp_path / "me.bib"), "--for-you-count", "3", today=SAT
    )
    assert status == 0, err
    assert "No announcement today" in err
    assert (world.readme.read_bytes(), world.data.read_bytes()) == before
    assert doc["changed"] is False
    assert doc["ranking"]["for_you_pool"] == "kept"
    assert doc["ranking"]["for_you"] == [p["id"] for p in kept["papers"]]
    assert any("the last announcement (2024-11-28)" in n for n in doc["notes"])


def test_a_for_you_paper_no_topic_matched_is_archived_and_searchable_and_a_weekend_keeps_it(
    world: World, tmp_path: Path
) -> None:
    written = (
        *("--archive", str(tmp_path / "archive")),
        *("--site-dir", str(tmp_path / "_site"), "--site-url", "https://octo.github.io/p/"),
    )
    library = tmp_path / "me.bib"
    unmatched = next(i for i in ITEMS if i not in cs_cl_items())
    _library(library, _title(unmatched))
    world.fake.serve_announcement("cs", synthetic_feed(ITEMS, day=THU))
    args = ("--library", str(library), "--for-you-count", "3", *written)
    status, _out, err, doc = world.update(*args, today=THU)
    assert status == 0, err
    data = json.loads(world.data.read_text("utf-8"))
    in_topics = {p["id"] for t in data["topics"] for p in t["papers"]}
    outsider = doc["ranking"]["for_you"][0]
    assert outsider not in in_topics
    lines = (tmp_path / "archive" / "2024-11.jsonl").read_text("utf-8").splitlines()
    records = {r["paper"]["id"]: r for r in map(json.loads, lines)}
    assert records[outsider]["topics"] == ["For you"]
    assert records[outsider]["first_shown"] == THU_DAY
    for pid in doc["ranking"]["for_you"]:
        assert "For you" in records[pid]["topics"]
    assert set(records) == in_topics | set(doc["ranking"]["for_you"])
    # the site's search holds it, with its score
    site = tmp_path / "_site"
    rows = [r for f in sorted((site / "search" / "d").iterdir()) for r in json.loads(f.read_text())]
    assert any(r[0] == records[outsider]["paper"]["title"] for r in rows)
    scores = json.loads((site / "search" / "scores.json").read_text("utf-8"))
    assert scores["marks"]["p-" + outsider.replace("/", "-")][0] == (
        f"{doc['ranking']['papers'][outsider]['score']:.3f}"
    )
    before = _files(tmp_path)

    world.fake.serve_announcement("cs", synthetic_feed((), day=SAT))
    status, _out, err, saturday = world.update(*args, today=SAT)
    assert status == 0, err
    assert saturday["ranking"]["for_you_pool"] == "kept"
    assert _files(tmp_path) == before  # README, data file, archive and site
    assert saturday["changed"] is False


def test_a_changed_library_ranks_the_kept_papers_again_not_the_topics(
    world: World, tmp_path: Path
) -> None:
    library = tmp_path / "me.bib"
    doc, data = _thursday(world, library)
    kept_ids = [p["id"] for p in data["for_you"]["papers"]]
    last = data["for_you"]["papers"][-1]
    _library(library, last["title"])  # the library now looks most like the third paper

    world.fake.serve_announcement("cs", synthetic_feed((), day=SAT))
    status, _out, err, doc = world.update(
        "--library", str(library), "--for-you-count", "3", today=SAT
    )
    assert status == 0, err
    ranking = doc["ranking"]
    assert ranking["for_you_pool"] == "kept"
    assert set(ranking["for_you"]) <= set(kept_ids)  # none of the topics' other papers
    assert ranking["for_you"][0] == last["id"]
    assert ranking["papers"][last["id"]]["closest"] == last["title"]
    assert any("ranked again against the changed library" in n for n in doc["notes"])
    assert f"arxiv.org/abs/{last['id']}v" in _for_you(world.readme).split("\n")[4]
    again = json.loads(world.data.read_text("utf-8"))["for_you"]
    assert again["day"] == "2024-11-28"  # still that announcement's papers
    assert again["library"] != data["for_you"]["library"]
    assert [p["id"] for p in again["papers"]] == ranking["for_you"]


def test_without_for_you_count_the_data_file_keeps_no_for_you(world: World, tmp_path: Path) -> None:
    library = _library(tmp_path / "me.bib", _title(ITEMS[0]))
    world.fake.serve_announcement("cs", synthetic_feed(ITEMS, day=THU))
    status, _out, err, _doc = world.update("--library", str(library), today=THU)
    assert status == 0, err
    assert "for_you" not in json.loads(world.data.read_text("utf-8"))
    # and a run that turns For you off drops what an earlier one kept
    world.update("--library", str(library), "--for-you-count", "2", today=THU)
    assert "for_you" in json.loads(world.data.read_text("utf-8"))
    world.update("--library", str(library), today=THU)
    assert "for_you" not in json.loads(world.data.read_text("utf-8"))


# -- the for_you key ------------------------------------------------------------------------


def _kept() -> State:
    papers = (
        KeptPaper(make_paper("2411.00001", title="Graphs"), 0.25, "My graphs", ("graph",)),
        KeptPaper(make_paper("2411.00002", day=2), -0.125, None, ()),
    )
    return State(for_you=KeptForYou("2024-11-28", fingerprint([("k", "t", "a")]), papers))


def test_the_kept_selection_round_trips_one_paper_a_line() -> None:
    state = _kept()
    written = dump_state(state)
    assert load_state(written, path="x") == state
    lines = written.decode().splitlines()
    assert sum(1 for line in lines if '"score": ' in line) == 2
    assert lines.index('  "for_you": {') == lines.index('  "feed_only": [],') + 1
    empty = State(for_you=KeptForYou("2024-11-28", fingerprint([]), ()))
    assert load_state(dump_state(empty), path="x") == empty


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'"score": 0.25', b'"score": "0.25"', r"paper 1 \(2411.00001\), field 'score' must be a"),
        (b'"score": 0.25', b'"score": true', "field 'score' must be a number"),
        (b'"day": "2024-11-28"', b'"day": "Thursday"', "'day' is not a YYYY-MM-DD date"),
        (b'"library": "sha256:', b'"library": "md5:', "'library' is not sha256:<16 hex digits>"),
        (b'"closest": "My graphs"', b'"closest": 3', "field 'closest' must be a string"),
        (b'"terms": ["graph"]', b'"terms": "graph"', "field 'terms' must be a list of strings"),
        (b'"terms": ["graph"], ', b"", "paper 1 lacks the field 'terms'"),
        (b'"day": "2024-11-28"', b'"when": "2024-11-28"', "has the unknown field 'when'"),
        (b'"id": "2411.00002"', b'"id": "nope"', "field 'for_you', paper 2, field 'id' is not"),
    ],
)
def test_a_damaged_for_you_key_is_one_clear_error(old: bytes, new: bytes, message: str) -> None:
    written = dump_state(_kept())
    assert old in written
    with pytest.raises(DataFileError, match=message):
        load_state(written.replace(old, new, 1), path="data.json")


def test_a_schema_5_file_loads_with_nothing_kept() -> None:
    doc = json.loads(dump_state(State(last_update="2026-11-26")))
    doc["schema"] = 5
    state = load_state(json.dumps(doc).encode(), path="x")
    assert state == State(last_update="2026-11-26")
    assert state.for_you is None


# -- min-score and the new count ------------------------------------------------------------


def test_a_paper_hidden_by_min_score_counts_where_it_shows_or_nowhere() -> None:
    ranked = Topic("Ranked", '(ti:"x")', sort="relevance")
    dated = Topic("Dated", '(ti:"y")')
    both = make_paper("2411.00001", day=3)  # hidden in Ranked, shown in Dated
    only = make_paper("2411.00002", day=2)  # hidden in Ranked, shown nowhere else
    good = make_paper("2411.00003", day=1)
    _state, outcomes = merge_state(
        [ranked, dated],
        State(),
        {"Ranked": [both, only, good], "Dated": [both]},
        today="2024-11-28",
    )
    assert outcomes[0].new_ids == ("2411.00001", "2411.00002", "2411.00003")  # before ranking
    low, high = Score(0.01, None, ()), Score(0.9, "Mine", ("x",))
    view = RankedView(
        scores={both.id: low, only.id: low, good.id: high},
        relevance=frozenset({"Ranked"}),
        for_you=(),
        for_you_count=0,
        pool=TOPICS,
        min_score=0.5,
    )
    shown = view.apply(outcomes)
    assert [p.id for p in shown[0].papers] == ["2411.00003"]
    assert shown[0].new_ids == ("2411.00003",)
    assert shown[1].new_ids == ("2411.00001",)
    assert [(t.name, p.id) for t, p in new_papers(shown)] == [
        ("Ranked", "2411.00003"),
        ("Dated", "2411.00001"),
    ]
    # without a threshold nothing moves: each paper counts in its first topic, best first
    plain = dataclasses.replace(view, min_score=None).apply(outcomes)
    assert plain[0].new_ids == ("2411.00003", "2411.00001", "2411.00002")
    assert plain[1].new_ids == ()


# -- relevance topics on a weekend ------------------------------------------------------------


def _relevance_thursday(
    world: World, library: Path, *extra: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    _library(library, *(_title(i) for i in cs_cl_items()[:2]))
    world.fake.serve_announcement("cs", synthetic_feed(ITEMS, day=THU))
    status, _out, err, doc = world.update(
        "--library", str(library), "--sort", "relevance", *extra, today=THU
    )
    assert status == 0, err
    return doc, json.loads(world.data.read_text("utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "result.json" and p.suffix != ".bib"
    }


@pytest.mark.parametrize("for_you", [(), ("--for-you-count", "3")])
def test_a_weekend_keeps_every_relevance_score_byte_for_byte(
    world: World, tmp_path: Path, for_you: tuple[str, ...]
) -> None:
    library = tmp_path / "me.bib"
    written = (
        *("--feed", str(tmp_path / "feed.xml"), "--archive", str(tmp_path / "archive")),
        *("--site-dir", str(tmp_path / "_site"), "--site-url", "https://octo.github.io/p/"),
    )
    thursday, data = _relevance_thursday(world, library, *for_you, *written)
    ranked = thursday["ranking"]["papers"]
    assert len({p["score"] for p in ranked.values()}) > 2  # the order is the scores'
    before = _files(tmp_path)
    assert {"README.md", "daily-papers.json", "feed.xml", "_site/index.html"} <= set(before)

    world.fake.serve_announcement("cs", synthetic_feed((), day=SAT))
    status, _out, err, saturday = world.update(
        "--library", str(library), "--sort", "relevance", *for_you, *written, today=SAT
    )
    assert status == 0, err
    assert "No announcement today" in err
    assert world.readme.read_bytes() == before["README.md"]
    assert _files(tmp_path) == before  # data file, feed, archive and site too
    assert saturday["ranking"]["papers"] == ranked
    assert saturday["changed"] is False
    # every paper the topics keep has its Thursday score in the data file, by id
    kept = data["scores"]
    assert kept["day"] == "2024-11-28"
    assert set(kept["papers"]) == {p["id"] for t in data["topics"] for p in t["papers"]}
    assert {pid: s["score"] for pid, s in kept["papers"].items()} == {
        pid: ranked[pid]["score"] for pid in kept["papers"]
    }


def test_a_changed_library_scores_the_topics_again_on_a_weekend(
    world: World, tmp_path: Path
) -> None:
    library = tmp_path / "me.bib"
    _thursday_doc, data = _relevance_thursday(world, library)
    papers = data["topics"][0]["papers"]
    _library(library, papers[-1]["title"])  # now most like the topic's last paper

    world.fake.serve_announcement("cs", synthetic_feed((), day=SAT))
    status, _out, err, doc = world.update(
        "--library", str(library), "--sort", "relevance", today=SAT
    )
    assert status == 0, err
    ranked = doc["ranking"]["papers"]
    assert ranked[papers[-1]["id"]]["closest"] == papers[-1]["title"]
    again = json.loads(world.data.read_text("utf-8"))["scores"]
    assert again["day"] == "2024-11-28"
    assert again["library"] != data["scores"]["library"]
    assert {pid: s["score"] for pid, s in again["papers"].items()} == {
        pid: ranked[pid]["score"] for pid in again["papers"]
    }


def test_a_paper_without_a_kept_score_is_scored_and_the_others_keep_theirs() -> None:
    topic = Topic("Ranked", '(ti:"x")', sort="relevance")
    old, new = make_paper("2411.00001", day=2), make_paper("2411.00002", day=1)
    _state, outcomes = merge_state([topic], State(), {"Ranked": [old, new]}, today="2024-11-30")
    computed = {old.id: Score(0.1, None, ()), new.id: Score(0.2, "Mine", ("x",))}
    ranker = Ranker(lambda papers: dict(computed), "date", library=fingerprint([]), day=THU_DAY)
    kept = KeptScores(THU_DAY, fingerprint([]), {old.id: KeptScore(0.9, "Old", ("y",))})
    view = ranker.view(outcomes, kept_scores=kept)
    assert view.scores[old.id] == Score(0.9, "Old", ("y",))
    assert view.scores[new.id] == computed[new.id]
    assert view.scored_on == THU_DAY  # the site says which run scored
    assert [p.id for p in view.apply(outcomes)[0].papers] == [old.id, new.id]
    assert view.keep_scores == KeptScores(
        THU_DAY,
        fingerprint([]),
        {old.id: KeptScore(0.9, "Old", ("y",)), new.id: KeptScore(0.2, "Mine", ("x",))},
    )
    # an announcement scores everything afresh, and so does another library
    fresh = dataclasses.replace(ranker, announced=(old,)).view(outcomes, kept_scores=kept)
    assert fresh.scores[old.id] == computed[old.id]
    assert fresh.scored_on is None
    other = dataclasses.replace(kept, library=fingerprint([("k", "t", "a")]))
    rescored = ranker.view(outcomes, kept_scores=other)
    assert rescored.scores[old.id] == computed[old.id]
    assert rescored.scored_on is None
    # nothing is kept on the API route, nor when no score shows (date order, no For you)
    assert dataclasses.replace(ranker, day=None).view(outcomes).keep_scores is None
    dated = [dataclasses.replace(o, topic=Topic("Ranked", '(ti:"x")')) for o in outcomes]
    assert ranker.view(dated).keep_scores is None


def test_a_date_sorted_library_run_keeps_no_scores(world: World, tmp_path: Path) -> None:
    library = _library(tmp_path / "me.bib", _title(ITEMS[0]))
    world.fake.serve_announcement("cs", synthetic_feed(ITEMS, day=THU))
    status, _out, err, _doc = world.update("--library", str(library), today=THU)
    assert status == 0, err
    assert "scores" not in json.loads(world.data.read_text("utf-8"))


# -- the scores key -------------------------------------------------------------------------


def _scored() -> State:
    papers = {
        "2411.00001": KeptScore(0.25, "My graphs", ("graph",)),
        "2411.00002": KeptScore(-0.125, None, ()),
    }
    return State(scores=KeptScores("2024-11-28", fingerprint([("k", "t", "a")]), papers))


def test_the_kept_scores_round_trip_one_paper_a_line() -> None:
    state = _scored()
    written = dump_state(state)
    assert load_state(written, path="x") == state
    lines = written.decode().splitlines()
    assert sum(1 for line in lines if '"score": ' in line) == 2
    assert lines.index('  "scores": {') == lines.index('  "schema": 8,') + 1
    empty = State(scores=KeptScores("2024-11-28", fingerprint([]), {}))
    assert load_state(dump_state(empty), path="x") == empty


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'"score": 0.25', b'"score": "0.25"', "'scores', paper '2411.00001', field 'score' must"),
        (b'"score": 0.25', b'"score": NaN', "field 'score' must be a number"),
        (b'"day": "2024-11-28"', b'"day": "Friday"', "'scores', field 'day' is not a YYYY-MM-DD"),
        (b'"library": "sha256:', b'"library": "md5:', "'library' is not sha256:<16 hex digits>"),
        (b'"closest": "My graphs"', b'"closest": 3', "field 'closest' must be a string"),
        (b'"terms": ["graph"]', b'"terms": "graph"', "field 'terms' must be a list of strings"),
        (b'"terms": ["graph"]', b'"why": 1', "paper '2411.00001' has the unknown field 'why'"),
        (b'"2411.00002": ', b'"2411.00002v2": ', "paper '2411.00002v2' is not a versionless"),
    ],
)
def test_a_damaged_scores_key_is_one_clear_error(old: bytes, new: bytes, message: str) -> None:
    written = dump_state(_scored())
    assert old in written
    with pytest.raises(DataFileError, match=message):
        load_state(written.replace(old, new, 1), path="data.json")


def test_scores_papers_must_be_an_object() -> None:
    doc = json.loads(dump_state(_scored()))
    doc["scores"]["papers"] = list(doc["scores"]["papers"].values())
    with pytest.raises(DataFileError, match="field 'scores', field 'papers' must be an object"):
        load_state(json.dumps(doc).encode(), path="data.json")


def test_a_schema_6_file_loads_with_no_scores_kept() -> None:
    doc = json.loads(dump_state(_kept()))
    doc["schema"] = 6
    state = load_state(json.dumps(doc).encode(), path="x")
    assert state == _kept()
    assert state.scores is None
