"""Benchmark the sources: 200 topics on the day after a full state, feeds (auto) vs the API.

A printed table, not a test.  Day 1 (the recorded 2024-11-28 feed of every archive) builds a
full data file for 200 topics with the delay 0 (not measured).  Day 2 is a SYNTHETIC next
announcement (the recorded items under new ids, dated Friday 2024-11-29); it is run twice
from the same day-1 state, with the real 3 s delay: once with ``--arxiv-source auto`` (feeds
plus ``id_list``) and once with ``--arxiv-source api`` (one search per topic).  "beyond waits"
is wall time minus the (requests - 1) x 3 s arXiv's terms impose.  Also timed in-process: the
day-2 feed's parsing and the matching of the 200 topics against it.

Topics are SYNTHETIC: the 200 most frequent two-word phrases of the recorded titles.

Usage: ``.venv/bin/python benchmarks/sources.py`` (about 11 minutes: the API run waits
3 s between its 200 requests by design); ``--parse-only`` times just the parsing and the
matching, five times, and prints the fastest, the median and the CPU time of each.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from daily_papers.arxiv import taxonomy
from daily_papers.arxiv.announcement_feed import Announcement, parse_announcement
from daily_papers.query import analysis
from daily_papers.query import match as matcher
from daily_papers.query.build import topic_query
from daily_papers.sources import announcements

if TYPE_CHECKING:
    from tests.fakes.arxiv_server import FakeArxivFeeds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = 200
README = b"# Papers\n\n<!-- daily-papers:start -->\n<!-- daily-papers:end -->\n"
STOP = set(analysis.STOP_WORDS) | {"via", "using", "based", "towards", "from", "new", "study"}


def phrases(count: int) -> list[str]:
    """The most frequent two-word phrases of the recorded titles (SYNTHETIC topics)."""
    from tests.rss_synthetic import recorded_items

    counter: collections.Counter[str] = collections.Counter()
    for item in recorded_items():
        title = re.search(rb"<title>(.*?)</title>", item, re.DOTALL)
        words = re.findall(r"[a-z]+", (title.group(1).decode() if title else "").lower())
        for a, b in itertools.pairwise(words):
            if a not in STOP and b not in STOP and len(a) > 2 and len(b) > 2:
                counter[f"{a} {b}"] += 1
    return [p for p, _ in counter.most_common(count)]


def day2_feed() -> bytes:
    from tests.rss_synthetic import recorded_items, renumber, synthetic_feed

    items = tuple(renumber(item, f"2411.9{n:04d}") for n, item in enumerate(recorded_items()))
    return synthetic_feed(items, day=date(2024, 11, 29))


def run(
    fake: FakeArxivFeeds, work: Path, topics: list[str], source: str, delay: float
) -> dict[str, float]:
    argv = [sys.executable, "-m", "daily_papers", "update", "README.md", "--max-count", "100"]
    for topic in topics:
        argv += ["-k", topic]
    argv += ["--arxiv-url", fake.url, "--arxiv-rss-url", fake.rss_url]
    argv += ["--arxiv-delay", str(delay), "--arxiv-source", source]
    argv += ["--result-json", str(work / "result.json")]
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src")}
    seen = len(fake.requests)
    started = time.perf_counter()
    proc = subprocess.run(argv, check=False, env=env, cwd=work, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{source} run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    requests = len(fake.requests) - seen
    mandated = max(requests - 1, 0) * delay
    return {
        "wall": wall,
        "requests": requests,
        "api": result["requests"]["api"],
        "rss": result["requests"]["rss"],
        "beyond": wall - mandated,
        "new": result["new_papers"],
        "rss_topics": sum(1 for t in result["topics"] if t["source"] == "rss"),
    }


def parse_and_match(body: bytes, queries: list[str]) -> tuple[Announcement, float, float, int]:
    """The announcement, the seconds its parsing and the matching took, and the matches."""
    started = time.perf_counter()
    announcement = parse_announcement(body)
    parsed = time.perf_counter() - started
    compiled = [matcher.compile_query(q) for q in queries]
    started = time.perf_counter()
    matched = matcher.match_papers(compiled, announcement.new_papers)
    matching = time.perf_counter() - started
    return announcement, parsed, matching, sum(len(m) for m in matched)


def parse_only(queries: list[str], repeats: int = 5) -> None:
    """Time the day-2 feed's parsing plus the matching ``repeats`` times, in this process."""
    body = day2_feed()
    wall, cpu = [], []
    for _ in range(repeats):
        started_cpu = time.process_time()
        announcement, parsed, matching, hits = parse_and_match(body, queries)
        wall.append(parsed + matching)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"feed parsing plus matching, {announcement.item_count} items, {TOPICS} topics x "
        f"{len(announcement.new_papers)} papers ({hits} matches), {repeats} runs: "
        f"fastest {min(wall):.2f} s, median {statistics.median(wall):.2f} s, "
        f"CPU median {statistics.median(cpu):.2f} s (load average {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parse-only", action="store_true", help="time parsing and matching")
    args = parser.parse_args()
    from tests.fakes.arxiv_server import FakeArxivFeeds, fixture_bytes
    from tests.rss_synthetic import recorded

    topics = phrases(TOPICS)
    queries = [topic_query(t) for t in topics]
    if args.parse_only:
        parse_only(queries)
        return
    groups = announcements.plan_groups(taxonomy.feed_archives())
    fake = FakeArxivFeeds()
    fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        fake.serve_feed_for_any_query(
            fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml")
        )
        fake.serve_id_list(fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml"))
        day1 = recorded("rss-2024-11-28-all-archives-aioarxiv.xml")
        for group in groups:
            fake.serve_announcement(group.path, day1)
        state_dir = Path(tmp) / "day1"
        state_dir.mkdir()
        (state_dir / "README.md").write_bytes(README)
        run(fake, state_dir, topics, "auto", 0.0)  # the full state, not measured

        day2 = day2_feed()
        for group in groups:
            fake.serve_announcement(group.path, day2)
        rows = []
        for source in ("auto", "api"):
            work = Path(tmp) / source
            shutil.copytree(state_dir, work)
            rows.append((source, run(fake, work, topics, source, 3.0)))
    fake.stop()

    announcement, parsed, matching, hits = parse_and_match(day2, queries)
    print(
        f"{TOPICS} topics, the day after a full state; the real 3 s delay; "
        f"{len(groups)} feed groups"
    )
    header = (
        "source",
        "wall",
        "arXiv requests (api + rss)",
        "beyond waits",
        "topics by feed",
        "new",
    )
    body = [
        (
            source,
            f"{r['wall']:.1f} s",
            f"{r['requests']} ({r['api']} + {r['rss']})",
            f"{r['beyond']:.1f} s",
            str(r["rss_topics"]),
            str(r["new"]),
        )
        for source, r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *body]:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(
        f"\nfeed parsing: {parsed:.2f} s for {announcement.item_count} items; "
        f"matching {TOPICS} topics x {len(announcement.new_papers)} papers: {matching:.2f} s "
        f"({hits} matches); together {parsed + matching:.2f} s"
    )


if __name__ == "__main__":
    main()
