"""Benchmark the static site at scale: 100,000 SYNTHETIC papers, build time, size, query bytes.

The papers are SYNTHETIC, built from the real structure: every field is modelled on the
recorded arXiv papers of tests/fixtures/render (see PROVENANCE.md there).  Titles and
abstracts are drawn from the words of those real abstracts (so word frequencies are those of
real abstracts), authors from their real author names, comments and journal references from
theirs; 20 topics, each paper in one or two, first shown over 48 months.

Measured:

* **build**: from the archive's month files (bytes) to the site directory written: archive
  load and validation, site plan, HTML, search index, writing;
* **size**: the whole site and its search index (``search/``), file count, largest shard;
* **bytes per query**: in headless Chromium (Debian's chromium + chromium-driver, via
  Selenium), the site served from 127.0.0.1; the sum of the response body sizes of every
  ``search/`` file the page fetched for one query typed into a fresh page.  Without Chromium
  that column says so.

Usage: ``.venv/bin/python benchmarks/site_build.py [--papers N] [--keep DIR]``.  Not a test.
The CPU time (this process and the child that builds the search index) is printed beside
the wall clock: a shared machine inflates the latter, and CPU above wall time is the two cores
at work.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: A word in ~90% of the papers (the worst case), three words, a rarer pair, a prefix typed
#: half-way, and a word no paper has.
QUERIES = (
    "testing",
    "large language model",
    "metamorphic relation",
    "hypoth",
    "zzqxnotaword",
)
TOPICS = 20
MONTHS = 48


def synthetic_archive(count: int, archive_dir: str) -> tuple[dict[str, bytes], list[str]]:
    """SYNTHETIC archive files for ``count`` papers, and the topic names."""
    from tests.papers import TESTING_100, recorded_papers

    from daily_papers.archive import update_archive
    from daily_papers.models import StoredPaper

    real = recorded_papers(TESTING_100)
    rng = random.Random(20261126)
    vocabulary = [w for p in real for w in p.abstract.split()]
    title_words = [w for p in real for w in p.title.split()]
    authors = [a for p in real for a in p.authors]
    comments = [p.comment for p in real]
    venues = [p.journal_ref for p in real]
    topics = [f"Synthetic topic {n:02d}" for n in range(TOPICS)]
    shown: dict[str, list[StoredPaper]] = {t: [] for t in topics}
    base = real[0].published
    for n in range(count):
        template = real[n % len(real)]
        month = n * MONTHS // count
        day = 1 + rng.randrange(28)
        published = base.replace(year=2022, month=1, day=1) + timedelta(days=month * 30.4 + day)
        # arXiv numbers start at 00001 (the archive refuses 00000 as no arXiv id)
        pid = f"{22 + month // 12}{1 + month % 12:02d}.{1 + n % 99999:05d}"
        paper = replace(
            template,
            id=pid,
            version=1 + rng.randrange(3),
            title=" ".join(rng.choices(title_words, k=rng.randint(6, 14))),
            abstract=" ".join(rng.choices(vocabulary, k=rng.randint(120, 220))),
            authors=tuple(rng.choices(authors, k=rng.randint(1, 8))),
            published=published,
            updated=published,
            comment=rng.choice(comments),
            journal_ref=rng.choice(venues),
            abs_url=f"https://arxiv.org/abs/{pid}v1",
            pdf_url=f"https://arxiv.org/pdf/{pid}v1",
        )
        first = published.strftime("%Y-%m-%d")
        for topic in rng.sample(topics, rng.choice((1, 1, 1, 2))):
            shown[topic].append(StoredPaper(paper=paper, first_seen=first))
    return update_archive({}, shown, archive_dir=archive_dir, today="2099-01-01"), topics


def build(
    files: dict[str, bytes], topics: list[str], archive_dir: str, out: Path
) -> dict[str, float]:
    """A run's archive and site work, timed: parse the archive once, file today's papers (the
    newest 100 again, as a run that found nothing new would), dump the changed months, lay out,
    render and index the site, write it.  Returns the phase timings and the CPU time."""
    from daily_papers.archive import archive_changes, file_papers, load_archive
    from daily_papers.models import StoredPaper
    from daily_papers.site.render import SiteOptions, build_site, few_collections, write_site
    from daily_papers.site.structure import plan_site

    timings: dict[str, float] = {}
    cpu = _cpu_seconds()
    start = time.perf_counter()

    def phase(name: str) -> None:
        timings[name] = time.perf_counter() - start - sum(timings.values())

    archive = load_archive(files, archive_dir=archive_dir)
    phase("load")
    newest = archive.records[-100:]
    shown: dict[str, list[StoredPaper]] = {}
    for record in newest:
        shown.setdefault(record.topics[0], []).append(StoredPaper(record.paper, record.first_shown))
    update = file_papers(archive, shown, today="2099-01-01")
    changes = archive_changes(update, files, archive_dir=archive_dir)
    assert changes == {}, "re-filing known papers must change nothing"
    phase("update")
    options = SiteOptions(
        site_url="https://octo.github.io/papers/",
        title="Synthetic benchmark",
        last_update="2026-11-26",
        feed=b"<feed/>\n",
    )
    with few_collections():  # as the action's site phase does
        plan = plan_site(update.archive, topics)
        phase("plan")
        site = build_site(plan, options)
        phase("render+index")
    write_site(out, site, cwd=out.parent)  # the benchmark builds in a temporary folder
    phase("write")
    timings["total"] = time.perf_counter() - start
    timings["cpu"] = _cpu_seconds() - cpu
    return timings


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the forked search-index builder)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def query_bytes(site: Path) -> dict[str, tuple[int, int, str]] | str:
    """Per query: (bytes of search/ files fetched, how many, status line), measured in Chromium."""
    from tests.browser import browser_missing, chrome, serve_directory

    missing = browser_missing()
    if missing:
        return missing
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, server = serve_directory(site)
    profile = tempfile.mkdtemp()
    driver = chrome(Path(profile))
    results: dict[str, tuple[int, int, str]] = {}
    try:
        for query in QUERIES:
            driver.get(url + "index.html?fresh=" + str(len(results)))
            driver.execute_script("performance.clearResourceTimings()")
            box = driver.find_element(By.ID, "search-input")
            box.send_keys(query)
            WebDriverWait(driver, 60).until(_finished)
            entries = driver.execute_script(
                "return performance.getEntriesByType('resource')"
                ".filter(e => e.name.includes('/search/'))"
                ".map(e => [e.name, e.encodedBodySize])"
            )
            results[query] = (
                sum(size for _, size in entries),
                len(entries),
                driver.find_element(By.ID, "search-status").text,
            )
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    return results


def _finished(driver: Any) -> bool:
    """The status line is final and, when something matched, the first results are shown."""
    from selenium.webdriver.common.by import By

    status: str = driver.find_element(By.ID, "search-status").text
    if "No paper" in status:
        return True
    return "match" in status and bool(driver.find_elements(By.CSS_SELECTOR, ".result"))


def _size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    args = parser.parse_args()
    archive_dir = "papers-archive"
    started = time.perf_counter()
    files, topics = synthetic_archive(args.papers, archive_dir)
    print(f"made {args.papers:,} SYNTHETIC papers in {time.perf_counter() - started:.1f} s")
    archive_mb = sum(map(len, files.values())) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "_site"
        timings = build(files, topics, archive_dir, out)
        site_bytes, site_files = _size(out)
        index_bytes, index_files = _size(out / "search")
        shards = [p.stat().st_size for p in (out / "search" / "s").iterdir()]
        queries = query_bytes(out)
    print()
    print(f"papers (SYNTHETIC)        {args.papers:,} in {TOPICS} topics over {MONTHS} months")
    print(f"archive (JSON Lines)      {archive_mb:.1f} MB in {len(files)} month files")
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items() if k not in {"total", "cpu"})
    print(f"build, wall clock         {timings['total']:.1f} s ({phases})")
    print(
        f"build, CPU time           {timings['cpu']:.1f} s (load average {os.getloadavg()[0]:.1f})"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"peak RSS                  {own:.0f} MB (this process)")
    print(f"site                      {site_bytes / 1e6:.1f} MB in {site_files:,} files")
    print(f"search index              {index_bytes / 1e6:.1f} MB in {index_files:,} files")
    print(f"largest shard             {max(shards) / 1e3:.0f} KB ({len(shards):,} shards)")
    print()
    if isinstance(queries, str):
        print(f"bytes per query: not measured ({queries})")
        return
    print(f"{'query':24} | {'downloaded':>10} | {'files':>5} | result")
    print(f"{'-' * 24} | {'-' * 10} | {'-' * 5} | {'-' * 30}")
    for query, (size, count, status) in queries.items():
        print(f"{query:24} | {size / 1e3:>7.0f} KB | {count:>5} | {status}")


if __name__ == "__main__":
    main()
