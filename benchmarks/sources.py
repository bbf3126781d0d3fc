"""Benchmark the sources: arXiv requests and time for 200 and 1,000 topics on the day after.

A printed table, not a test.  Day 1 (the recorded 2024-11-28 feed of every archive) builds a
full data file with the delay 0 (not measured).  Day 2 is a SYNTHETIC next announcement (the
recorded items under new ids, dated Friday 2024-11-29), like the recorded day (x1: 1,504
items), busy (x1.5: 2,256 items) or doubled (x2: 3,008 items, more than the largest group
holds); each row runs from the same day-1 state with the real 3 s delay.  The fake
rss.arxiv.org builds each group's feed from the items its names carry, cut at 2,000 like the
real one, so the client's grouping and splitting are what is measured; ``id_list``
answers carry a recorded API entry under each asked id (full size).
"beyond waits" is wall time minus the (requests - 1) x 3 s arXiv's terms impose.

Topics are SYNTHETIC: the most frequent two-word phrases of the recorded titles.

Usage: ``.venv/bin/python benchmarks/sources.py`` (a few minutes; ``--with-api`` adds the
200 searches of ``--arxiv-source api``, 10 more minutes by design); ``--parse-only`` times the
day-2 feed's parsing and the matching of 200 topics, five times.
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
from collections.abc import Callable
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


def day_items(scale: float) -> tuple[bytes, ...]:
    """Day 2's items: the recorded ones under new ids, repeated up to ``scale`` times as many
    (1.5: a busy day; 2: a day that overflows the largest group)."""
    from tests.rss_synthetic import recorded_items

    recorded = list(recorded_items())
    items = [recorded[n % len(recorded)] for n in range(round(len(recorded) * scale))]
    return tuple(renumbered(items))


def renumbered(items: list[bytes]) -> list[bytes]:
    from tests.rss_synthetic import renumber

    return [renumber(item, f"2411.9{n:04d}") for n, item in enumerate(items)]


def day2_feed(scale: float = 1.0) -> bytes:
    from tests.rss_synthetic import synthetic_feed

    return synthetic_feed(day_items(scale), day=date(2024, 11, 29))


def group_feed(items: tuple[bytes, ...], day: date) -> Callable[[tuple[str, ...]], bytes]:
    """Like rss.arxiv.org: a group's feed lists the items its names carry, at most 2000."""
    from tests.rss_synthetic import categories_of, synthetic_feed

    carried = [
        (item, {*cats, *(a for c in cats for a in taxonomy.carried_by(c))})
        for item in items
        if (cats := [c for c in categories_of(item) if c in taxonomy.load().categories])
    ]

    def build(names: tuple[str, ...]) -> bytes:
        wanted = set(names)
        chosen = [item for item, homes in carried if homes & wanted]
        return synthetic_feed(chosen[: announcements.FEED_ITEM_LIMIT], day=day)

    return build


def api_records(items: tuple[bytes, ...]) -> bytes:
    """SYNTHETIC ``id_list`` answers: a recorded API entry under each day-2 id, so the answer
    is as large as the real one would be."""
    from tests.fakes.arxiv_server import fixture_bytes

    body = fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml")
    entries = re.findall(rb"<entry>.*?</entry>", body, re.DOTALL)
    head = body[: body.index(entries[0])]
    tail = body[body.rindex(entries[-1]) + len(entries[-1]) :]
    made = []
    for n, item in enumerate(items):
        new = re.search(rb"oai:arXiv\.org:(.+?)v\d+</guid>", item)
        entry = entries[n % len(entries)]
        old = re.search(rb"arxiv\.org/abs/(.+?)v\d+</id>", entry)
        assert new is not None
        assert old is not None
        made.append(entry.replace(old.group(1), new.group(1)))
    return head + b"".join(made) + tail


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


def scenarios(args: argparse.Namespace) -> list[tuple[int, float, str]]:
    """(topics, day 2's size against the recorded day, source) of each measured run."""
    rows = [(TOPICS, 1.0, "auto"), (TOPICS, 1.5, "auto"), (TOPICS, 2.0, "auto")]
    rows += [(1000, 1.0, "auto"), (1000, 1.5, "auto")]
    return rows + ([(TOPICS, 1.0, "api")] if args.with_api else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parse-only", action="store_true", help="time parsing and matching")
    parser.add_argument("--with-api", action="store_true", help="also 200 searches (10 min)")
    args = parser.parse_args()
    from tests.fakes.arxiv_server import FakeArxivFeeds
    from tests.rss_synthetic import recorded_items

    if args.parse_only:
        parse_only([topic_query(t) for t in phrases(TOPICS)])
        return
    day1_items = tuple(recorded_items())
    fake = FakeArxivFeeds()
    fake.start()
    rows = []
    fake.serve_id_list(api_records(day1_items))
    with tempfile.TemporaryDirectory() as tmp:
        states: dict[int, Path] = {}
        for count in sorted({count for count, _, _ in scenarios(args)}):
            topics = phrases(count)
            fake.serve_feed_for_any_query(api_records(day1_items))
            fake.serve_announcements_by(group_feed(day1_items, date(2024, 11, 28)))
            states[count] = Path(tmp) / f"day1-{count}"
            states[count].mkdir()
            (states[count] / "README.md").write_bytes(README)
            run(fake, states[count], topics, "auto", 0.0)  # the full state, not measured
        for count, scale, source in scenarios(args):
            items = day_items(scale)
            fake.serve_id_list(api_records(items))
            fake.serve_announcements_by(group_feed(items, date(2024, 11, 29)))
            work = Path(tmp) / f"{source}-{count}-{scale}"
            shutil.copytree(states[count], work)
            day = f"x{scale:g} ({len(items)} items)"
            rows.append((count, day, source, run(fake, work, phrases(count), source, 3.0)))
    fake.stop()
    print("the day after a full state; the real 3 s delay; feeds built per group (cap 2000)")
    header = ("topics", "day 2", "source", "wall", "arXiv req. (api + rss)", "beyond waits", "new")
    body = [
        (
            str(count),
            day,
            source,
            f"{r['wall']:.1f} s",
            f"{r['requests']} ({r['api']} + {r['rss']})",
            f"{r['beyond']:.1f} s",
            str(r["new"]),
        )
        for count, day, source, r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *body]:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
