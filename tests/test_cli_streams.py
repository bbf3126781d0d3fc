"""Standard output carries data only: retry notices and progress never break a pipe.

The fake arXiv throttles (HTTP 429 with ``Retry-After``, then 503) before it serves the
recorded page; the client's sleeps are recorded instead of slept.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from daily_papers import cli
from daily_papers.arxiv.client import ArxivClient
from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import TOPICS
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]  # the fixture, re-used


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The CLI's client, with its waits recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(cli, "ArxivClient", functools.partial(ArxivClient, sleep=waits.append))
    return waits


def throttle(fake: FakeArxiv) -> None:
    fake.fail_next(429, b"Too many requests", headers={"Retry-After": "4"})
    fake.fail_next(503, b"Service unavailable")


def search_json(fake: FakeArxiv, env: dict[str, str] | None = None) -> tuple[str, str]:
    argv = ["search", "alpha", "--json", "--max-count", "3", "--arxiv-url", fake.url]
    res = run(*argv, "--arxiv-delay", "0", env=env)
    assert res.status == 0, res.err
    return res.out, res.err


def test_search_json_stays_json_while_arxiv_throttles(
    served: FakeArxiv, slept: list[float]
) -> None:
    throttle(served)
    out, err = search_json(served)
    papers = json.loads(out)
    assert len(papers) == 3
    assert [r.answered_by for r in served.requests] == ["fault:429", "fault:503", "feed"]
    assert len(slept) == 2
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("arXiv asked us to wait ")
    assert "(HTTP 429) for topic 'alpha'; retry 1 of 4" in lines[0]
    assert lines[1].startswith("arXiv request for topic 'alpha' failed (HTTP 503")
    assert "retry 2 of 4" in lines[1]


def test_search_json_under_actions_is_pure_json_too(served: FakeArxiv, slept: list[float]) -> None:
    throttle(served)
    out, err = search_json(served, {"GITHUB_ACTIONS": "true"})
    assert len(json.loads(out)) == 3  # no stop-commands around it, no notice inside it
    assert "::" not in out.splitlines()[0]
    assert "(HTTP 429)" in err
    assert "(HTTP 503" in err


def test_update_progress_and_retries_go_to_stderr(
    tmp_path: Path, served: FakeArxiv, slept: list[float]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    throttle(served)
    res = run(*update_args(readme, served))
    assert res.status == 0, res.err
    assert "(HTTP 429)" in res.err
    assert "(HTTP 503" in res.err
    assert [line.split("]")[0] for line in res.err.splitlines() if line.startswith("[")] == [
        f"[{n}/{len(TOPICS)}" for n in range(1, len(TOPICS) + 1)
    ]
    assert "retry" not in res.out
    assert not any(line.startswith("[") for line in res.out.splitlines())
    assert "README.md: changed" in res.out  # the report itself stays on stdout
    assert "; operation: written; " in res.out
    # The run's status line ("3 topics; mode commit") is progress, not the report.
    assert f"{len(TOPICS)} topics; mode " in res.err
    assert "; mode " not in res.out


def test_update_in_actions_keeps_notices_in_the_log_groups(
    tmp_path: Path, served: FakeArxiv, slept: list[float]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    throttle(served)
    res = run(*update_args(readme, served, "--github-annotations"))
    assert res.status == 0, res.err
    lines = res.out.splitlines()
    group = lines.index("::group::Fetch arXiv")
    end = lines.index("::endgroup::", group)
    inside = lines[group:end]
    assert any("(HTTP 429)" in line for line in inside)
    assert any(line.startswith("[1/") for line in inside)
    assert "(HTTP 429)" not in res.err
