"""Where ranking shows, end to end against the loopback fake arXiv (recorded API fixtures):
``sort``, the result JSON's scores, ``min-score`` and For you, and their refusals."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from daily_papers.atom_feed import ATOM_NS, FOR_YOU_TERM
from daily_papers.bodies import digest_body
from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import run_cli
from tests.papers import make_paper
from tests.test_cli_update import README, served, update_args

__all__ = ["served"]


def _readme(tmp_path: Path, name: str) -> Path:
    readme = tmp_path / name / "README.md"
    readme.parent.mkdir()
    readme.write_bytes(README.encode("utf-8"))
    return readme


def _library_of_oldest(tmp_path: Path, served: FakeArxiv) -> tuple[Path, dict[str, str], bytes]:
    """A library holding the first topic's oldest paper, and a plain run's README bytes."""
    plain = _readme(tmp_path, "plain")
    assert run_cli(*update_args(plain, served)).status == 0
    data = json.loads((plain.parent / "daily-papers.json").read_text(encoding="utf-8"))
    oldest = data["topics"][0]["papers"][-1]
    library = tmp_path / "me.bib"
    library.write_text(
        f"@misc{{x,\n title = {{{oldest['title']}}},\n abstract = {{{oldest['abstract']}}}\n}}\n",
        encoding="utf-8",
    )
    return library, oldest, plain.read_bytes()


def test_a_library_without_sort_relevance_leaves_the_readme_byte_identical(
    tmp_path: Path, served: FakeArxiv
) -> None:
    library, oldest, plain = _library_of_oldest(tmp_path, served)
    readme = _readme(tmp_path, "dated")
    result = tmp_path / "result.json"
    res = run_cli(
        *update_args(readme, served, "--library", str(library), "--result-json", str(result))
    )
    assert res.status == 0, res.err
    assert readme.read_bytes() == plain
    ranking = json.loads(result.read_text(encoding="utf-8"))["ranking"]
    assert ranking["relevance_topics"] == []
    assert ranking["for_you"] == []
    assert ranking["for_you_pool"] is None
    # every shown paper has its score and why; the library's own paper scores highest
    papers = ranking["papers"]
    data = json.loads((readme.parent / "daily-papers.json").read_text(encoding="utf-8"))
    shown = {p["id"] for t in data["topics"] for p in t["papers"]}
    assert set(papers) == shown
    best = max(papers, key=lambda pid: papers[pid]["score"])
    assert best == oldest["id"]
    assert papers[best]["closest"] == oldest["title"]
    assert papers[best]["why"].startswith("like “")
    assert all(round(p["score"], 6) == p["score"] for p in papers.values())


def test_no_library_means_no_ranking_block(tmp_path: Path, served: FakeArxiv) -> None:
    result = tmp_path / "result.json"
    res = run_cli(*update_args(_readme(tmp_path, "r"), served, "--result-json", str(result)))
    assert res.status == 0, res.err
    assert json.loads(result.read_text(encoding="utf-8"))["ranking"] is None


def test_a_topics_file_sort_ranks_only_that_topic(tmp_path: Path, served: FakeArxiv) -> None:
    library, oldest, plain = _library_of_oldest(tmp_path, served)
    args = update_args(_readme(tmp_path, "x"), served)
    names = [args[i + 1] for i, a in enumerate(args) if a == "-k"]
    topics = tmp_path / "topics.yml"
    topics.write_text(
        "topics:\n"
        + "".join(
            f"  - keywords: [{n}]\n" + ("    sort: relevance\n" if i == 0 else "")
            for i, n in enumerate(names)
        ),
        encoding="utf-8",
    )
    readme = _readme(tmp_path, "filed")
    base = [a for a in update_args(readme, served) if a not in names and a != "-k"]
    result = tmp_path / "result.json"
    res = run_cli(
        *base, "--topics-file", str(topics), "--library", str(library), "--result-json", str(result)
    )
    assert res.status == 0, res.err
    text = readme.read_bytes().decode("utf-8")
    first = re.findall(r"arxiv\.org/abs/(\d{4}\.\d{4,5})", text.split("\n## ")[1])
    assert first[0] == oldest["id"]
    ranking = json.loads(result.read_text(encoding="utf-8"))["ranking"]
    assert ranking["relevance_topics"] == [names[0]]
    # the other topics keep the plain run's order
    assert text.split("\n## ")[2:] == plain.decode("utf-8").split("\n## ")[2:]


def test_min_score_shows_fewer_papers_never_filler(tmp_path: Path, served: FakeArxiv) -> None:
    library, oldest, _plain = _library_of_oldest(tmp_path, served)
    readme = _readme(tmp_path, "strict")
    result = tmp_path / "result.json"
    res = run_cli(
        *update_args(
            readme,
            served,
            *("--library", str(library), "--sort", "relevance", "--min-score", "0.3"),
            *("--result-json", str(result)),
        )
    )
    assert res.status == 0, res.err
    doc = json.loads(result.read_text(encoding="utf-8"))
    papers = doc["ranking"]["papers"]
    assert oldest["id"] in papers
    assert all(p["score"] >= 0.3 for p in papers.values())
    kept = [t["kept"] for t in doc["topics"]]
    assert kept[0] >= 1
    assert 0 in kept
    assert "No papers yet." in readme.read_text(encoding="utf-8")  # ...as an empty topic does


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sort", "relevance"], "--sort relevance ranks papers against your library, but no"),
        (["--min-score", "0.1"], "--min-score ranks papers against your library, but no"),
        (["--for-you-count", "5"], "--for-you-count ranks papers against your library, but no"),
        (["--min-score", "much"], "--min-score must be a number such as 0.05"),
        (["--for-you-count", "-1"], "--for-you-count must be a whole number from 0 to 2000"),
    ],
)
def test_ranking_options_without_a_library_exit_2_and_write_nothing(
    tmp_path: Path, served: FakeArxiv, extra: list[str], message: str
) -> None:
    readme = _readme(tmp_path, "r")
    res = run_cli(*update_args(readme, served, *extra))
    assert res.status == 2
    assert message in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert not (readme.parent / "daily-papers.json").exists()


def test_a_topic_sorting_by_relevance_without_a_library_exits_2(
    tmp_path: Path, served: FakeArxiv
) -> None:
    topics = tmp_path / "topics.yml"
    topics.write_text("topics:\n  - keywords: [x]\n    sort: relevance\n", encoding="utf-8")
    readme = _readme(tmp_path, "r")
    res = run_cli("update", str(readme), "--topics-file", str(topics), "--arxiv-url", served.url)
    assert res.status == 2
    assert "has sort: relevance in" in res.err
    assert "no library is given" in res.err
    topics.write_text("topics:\n  - keywords: [x]\n    sort: newest\n", encoding="utf-8")
    res = run_cli("update", str(readme), "--topics-file", str(topics), "--arxiv-url", served.url)
    assert res.status == 2
    assert "topic #1 'sort' must be date or relevance, got 'newest'." in res.err
    assert readme.read_bytes() == README.encode("utf-8")


def test_a_topic_named_for_you_is_refused_while_for_you_is_shown(
    tmp_path: Path, served: FakeArxiv
) -> None:
    """The archive files the For you papers under that name: the two would share a history."""
    topics = tmp_path / "topics.yml"
    topics.write_text("topics:\n  - name: for  YOU\n    keywords: [x]\n", encoding="utf-8")
    library = tmp_path / "me.bib"
    library.write_text("@misc{x,\n title = {Testing}\n}\n", encoding="utf-8")
    readme = _readme(tmp_path, "r")
    args = ("update", str(readme), "--topics-file", str(topics), "--arxiv-url", served.url)
    res = run_cli(*args, "--library", str(library), "--for-you-count", "2")
    assert res.status == 2
    assert "Topic 'for YOU' in" in res.err
    assert "has the name of the For you section" in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert not served.requests  # refused before asking arXiv
    # without For you the name is any topic's: the run goes on to ask arXiv
    res = run_cli(*args, "--library", str(library), "--arxiv-delay", "0")
    assert "For you section" not in res.err
    assert served.requests


def test_for_you_ranks_the_whole_announcement_including_papers_no_topic_matched(
    tmp_path: Path,
) -> None:
    from tests.fakes.arxiv_server import FakeArxivFeeds
    from tests.feed_world import THU, World, cs_cl_items
    from tests.rss_synthetic import categories_of, recorded_items, synthetic_feed

    items = tuple(i for i in recorded_items() if "cs.CL" in categories_of(i) and b"new<" in i)
    unmatched = next(i for i in items if i not in cs_cl_items())
    title = unmatched.split(b"<title>")[1].split(b"</title>")[0].decode("utf-8")
    library = tmp_path / "me.bib"
    library.write_text(f"@misc{{x,\n title = {{{title}}}\n}}\n", encoding="utf-8")
    fake = FakeArxivFeeds()
    fake.start()
    try:
        world = World(fake, tmp_path)
        fake.serve_announcement("cs", synthetic_feed(items, day=THU))
        feed = tmp_path / "feed.xml"
        status, _out, err, doc = world.update(
            *("--library", str(library), "--for-you-count", "3", "--feed", str(feed)), today=THU
        )
    finally:
        fake.stop()
    assert status == 0, err
    ranking = doc["ranking"]
    assert ranking["for_you_pool"] == "announcement"
    assert len(ranking["for_you"]) == 3
    shown_in_topics = {pid for t in doc["topics"] for pid in t["new_ids"]}
    best = ranking["for_you"][0]
    assert best not in shown_in_topics  # what the keywords missed
    assert ranking["papers"][best]["closest"] == title
    text = world.readme.read_bytes().decode("utf-8")
    block = text.split("## For you")[1].split("\n## ")[0]
    assert "| **Title** | **Date** | **Score** | **Why** |" in block
    assert f"arxiv.org/abs/{best}v" in block.split("\n")[4]  # the first row
    assert text.index("## For you") < text.index("## language model")
    # the feed carries the For you papers, marked with the same score and why
    entries = ET.fromstring(feed.read_bytes()).findall(f"{{{ATOM_NS}}}entry")
    marked = {
        e.findtext(f"{{{ATOM_NS}}}id", ""): c.get("label", "")
        for e in entries
        for c in e.findall(f"{{{ATOM_NS}}}category")
        if c.get("term") == FOR_YOU_TERM
    }
    assert len(marked) == 3
    label = marked[f"https://arxiv.org/abs/{best}"]
    score = ranking["papers"][best]
    assert label == f"For you: score {score['score']:.3f}, {score['why']}"


def test_the_digest_lists_for_you_first_marked_and_ranked_topics_in_their_order() -> None:
    near = make_paper("2611.00002", day=1, title="Sparse view tomography with diffusion")
    far = make_paper("2611.00001", day=3, title="Traffic forecasting", abstract="Roads.")
    body = digest_body(
        [("Topic", far), ("Topic", near)],
        readme_url="https://example.invalid/README.md",
        for_you=[(near, "score 0.500, like “Diffusion”: diffusion")],
    )
    assert body.index("## For you (1 best against your library)") < body.index("## Topic (2 new)")
    first = body.split("## For you")[1].split("\n## ")[0]
    assert "2611.00002" in first
    assert "· score 0.500, like “Diffusion”: diffusion" in first
    assert "score" not in body.split("## Topic (2 new)")[1]  # topic rows are not marked


def test_for_you_on_the_api_route_ranks_the_topics_papers_and_says_so(
    tmp_path: Path, served: FakeArxiv
) -> None:
    library, oldest, _plain = _library_of_oldest(tmp_path, served)
    readme = _readme(tmp_path, "api")
    result = tmp_path / "result.json"
    extra = ("--library", str(library), "--for-you-count", "2", "--result-json", str(result))
    res = run_cli(*update_args(readme, served, *extra))
    assert res.status == 0, res.err
    doc = json.loads(result.read_text(encoding="utf-8"))
    assert doc["ranking"]["for_you_pool"] == "topics"
    assert doc["ranking"]["for_you"][0] == oldest["id"]
    assert any(n.startswith("For you ranked the papers the topics show") for n in doc["notes"])
    # a category none of them is in leaves For you empty, said as such
    again = _readme(tmp_path, "none")
    res = run_cli(*update_args(again, served, *extra, "--for-you-category", "q-bio.PE"))
    assert res.status == 0, res.err
    assert json.loads(result.read_text(encoding="utf-8"))["ranking"]["for_you"] == []
    assert "## For you\r\n\r\nNo papers for you today." in again.read_bytes().decode("utf-8")


def test_for_you_counts_against_readme_max_bytes_and_is_shortened_like_a_topic(
    tmp_path: Path, served: FakeArxiv
) -> None:
    library, _oldest, _plain = _library_of_oldest(tmp_path, served)
    extra = ("--library", str(library), "--for-you-count", "4")
    full = _readme(tmp_path, "full")
    assert run_cli(*update_args(full, served, *extra, "--readme-max-bytes", "0")).status == 0
    limit = len(full.read_bytes()) * 2 // 3
    readme = _readme(tmp_path, "cut")
    result = tmp_path / "result.json"
    res = run_cli(
        *update_args(readme, served, *extra, "--readme-max-bytes", str(limit)),
        *("--result-json", str(result)),
    )
    assert res.status == 0, res.err
    assert len(readme.read_bytes()) <= limit
    shortened = json.loads(result.read_text(encoding="utf-8"))["readme"]["shortened_topics"]
    [for_you] = [s for s in shortened if s["name"] == "For you"]
    assert for_you["shown"] + for_you["left_out"] == 4
    assert for_you["left_out"] >= 1
    text = readme.read_bytes().decode("utf-8")
    block = text.split("## For you")[1].split("\n## ")[0]
    assert f"… and {for_you['left_out']} more, left out so that GitHub shows" in block


def test_for_you_categories_outside_the_topics_archives_have_their_feed_read(
    tmp_path: Path,
) -> None:
    from tests.fakes.arxiv_server import FakeArxivFeeds
    from tests.feed_world import THU, World
    from tests.rss_synthetic import categories_of, recorded_items, synthetic_feed

    new = tuple(i for i in recorded_items() if b"new<" in i)
    quantum = next(i for i in new if categories_of(i)[0] == "quant-ph")
    title = quantum.split(b"<title>")[1].split(b"</title>")[0].decode("utf-8")
    library = tmp_path / "me.bib"
    library.write_text(f"@misc{{x,\n title = {{{title}}}\n}}\n", encoding="utf-8")

    def feed(names: tuple[str, ...]) -> bytes:
        homes = {"cs": "cs.", "quant-ph": "quant-ph"}
        wanted = tuple(homes[n] for n in names)
        return synthetic_feed(
            tuple(i for i in new if any(c.startswith(wanted) for c in categories_of(i))), day=THU
        )

    fake = FakeArxivFeeds()
    fake.start()
    try:
        world = World(fake, tmp_path)
        fake.serve_announcements_by(feed)
        extra = ("--library", str(library), "--for-you-count", "2")
        status, _out, err, doc = world.update(*extra, "--for-you-category", "quant-ph", today=THU)
    finally:
        fake.stop()
    assert status == 0, err
    assert any("quant-ph" in path for path in world.feed_paths)  # no topic needs that feed
    ranking = doc["ranking"]
    assert ranking["for_you_pool"] == "announcement"
    assert ranking["papers"][ranking["for_you"][0]]["closest"] == title
    for_you = json.loads(world.data.read_text("utf-8"))  # the topics are untouched by it
    assert all("quant-ph" not in p["categories"] for t in for_you["topics"] for p in t["papers"])
