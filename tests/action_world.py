"""The action world several end-to-end tests share: ``daily-papers action`` in-process against
the loopback fake GitHub, arXiv and webhooks (the ``action_world`` fixture and
:func:`run_action`).

One copy, so the action's environment and the files it is read back from change in one place.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from daily_papers import cli
from daily_papers.github.repo import GitHubRepo
from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.fakes.github_server import FakeGitHub
from tests.fakes.webhook_server import FakeWebhooks
from tests.helpers import REPO, TODAY, TOPICS, action_env

#: The README the action publishes into: a title and the empty markers.
ACTION_README = "# Papers\n\n{}\n{}\n".format(*marker_lines())

#: The fakes an action test runs against, and its folder.
ActionWorld = tuple[FakeGitHub, FakeArxiv, FakeWebhooks, Path]


@pytest.fixture
def action_world(
    fake_github: FakeGitHub, fake_arxiv: FakeArxiv, fake_webhooks: FakeWebhooks, tmp_path: Path
) -> ActionWorld:
    """arXiv answering each of :data:`~tests.helpers.TOPICS` with its recording, and
    :data:`~tests.helpers.REPO` holding :data:`ACTION_README`."""
    for name, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
    fake_github.add_repo(REPO, {"README.md": ACTION_README.encode()})
    return fake_github, fake_arxiv, fake_webhooks, tmp_path


def _connect(full_name: str, token: str, api_url: str) -> GitHubRepo:
    return GitHubRepo.connect(full_name, token=token, api_url=api_url, throttle=False)


def run_action(world: ActionWorld, **extra: str) -> tuple[int, str, str, dict[str, str]]:
    """``daily-papers action`` with :func:`~tests.helpers.action_env` plus ``extra``: the exit
    status, standard output and error, and the step summary, outputs file and result JSON as
    text (empty when not written; removed first, so a second run's are its own)."""
    gh, arxiv, _hooks, tmp = world
    files = {name: tmp / name for name in ("summary.md", "output.txt", "result.json")}
    for path in files.values():
        path.unlink(missing_ok=True)
    env = action_env(
        gh.token,
        gh.url,
        arxiv.url,
        DAILY_PAPERS_RESULT_JSON=str(files["result.json"]),
        GITHUB_STEP_SUMMARY=str(files["summary.md"]),
        GITHUB_OUTPUT=str(files["output.txt"]),
        **extra,
    )
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(["action"], env, stdout=out, stderr=err, today=TODAY, github=_connect)
    texts = {n: p.read_text("utf-8") if p.exists() else "" for n, p in files.items()}
    return status, out.getvalue(), err.getvalue(), texts
