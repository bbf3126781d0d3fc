"""The archive and the site through ``update``: same run, same commit, links in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from daily_papers.site.structure import topic_page_path
from tests.fakes.arxiv_server import FakeArxiv
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]
SITE = "https://octo.github.io/papers/"


def test_archive_site_and_a_shorter_readme_in_one_run(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    site = tmp_path / "_site"
    archive = tmp_path / "papers-archive"
    extra = ["--archive", str(archive), "--site-dir", str(site), "--site-url", SITE]
    res = run(*update_args(readme, served), *extra, "--readme-max-papers", "2")
    assert res.status == 0, res.err
    text = readme.read_text("utf-8")
    assert f"on [the paper site]({SITE})" in text
    assert f"[All papers of this topic]({SITE}" in text
    assert text.count("| **[") == 3 * 2  # two papers per topic in the README
    assert "… and 3 more on [the paper site]" in text
    state = json.loads((tmp_path / "daily-papers.json").read_text("utf-8"))
    assert [len(t["papers"]) for t in state["topics"]] == [5, 5, 5]  # the data file keeps all
    months = json.loads((archive / "months.json").read_text("utf-8"))
    filed = [
        line for m in months for line in (archive / f"{m}.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(filed) == len({p["id"] for t in state["topics"] for p in t["papers"]})
    assert (site / "index.html").is_file()
    assert (site / ".nojekyll").is_file()
    assert f"Site: {len(filed)} papers in {site}" in res.err
    before = {p: p.read_bytes() for p in archive.iterdir()}
    again = run(*update_args(readme, served), *extra, "--readme-max-papers", "2")
    assert again.status == 0, again.err
    assert {p: p.read_bytes() for p in archive.iterdir()} == before  # byte-stable


def test_a_shorter_readme_needs_the_site(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--readme-max-papers", "2")
    assert res.status == 2
    assert "--readme-max-papers needs the paper site" in res.err
    assert served.requests == []


def test_a_site_dir_holding_other_files_stops_the_run_before_any_write(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    (tmp_path / "not-a-site").mkdir()
    (tmp_path / "not-a-site" / "keep.txt").write_text("mine", encoding="utf-8")
    args = ["--site-dir", str(tmp_path / "not-a-site"), "--site-url", SITE]
    res = run(*update_args(readme, served), *args)
    assert res.status == 2
    assert "holds 'keep.txt', which daily-papers did not write" in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert served.requests == []


def test_the_result_json_records_the_options_that_shape_the_files(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    result = tmp_path / "result.json"
    extra = ["--columns", "title,venue", "--bibtex", "p.bib", "--archive", "arch"]
    extra += ["--site-url", SITE, "--readme-max-papers", "3", "--result-json", str(result)]
    res = run(*update_args(readme, served), *extra)
    assert res.status == 0, res.err
    options = json.loads(result.read_text("utf-8"))["options"]
    assert options == {
        "arxiv_source": "api",
        "template": "default",
        "columns": ["title", "venue"],
        "readme_max_bytes": 500_000,
        "feed_path": None,
        "bibtex_path": "p.bib",
        "library": [],
        "sort": "date",
        "min_score": None,
        "for_you_count": 0,
        "for_you_categories": [],
        "archive_path": "arch",
        "site_dir": None,
        "site_url": SITE,
        "readme_max_papers": 3,
        "summarize": "off",
        "summarize_model": None,
        "summarize_language": "English",
        "summarize_max_requests": 20,
        "summarize_time_budget": 120.0,
    }
    files = {f["path"] for f in json.loads(result.read_text("utf-8"))["files"]}
    assert {"p.bib", "arch/months.json"} <= files


def _site_run(
    tmp_path: Path, served: FakeArxiv, name: str, *extra: str
) -> tuple[Path, dict[str, Any]]:
    """One run with the site into ``tmp_path/name``: its site folder and result JSON."""
    (tmp_path / name).mkdir()
    readme = tmp_path / name / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    site, result = tmp_path / name / "_site", tmp_path / name / "result.json"
    args = ["--site-dir", str(site), "--site-url", SITE, "--result-json", str(result), *extra]
    res = run(*update_args(readme, served), *args)
    assert res.status == 0, res.err
    return site, json.loads(result.read_text("utf-8"))


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_shows_for_you_and_relevance_order_as_the_result_gives_them(
    tmp_path: Path, served: FakeArxiv
) -> None:
    plain, _ = _site_run(tmp_path, served, "plain")
    data = json.loads((tmp_path / "plain" / "daily-papers.json").read_text("utf-8"))
    oldest = data["topics"][0]["papers"][-1]
    library = tmp_path / "me.bib"
    entry = (
        f"@misc{{x,\n title = {{{oldest['title']}}},\n abstract = {{{oldest['abstract']}}}\n}}\n"
    )
    library.write_text(entry, encoding="utf-8")
    # a library the README does not show (no For you, no sort) leaves the site as it was
    quiet, _ = _site_run(tmp_path, served, "quiet", "--library", str(library))
    assert _tree(quiet) == _tree(plain)

    extra = ("--library", str(library), "--for-you-count", "2", "--sort", "relevance")
    site, result = _site_run(tmp_path, served, "ranked", *extra)
    ranking = result["ranking"]
    index = (site / "index.html").read_text("utf-8")
    start = index.index('id="for-you"')
    for_you = index[start : index.index("</section>", start)]
    anchors = re.findall(r'<article class="paper" id="p-([^"]+)"', for_you)
    assert anchors == [pid.replace("/", "-") for pid in ranking["for_you"]]
    assert anchors[0] == oldest["id"].replace("/", "-")
    best = ranking["papers"][oldest["id"]]
    assert f'<span class="value">{best["score"]:.3f}</span>' in for_you
    # each topic's own page lists what the README shows, best first with the result's scores
    for topic in result["topics"]:
        page = (site / topic_page_path(topic["name"]) / "index.html").read_text("utf-8")
        start = page.index('class="ranked-topic"')
        section = page[start : page.index("</section>", start)]
        listed = re.findall(r'<article class="paper" id="p-([^"]+)"', section)
        values = [float(v) for v in re.findall(r'<span class="value">([^<]+)</span>', section)]
        assert len(listed) == len(values) == topic["kept"] > 0
        assert values == sorted(values, reverse=True)
        by_anchor = {pid.replace("/", "-"): p["score"] for pid, p in ranking["papers"].items()}
        assert values == [round(by_anchor[a], 3) for a in listed]
    scores = json.loads((site / "search" / "scores.json").read_text("utf-8"))
    assert len(scores["marks"]) == len(ranking["papers"])
