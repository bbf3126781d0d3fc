"""Publishing decisions: commit mode and pull-request mode over a small repository port.

Nothing here knows HTTP or PyGithub.  This module owns the repository port (:class:`RepoPort`)
and its value types; :class:`daily_papers.github.repo.GitHubRepo` implements it, and the tests
run the decisions against an in-memory double.

The caller supplies a *builder* (:data:`Build`): given a reader and a lister of files at one
commit, it returns the :class:`~daily_papers.models.FileChange` list (README, data file,
feed).  Every retry calls it again with both at the new head, so a concurrent edit is re-read
and the README re-rendered from it — old text is never re-sent.

Request counts with a real change (README + data file), as the fake GitHub's log shows them:

* commit mode, branch given: **6** — ``GET branches/{b}`` (commit + tree SHA), ``GET contents``
  ×2, ``POST git/trees`` (contents inline, no blobs), ``POST git/commits``,
  ``PATCH git/refs/heads/{b}``.  Without ``branch`` one more (``GET /repos/{o}/{r}`` for the
  default branch).  Nothing changed: 3 reads, no writes.
* pull-request mode (base given; +1 without): created 10 — the 3 reads, ``POST git/trees``,
  ``GET branches/{pr}`` (404), ``POST git/commits``, ``POST git/refs``, ``GET pulls``,
  ``POST pulls``, ``POST issues/{n}/labels``; updated 10 (``PATCH`` ref and pull instead);
  updated with an identical tree 8 (no commit, no push); closed 6; nothing to do 4.
* a concurrent edit costs one more full round (commit mode: 12).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from daily_papers.errors import GitHubError, GitHubUnreachableError
from daily_papers.models import FileChange

logger = logging.getLogger(__name__)

#: Reads a repository file at the commit being built on; ``None`` when it does not exist.
Reader = Callable[[str], "bytes | None"]
#: Lists the paths of the files directly in a folder at that same commit (none: no folder).
Lister = Callable[[str], Sequence[str]]
#: Builds the file changes from a reader and a lister (re-run on every attempt).
Build = Callable[[Reader, Lister], Sequence[FileChange]]


class NotFastForward(Exception):
    """The branch moved between reading its head and writing; the decisions retry from the new head.

    Raised by a :class:`RepoPort` implementation; it never reaches users.
    """


@dataclass(frozen=True)
class Head:
    """A branch tip: the commit to build on and its tree (the base for the new tree)."""

    branch: str
    commit_sha: str
    tree_sha: str


@dataclass(frozen=True)
class PullRef:
    """An open pull request as publishing reports it."""

    number: int
    url: str  # html_url
    head_sha: str | None


@dataclass(frozen=True)
class IssueRef:
    """An issue as the digest reports it; ``body`` lets the digest recognise its own issues."""

    number: int
    url: str  # html_url
    body: str | None = None


class Operation(str, Enum):
    """What publishing did: the values are the action's ``operation`` output and the JSON's."""

    NONE = "none"
    COMMITTED = "committed"
    CREATED = "created"
    UPDATED = "updated"
    CLOSED = "closed"
    WRITTEN = "written"  # local files

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class PublishResult:
    """The outcome of one publish.

    ``commit_sha`` is the new commit (commit mode) or the PR branch head; ``head_sha`` the head
    of the branch that was written (or the base head when nothing was written); ``warnings``
    are problems that did not stop the publish (a label that could not be added).
    """

    operation: Operation
    commit_sha: str | None = None
    pull_number: int | None = None
    pull_url: str | None = None
    head_sha: str | None = None
    warnings: tuple[str, ...] = ()


class RepoPort(Protocol):
    """The repository operations publishing needs (implemented by ``GitHubRepo``)."""

    @property
    def full_name(self) -> str: ...

    @property
    def default_branch(self) -> str: ...

    @property
    def html_url(self) -> str: ...

    def head(self, branch: str) -> Head: ...

    def find_head(self, branch: str) -> Head | None: ...

    def read_file(self, path: str, ref: str) -> bytes | None: ...

    def list_files(self, directory: str, ref: str) -> tuple[str, ...]: ...

    def create_tree(self, parent: Head, files: Mapping[str, bytes | None]) -> str: ...

    def commit_tree(self, parent: Head, tree_sha: str, message: str) -> str: ...

    def update_branch(self, branch: str, sha: str, *, force: bool) -> None: ...

    def create_branch(self, branch: str, sha: str) -> None: ...

    def delete_branch(self, branch: str) -> None: ...

    def find_open_pull(self, head_branch: str, base: str) -> PullRef | None: ...

    def create_pull(self, base: str, head_branch: str, title: str, body: str) -> PullRef: ...

    def edit_pull(self, number: int, *, title: str, body: str) -> PullRef: ...

    def close_pull(self, number: int) -> None: ...

    def add_labels(self, number: int, labels: Sequence[str]) -> None: ...


def reader_at(repo: RepoPort, sha: str) -> Reader:
    """A reader of files at ``sha``; each path is fetched at most once."""
    cache: dict[str, bytes | None] = {}

    def read(path: str) -> bytes | None:
        if path not in cache:
            cache[path] = repo.read_file(path, sha)
        return cache[path]

    return read


def lister_at(repo: RepoPort, sha: str) -> Lister:
    """A lister of folders at ``sha``, so a build lists the same commit its reader reads."""
    return lambda directory: repo.list_files(directory, sha)


def _changed_files(changes: Sequence[FileChange]) -> dict[str, bytes | None]:
    """Path → new bytes, or ``None`` for a file to delete, for every change that differs."""
    return {c.path: c.new for c in changes if c.changed}


def publish_commit(
    repo: RepoPort,
    build: Build,
    *,
    branch: str | None,
    message: str,
    max_attempts: int = 3,
    head: Head | None = None,
) -> PublishResult:
    """Commit every changed file to ``branch`` (default: the default branch) in one commit.

    Reads at the branch head, builds, and — only if some bytes differ — writes one commit on
    top of that head and moves the branch without force.  When the branch moved meanwhile, the
    update is rejected (non-fast-forward) and the whole read → build → commit runs again from
    the new head, at most ``max_attempts`` times; someone else's change is never overwritten.
    When the answer to the ref update is lost, the branch is read again: at our commit, the
    update happened.  ``head``, when the caller already read it, serves the first attempt.
    """
    target = branch or repo.default_branch
    known = head if head is not None and head.branch == target else None
    for attempt in range(1, max_attempts + 1):
        head = known or repo.head(target)
        known = None
        files = _changed_files(
            tuple(build(reader_at(repo, head.commit_sha), lister_at(repo, head.commit_sha)))
        )
        if not files:
            logger.info("Nothing changed on %s at %s; no commit", target, head.commit_sha[:12])
            return PublishResult(Operation.NONE, head_sha=head.commit_sha)
        tree_sha = repo.create_tree(head, files)
        commit_sha = repo.commit_tree(head, tree_sha, message)
        try:
            repo.update_branch(target, commit_sha, force=False)
        except NotFastForward as exc:
            logger.info(
                "Branch %s moved while publishing (attempt %d/%d: %s); re-reading",
                target,
                attempt,
                max_attempts,
                exc,
            )
            continue
        except GitHubUnreachableError:
            if repo.head(target).commit_sha != commit_sha:
                raise
            logger.info("The answer to the ref update was lost, but %s is at our commit", target)
        logger.info("Committed %s to %s (%s)", commit_sha[:12], target, ", ".join(files))
        return PublishResult(Operation.COMMITTED, commit_sha=commit_sha, head_sha=commit_sha)
    raise GitHubError(
        f"GitHub refused to fast-forward the branch `{target}` of {repo.full_name} "
        f"{max_attempts} times: it kept moving while publishing, and nothing was overwritten.",
        "Another job is pushing to this branch at the same time: add a `concurrency:` group to "
        "the workflow, or re-run it.",
    )


def publish_pull_request(
    repo: RepoPort,
    build: Build,
    *,
    base: str | None,
    pr_branch: str = "daily-papers/update",
    title: str,
    body: Callable[[Sequence[FileChange]], str] | str,
    labels: Sequence[str],
    commit_message: str,
    head: Head | None = None,
) -> PublishResult:
    """Propose the changes as a PR from the fixed branch ``pr_branch`` into ``base``.

    The change is computed from the base head (never from the PR branch).  No difference →
    no PR; a stale open PR from ``pr_branch`` is closed and the branch deleted (``closed``).
    Otherwise one commit on top of the base head; the branch is created or force-updated to it
    (skipped when its tree is already identical); the open PR is edited (``updated``) or a new
    one opened (``created``) and labelled.  If opening the PR fails, the pushed branch is
    deleted again so nothing is left half-published
    (https://github.com/peter-evans/create-pull-request/blob/main/docs/concepts-guidelines.md).
    """
    base_branch = base or repo.default_branch
    if pr_branch == base_branch:
        raise GitHubError(
            f"The pull-request branch `{pr_branch}` is the base branch itself.",
            "Choose another `--pr-branch` (action input `pr-branch`).",
        )
    if head is None or head.branch != base_branch:
        head = repo.head(base_branch)
    changes = tuple(build(reader_at(repo, head.commit_sha), lister_at(repo, head.commit_sha)))
    files = _changed_files(changes)

    def result(
        operation: Operation,
        pull: PullRef | None = None,
        commit_sha: str | None = None,
        warnings: tuple[str, ...] = (),
    ) -> PublishResult:
        return PublishResult(
            operation=operation,
            commit_sha=commit_sha,
            pull_number=pull.number if pull else None,
            pull_url=pull.url if pull else None,
            head_sha=commit_sha or head.commit_sha,
            warnings=warnings,
        )

    if not files:
        existing = repo.find_open_pull(pr_branch, base_branch)
        if existing is None:
            logger.info("Nothing differs from %s; no pull request", base_branch)
            return result(Operation.NONE)
        logger.info("Nothing differs from %s; closing stale PR #%d", base_branch, existing.number)
        repo.close_pull(existing.number)
        repo.delete_branch(pr_branch)
        return result(Operation.CLOSED, existing)

    tree_sha = repo.create_tree(head, files)
    current = repo.find_head(pr_branch)
    if current is not None and current.tree_sha == tree_sha:
        logger.info("Branch %s already holds these changes; not pushing", pr_branch)
        commit_sha = current.commit_sha
    else:
        commit_sha = repo.commit_tree(head, tree_sha, commit_message)
        if current is None:
            repo.create_branch(pr_branch, commit_sha)
        else:
            repo.update_branch(pr_branch, commit_sha, force=True)

    text = body(changes) if callable(body) else body
    existing = repo.find_open_pull(pr_branch, base_branch)
    if existing is not None:
        pull = repo.edit_pull(existing.number, title=title, body=text)
        operation = Operation.UPDATED
    else:
        try:
            pull = _create_pull_once(repo, base_branch, pr_branch, title, text)
        except GitHubError:
            # The branch exists now (pushed or left from before) but no PR does: remove it.
            _delete_quietly(repo, pr_branch)
            raise
        operation = Operation.CREATED

    warnings: tuple[str, ...] = ()
    if labels:
        try:
            repo.add_labels(pull.number, labels)
        except GitHubError as exc:
            # The PR itself is complete; a missing label is not worth failing the run for.
            logger.warning("Could not label PR #%d: %s", pull.number, exc)
            warnings = (f"Could not label pull request #{pull.number}: {exc}",)
    logger.info("Pull request #%d %s: %s", pull.number, operation.value, pull.url)
    return result(operation, pull, commit_sha, warnings)


def _create_pull_once(repo: RepoPort, base: str, branch: str, title: str, body: str) -> PullRef:
    """Open the PR; when its answer is lost, look for it instead of asking twice."""
    try:
        return repo.create_pull(base, branch, title, body)
    except GitHubUnreachableError:
        found = repo.find_open_pull(branch, base)
        if found is None:
            raise
        logger.info("The answer to opening the PR was lost, but PR #%d exists", found.number)
        return found


def _delete_quietly(repo: RepoPort, branch: str) -> None:
    """Undo a branch push after a failed PR; a failure here must not hide the first error."""
    try:
        repo.delete_branch(branch)
    except GitHubError as exc:
        logger.warning("Could not delete branch %s after the failed PR: %s", branch, exc)
