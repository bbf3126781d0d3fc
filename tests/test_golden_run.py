"""Every file a run writes, byte for byte, against goldens made before the package redesign.

Two days of ``update`` on recorded API pages with every output switched on (README with all
columns, data file, Atom feed, BibTeX, archive, site) must write exactly what the code wrote
before its modules were regrouped: a refactor changes no byte a user sees.  Small files are
kept whole in ``tests/golden/run/``; the site's many files by SHA-256 in ``site.sha256``.
To accept a deliberate change, run ``python -m tests.test_golden_run`` and review the diff.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from datetime import date
from pathlib import Path

from daily_papers import cli
from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes

GOLDEN = Path(__file__).resolve().parent / "golden" / "run"
START, END = marker_lines()
README = "# Papers\n\nMy own text.\n\n" + START + "\n" + END + "\n\nAfter the block.\n"
DAY_ONE = {
    "alpha": "api-2026-all_testing-relevance-start0-max10.xml",
    "beta": "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml",
}
DAY_TWO = {
    "alpha": "api-2026-all_testing-relevance-start5-max10.xml",
    "beta": "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml",
    "gamma": "api-2026-all_testing-relevance-start10-max10-page2.xml",
}
WHOLE = ("README.md", "daily-papers.json", "feed.xml", "papers.bib")


def _update(root: Path, topics: dict[str, str], today: date) -> None:
    with FakeArxiv() as fake:
        for name, fixture in topics.items():
            fake.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
        _run(root, fake.url, topics, today)


def _run(root: Path, arxiv_url: str, topics: dict[str, str], today: date) -> None:
    argv = ["update", str(root / "README.md"), "--arxiv-url", arxiv_url, "--arxiv-delay", "0"]
    argv += ["--arxiv-source", "api", "--max-count", "6", "--feed", str(root / "feed.xml")]
    argv += ["--bibtex", str(root / "papers.bib"), "--archive", str(root / "archive")]
    argv += ["--site-dir", str(root / "_site"), "--site-url", "https://octo.github.io/papers/"]
    argv += ["--columns", "title,date,abstract,comment,code,venue,authors,categories"]
    for name in topics:
        argv += ["-k", name]
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(argv, {}, stdout=out, stderr=err, today=today)
    assert status == 0, err.getvalue()


def written(root: Path) -> dict[str, bytes]:
    """The two days' files: small ones whole, the site as one SHA-256 line per file."""
    (root / "README.md").write_text(README, encoding="utf-8")
    here = Path.cwd()
    os.chdir(root)  # the run writes only inside its working directory
    try:
        _update(Path(), DAY_ONE, date(2026, 11, 26))
        _update(Path(), DAY_TWO, date(2026, 11, 27))
    finally:
        os.chdir(here)
    files = {name: (root / name).read_bytes() for name in WHOLE}
    for path in sorted((root / "archive").iterdir()):
        files[f"archive/{path.name}"] = path.read_bytes()
    site = root / "_site"
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(site).as_posix()}\n"
        for p in sorted(site.rglob("*"))
        if p.is_file()
    ]
    files["site.sha256"] = "".join(lines).encode()
    return files


def test_every_written_file_is_byte_identical_to_the_golden(tmp_path: Path) -> None:
    files = written(tmp_path)
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(files) == sorted(golden)
    for name, content in files.items():
        assert content == golden[name], f"{name} differs from tests/golden/run/{name}"


if __name__ == "__main__":  # regenerate: python -m tests.test_golden_run
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        files = written(Path(tmp))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, content in files.items():
        (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / name).write_bytes(content)
    sys.stdout.write(f"wrote {len(files)} golden files to {GOLDEN}\n")
