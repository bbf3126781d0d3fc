"""Benchmark the local query matcher: T topics x P papers, with per-paper normalisation.

The papers are SYNTHETIC, built from the real recorded API papers in
``tests/fixtures/matcher/``: paper *i* takes its title, abstract, authors and categories
from different recorded papers (so texts are real arXiv text, the combinations are not),
and an id ``synthetic.NNNNN``.  The topics are phrases cut from real titles (two or three
words), a quarter with categories, a quarter with an exclude phrase, and the recorded
advanced queries.  Not a test: timings vary by machine.

Two forms are timed: :func:`match_papers` (the batch a feed reader uses: each paper
normalised once, each query looking only at papers that hold its words) and
:meth:`CompiledQuery.matches` pair by pair.  "CPU s" is this process's CPU time, which a
shared, loaded machine inflates less than wall time; the load average is printed too.

Usage: ``python benchmarks/match_speed.py [--topics 200] [--papers 2000]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from daily_papers.arxiv.api_page import parse_page  # noqa: E402
from daily_papers.models import Paper  # noqa: E402
from daily_papers.query.build import topic_query  # noqa: E402
from daily_papers.query.match import (  # noqa: E402
    CompiledQuery,
    analyse_paper,
    compile_query,
    match_papers,
)

FIXTURES = ROOT / "tests" / "fixtures" / "matcher"
ADVANCED = (
    "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)",
    "all:electron AND all:proton",
    "cat:math.CA AND ti:diffuse",
    'au:del_maestro AND ti:"quantum criticality"',
    "testing",
)


def real_papers() -> list[Paper]:
    seen: dict[str, Paper] = {}
    for path in sorted(FIXTURES.glob("api-*.xml")):
        for paper in parse_page(path.read_bytes()).papers:
            seen.setdefault(paper.id, paper)
    return list(seen.values())


def synthetic_papers(real: list[Paper], count: int) -> list[Paper]:
    """SYNTHETIC papers: fields of different real papers recombined (see module docstring)."""
    n = len(real)
    return [
        replace(
            real[i % n],
            id=f"synthetic.{i:05d}",
            abstract=real[(i * 7 + 3) % n].abstract,
            authors=real[(i * 3 + 1) % n].authors,
            categories=real[(i * 5 + 2) % n].categories,
            primary_category=real[(i * 5 + 2) % n].primary_category,
        )
        for i in range(count)
    ]


def topics(real: list[Paper], count: int) -> list[CompiledQuery]:
    compiled = [compile_query(q) for q in ADVANCED]
    i = 0
    while len(compiled) < count:
        words = real[i % len(real)].title.split()
        size = 2 + i % 2
        start = (i // len(real)) % max(1, len(words) - size)
        phrase = " ".join(words[start : start + size]).replace('"', "")
        categories = ["cs.LG", "math.CA"] if i % 4 == 1 else []
        exclude = ["survey"] if i % 4 == 2 else []
        if phrase.strip():
            compiled.append(
                compile_query(topic_query(phrase, categories=categories, exclude=exclude))
            )
        i += 1
    return compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=200)
    parser.add_argument("--papers", type=int, default=2000)
    args = parser.parse_args()
    real = real_papers()
    papers = synthetic_papers(real, args.papers)
    queries = topics(real, args.topics)

    # Batch: what a feed reader does (normalise each paper once, index the queries' words).
    start, cpu = time.perf_counter(), time.process_time()
    batch = match_papers(queries, papers)
    batch_seconds, batch_cpu = time.perf_counter() - start, time.process_time() - cpu
    # Pair by pair: CompiledQuery.matches on views normalised beforehand.
    start, cpu = time.perf_counter(), time.process_time()
    views = [analyse_paper(p) for p in papers]
    normalised = time.perf_counter()
    pairwise = sum(1 for q in queries for v in views if q.matches(v))
    done, pairwise_cpu = time.perf_counter(), time.process_time() - cpu
    assert pairwise == sum(len(found) for found in batch)

    load = os.getloadavg()[0]
    print(f"(load average {load:.2f} on {os.cpu_count()} cores; papers are synthetic)")
    print("| form | topics | papers | normalise s | match s | total s | CPU s | matches |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| match_papers (batch) | {len(queries)} | {len(papers)} | — | — | "
        f"{batch_seconds:.3f} | {batch_cpu:.3f} | {pairwise} |"
    )
    print(
        f"| CompiledQuery.matches | {len(queries)} | {len(papers)} | {normalised - start:.3f} | "
        f"{done - normalised:.3f} | {done - start:.3f} | {pairwise_cpu:.3f} | {pairwise} |"
    )


if __name__ == "__main__":
    main()
