"""Benchmark the one-line summaries: requests and wall time for 50 and 500 new papers.

Against the loopback fake OpenAI-compatible endpoint (``tests/fakes/models_server.py``),
which answers at once, so "seconds" is daily-papers' own cost (batching, JSON, checks, HTTP
on loopback); a real model adds its latency per request, which the time budget bounds.  The
papers are the recorded 100-entry API page, repeated under fresh ids for 500.  Rows:

* ``first run``: the default request limit (20 per run); what is left waits.
* ``all at once``: no request limit: how many requests the papers need in all.
* ``next run``: the same papers again, with the first run's summaries as the cache.

Usage: ``.venv/bin/python benchmarks/summaries.py``; record the table in ``RESULTS.md``.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from tests.fakes.models_server import FakeModels
    from tests.papers import TESTING_100, recorded_papers

    from daily_papers import defaults
    from daily_papers.models import Paper
    from daily_papers.summaries import protocol
    from daily_papers.summaries.endpoint import Endpoint
    from daily_papers.summaries.summarize import summarize

    recorded = recorded_papers(TESTING_100)
    first = None
    rows = [
        "| papers | run | requests | summarised | from the cache | left | seconds |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with FakeModels() as fake:
        for count in (50, 500):
            papers: list[Paper] = [
                dataclasses.replace(recorded[i % len(recorded)], id=f"2612.{i:05d}")
                for i in range(count)
            ]
            for label, limit, cache in (
                ("first run", defaults.SUMMARIZE_MAX_REQUESTS, {}),
                ("all at once", 10_000, {}),
                ("next run", 10_000, "first"),
            ):
                endpoint = Endpoint(
                    fake.url + "/chat/completions",
                    protocol.headers("openai", ""),
                    clock=time.monotonic,
                )
                started = time.perf_counter()
                report = summarize(
                    papers,
                    first.made if cache == "first" and first is not None else {},
                    post=endpoint.post,
                    clock=time.monotonic,
                    provider="openai",
                    model="m",
                    language="English",
                    max_requests=limit,
                    seconds=600.0,
                )
                seconds = time.perf_counter() - started
                endpoint.close()
                if label == "all at once":
                    first = report
                rows.append(
                    f"| {count} | {label} | {report.requests} | {len(report.made)} | "
                    f"{report.cached} | {report.pending} | {seconds:.2f} |"
                )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
