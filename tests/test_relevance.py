"""Ranking against a library: the ranker's order on SYNTHETIC papers, the run's summary line,
and the ``--library`` option end to end against the loopback fake arXiv."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from daily_papers import ranked_view, ranking, relevance
from daily_papers.errors import ConfigError
from daily_papers.library import LibraryEntry
from daily_papers.models import Paper, Topic, TopicOutcome, new_papers
from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import run_cli
from tests.papers import make_paper
from tests.test_cli_update import README, served, update_args

__all__ = ["served"]

DIFFUSION = LibraryEntry(
    "2401.01234",
    "Diffusion models for sparse view tomography",
    "Score-based diffusion priors reconstruct computed tomography from few projections.",
    "me.bib:1",
)


def test_the_paper_closest_to_the_library_comes_first_with_its_why() -> None:
    pool = [
        ranking.Document("a", "Graph neural networks for traffic", "Message passing on roads."),
        ranking.Document(
            "b", "Tomography with diffusion priors", "Diffusion models for sparse projections."
        ),
        ranking.Document("c", "A survey of large language models", "Prompting and tuning."),
    ]
    ranked = ranking.rank(
        [ranking.Document(DIFFUSION.key, DIFFUSION.title, DIFFUSION.abstract)], pool
    )
    assert ranked[0].key == "b"
    assert ranked[0].closest == "2401.01234"
    assert "diffus" in ranked[0].terms
    assert ranked[0].score > ranked[1].score
    # the same inputs give the same order and the same scores
    again = ranking.rank(
        [ranking.Document(DIFFUSION.key, DIFFUSION.title, DIFFUSION.abstract)], pool
    )
    assert again == ranked


def _view(*outcomes: TopicOutcome, min_score: float | None = None) -> ranked_view.RankedView:
    score = relevance.scorer([DIFFUSION])
    return ranked_view.Ranker(score, "relevance", min_score=min_score).view(outcomes)


def _outcome(name: str, *papers: Paper) -> TopicOutcome:
    return TopicOutcome(Topic(name, "all:x"), papers, len(papers), ())


def test_only_shown_papers_have_their_stems_mapped_back_to_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mapped: list[str] = []
    as_written = relevance._as_written

    def counting(paper: Paper, terms: tuple[str, ...]) -> tuple[str, ...]:
        mapped.append(paper.id)
        return as_written(paper, terms)

    monkeypatch.setattr(relevance, "_as_written", counting)
    announced = tuple(
        make_paper(f"2611.{n:05d}", title=f"Diffusion tomography {n}", abstract="Sparse priors.")
        for n in range(1, 21)
    )
    topic = _outcome("t", announced[0], announced[1])
    ranker = ranked_view.Ranker(
        relevance.scorer([DIFFUSION]),
        "relevance",
        for_you_count=2,
        announced=announced,
        day="2026-11-26",
    )
    view = ranker.view([topic])
    assert len(view.scores) == 20
    whys = {pid: s.why() for pid, s in view.shown(view.apply([topic])).items()}
    shown = {"2611.00001", "2611.00002", *(p.id for p in view.for_you)}
    assert set(whys) == shown
    assert sorted(mapped) == sorted(shown)  # once each, none of the other pool papers
    assert all("diffusion" in why for why in whys.values())


def test_a_score_compares_and_reads_the_same_made_lazily_or_not() -> None:
    lazy = relevance.Score.lazy(0.5, "Mine", lambda: ("diffusion",))
    assert lazy == relevance.Score(0.5, "Mine", ("diffusion",))
    assert repr(lazy) == "Score(value=0.5, closest='Mine', terms=('diffusion',))"
    assert hash(lazy) == hash(relevance.Score(0.5, "Mine", ["diffusion"]))
    with pytest.raises(AttributeError, match="immutable"):
        lazy.value = 1.0


def test_relevance_reorders_papers_and_breaks_ties_newest_first() -> None:
    far = make_paper("2611.00001", day=3, title="Traffic forecasting", abstract="Roads.")
    near = make_paper(
        "2611.00002", day=1, title="Sparse view tomography with diffusion", abstract="Priors."
    )
    [shown] = _view(_outcome("t", far, near)).apply([_outcome("t", far, near)])
    assert [p.id for p in shown.papers] == ["2611.00002", "2611.00001"]
    twin_old = make_paper("2611.00003", day=1, title="Same words", abstract="Same words.")
    twin_new = make_paper("2611.00004", day=2, title="Same words", abstract="Same words.")
    twins = _outcome("t", twin_old, twin_new)
    [shown] = _view(twins).apply([twins])
    assert [p.id for p in shown.papers] == ["2611.00004", "2611.00003"]
    assert relevance.scorer([])([far, near]) == {}
    # the why names the closest library paper's title and the words as the paper writes them
    score = _view(_outcome("t", far, near)).scores["2611.00002"]
    assert score.closest == DIFFUSION.title
    assert "diffusion" in score.terms
    assert "diffus" not in score.terms
    assert score.why().startswith("like “Diffusion models for sparse view tomography”: ")


def test_date_topics_are_untouched_and_min_score_hides_only_in_relevance_topics() -> None:
    far = make_paper("2611.00001", day=3, title="Traffic forecasting", abstract="Roads.")
    near = make_paper("2611.00002", day=1, title="Sparse view tomography with diffusion")
    dated = TopicOutcome(Topic("d", "all:x", sort="date"), (far, near), 2, ())
    ranked = _outcome("r", far, near)
    view = _view(dated, ranked, min_score=view_threshold(far, near))
    kept_dated, kept_ranked = view.apply([dated, ranked])
    assert kept_dated is dated
    assert [p.id for p in kept_ranked.papers] == ["2611.00002"]
    assert view.relevance == frozenset({"r"})


def view_threshold(low: Paper, high: Paper) -> float:
    """A threshold between the two papers' scores."""
    scores = _view(_outcome("t", low, high)).scores
    assert scores[low.id].value < scores[high.id].value
    return (scores[low.id].value + scores[high.id].value) / 2


