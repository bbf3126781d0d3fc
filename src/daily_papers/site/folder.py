"""The site folder: which folder daily-papers may empty and refill, and how it does so.

Building the site replaces a folder's contents, so a wrong ``--site-dir`` (``.``, ``docs/``,
``../other-repo``) must never delete what daily-papers did not write.  The folder must lie
strictly inside the working directory, must not be a symbolic link or a repository's root,
and may hold only files the previous build listed in its manifest (:data:`MANIFEST`, written
into the folder).  ``.nojekyll`` alone proves nothing: GitHub Pages users put one in any
folder they serve.

A site written before the manifest existed has none; it is accepted when every entry has the
site writer's layout (``index.html``, ``assets/…``, ``topics/<slug>/…html``, ``search/…``,
``feed.xml``, an empty ``.nojekyll``) and every page carries the generator tag the site
templates have always written.  Anything else is refused, naming one foreign entry.

Rewriting deletes only the files the manifest lists (never ``rmtree``) and the directories
they leave empty, and removes the manifest last; the new manifest is written before the new
files.  A build killed at any moment therefore leaves a folder whose files are all listed,
which the next run accepts.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from daily_papers.errors import ConfigError

__all__ = ["MANIFEST", "check_site_dir", "manifest_bytes", "replace_site"]

#: The list of the files a build wrote, at the folder's root.
MANIFEST = ".daily-papers-site.json"
_MANIFEST_TMP = MANIFEST + ".tmp"
#: Written by the site templates since the site exists: how a page of an older build is known.
_GENERATOR = b'<meta name="generator" content="daily-papers">'
#: The site writer's layout, for a folder built before the manifest existed.
_LEGACY_LAYOUT = re.compile(
    r"\.nojekyll|index\.html|feed\.xml|assets/(site\.css|search\.js|theme\.js)"
    r"|topics/[a-z0-9-]*[0-9a-f]{8}/(index|\d{4}-\d{2})\.html"
    r"|search/(manifest\.json|s/[0-9a-z_-]+\.json|d/\d+\.json)"
)
_INPUT = "--site-dir (action input site-dir)"
_FIX = "Pass a new or empty folder inside the working directory, such as _site."


def _refuse(directory: str, problem: str, fix: str = _FIX) -> ConfigError:
    return ConfigError(f"{_INPUT} {directory!r} {problem}.", fix)


def manifest_bytes(paths: Iterable[str]) -> bytes:
    """The manifest listing ``paths`` (sorted, one per line: byte-stable)."""
    listed = sorted(set(paths) - {MANIFEST})
    return (json.dumps({"daily-papers-site": 1, "files": listed}, indent=0) + "\n").encode()


def _listed(directory: str, data: bytes) -> frozenset[str]:
    """The manifest's files, each a plain relative path (a forged ``../x`` is refused)."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raw = None
    files = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) and _plain(f) for f in files):
        raise _refuse(
            directory,
            f"holds a damaged {MANIFEST}, so what daily-papers wrote there is unknown",
            "Check the folder, delete it if it is only an old site, and run again.",
        )
    return frozenset(files)


