"""When arXiv cannot be reached, the run stops after two topics and says so once."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.test_cli_update import README, run


def _refused_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens there any more
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_ten_topics_against_a_refused_port_fail_fast_with_one_short_message(
    tmp_path: Path,
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    url = f"http://127.0.0.1:{_refused_port()}/api/query"
    argv = ["update", str(readme), "--arxiv-url", url, "--arxiv-delay", "0"]
    argv += ["--arxiv-source", "api"]
    for i in range(10):
        argv += ["-k", f"topic {i}"]
    started = time.monotonic()
    res = run(*argv)
    elapsed = time.monotonic() - started
    assert res.status == 1
    assert elapsed < 15, elapsed
    errors = [line for line in res.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, res.err
    assert len(errors[0]) < 300, len(errors[0])
    assert errors[0].count(url) == 1
    assert "overloaded" not in errors[0]
    assert "the other 8 were not tried" in errors[0]
    assert readme.read_bytes() == README.encode("utf-8")


def test_one_unlucky_topic_does_not_stop_the_others(tmp_path: Path) -> None:
    """Only the first two requests failing alike stop the run; a lone failure is partial."""
    from daily_papers.app import fetch_topics
    from daily_papers.errors import ArxivError, ArxivErrorKind
    from daily_papers.merge import FetchFailure
    from daily_papers.models import Paper, Topic

    class FirstFails:
        def __init__(self) -> None:
            self.calls = 0

        def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
            self.calls += 1
            if self.calls == 1:
                raise ArxivError("arXiv answered 503.", kind=ArxivErrorKind.HTTP, status=503)
            return []

    client = FirstFails()
    results = fetch_topics(client, [Topic(f"t{i}", f"q{i}") for i in range(4)])
    assert client.calls == 4
    assert isinstance(results["t0"], FetchFailure)
    assert results["t0"].status == "HTTP 503"
