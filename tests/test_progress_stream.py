"""Progress reaches the log while the run goes on, read as a stream from a real process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import TOPICS
from tests.test_cli_update import README, served

__all__ = ["served"]


def test_each_topic_line_arrives_before_the_run_ends(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    argv = [sys.executable, "-m", "daily_papers", "update", str(readme)]
    argv += ["--arxiv-url", served.url, "--arxiv-delay", "1.0", "--max-count", "5"]
    argv += ["--arxiv-source", "api"]
    for name in TOPICS:
        argv += ["-k", name]
    started = time.monotonic()
    arrivals: list[tuple[float, str]] = []
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    ) as process:
        assert process.stderr is not None  # progress lines are status: standard error
        for line in process.stderr:
            arrivals.append((time.monotonic() - started, line.rstrip("\n")))
        errors = "\n".join(line for _t, line in arrivals)
        process.wait(timeout=60)
    ended = time.monotonic() - started
    assert process.returncode == 0, errors
    progress = [(t, line) for t, line in arrivals if line.startswith("[")]
    assert [line.split("]")[0] + "]" for _t, line in progress] == ["[1/3]", "[2/3]", "[3/3]"]
    # The 1 s spacing puts two waits between the three topics: the first line must come out
    # at least one wait before the end, and the lines must be spread out, not bunched.
    assert ended - progress[0][0] >= 1.5, arrivals
    assert progress[2][0] - progress[0][0] >= 1.5, arrivals