def test_a_paper_in_several_topics_is_read_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = ranking.document_features

    def counting(document: ranking.Document) -> ranking.Features:
        read.append(document.key)
        return real(document)

    monkeypatch.setattr(ranking, "document_features", counting)
    shared = make_paper("2611.00002", title="Sparse view tomography", abstract="Diffusion.")
    first = make_paper("2611.00001", title="Traffic forecasting", abstract="Roads.")
    second = make_paper("2611.00003", title="Tomography priors", abstract="Few projections.")
    order = relevance.scorer([DIFFUSION])
    order([first, shared])
    order([shared, second])
    assert sorted(read) == ["2401.01234", "2611.00001", "2611.00002", "2611.00003"]


def test_an_indexed_library_ranks_as_the_plain_one_does() -> None:
    library = [
        ranking.Document(DIFFUSION.key, DIFFUSION.title, DIFFUSION.abstract),
        ranking.Document("2402.00002", "Graph networks for traffic", "Roads and sensors."),
    ]
    pool = [
        ranking.Document("a", "Traffic graphs", "Sensors on roads."),
        ranking.Document("b", "Diffusion tomography", "Sparse projections."),
        ranking.Document("c", "Language models", "Prompting."),
    ]
    indexed = ranking.index([ranking.document_features(d) for d in library])
    assert ranking.rank(library, pool, library_features=indexed) == ranking.rank(library, pool)
    assert [r.key for r in ranking.rank(library, pool)][:2] in (["a", "b"], ["b", "a"])
    assert ranking.rank(library, pool)[0].closest in {"2401.01234", "2402.00002"}


def test_summary_counts_usable_papers_and_tells_the_cold_start() -> None:
    bare = LibraryEntry("2402.00001", "", "", "ids.txt:1")
    title_only = LibraryEntry(None, "A title", "", "me.bib:9")
    line = relevance.summary([DIFFUSION, bare, title_only])
    assert line.startswith("Library: 2 of 3 papers usable for ranking (1 arXiv ids still")
    told = relevance.summary([DIFFUSION, bare], fetched=4, cached=3)
    assert "(4 abstracts fetched from arXiv, 3 from the data file; 1 arXiv ids still" in told
    assert "1 ranked by title only" in line
    assert "fewer than 10, ranking improves" in line
    assert "improves" not in relevance.summary([DIFFUSION] * 10)


def test_a_missing_library_file_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"The library file me\.bib does not exist"):
        relevance.load_library(["me.bib"], lambda path: None)


def _block_ids(text: str) -> list[str]:
    return re.findall(r"arxiv\.org/abs/(\d{4}\.\d{4,5})", text)


def test_a_library_reorders_the_readme_and_a_broken_one_exits_2(
    tmp_path: Path, served: FakeArxiv
) -> None:
    plain = tmp_path / "plain" / "README.md"
    plain.parent.mkdir()
    plain.write_bytes(README.encode("utf-8"))
    assert run_cli(*update_args(plain, served)).status == 0
    by_date = _block_ids(plain.read_text(encoding="utf-8"))

    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    # the library is the first topic's oldest shown paper: it must move to the top
    data = json.loads((plain.parent / "daily-papers.json").read_text(encoding="utf-8"))
    oldest = data["topics"][0]["papers"][-1]
    library = tmp_path / "me.bib"
    library.write_text(
        f"@misc{{x,\n title = {{{oldest['title']}}},\n abstract = {{{oldest['abstract']}}}\n}}\n",
        encoding="utf-8",
    )
    res = run_cli(*update_args(readme, served, "--library", str(library), "--sort", "relevance"))
    assert res.status == 0, res.err
    assert "Library: 1 of 1 papers usable for ranking" in res.out + res.err
    ranked = _block_ids(readme.read_text(encoding="utf-8"))
    assert sorted(ranked) == sorted(by_date)
    assert ranked != by_date
    assert ranked[0] == oldest["id"] != by_date[0]

    broken = tmp_path / "broken.bib"
    broken.write_text("@misc{x,\n title = {unclosed\n", encoding="utf-8")
    again = tmp_path / "again" / "README.md"
    again.parent.mkdir()
    again.write_bytes(README.encode("utf-8"))
    res = run_cli(*update_args(again, served, "--library", str(broken), "--sort", "relevance"))
    assert res.status == 2
    assert "broken.bib: the BibTeX entry at line 1 cannot be read" in res.err
    assert again.read_bytes() == README.encode("utf-8")


def test_a_relevance_topics_new_papers_follow_its_order_so_the_digest_lists_them_so() -> None:
    far = make_paper("2611.00001", day=3, title="Traffic forecasting", abstract="Roads.")
    near = make_paper("2611.00002", day=1, title="Sparse view tomography with diffusion")
    dated = TopicOutcome(Topic("t", "all:x"), (far, near), 2, (far.id, near.id))
    [ranked] = _view(dated).apply([dated])
    assert ranked.new_ids == (near.id, far.id)
    assert [p.id for _t, p in new_papers([ranked])] == [near.id, far.id]
