"""The shell's side of the security review: paths, templates, printed remote text, GitHub.

The arXiv side is tests/arxiv/test_fault_matrix.py; this file covers what the orchestrator,
the workspaces and the GitHub adapter must refuse or settle.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import requests

from daily_papers import cli
from daily_papers.errors import ConfigError
from daily_papers.github.errors import Call, map_error
from daily_papers.workspace import LocalWorkspace, check_repository_path
from tests.fakes.arxiv_server import FakeArxiv
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]


def test_a_template_from_proc_is_refused_and_nothing_is_written(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--template", "/proc/self/environ")
    assert res.status == 2
    assert "not a regular file" in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert served.requests == []


@pytest.mark.parametrize("path", ["/proc/self/environ", "/dev/zero", "/sys/kernel/notes"])
def test_local_reads_refuse_kernel_and_device_files(tmp_path: Path, path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(ConfigError, match="not a regular file"):
        LocalWorkspace(tmp_path).read(path)


@pytest.mark.parametrize("path", ["/etc/passwd", "../secrets", "a/../../b", "C:/x", ""])
def test_repository_paths_must_stay_inside_the_repository(path: str) -> None:
    with pytest.raises(ConfigError, match="relative to the repository root"):
        check_repository_path(path, what="template")


def test_search_under_actions_wraps_its_output_in_stop_commands(served: FakeArxiv) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["search", "alpha", "--max-count", "2", "--arxiv-url", served.url, "--arxiv-delay", "0"]
    status = cli.run(argv, {"GITHUB_ACTIONS": "true"}, stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("::stop-commands::")
    token = lines[0].split("::")[2]
    assert lines[-1] == f"::{token}::"


def test_a_secondary_rate_limit_is_not_called_an_outage() -> None:
    retry_error = requests.exceptions.RetryError("too many 403 error responses")
    mapped = map_error(retry_error, Call("opening an issue"), api_url="https://api.github.com")
    assert mapped is not None
    assert "secondary rate limit" in mapped.message
    assert "outage" not in str(mapped)


def test_a_local_run_writes_only_inside_its_working_directory(
    tmp_path_factory: pytest.TempPathFactory, served: FakeArxiv
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "README.md"
    elsewhere.write_bytes(README.encode("utf-8"))
    res = run(*update_args(elsewhere, served))
    assert res.status == 2
    assert "outside the working directory" in res.err
    assert elsewhere.read_bytes() == README.encode("utf-8")
    assert not (elsewhere.parent / "daily-papers.json").exists()