def _plain(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and path == "/".join(parts) and not {"", ".", ".."} & set(parts)


def _entries(root: Path) -> tuple[list[str], list[str]]:
    """Every file and every directory below ``root`` (relative, ``/``-separated).

    A symbolic link, device or socket is reported as a file: the site writer never makes one,
    so it is foreign whatever it points at; the walk never follows links.
    """
    files: list[str] = []
    directories: list[str] = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(root / prefix if prefix else root) as scan:
            for entry in scan:
                name = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    directories.append(name)
                    pending.append(name + "/")
                else:
                    files.append(name)
    return sorted(files), sorted(directories)


def _previous_build(root: Path, files: list[str], directories: list[str]) -> list[str]:
    """The entries a previous build did not write, by its manifest or, lacking one, its layout."""
    if MANIFEST in files:
        if _is_special(root / MANIFEST):
            return [MANIFEST]
        listed = _listed(str(root), (root / MANIFEST).read_bytes()) | {MANIFEST, _MANIFEST_TMP}
        foreign = [f for f in files if f not in listed or _is_special(root / f)]
        files = sorted(listed)  # a killed build may have deleted some files, not their folders
    elif files == [_MANIFEST_TMP] and not directories:  # killed before its first manifest
        foreign = [] if not _is_special(root / _MANIFEST_TMP) else [_MANIFEST_TMP]
    else:  # an older build, or killed while listing one's files
        legacy = [f for f in files if f != _MANIFEST_TMP or _is_special(root / f)]
        foreign = [
            f for f in legacy if not _LEGACY_LAYOUT.fullmatch(f) or not _legacy_file(root / f, f)
        ]
        if not foreign and not {"index.html", ".nojekyll"} <= set(legacy):
            foreign = legacy  # the shape of a site, but no page proves it one
    ancestors = {str(parent) for f in files for parent in PurePosixPath(f).parents}
    return foreign + [d for d in directories if d not in ancestors]


def _is_special(path: Path) -> bool:
    """Anything but a regular file (a link, a device): the site writer never makes one."""
    return not stat.S_ISREG(os.lstat(path).st_mode)


def _legacy_file(path: Path, name: str) -> bool:
    """A regular file as the site writer made it: ``.nojekyll`` empty, a page ours."""
    if _is_special(path):
        return False
    if name == ".nojekyll":
        return path.stat().st_size == 0
    if name.endswith(".html"):
        with path.open("rb") as page:
            return _GENERATOR in page.read(4096)
    return True


def _inspect(directory: Path, cwd: Path | None) -> tuple[Path, list[str], list[str]]:
    """The folder, resolved, and the files and directories of the previous build in it (both
    ours, checked); else ConfigError."""
    here = (cwd or Path.cwd()).resolve()
    given = str(directory)
    target = directory if directory.is_absolute() else here / directory
    if target.is_symlink():
        raise _refuse(given, "is a symbolic link; daily-papers never writes through one")
    resolved = target.resolve()
    if resolved == here:
        raise _refuse(given, "is the working directory itself, which building the site would empty")
    if not resolved.is_relative_to(here):
        raise _refuse(given, "is outside the working directory, where the site must be built")
    if os.path.lexists(resolved / ".git"):
        raise _refuse(given, "is the root of a git repository, which building the site would empty")
    if not resolved.exists():
        return resolved, [], []
    if not resolved.is_dir():
        raise _refuse(given, "is a file", "Pass a folder path, such as _site.")
    files, directories = _entries(resolved)
    if not files and not directories:
        return resolved, [], []
    foreign = _previous_build(resolved, files, directories)
    if foreign:
        more = "" if len(foreign) == 1 else f" (and {len(foreign) - 1} more)"
        raise _refuse(
            given,
            f"holds {foreign[0]!r}{more}, which daily-papers did not write and building the "
            "site would delete",
        )
    return resolved, files, directories


def check_site_dir(directory: Path, *, cwd: Path | None = None) -> None:
    """Refuse (ConfigError, exit 2) a site folder that is not daily-papers' own to rewrite.

    Called while the run prepares, before anything is fetched or written, and again by
    :func:`replace_site` just before the folder is rewritten.  ``cwd`` defaults to the
    process's working directory.
    """
    _inspect(directory, cwd)


def replace_site(directory: Path, files: Mapping[str, bytes], *, cwd: Path | None = None) -> None:
    """Replace the site folder's contents with ``files`` (paths relative to its root).

    Checked again first (the folder may have changed since the run started).  Only the files
    that check found to be the previous build's are deleted, so one that appears meanwhile
    survives with its folder; see the module docstring for the order that keeps a killed
    build recoverable.
    """
    root, previous, directories = _inspect(directory, cwd)
    for relative in files:
        if not _plain(relative) or relative == MANIFEST:  # the site writer's bug, not the user's
            raise ValueError(f"the site writer produced the path {relative!r}")
    if previous and MANIFEST not in previous:  # an older build: list its files before deleting
        _write_manifest(root, previous)
    for name in previous:
        if name not in (MANIFEST, _MANIFEST_TMP):
            (root / name).unlink(missing_ok=True)
    for name in sorted(directories, key=lambda d: d.count("/"), reverse=True):
        try:
            (root / name).rmdir()
        except OSError:  # something appeared meanwhile: it stays, and so does its folder
            continue
    root.mkdir(parents=True, exist_ok=True)
    _write_manifest(root, files)
    for relative, data in sorted(files.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _write_manifest(root: Path, paths: Iterable[str]) -> None:
    """Write the manifest by rename, so a kill never leaves half of it."""
    (root / _MANIFEST_TMP).write_bytes(manifest_bytes(paths))
    (root / _MANIFEST_TMP).replace(root / MANIFEST)
