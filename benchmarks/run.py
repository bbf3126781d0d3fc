"""Benchmark daily-papers: setup time, run time beyond arXiv's mandated waits, memory, calls.

Printed as a table; not a test (timings vary by machine).  Each run scenario executes in a
fresh subprocess so its peak RSS is its own.  Scenarios:

* ``setup``: the action's ``scripts/setup-venv.sh`` into a brand-new venv from a warm pip
  cache (the cache is warmed by a first, untimed install).
* ``T topics x 100 papers``: ``daily-papers update --repo … --mode commit`` against the
  loopback fake arXiv (serving the recorded 100-entry page) and the fake GitHub, with the
  arXiv delay 0 and with the real 3 s.  "beyond waits" = wall time minus the waits arXiv's
  terms of use impose (requests - 1) x delay: the cost of everything else.

Usage: ``.venv/bin/python benchmarks/run.py [--quick]`` (``--quick`` skips the 3 s runs of
200 topics, which take over ten minutes by design).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_scenario(topics: int, delay: float) -> dict[str, float]:
    """One ``daily-papers update`` process against fakes served from this process.

    The fakes live in the benchmark process so the child's peak RSS is daily-papers' own;
    the fake GitHub skips its OpenAPI self-check here (the tests do that) so the numbers
    measure daily-papers, not the stand-in.
    """
    from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
    from tests.fakes.github_server import FakeGitHub

    readme = b"# Papers\n\n<!-- daily-papers:start -->\n<!-- daily-papers:end -->\n"
    with FakeArxiv() as arxiv, FakeGitHub(validate=False, validate_requests=False) as github:
        arxiv.serve_feed_for_any_query(
            fixture_bytes("api-2026-all_testing-relevance-start0-max100.xml")
        )
        github.add_repo("octo/papers", {"README.md": readme})
        with tempfile.TemporaryDirectory() as tmp:
            result_path = Path(tmp) / "result.json"
            argv = [sys.executable, "-m", "daily_papers", "update", "README.md"]
            argv += ["--repo", "octo/papers", "--branch", "main", "--mode", "commit"]
            for i in range(topics):
                argv += ["-k", f"topic number {i}"]
            argv += ["--max-count", "100", "--arxiv-url", arxiv.url, "--arxiv-delay", str(delay)]
            argv += ["--arxiv-source", "api"]  # one search per topic: the API path
            argv += ["--api-url", github.url, "--result-json", str(result_path)]
            env = {
                "PATH": os.environ["PATH"],
                "GITHUB_TOKEN": github.token,
                "PYTHONPATH": str(ROOT / "src"),
            }
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            proc = subprocess.run(
                argv, check=False, env=env, cwd=tmp, capture_output=True, text=True
            )
            wall = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if proc.returncode != 0:
                raise SystemExit(f"scenario failed ({proc.returncode}): {proc.stderr}")
            result = json.loads(result_path.read_text(encoding="utf-8"))
        requests = len(arxiv.requests)
        writes = len(github.writes())
        readme_size = len(github.repo("octo/papers").file("README.md") or b"")
    # arXiv's terms: >= delay between requests; PyGithub (GitHub's guidance against secondary
    # rate limits): >= 1 s between two writes.
    mandated = max(requests - 1, 0) * delay + max(writes - 1, 0) * 1.0
    return {
        "status": proc.returncode,
        "wall": wall,
        "mandated": mandated,
        "beyond": wall - mandated,
        "peak_mb": max(peak, before) / 1024,
        "arxiv_requests": requests,
        "github_calls": result["publish"]["api_calls"],
        "readme_mb": readme_size / 1e6,
    }


def setup_time() -> tuple[float, float]:
    """Seconds for scripts/setup-venv.sh into a fresh venv with a warm pip cache."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", tmp),
            "RUNNER_TEMP": tmp,
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_OUTPUT": str(Path(tmp) / "out"),
        }
        script = ROOT / "scripts" / "setup-venv.sh"
        elapsed = 0.0
        for attempt in ("warm", "timed", "reuse"):
            # A brand-new tool cache means a brand-new venv; "reuse" keeps the last one.
            if attempt != "reuse":
                cache = Path(tmp) / f"toolcache-{attempt}"
                env["RUNNER_TOOL_CACHE"] = str(cache)
            started = time.perf_counter()
            subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True)
            elapsed_now = time.perf_counter() - started
            if attempt == "timed":
                elapsed = elapsed_now
            reuse = elapsed_now
        return elapsed, reuse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 200 topics with 3 s delay")
    parser.add_argument("--child", nargs=2, metavar=("TOPICS", "DELAY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # Its own process, so RUSAGE_CHILDREN covers only this scenario's daily-papers run.
        print(json.dumps(run_scenario(int(args.child[0]), float(args.child[1]))))
        return
    fresh, reuse = setup_time()
    rows = [
        ("action setup: fresh venv, warm pip cache", f"{fresh:.2f} s", "", "", "", "", "", ""),
        ("action setup: venv already present", f"{reuse:.2f} s", "", "", "", "", "", ""),
    ]
    scenarios = [(3, 0.0), (200, 0.0), (3, 3.0)]
    if not args.quick:
        scenarios.append((200, 3.0))
    for topics, delay in scenarios:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(topics), str(delay)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        rows.append(
            (
                f"{topics} topics x 100 papers, delay {delay:g} s",
                f"{r['wall']:.2f} s",
                f"{r['mandated']:.2f} s",
                f"{r['beyond']:.2f} s",
                f"{r['peak_mb']:.0f} MB",
                str(r["arxiv_requests"]),
                str(r["github_calls"]),
                f"{r['readme_mb']:.2f} MB (exit {r['status']})",
            )
        )
    header = (
        "scenario",
        "wall",
        "mandated waits",
        "beyond waits",
        "peak RSS",
        "arXiv req.",
        "GitHub calls",
        "README",
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))


if __name__ == "__main__":
    main()
