"""Where a run reads its files and writes its changes: a local directory or a repository branch.

The orchestrator sees one :class:`Workspace` and never asks which kind it has.  Every input a
run reads (README, data file, feed, topics file, template) comes through :meth:`Workspace.read`,
so in a repository they come from the branch, as documented, and never from the runner's disk.
:meth:`Workspace.publish` writes every changed file (or deletes it, ``new=None``) in one step:
one commit or one pull request for a repository, atomic renames for a directory.  A dry run
wraps either and writes nowhere.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from daily_papers import publish
from daily_papers.errors import ConfigError, ReadmeError
from daily_papers.models import FileChange
from daily_papers.publish import Build, Head, Operation, PublishResult, RepoPort
from daily_papers.settings import RepositorySettings

logger = logging.getLogger(__name__)

#: Describes the changes for a pull request body.
Describe = Callable[[Sequence[FileChange]], str]


class Workspace(Protocol):
    """A place a run reads from and publishes to."""

    def read(self, path: str) -> bytes | None:
        """The file's bytes as the run starts, or ``None`` when it does not exist."""
        ...

    def list_files(self, directory: str) -> tuple[str, ...]:
        """The paths of the files directly in ``directory`` (none when it does not exist).

        Only the archive's month files are found this way (they, not their index, are the
        truth); every other input is read by its known path.
        """
        ...

    def publish(self, build: Build, describe: Describe) -> PublishResult:
        """Write what ``build`` returns; ``describe`` gives a pull request its body."""
        ...

    def url(self, path: str) -> str | None:
        """Where a person can see ``path`` (a repository page), or ``None`` for local files."""
        ...

    def proposed(self, path: str) -> bytes | None:
        """``path`` as an open proposal (the pull request branch) has it, or ``None``."""
        ...


def check_repository_path(path: str, *, what: str) -> str:
    """A repository path must be relative, without ``..``: one sentence naming it otherwise."""
    parts = path.replace("\\", "/").split("/")
    if not path or path.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise ConfigError(
            f"The {what} path {path!r} must be relative to the repository root, without `..`."
        )
    return path


@dataclass
class LocalWorkspace:
    """Files below ``root``; only regular files are read, and nothing is written outside it."""

    root: Path

    def _resolve(self, path: str) -> Path:
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.root / candidate

    def read(self, path: str) -> bytes | None:
        target = self._resolve(path)
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ReadmeError(f"{path} cannot be read ({exc.strerror}); check it.") from None
        if not stat.S_ISREG(mode) or _is_virtual(target):
            raise ConfigError(
                f"{path} is not a regular file; daily-papers reads only regular files."
            )
        try:
            return target.read_bytes()
        except OSError as exc:
            raise ReadmeError(
                f"{path} cannot be read ({exc.strerror}); check its permissions."
            ) from None

    def list_files(self, directory: str) -> tuple[str, ...]:
        # Every entry but folders: :meth:`read` then refuses what is not a regular file, in
        # one sentence, rather than a month file being skipped without a word.
        try:
            with os.scandir(self._resolve(directory)) as entries:
                names = [e.name for e in entries if not e.is_dir(follow_symlinks=False)]
        except (FileNotFoundError, NotADirectoryError):
            return ()
        except OSError as exc:
            raise ReadmeError(
                f"The folder {directory} cannot be listed ({exc.strerror}); check its permissions."
            ) from None
        return tuple(f"{directory.rstrip('/')}/{name}" for name in sorted(names))

    def publish(self, build: Build, describe: Describe) -> PublishResult:
        changes = [c for c in build(self.read, self.list_files) if c.changed]
        root = self.root.resolve()
        targets = [self._resolve(c.path) for c in changes]
        for change, target in zip(changes, targets, strict=True):
            # Checked for every file before the first is written: all or nothing.
            if not target.resolve().is_relative_to(root):
                raise ConfigError(
                    f"{change.path} is outside the working directory {root}; daily-papers "
                    "writes only inside it.",
                    "Run it from the folder that holds the README, or give paths inside it.",
                )
        for change, target in zip(changes, targets, strict=True):
            _write_atomic(target, change.new)
        return PublishResult(Operation.WRITTEN if changes else Operation.NONE)

    def url(self, path: str) -> str | None:
        return None

    def proposed(self, path: str) -> bytes | None:
        return None


_VIRTUAL_ROOTS = ("/proc", "/sys", "/dev")


def _is_virtual(path: Path) -> bool:
    """Kernel files (``/proc/self/environ``) look regular but hold the process's secrets."""
    resolved = str(path.resolve())
    return any(resolved == root or resolved.startswith(root + "/") for root in _VIRTUAL_ROOTS)


def _write_atomic(path: Path, data: bytes | None) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    if data is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.daily-papers.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class RepositoryWorkspace:
    """A branch of a GitHub repository, published to by commit or by pull request."""

    def __init__(self, repo: RepoPort, settings: RepositorySettings) -> None:
        self._repo = repo
        self._settings = settings
        self.branch = settings.branch or repo.default_branch
        self.head: Head = repo.head(self.branch)
        self._read = publish.reader_at(repo, self.head.commit_sha)

    @property
    def repo(self) -> RepoPort:
        """The repository port (the digest issue is opened through it)."""
        return self._repo

    def read(self, path: str) -> bytes | None:
        return self._read(check_repository_path(path, what="repository file"))

    def list_files(self, directory: str) -> tuple[str, ...]:
        path = check_repository_path(directory, what="repository folder")
        return self._repo.list_files(path, self.head.commit_sha)

    def publish(self, build: Build, describe: Describe) -> PublishResult:
        settings = self._settings
        if settings.mode == "pull-request":
            return publish.publish_pull_request(
                self._repo,
                build,
                base=self.branch,
                pr_branch=settings.pr_branch,
                title=settings.pr_title,
                body=describe,
                labels=settings.labels,
                commit_message=settings.commit_message,
                head=self.head,
            )
        return publish.publish_commit(
            self._repo, build, branch=self.branch, message=settings.commit_message, head=self.head
        )

    def url(self, path: str) -> str | None:
        return f"{self._repo.html_url}/blob/{self.branch}/{path}"

    def proposed(self, path: str) -> bytes | None:
        if self._settings.mode != "pull-request":
            return None
        head = self._repo.find_head(self._settings.pr_branch)
        return None if head is None else self._repo.read_file(path, head.commit_sha)


@dataclass
class DryRun:
    """Reads from ``inner`` and writes nowhere; ``planned`` keeps what would have been written."""

    inner: Workspace
    planned: tuple[FileChange, ...] = ()

    def read(self, path: str) -> bytes | None:
        return self.inner.read(path)

    def list_files(self, directory: str) -> tuple[str, ...]:
        return self.inner.list_files(directory)

    def publish(self, build: Build, describe: Describe) -> PublishResult:
        self.planned = tuple(build(self.inner.read, self.inner.list_files))
        return PublishResult(Operation.NONE)

    def url(self, path: str) -> str | None:
        return self.inner.url(path)

    def proposed(self, path: str) -> bytes | None:
        return self.inner.proposed(path)
