"""The outputs' side of the security review (issue 24): what a run writes and deletes.

The arXiv side is tests/arxiv/test_fault_matrix.py and the shell's tests/test_fault_matrix_shell.py;
this file covers the site folder, the archive, and the site, index and BibTeX writers fed
hostile or unlucky papers.  Every paper made up here is SYNTHETIC.
"""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from daily_papers.archive import Archive, ArchiveRecord
from daily_papers.bibtex import render_bibtex
from daily_papers.defaults import MAX_TOKEN_LENGTH
from daily_papers.errors import ConfigError
from daily_papers.models import Paper
from daily_papers.render import Renderer
from daily_papers.site import render as render_site
from daily_papers.site.folder import MANIFEST, check_site_dir
from daily_papers.site.render import SiteOptions, build_site, write_site
from daily_papers.site.structure import plan_site
from daily_papers.template_context import TABLE_COLUMNS, RenderTopic
from tests.fakes.arxiv_server import FakeArxiv
from tests.papers import synthetic_paper
from tests.site_data import site_files
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]
T = TypeVar("T")
SITE = "https://octo.github.io/papers/"


def snapshot(root: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry below ``root`` (itself included), byte for byte, links not followed."""
    found: dict[str, tuple[str, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                found[key] = ("dir", b"")
            else:
                found[key] = ("file", path.read_bytes())
    return found


def _victim(root: Path) -> Path:
    """A folder somebody cares about, holding a ``.nojekyll`` (which once meant "a site")."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".nojekyll").write_bytes(b"")
    (root / "index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes" / "plan.md").write_text("keep me\n", encoding="utf-8")
    return root


def _refused_before_anything(
    tmp_path: Path, served: FakeArxiv, site_dir: str, protected: Path, expected: str
) -> None:
    """``update --site-dir site_dir`` exits 2 with one sentence, asks arXiv nothing, writes
    nothing and leaves ``protected`` byte for byte."""
    readme = tmp_path / "README.md"
    if not readme.exists():
        readme.write_bytes(README.encode("utf-8"))
    before = snapshot(protected)
    res = run(*update_args(readme, served), "--site-dir", site_dir, "--site-url", SITE)
    assert res.status == 2, res.err
    assert expected in res.err
    assert "--site-dir (action input site-dir)" in res.err
    assert "Traceback" not in res.err
    assert res.err.count("\n") == 1  # one line
    assert served.requests == []
    assert snapshot(protected) == before
    assert readme.read_bytes() == README.encode("utf-8")
    assert not (tmp_path / "daily-papers.json").exists()


def test_site_dir_dot_in_a_repository_with_nojekyll_deletes_nothing(
    tmp_path: Path, served: FakeArxiv
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    _victim(tmp_path)
    for given in (".", str(tmp_path), "./", "notes/.."):
        _refused_before_anything(
            tmp_path, served, given, tmp_path, "is the working directory itself"
        )


def test_a_docs_folder_holding_foreign_files_is_refused(tmp_path: Path, served: FakeArxiv) -> None:
    docs = _victim(tmp_path / "docs")
    _refused_before_anything(
        tmp_path, served, "docs/", docs, "holds 'index.html' (and 1 more), which daily-papers"
    )


def test_a_folder_outside_the_working_directory_is_refused(
    tmp_path: Path, served: FakeArxiv
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    victim = _victim(tmp_path / "victim")
    os.chdir(work)
    _refused_before_anything(work, served, "../victim", victim, "is outside the working directory")
    _refused_before_anything(work, served, str(victim), victim, "is outside the working directory")
    _refused_before_anything(work, served, "../new", tmp_path, "is outside the working directory")


def test_a_symbolic_link_is_refused_even_to_a_real_site(tmp_path: Path, served: FakeArxiv) -> None:
    real = tmp_path / "real-site"
    write_site(real, site_files())
    victim = _victim(tmp_path / "victim")
    (tmp_path / "_site").symlink_to(victim, target_is_directory=True)
    (tmp_path / "_real").symlink_to(real, target_is_directory=True)
    _refused_before_anything(tmp_path, served, "_site", tmp_path, "is a symbolic link")
    _refused_before_anything(tmp_path, served, "_real", tmp_path, "is a symbolic link")
    assert snapshot(victim) == snapshot(_victim(tmp_path / "victim"))


def test_a_link_inside_a_site_is_refused_and_its_target_survives(tmp_path: Path) -> None:
    write_site(Path("_site"), site_files())
    victim = _victim(tmp_path / "victim")
    before = snapshot(victim)
    (tmp_path / "_site" / "topics" / "escape").symlink_to(victim, target_is_directory=True)
    with pytest.raises(ConfigError, match="holds 'topics/escape'"):
        write_site(Path("_site"), site_files())
    assert snapshot(victim) == before


def test_a_nested_repository_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "vendor" / ".git").mkdir(parents=True)
    with pytest.raises(ConfigError, match="is the root of a git repository"):
        check_site_dir(Path("vendor"))
    (tmp_path / "empty-clone").mkdir()
    (tmp_path / "empty-clone" / ".git").write_text("gitdir: ../x\n", encoding="utf-8")  # worktree
    with pytest.raises(ConfigError, match="is the root of a git repository"):
        check_site_dir(Path("empty-clone"))


def test_a_site_is_rewritten_and_what_its_build_did_not_list_is_kept(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"a", ".nojekyll": b"", "old/stale.html": b"x"})
    assert (site / MANIFEST).is_file()
    write_site(site, {"index.html": b"b", ".nojekyll": b""})  # a listed old file is ours
    assert not (site / "old").exists()
    (site / "mine.txt").write_text("mine", encoding="utf-8")
    before = snapshot(site)
    with pytest.raises(ConfigError, match=r"holds 'mine\.txt', which daily-papers did not write"):
        write_site(site, {"index.html": b"c"})
    assert snapshot(site) == before


def test_a_forged_manifest_cannot_reach_outside(tmp_path: Path) -> None:
    victim = _victim(tmp_path / "victim")
    before = snapshot(victim)
    site = tmp_path / "_site"
    site.mkdir()
    for listed in ('["../victim/index.html"]', '["/etc/passwd"]', '"x"', '["a//b"]', "{"):
        (site / MANIFEST).write_text(f'{{"files": {listed}}}', encoding="utf-8")
        with pytest.raises(ConfigError, match=f"holds a damaged {MANIFEST}"):
            write_site(site, {"index.html": b""})
    assert snapshot(victim) == before


def test_a_build_killed_midway_leaves_a_folder_the_next_run_accepts(tmp_path: Path) -> None:
    """The manifest is written before the files and removed after them: whatever prefix of a
    build ran, every file left is listed."""
    files = site_files()
    site = tmp_path / "_site"
    write_site(site, files)
    listed = sorted(p for p in snapshot(site) if (site / p).is_file())
    for index, name in enumerate(listed):  # the old files deleted up to here
        if index % 3 == 0 and name != MANIFEST:
            (site / name).unlink()
    write_site(site, files)  # accepted
    assert (site / "index.html").read_bytes() == files["index.html"]
    for name in list(snapshot(site)):
        if (site / name).is_file() and name != MANIFEST:
            (site / name).unlink()  # only the manifest and empty folders are left
    write_site(site, files)
    assert (site / "index.html").read_bytes() == files["index.html"]


def test_a_site_from_before_the_manifest_is_accepted_if_it_has_the_site_layout(
    tmp_path: Path,
) -> None:
    """Migration: a folder an earlier version wrote (no manifest) is rewritten when every file
    has the site writer's layout and its pages carry the generator tag; else refused."""
    files = site_files()
    legacy = tmp_path / "_site"
    for name, data in files.items():
        (legacy / name).parent.mkdir(parents=True, exist_ok=True)
        (legacy / name).write_bytes(data)
    (legacy / "search" / "s" / "6162.json").write_bytes(b"{}")  # a shard no longer written
    write_site(legacy, files)
    assert (legacy / MANIFEST).is_file()
    assert not (legacy / "search" / "s" / "6162.json").exists()
    (legacy / MANIFEST).unlink()
    (legacy / "topics" / "CNAME").write_text("example.org", encoding="utf-8")
    with pytest.raises(ConfigError, match="holds 'topics/CNAME'"):
        write_site(legacy, files)
    (legacy / "topics" / "CNAME").unlink()
    (legacy / "index.html").write_text("<p>hand-written front page</p>", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"holds 'index\.html'"):
        write_site(legacy, files)


def test_an_empty_nojekyll_alone_is_not_a_site(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".nojekyll").write_bytes(b"")
    (tmp_path / "docs" / "feed.xml").write_text("<feed>mine</feed>", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"holds '.nojekyll' \(and 1 more\)"):
        check_site_dir(Path("docs"))


# --------------------------------------------------------------------- extreme paper shapes


def _every_category() -> str:
    """One character of every Unicode general category but Cs: a lone surrogate cannot come
    from XML nor from the data file, which refuses it."""
    first: dict[str, str] = {}
    for code in range(sys.maxunicode + 1):
        first.setdefault(unicodedata.category(chr(code)), chr(code))
    first.pop("Cs")
    return "".join(first.values())


#: SYNTHETIC fields, each an extreme a hostile or unlucky feed can send.
SHAPES: dict[str, dict[str, object]] = {
    "a 96 KB word": {"title": "w" * 96_000},
    "a 1 MB word": {"title": "a" + "b" * 1_000_000},
    "a 1 MB non-ASCII word": {"abstract": "é" * 500_000 + "𝔮" * 100_000},
    "100 words sharing a 1,000-letter prefix": {
        "abstract": " ".join("p" * 1000 + f"{i:03d}" for i in range(100))
    },
    "100,000 authors": {"authors": tuple(f"Author{i} Name{i}" for i in range(100_000))},
    "a 64,000-letter author": {"authors": ("x" * 64_000,)},
    "deep brackets": {
        "title": "{" * 100_000 + "x" + "}" * 99_999,
        "abstract": "(" * 100_000 + "[" * 100_000 + "<" * 100_000,
        "comment": "https://github.com/a/" + "(" * 100_000,
    },
    "10,000 dollars": {"title": "$" * 10_001, "abstract": "$x" * 10_000 + "\\$" * 10_000},
    "backslashes": {"title": "\\" * 100_001, "abstract": "\\'" * 50_000, "doi": "10.1/x\\"},
    "every Unicode category": {
        "title": _every_category() * 3,
        "abstract": _every_category(),
        "authors": (_every_category(), "Ren\u202ee Bidi"),
        "comment": _every_category(),
        "journal_ref": _every_category(),
    },
    "a 1 MB URL and 100,000 URL starts": {
        "comment": "Code: https://github.com/" + "a" * 1_000_000 + " " + "http://" * 100_000,
        "abstract": "www." * 100_000 + "github.com/ " * 50_000,
        "journal_ref": "Proc. " * 100_000 + "2026",
    },
}


def _papers(shape: str) -> tuple[Paper, ...]:
    return (synthetic_paper(1, **SHAPES[shape]), synthetic_paper(2, title="A quiet neighbour"))


def _shared_long_prefixes() -> tuple[Paper, ...]:
    """SYNTHETIC: 2,400 words sharing a 40-character prefix of 4-byte letters, enough bytes to
    split shards down to it (issue 24: words sharing a 127-letter prefix gave a 271-byte
    shard name and OSError 36)."""
    stem = "𝔮" * 40
    return tuple(
        synthetic_paper(n + 1, abstract=" ".join(f"{stem}{n}x{k}" for k in range(40)))
        for n in range(60)
    )


def _within(seconds: float, what: str, work: Callable[[], T]) -> T:
    """``work()``, failing the test when it takes longer than ``seconds`` or allocates more
    than :data:`_MEMORY_BOUND` at its peak."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    took = time.perf_counter() - started
    assert took < seconds, f"{what} took {took:.1f} s"
    assert peak < _MEMORY_BOUND, f"{what} allocated {peak / 2**20:.0f} MiB"
    return result


#: Peak allocation allowed to one writer on one extreme paper (measured: at most ~110 MiB).
_MEMORY_BOUND = 400 * 2**20
#: Seconds allowed to one writer on one extreme paper (measured: at most ~4 s with tracing,
#: on a shared machine).
_TIME_BOUND = 30.0


def _site_on_disk(papers: tuple[Paper, ...], directory: Path) -> dict[str, bytes]:
    archive = Archive(records=tuple(ArchiveRecord(p, "2026-11-01", ("t",)) for p in papers))
    options = SiteOptions("https://octo.github.io/papers/", "t", "2026-11-26")
    files = build_site(plan_site(archive, ["t"]), options)
    write_site(directory, files)  # a name over 255 bytes fails here with OSError 36
    return files


@pytest.mark.parametrize("shape", [*SHAPES, "words sharing a long prefix"])
def test_every_writer_survives_extreme_papers_in_bounded_time(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site with its index, the README renderer and the BibTeX writer each finish an
    extreme paper within a time and memory bound, without recursion, and write short names."""
    monkeypatch.setattr(render_site, "can_fork_index", lambda: False)  # measure it here
    papers = _shared_long_prefixes() if shape.startswith("words sharing") else _papers(shape)
    site = tmp_path / "s"
    files = _within(_TIME_BOUND, f"site for {shape}", lambda: _site_on_disk(papers, site))
    assert all(len(part.encode()) <= 255 for name in files for part in name.split("/"))
    assert json.loads(files["search/manifest.json"])["max_token"] == MAX_TOKEN_LENGTH
    for name, data in files.items():
        if name.startswith("search/s/"):
            assert all(len(token) <= MAX_TOKEN_LENGTH for token in json.loads(data))
    renderer = Renderer("default", columns=TABLE_COLUMNS)
    readme = _within(
        _TIME_BOUND,
        f"README for {shape}",
        lambda: renderer.render([RenderTopic("t", papers)], last_update="2026-11-26"),
    )
    assert "2611.00001" in readme
    bib = _within(_TIME_BOUND, f"BibTeX for {shape}", lambda: render_bibtex(papers))
    assert bib.count(b"@misc{") == len(papers)
    if shape == "every Unicode category":  # U+202E and the other bidi controls: dropped
        bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        for output in (readme, bib.decode(), *(f.decode() for f in files.values())):
            assert not any(ch in output for ch in bidi)


def test_a_long_word_is_found_by_its_first_characters(tmp_path: Path) -> None:
    """Words past the cap are indexed by their first MAX_TOKEN_LENGTH characters, postings of
    words cut alike merged: the search still finds the paper."""
    long_one = "z" * (MAX_TOKEN_LENGTH + 40)
    papers = (
        synthetic_paper(1, title=long_one + "a"),
        synthetic_paper(2, title=long_one + "b"),
        synthetic_paper(3, title="z" * MAX_TOKEN_LENGTH),
    )
    files = _site_on_disk(papers, tmp_path / "s")
    tokens = {
        token: postings
        for name, data in files.items()
        if name.startswith("search/s/")
        for token, postings in json.loads(data).items()
    }
    assert tokens["z" * MAX_TOKEN_LENGTH] == "0,1,1"  # all three papers, newest first
