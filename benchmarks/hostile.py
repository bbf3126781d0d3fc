"""Benchmark the arXiv client against hostile servers: peak memory, wall time, outcome.

Each case runs the real :class:`~daily_papers.arxiv.client.ArxivClient` with its default
limits (25 MB after decompression, 120 s per request, five attempts) in a fresh child
process, against the loopback fake arXiv served from this process, so the peak RSS printed is
the client's own.  The arXiv delay is 0 (the mandated 3 s spacing is not what is measured).

Cases: a normal 100-entry page (baseline), a 200 MB body with and without Content-Length, a
2 MB gzip body that inflates to 2 GiB, a server sending one byte every 5 s (in the body, and
already in the status line), the largest valid page the cap lets through (what parsing
costs at the limit), an entry whose ``<id>`` carries a CR, ten topics against a refused
port, and the recorded page with one entry made hostile (synthetic): 100,000 authors,
100,000 categories, or a 1 MB title of ordinary words (what the paper caps bound).
``--case-timeout S`` ends a child after S seconds and reports it unfinished, for runs of code
without the caps.

Usage: ``.venv/bin/python benchmarks/hostile.py [--deadline S] [--drip-interval S]``.  With
the defaults the two drip cases take about ten minutes each (five attempts of 120 s plus
backoff) — that is the bound being measured; ``--deadline 10`` shows the same shape faster.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

MB = 1000 * 1000
GIB = 1024 * 1024 * 1024
QUERY = "all:testing"


def child(case: str, url: str, deadline: float) -> None:
    """Run one case's client and print ``{outcome, requests, peak_kb}`` as JSON."""
    from daily_papers.arxiv.client import REQUEST_DEADLINE, ArxivClient
    from daily_papers.errors import ArxivError

    topics = 10 if case == "refused" else 1
    options = {"request_deadline": deadline} if deadline != REQUEST_DEADLINE else {}
    outcomes: list[str] = []
    with ArxivClient(base_url=url, delay=0.0, on_event=lambda _: None, **options) as client:  # type: ignore[arg-type]
        for number in range(topics):
            try:
                papers = client.search(QUERY, 100, topic=f"topic {number}")
                shortened = len(getattr(client, "shortened", {}))
                outcomes.append(
                    f"{len(papers)} papers" + (f", {shortened} shortened" if shortened else "")
                )
            except ArxivError as exc:
                outcomes.append(f"ArxivError kind={exc.kind} ({len(str(exc))} chars)")
        requests = client.requests_made
    distinct = sorted(set(outcomes))
    outcome = distinct[0] if len(distinct) == 1 else "; ".join(distinct)
    if topics > 1:
        outcome = f"{topics} x {outcome}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "requests": requests, "peak_kb": peak}))


def _cap_size_page() -> bytes:
    """A valid Atom page just under the 25 MB cap: the recorded 100 entries, repeated."""
    from tests.fakes.arxiv_server import fixture_bytes

    body = fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml")
    first, last = body.index(b"<entry>"), body.rindex(b"</entry>") + len(b"</entry>")
    entries = body[first:last]
    copies = (24 * MB - len(body)) // len(entries)
    return body[:first] + entries * copies + body[last:]


def _hostile_entry_page(case: str) -> bytes:
    """The recorded 100-entry page with its first entry given one hostile shape."""
    from tests.fakes.arxiv_server import fixture_bytes

    body = fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml")
    first = body.index(b"<entry>")
    end = body.index(b"</entry>", first)
    if case == "many-authors":
        extra = b"".join(b"<author><name>Author %d</name></author>" % n for n in range(100_000))
        return body[:end] + extra + body[end:]
    if case == "many-categories":
        extra = b"".join(b'<category term="cs.A%d"/>' % n for n in range(100_000))
        return body[:end] + extra + body[end:]
    title = body.index(b"<title>", first) + len(b"<title>")
    return body[:title] + b"wordy " * (MB // 6) + body[title:]


def run_case(
    case: str, deadline: float, interval: float, timeout: float | None = None
) -> dict[str, object]:
    from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes

    with FakeArxiv() as fake:
        url = fake.url
        if case == "baseline":
            fake.add_fixture_route(
                "api-2026-all_testing-relevance-start0-max100.xml", search_query=QUERY
            )
        elif case == "huge":
            fake.huge_next(200 * MB, times=5)
        elif case == "huge-no-length":
            fake.huge_next(200 * MB, declare_length=False, times=5)
        elif case == "gzip-bomb":
            fake.gzip_bomb_next(2 * GIB, times=5)
        elif case == "drip-body":
            fake.drip_next(interval, size=5 * MB, times=5)
        elif case == "drip-status-line":
            fake.drip_next(interval, in_headers=True, size=5 * MB, times=5)
        elif case == "cap-size-page":
            fake.add_route(body=_cap_size_page(), search_query=QUERY)
        elif case == "cr-in-id":
            fake.serve_feed(fixture_bytes("synthetic-cr-in-entry-id.xml"), search_query=QUERY)
        elif case in ("many-authors", "many-categories", "long-title"):
            fake.add_route(body=_hostile_entry_page(case), search_query=QUERY)
        elif case == "refused":
            fake.stop()
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
        argv = [sys.executable, __file__, "--child", case, url, "--deadline", str(deadline)]
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                argv, check=False, env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return {
                "case": case,
                "wall": timeout,
                "peak_kb": 0,
                "requests": "?",
                "outcome": f"not finished in {timeout:g} s",
            }
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"case {case} crashed ({proc.returncode}): {proc.stderr}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    result["case"] = case
    if case == "gzip-bomb":
        from tests.fakes.arxiv_server import gzip_bomb

        result["case"] = f"gzip bomb ({len(gzip_bomb(2 * GIB)) / MB:.1f} MB -> 2 GiB)"
    return result


CASES = (
    ("baseline", "normal 100-entry page (recorded)"),
    ("huge", "200 MB body, Content-Length sent"),
    ("huge-no-length", "200 MB body, no Content-Length"),
    ("gzip-bomb", ""),
    ("drip-body", "1 byte every {interval:g} s (body)"),
    ("drip-status-line", "1 byte every {interval:g} s (status line)"),
    ("cap-size-page", "valid 24 MB Atom page (100 entries repeated)"),
    ("cr-in-id", "CR/LF inside an entry's <id>"),
    ("refused", "10 topics, refused port"),
    ("many-authors", "one entry with 100,000 authors (synthetic)"),
    ("many-categories", "one entry with 100,000 categories (synthetic)"),
    ("long-title", "one entry with a 1 MB title of words (synthetic)"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--child", nargs=2, metavar=("CASE", "URL"))
    parser.add_argument("--deadline", type=float, default=120.0)
    parser.add_argument("--drip-interval", type=float, default=5.0)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--case-timeout", type=float, default=None)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.deadline)
        return
    rows = []
    for case, label in CASES:
        if args.only and case not in args.only:
            continue
        result = run_case(case, args.deadline, args.drip_interval, args.case_timeout)
        name = label.format(interval=args.drip_interval) if label else str(result["case"])
        peak = int(str(result["peak_kb"])) / 1024
        wall = f"{result['wall']:.1f} s"
        rows.append((name, f"{peak:.0f} MB", wall, str(result["outcome"]), str(result["requests"])))
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    header = ("case", "peak RSS", "wall", "outcome", "requests")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"request deadline {args.deadline:g} s, size cap 25 MB, 5 attempts, delay 0")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))


if __name__ == "__main__":
    main()
