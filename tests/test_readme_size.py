"""``readme-max-bytes``: the whole README stays under the limit, the papers shrink in proportion.

The search is checked against a byte-counting stand-in for the renderer (every level tried by
brute force); the planner at 200 topics with the recorded 100-paper page and the real default
template; the command line for the warning, the result JSON and the refusal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from daily_papers.errors import ReadmeError
from daily_papers.models import Topic
from daily_papers.plan import UpdatePlan, plan_update
from daily_papers.readme_size import ReadmeSize, fit_readme, shares
from daily_papers.render import Renderer
from daily_papers.settings import RunSettings, SiteSettings, TopicSpec
from daily_papers.site.structure import site_page_url
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import TODAY
from tests.papers import TESTING_100, recorded_papers
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]

START, END = marker_lines()
OWN_BEFORE = "# Reading list\n\nMy own introduction.\n\n"
OWN_AFTER = "\n## Footer\n\nText after the end marker, which must always survive.\n"
LEFT_OUT = "left out so that GitHub shows this whole README."


class Counting:
    """A SYNTHETIC renderer: 100 bytes of frame, ``cost(papers)`` bytes per topic."""

    def __init__(self, cost: Callable[[int], int] = lambda n: 37 * n + 11) -> None:
        self.calls: list[tuple[int, ...]] = []
        self.cost = cost

    def __call__(self, counts: Sequence[int]) -> bytes:
        self.calls.append(tuple(counts))
        return b"x" * (100 + sum(self.cost(n) for n in counts))


def test_shares_run_from_none_to_all_and_never_shrink() -> None:
    totals = [100, 37, 1, 0, 2000]
    assert shares(totals, 0, 2000) == [0, 0, 0, 0, 0]
    assert shares(totals, 2000, 2000) == totals
    previous = shares(totals, 0, 2000)
    for level in range(1, 2001):
        now = shares(totals, level, 2000)
        assert all(a <= b <= t for a, b, t in zip(previous, now, totals, strict=True))
        previous = now
    assert shares([100, 10], 500, 1000) == [50, 5]  # the same share for every topic


def test_no_limit_or_a_readme_that_fits_renders_once_with_every_paper() -> None:
    for limit in (0, 10**9):
        build = Counting()
        fitted = fit_readme(["a", "b"], [100, 3], build, limit=limit, path="README.md")
        assert build.calls == [(100, 3)]
        assert fitted.shown == (100, 3)
        assert fitted.size.shortened == ()
        assert fitted.size.bytes == len(fitted.readme)


@pytest.mark.parametrize(
    "cost",
    [lambda n: 37 * n + 11, lambda n: n * n + 5, lambda n: 5000 * (n > 0) + n, lambda n: 0],
    ids=["linear", "quadratic", "step", "free"],
)
def test_the_largest_share_that_fits_is_found_in_few_renders(cost: Callable[[int], int]) -> None:
    names = [f"t{i}" for i in range(30)]
    totals = [(i * 37) % 100 + 1 for i in range(30)]
    top = max(totals)
    for limit in (120, 1_000, 9_999, 20_000, 50_000):
        build = Counting(cost)
        full = build(totals)
        if len(full) <= limit or len(build([0] * 30)) > limit:
            continue
        build.calls.clear()
        fitted = fit_readme(names, totals, build, limit=limit, path="README.md")
        renders = len(build.calls)
        level = max(x for x in range(top + 1) if len(build(shares(totals, x, top))) <= limit)
        below, above = shares(totals, level, top), shares(totals, level + 1, top)
        first = max(x for x in range(31) if len(build(above[:x] + below[x:])) <= limit)
        # the largest share for every topic, then one step more for as many first topics as fit
        assert fitted.shown == tuple(above[:first] + below[first:])
        assert len(fitted.readme) == fitted.size.bytes <= limit
        assert fitted.size.shortened == tuple(
            (n, s, t - s) for n, s, t in zip(names, fitted.shown, totals, strict=True) if s < t
        )
        assert renders <= 2 + 2 * top.bit_length() + 2 * len(totals).bit_length()


def test_a_readme_over_the_limit_with_no_papers_is_refused() -> None:
    build = Counting()
    with pytest.raises(ReadmeError, match=r"README.md would be 133 bytes even with no papers"):
        fit_readme(["a", "b", "c"], [5, 5, 5], build, limit=120, path="README.md")
    with pytest.raises(ReadmeError, match="raise readme-max-bytes"):
        fit_readme(["a"], [0], build, limit=50, path="README.md")


def _plan(topics: int, totals: Sequence[int], **run: object) -> tuple[bytes, UpdatePlan]:
    """plan_update on ``topics`` topics of the recorded 100-paper page (topic i: its first
    ``totals[i]`` papers) with the real default template."""
    papers = recorded_papers(TESTING_100)
    assert len(papers) == 100
    names = [f"topic {i:03d}" for i in range(topics)]
    settings = RunSettings(topics=TopicSpec(keywords=tuple(names)), **run)  # type: ignore[arg-type]
    readme = (OWN_BEFORE + START + "\n" + END + OWN_AFTER).encode("utf-8")
    files = {settings.readme_path: readme}
    plan = plan_update(
        settings,
        [Topic(name, f'all:"{name}"') for name in names],
        Renderer("default"),
        {name: papers[:count] for name, count in zip(names, totals, strict=True)},
        files.get,
        listing=lambda folder: (),  # no archive in these settings
        today=TODAY,
    )
    written = {f.path: f.new for f in plan.files}
    new = written[settings.readme_path]
    assert new is not None
    return new, plan


def _size(plan: UpdatePlan) -> ReadmeSize:
    assert plan.readme_size is not None
    return plan.readme_size


def test_200_topics_fit_the_default_limit_and_the_text_after_the_end_marker_survives() -> None:
    totals = [10 + i % 91 for i in range(200)]  # 10 to 100 papers per topic
    readme, plan = _plan(200, totals)
    text = readme.decode("utf-8")
    size = _size(plan)
    assert len(readme) == size.bytes <= 500_000
    assert text.startswith(OWN_BEFORE + START + "\n")
    assert text.endswith("\n" + END + OWN_AFTER)
    sections = text.split("\n## topic ")[1:]
    assert len(sections) == 200
    shown = [section.count("\n| **[") for section in sections]
    assert sum(shown) > 0
    # every topic keeps the same share of its papers, the first ones one step more
    assert any(
        shown == shares(totals, level + 1, 100)[:first] + shares(totals, level, 100)[first:]
        for level in range(100)
        for first in range(200)
    )
    assert len(readme) + 1_700 > 500_000  # the room left is less than one more paper
    for section, count, total in zip(sections, shown, totals, strict=True):
        if count < total:
            assert f"… and {total - count} more, {LEFT_OUT}" in section
    assert [(n, s) for n, s, _left in size.shortened] == [
        (f"topic {i:03d}", s) for i, (s, t) in enumerate(zip(shown, totals, strict=True)) if s < t
    ]
    assert len(size.shortened) > 150
    warnings = [w for w in plan.warnings if "readme-max-bytes" in w]
    assert len(warnings) == 1
    assert "the data file keeps them all" in warnings[0]
    data = next(f.new for f in plan.files if f.path == "daily-papers.json")
    assert data is not None
    kept = [len(t["papers"]) for t in json.loads(data)["topics"]]
    assert kept == totals  # the data file keeps every paper


def test_a_shortened_topic_links_to_its_site_page() -> None:
    site = "https://octo.github.io/papers/"
    readme, plan = _plan(3, [100, 100, 40], readme_max_bytes=60_000, site=SiteSettings(url=site))
    text = readme.decode("utf-8")
    assert len(readme) <= 60_000
    assert _size(plan).shortened
    for name, shown, left in _size(plan).shortened:
        assert shown > 0
        page = site_page_url(site, name)
        assert f"… and {left} more on [the paper site]({page})." in text
    assert LEFT_OUT not in text


def test_a_readme_under_the_limit_is_byte_identical_to_no_limit() -> None:
    limited, plan = _plan(3, [10, 5, 0])
    unlimited, _ = _plan(3, [10, 5, 0], readme_max_bytes=0)
    assert limited == unlimited
    assert _size(plan).shortened == ()
    assert "more," not in limited.decode("utf-8")


def test_the_run_warns_once_and_the_result_json_names_the_shortened_topics(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    result = tmp_path / "result.json"
    res = run(
        *update_args(readme, served, "--readme-max-bytes", "9000", "--result-json", str(result))
    )
    assert res.status == 0, res.err
    assert len(readme.read_bytes()) <= 9000
    assert readme.read_bytes().endswith(README[README.index(END) :].encode("utf-8"))
    assert res.err.count("readme-max-bytes (9,000 bytes)") == 1
    doc = json.loads(result.read_text("utf-8"))
    block = doc["readme"]
    assert block["bytes"] == len(readme.read_bytes())
    assert block["max_bytes"] == doc["options"]["readme_max_bytes"] == 9000
    assert {t["name"] for t in block["shortened_topics"]} <= {"alpha", "beta", "gamma"}
    assert block["shortened_topics"]
    for topic in block["shortened_topics"]:
        assert topic["shown"] + topic["left_out"] == 5
    data = json.loads((tmp_path / "daily-papers.json").read_text("utf-8"))
    assert [len(t["papers"]) for t in data["topics"]] == [5, 5, 5]


def test_own_text_over_the_limit_is_refused_before_arxiv_is_asked(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    original = (OWN_BEFORE * 40 + START + "\n" + END + "\n").encode("utf-8")
    readme.write_bytes(original)
    res = run(*update_args(readme, served, "--readme-max-bytes", "1000"))
    assert res.status == 2
    assert f"{readme} has {len(original) - 1:,} bytes of its own text" in res.err
    assert "raise readme-max-bytes" in res.err
    assert served.requests == []
    assert readme.read_bytes() == original
    assert not (tmp_path / "daily-papers.json").exists()


def test_a_bad_limit_names_the_option(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served, "--readme-max-bytes", "500k"))
    assert res.status == 2
    assert "--readme-max-bytes must be a whole number of bytes" in res.err
    assert served.requests == []


@pytest.mark.parametrize("template", ["default", "compact", "list"])
def test_a_topic_left_with_no_papers_says_how_many_not_no_papers_yet(template: str) -> None:
    readme, plan = _plan(3, [10, 10, 0], readme_max_bytes=700, template=template)
    text = readme.decode("utf-8")
    assert len(readme) <= 700
    assert _size(plan).shortened == (("topic 000", 0, 10), ("topic 001", 0, 10))
    assert text.count(f"… and 10 more, {LEFT_OUT}") == 2
    assert text.count("No papers yet.") == 1  # only the topic that has none
    assert text.index("No papers yet.") > text.index("## topic 002")
