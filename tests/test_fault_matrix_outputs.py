"""The outputs' side of the security review (issue 24): what a run writes and deletes.

The arXiv side is tests/arxiv/test_fault_matrix.py and the shell's tests/test_fault_matrix_shell.py;
this file covers the site folder, the archive and the site index's long words; extreme paper
shapes through every writer are tests/test_hostile_shapes.py.  Every paper made up here is
SYNTHETIC.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from daily_papers.archive import (
    INDEX_NAME,
    Archive,
    ArchiveRecord,
    ArchiveUpdate,
    archive_changes,
    load_archive,
)
from daily_papers.defaults import MAX_TOKEN_LENGTH
from daily_papers.errors import ConfigError
from daily_papers.models import Paper
from daily_papers.site.folder import MANIFEST, check_site_dir
from daily_papers.site.render import SiteOptions, build_site, write_site
from daily_papers.site.structure import plan_site
from tests.fakes.arxiv_server import FakeArxiv
from tests.papers import synthetic_paper
from tests.site_data import site_files
from tests.test_cli_remote import World, world
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served", "world"]
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


# --------------------------------------------------------------------- the site index

# Extreme paper shapes through every writer (site, index, README, Atom, digest, BibTeX, bidi
# controls, shard names) are tests/test_hostile_shapes.py.


def _site_on_disk(papers: tuple[Paper, ...], directory: Path) -> dict[str, bytes]:
    archive = Archive(records=tuple(ArchiveRecord(p, "2026-11-01", ("t",)) for p in papers))
    options = SiteOptions("https://octo.github.io/papers/", "t", "2026-11-26")
    files = build_site(plan_site(archive, ["t"]), options)
    write_site(directory, files)  # a name over 255 bytes fails here with OSError 36
    return files


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


# ------------------------------------------------------------------------- the archive

ARCHIVE = "papers-archive"
SEPTEMBER = ArchiveRecord(synthetic_paper(900, title="September only"), "2026-09-30", ("gone",))
OCTOBER = ArchiveRecord(synthetic_paper(901, title="October only"), "2026-10-02", ("alpha",))
NOVEMBER = ArchiveRecord(synthetic_paper(902, title="November only"), "2026-11-03", ("beta",))


def _filed(*records: ArchiveRecord) -> bytes:
    return archive_changes(
        ArchiveUpdate(Archive(records), frozenset(r.month for r in records)), {}, archive_dir="a"
    )[f"a/{records[0].month}.jsonl"]


def _archive_beyond_the_data_file() -> dict[str, bytes]:
    """SYNTHETIC: an archive of three months whose papers the data file no longer shows (it
    keeps only each topic's newest); the run (2026-11-26) files its papers into November, so
    November is touched and September and October are not."""
    return {
        f"{ARCHIVE}/2026-09.jsonl": _filed(SEPTEMBER),
        f"{ARCHIVE}/2026-10.jsonl": _filed(OCTOBER),
        f"{ARCHIVE}/2026-11.jsonl": _filed(NOVEMBER),
        f"{ARCHIVE}/{INDEX_NAME}": b'[\n  "2026-09",\n  "2026-10",\n  "2026-11"\n]\n',
    }


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _archived_ids(files: Mapping[str, bytes | None]) -> set[str]:
    months = {p: d for p, d in files.items() if p.startswith(f"{ARCHIVE}/2")}
    return {r.paper.id for r in load_archive(months, archive_dir=ARCHIVE).records}


def _assert_nothing_lost(before: dict[str, bytes], after: Mapping[str, bytes | None]) -> None:
    """Every paper archived before is archived still, the untouched months byte for byte,
    and the index lists every month file."""
    assert _archived_ids(before) <= _archived_ids(after)
    for month in ("2026-09", "2026-10"):
        path = f"{ARCHIVE}/{month}.jsonl"
        assert after[path] == before[path]
    november = after[f"{ARCHIVE}/2026-11.jsonl"]
    assert november is not None
    assert before[f"{ARCHIVE}/2026-11.jsonl"] in november  # kept, with today's papers after it
    index = after[f"{ARCHIVE}/{INDEX_NAME}"]
    assert index is not None
    assert json.loads(index) == ["2026-09", "2026-10", "2026-11"]


#: Each way months.json was found lost or wrong, and what the warning says about it.
INDEX_FAULTS = [
    (None, "is missing"),
    (b'["2026-1', "is not valid JSON"),
    (b"[" * 100_000, "is not valid JSON"),
    (b"\xff\xfe", "is not valid JSON"),
    (b'{"months": 2}', "is not a list of YYYY-MM months"),
    (b'["2026-08", "2026-09", "2026-10", "2026-11"]', "lists 2026-08, but"),
    (b'["2026-11"]', "leaves out 2026-09, whose file papers-archive/2026-09.jsonl exists"),
]


@pytest.mark.parametrize(("index", "said"), INDEX_FAULTS)
def test_a_lost_or_wrong_archive_index_is_rebuilt_from_the_month_files(
    tmp_path: Path, served: FakeArxiv, index: bytes | None, said: str
) -> None:
    """Issue 24: after deleting months.json as the error told, a touched month was rewritten
    with the data file's papers only (one paper gone for good) and an untouched month dropped
    out of the index and the site."""
    before = _archive_beyond_the_data_file()
    damaged = {**before, f"{ARCHIVE}/{INDEX_NAME}": index}
    _write(tmp_path, {k: v for k, v in damaged.items() if v is not None})
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    args = ["--archive", ARCHIVE, "--site-dir", "_site", "--site-url", SITE]
    res = run(*update_args(readme, served), *args)
    assert res.status == 0, res.err
    assert f"warning: Archive index {ARCHIVE}/{INDEX_NAME} {said}" in res.err
    rewritten = f"; it is rewritten from the 3 month files found in {ARCHIVE}/ (the month files"
    assert rewritten + " hold every paper; the index only lists them).\n" in res.err
    after = {path: (tmp_path / path).read_bytes() for path in before}
    _assert_nothing_lost(before, after)
    site = tmp_path / "_site"
    search = "".join(p.read_text("utf-8") for p in site.rglob("*.json") if p.is_file())
    for record in (SEPTEMBER, OCTOBER, NOVEMBER):
        assert record.paper.title in search
    (gone,) = (site / "topics").glob("gone-*/index.html")  # a topic no longer followed
    assert SEPTEMBER.paper.title in gone.read_text("utf-8")
    again = run(*update_args(readme, served), *args)
    assert again.status == 0, again.err
    assert "Archive index" not in again.err  # rebuilt once, then in step
    assert {path: (tmp_path / path).read_bytes() for path in before} == after


def test_a_deleted_archive_index_is_rebuilt_through_the_github_adapter(world: World) -> None:
    """The same through the API: the month files are found by listing the folder."""
    before = _archive_beyond_the_data_file()
    world.repo.commit_as_other_user(
        "main", {k: v for k, v in before.items() if not k.endswith(INDEX_NAME)}
    )
    res = world.run("--archive", ARCHIVE)
    assert res.status == 0, res.err
    assert f"Archive index {ARCHIVE}/{INDEX_NAME} is missing; it is rewritten from the 3" in res.err
    after: dict[str, bytes | None] = {path: world.repo.file(path) for path in before}
    _assert_nothing_lost(before, after)
    assert world.run("--archive", ARCHIVE).status == 0
    assert world.repo.file(f"{ARCHIVE}/{INDEX_NAME}") == after[f"{ARCHIVE}/{INDEX_NAME}"]


def test_a_new_archive_starts_without_a_warning(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--archive", ARCHIVE)
    assert res.status == 0, res.err
    assert "Archive index" not in res.err
    assert json.loads((tmp_path / ARCHIVE / INDEX_NAME).read_bytes()) == ["2026-11"]


#: Edits of October's line (untouched by the run), and the field the one sentence names.
MONTH_FAULTS = [
    (b'"version":1', b'"version":true', "'paper.version' is not a whole number from 1"),
    (b'"version":1', b'"version":1.0', "'paper.version' is not a whole number from 1"),
    (b'"version":1', b'"version":' + b"9" * 5000, "'(line)' is not valid JSON"),
    (b'"id":"2611.00901"', b'"id":"../../etc"', "'paper.id' is not an arXiv id"),
    (b'"id":"2611.00901"', b'"id":"2611.00901\\r\\n::error::x"', "'paper.id' is not an arXiv id"),
    (b'"title":"October only"', b'"title":"\\ud800"', "'paper.title' is not a string"),
    (b'"abs_url":"https://arxiv.org/abs/2611.00901v1"', b'"abs_url":null', "'paper.abs_url'"),
    (b'"updated":"2026-12-09T22:30:00Z"', b'"updated":"2026-12-09"', "'paper.updated' is not"),
    (b'"first_shown":"2026-10-02"', b'"first_shown":"2026-11-02"', "'first_shown' is not in"),
    (b'"topics":["alpha"]', b'"topics":"alpha"', "'topics' is not a non-empty list"),
    (b"{", b"[" * 100_000 + b"{", "'(line)' is not valid JSON"),
    (b"}\n", b"}", "'(line)' does not end with a newline"),
]


@pytest.mark.parametrize(("edit", "into", "said"), MONTH_FAULTS)
def test_a_damaged_month_file_stops_the_run_with_one_sentence(
    tmp_path: Path, served: FakeArxiv, edit: bytes, into: bytes, said: str
) -> None:
    """Issue 24: the archive was checked less strictly than the data file (``version: true``
    and bad ids were read, some edits gave a traceback).  Now: exit 2, one sentence naming the
    file, line and field and the fix, nothing written (the damaged file kept for repair)."""
    files = _archive_beyond_the_data_file()
    path = f"{ARCHIVE}/2026-10.jsonl"
    assert edit in files[path]
    files[path] = files[path].replace(edit, into, 1)
    _write(tmp_path, files)
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    before = snapshot(tmp_path)
    site = ["--site-dir", "_site", "--site-url", SITE]
    res = run(*update_args(readme, served), "--archive", ARCHIVE, *site)
    assert res.status == 2, res.err
    assert "Traceback" not in res.err
    (sentence,) = [line for line in res.err.splitlines() if line.startswith("error:")]
    assert sentence.startswith(f"error: Archive file {path} line 1: field {said}"), res.err
    assert sentence.endswith(". Fix that line or restore the file from the repository's history.")
    assert snapshot(tmp_path) == before
