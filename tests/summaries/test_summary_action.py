"""The action with ``summarize: github-models`` against the loopback fakes of GitHub, arXiv
and the Models endpoint: the token is masked, the summaries reach the digest issue, the site
and the step summary, and a missing entitlement is a warning and a summary row."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from daily_papers import cli
from daily_papers.github.repo import GitHubRepo
from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.fakes.github_server import FakeGitHub
from tests.fakes.models_server import FakeModels
from tests.helpers import REPO, TOPICS, action_env

START, END = marker_lines()


def connect(full_name: str, token: str, api_url: str) -> GitHubRepo:
    return GitHubRepo.connect(
        full_name, token=token, api_url=api_url, throttle=False, sleep=lambda _s: None
    )


def action(
    tmp_path: Path, gh: FakeGitHub, arxiv: FakeArxiv, models: FakeModels
) -> tuple[int, str, str, Path]:
    summary = tmp_path / "summary.md"
    env = action_env(
        gh.token,
        gh.url,
        arxiv.url,
        DAILY_PAPERS_ISSUE="true",
        DAILY_PAPERS_COLUMNS="title,date,tldr",
        DAILY_PAPERS_SITE_DIR=str(tmp_path / "_site"),
        DAILY_PAPERS_SUMMARIZE="github-models",
        DAILY_PAPERS_SUMMARIZE_URL=models.url,
        DAILY_PAPERS_SUMMARIZE_LANGUAGE="Chinese",
        DAILY_PAPERS_RESULT_JSON=str(tmp_path / "result.json"),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(
        ["action"], env, stdout=out, stderr=err, today=date(2026, 11, 26), github=connect
    )
    return status, out.getvalue(), err.getvalue(), summary


@pytest.fixture
def world(
    fake_github: FakeGitHub, fake_arxiv: FakeArxiv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FakeGitHub:
    for name, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
    fake_github.add_repo(REPO, {"README.md": f"# Papers\n\n{START}\n{END}\n".encode()})
    monkeypatch.chdir(tmp_path)
    return fake_github


def test_github_models_summaries_reach_every_output(
    tmp_path: Path, world: FakeGitHub, fake_arxiv: FakeArxiv, fake_models: FakeModels
) -> None:
    status, out, err, summary = action(tmp_path, world, fake_arxiv, fake_models)
    assert status == 0, out + err
    assert f"::add-mask::{world.token}" in out
    (request,) = fake_models.requests
    assert request.headers["Authorization"] == f"Bearer {world.token}"  # the workflow's token
    repo = world.repos[REPO]
    readme = (repo.file("README.md") or b"").decode()
    assert readme.count("本文提出了一种新方法") == 8
    (issue,) = repo.issues
    assert (issue.body or "").count("<br>TL;DR: 本文提出了一种新方法") == 8
    site = "".join(p.read_text("utf-8") for p in (tmp_path / "_site").rglob("*.html"))
    assert '<p class="tldr"><span class="label">TL;DR:</span> 本文提出了一种新方法' in site
    text = summary.read_text("utf-8")
    assert "### Summaries (github-models, openai/gpt-4o-mini, Chinese)" in text
    doc = json.loads((tmp_path / "result.json").read_text("utf-8"))
    assert doc["summaries"]["summarized"] == 8


def test_no_entitlement_is_a_warning_and_a_summary_row_and_the_page_stays_whole(
    tmp_path: Path, world: FakeGitHub, fake_arxiv: FakeArxiv, fake_models: FakeModels
) -> None:
    fake_models.queue("403")
    status, out, err, summary = action(tmp_path, world, fake_arxiv, fake_models)
    assert status == 0, out + err
    assert any(
        line.startswith("::warning")
        and "Summaries: summarising stopped: no access (HTTP 403)" in line
        for line in out.splitlines()
    )
    readme = (world.repos[REPO].file("README.md") or b"").decode()
    assert readme.count("| **[") == 8  # every paper, with an empty TL;DR cell
    assert "本文" not in readme
    text = summary.read_text("utf-8")
    assert "| 0 | 0 | 8 | 1 |" in text
    assert "stopped: no access (HTTP 403)" in text


def test_an_openai_key_is_masked_and_never_printed(
    tmp_path: Path, world: FakeGitHub, fake_arxiv: FakeArxiv, fake_models: FakeModels
) -> None:
    key = "sk-action-secret"
    env = {
        "DAILY_PAPERS_GITHUB_TOKEN": world.token,
        "DAILY_PAPERS_KEYWORDS": "alpha",
        "DAILY_PAPERS_MAX_COUNT": "2",
        "DAILY_PAPERS_REPOSITORY": REPO,
        "DAILY_PAPERS_API_URL": world.url,
        "DAILY_PAPERS_ARXIV_API_URL": fake_arxiv.url,
        "DAILY_PAPERS_ARXIV_SOURCE": "api",
        "DAILY_PAPERS_INTERNAL_BE_CAREFUL_ARXIV_DELAY": "0",
        "DAILY_PAPERS_SUMMARIZE": "openai",
        "DAILY_PAPERS_SUMMARIZE_URL": fake_models.url,
        "DAILY_PAPERS_SUMMARIZE_KEY": key,
        "DAILY_PAPERS_RESULT_JSON": str(tmp_path / "result.json"),
    }
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(
        ["action"], env, stdout=out, stderr=err, today=date(2026, 11, 26), github=connect
    )
    assert status == 0, out.getvalue() + err.getvalue()
    lines = out.getvalue().splitlines()
    assert f"::add-mask::{key}" in lines[:2]
    printed = [line for line in lines if key in line]
    assert printed == [f"::add-mask::{key}"]
    assert key not in err.getvalue() + (tmp_path / "result.json").read_text("utf-8")
    assert fake_models.requests[0].headers["Authorization"] == f"Bearer {key}"
