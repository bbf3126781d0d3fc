"""``daily-papers update --summarize`` end to end, in-process, against the loopback fakes of
arXiv and of an OpenAI-compatible endpoint: summaries are shown, cached, and a failure never
changes what is shown without them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.fakes.models_server import FakeModels
from tests.helpers import TOPICS, Result, run_cli

START, END = marker_lines()
KEY = "sk-very-secret-key"


@pytest.fixture
def served(fake_arxiv: FakeArxiv) -> FakeArxiv:
    for name, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
    return fake_arxiv


def update(tmp_path: Path, arxiv: FakeArxiv, models: FakeModels | None, *extra: str) -> Result:
    readme = tmp_path / "README.md"
    if not readme.exists():
        readme.write_text(f"# Papers\n\n{START}\n{END}\n", encoding="utf-8")
    args = ["update", str(readme), "--arxiv-url", arxiv.url, "--arxiv-delay", "0"]
    args += ["--arxiv-source", "api", "--max-count", "5", "--feed", str(tmp_path / "feed.xml")]
    for name in TOPICS:
        args += ["-k", name]
    if models is not None:
        args += ["--summarize", "openai", "--summarize-url", models.url]
    result_json = tmp_path / "result.json"
    args += ["--result-json", str(result_json), *extra]
    return run_cli(*args, env={"DAILY_PAPERS_SUMMARIZE_KEY": KEY}, result_json=result_json)


def test_summaries_are_shown_cached_and_never_asked_for_twice(
    tmp_path: Path, served: FakeArxiv, fake_models: FakeModels
) -> None:
    res = update(tmp_path, served, fake_models, "--columns", "title,date,tldr")
    assert res.status == 0, res.err
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| **Title** | **Date** | **TL;DR** |" in readme
    assert readme.count("Proposes a new method") == 15
    feed = (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('<summary type="text">Proposes a new method') == 15
    assert feed.count('<content type="text">') == 15
    data = json.loads((tmp_path / "daily-papers.json").read_text(encoding="utf-8"))
    assert len(data["summaries"]) == 15
    assert {s["model"] for s in data["summaries"].values()} == {"gpt-4o-mini"}
    assert res.json is not None
    block = res.json["summaries"]
    assert (block["summarized"], block["pending"], block["stopped"]) == (15, 0, None)
    assert block["requests"] == len(fake_models.requests) == 1
    assert len(block["texts"]) == 15
    assert res.json["options"]["summarize"] == "openai"
    assert KEY not in res.out + res.err + json.dumps(res.json)
    assert fake_models.requests[0].headers["Authorization"] == f"Bearer {KEY}"

    again = update(tmp_path, served, fake_models, "--columns", "title,date,tldr")
    assert again.status == 0, again.err
    assert len(fake_models.requests) == 1  # every summary came from the data file
    assert again.json is not None
    assert again.json["summaries"]["cached"] == 15
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme


@pytest.mark.parametrize("fault", ["403", "429", "content-filter", "truncated", "slow"])
def test_a_failure_shows_the_papers_exactly_as_without_summaries(
    tmp_path: Path, served: FakeArxiv, fake_models: FakeModels, fault: str
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert update(plain, served, None).status == 0
    fake_models.delay = 5.0
    fake_models.queue(*[fault] * 30)
    failing = tmp_path / "failing"
    failing.mkdir()
    res = update(failing, served, fake_models, "--summarize-seconds", "4")
    assert res.status == 0, res.err
    for name in ("README.md", "feed.xml"):
        assert (failing / name).read_bytes() == (plain / name).read_bytes()
    assert "Summaries: " in res.err  # the warning, on standard error
    assert res.json is not None
    assert res.json["summaries"]["pending"] == 15
    assert any(w.startswith("Summaries: ") for w in res.json["warnings"])


def test_summaries_show_in_the_compact_and_list_templates(
    tmp_path: Path, served: FakeArxiv, fake_models: FakeModels
) -> None:
    for template in ("compact", "list"):
        folder = tmp_path / template
        folder.mkdir()
        res = update(folder, served, fake_models, "--template", template)
        assert res.status == 0, res.err
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert readme.count("<br>TL;DR: Proposes a new method") == 15


def test_turning_summaries_off_hides_them_and_keeps_the_cache(
    tmp_path: Path, served: FakeArxiv, fake_models: FakeModels
) -> None:
    assert update(tmp_path, served, fake_models, "--template", "list").status == 0
    res = update(tmp_path, served, None, "--template", "list")
    assert res.status == 0, res.err
    assert "TL;DR" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "daily-papers.json").read_text(encoding="utf-8"))
    assert len(data["summaries"]) == 15
    assert res.json is not None
    assert res.json["summaries"] is None


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--summarize", "openai"], {}, "--summarize openai needs the endpoint's address"),
        (
            ["--summarize", "openai", "--summarize-url", "https://api.example/v1"],
            {},
            "No key for the summaries: the environment variable DAILY_PAPERS_SUMMARIZE_KEY",
        ),
        (["--summarize", "github-models"], {}, "No key for the summaries"),
        (
            ["--summarize", "openai", "--summarize-url", "ftp://x"],
            {"DAILY_PAPERS_SUMMARIZE_KEY": "k"},
            "--summarize-url must be an http(s) URL",
        ),
    ],
)
def test_bad_summary_options_are_one_sentence_and_exit_2(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"{START}\n{END}\n", encoding="utf-8")
    res = run_cli("update", str(readme), "-k", "x", *args, env=env)
    assert res.status == 2
    assert message in res.err
    assert readme.read_text(encoding="utf-8") == f"{START}\n{END}\n"
    assert not (tmp_path / "daily-papers.json").exists()
