"""Publishing decisions: commit mode and pull-request mode over a small repository port.

Nothing here knows HTTP or PyGithub: :class:`RepoPort` is the handful of operations
:class:`daily_papers.github_repo.GitHubRepo` offers, so the decisions can be tested against the
fake GitHub server or an in-memory double.

The caller supplies a *builder* (:data:`Build`): given a reader for files at one commit, it
returns the :class:`~daily_papers.models.FileChange` list (README, data file, feed).  Every
retry calls it again with a reader at the new head, so a concurrent edit is re-read and the
README re-rendered from it — old text is never re-sent (notes/lessons-from-anchors.md §4).

Request counts with a real change (README + data file; ``api_calls`` in the result):

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

from daily_papers.errors import GitHubError
from daily_papers.github_repo import Head, NotFastForward, PullRef, protected_branch_error
from daily_papers.models import FileChange

logger = logging.getLogger(__name__)

#: GitHub rejects PR and issue bodies longer than this many characters.
MAX_BODY_CHARS = 65_536

#: Reads a repository file at the commit being built on; ``None`` when it does not exist.
Reader = Callable[[str], "bytes | None"]
#: Builds the file changes from a reader (re-run on every attempt).
Build = Callable[[Reader], Sequence[FileChange]]


class Operation(Enum):
    """What publishing did (the action's ``operation`` output uses the values)."""

    NONE = "none"
    COMMITTED = "committed"
    CREATED = "created"
    UPDATED = "updated"
    CLOSED = "closed"


@dataclass(frozen=True)
class PublishResult:
    """The outcome of one publish.

    ``operation`` is an :class:`Operation` value; ``changes`` is everything the builder returned
    on the final attempt (check ``FileChange.changed``); ``commit_sha`` is the new commit (commit
    mode) or the PR branch head; ``head_sha`` is the head of the branch that was written (or
    the base head when nothing was written); ``api_calls`` counts this publish's requests.
    """

    operation: str
    changes: tuple[FileChange, ...]
    commit_sha: str | None
    branch: str
    pull_number: int | None
    pull_url: str | None
    head_sha: str | None
    api_calls: int
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when something was committed or a PR was opened/updated."""
        return self.operation in (
            Operation.COMMITTED.value,
            Operation.CREATED.value,
            Operation.UPDATED.value,
        )


class RepoPort(Protocol):
    """The repository operations publishing needs (implemented by ``GitHubRepo``)."""

    @property
    def full_name(self) -> str: ...

    @property
    def default_branch(self) -> str: ...

    @property
    def html_url(self) -> str: ...

    @property
    def api_calls(self) -> int: ...

    def head(self, branch: str) -> Head: ...

    def find_head(self, branch: str) -> Head | None: ...

    def read_file(self, path: str, ref: str) -> bytes | None: ...

    def create_tree(self, parent: Head, files: Mapping[str, bytes]) -> str: ...

    def commit_tree(self, parent: Head, tree_sha: str, message: str) -> str: ...

    def update_branch(self, branch: str, sha: str, *, force: bool) -> None: ...

    def create_branch(self, branch: str, sha: str) -> None: ...

    def delete_branch(self, branch: str) -> None: ...

    def find_open_pull(self, head_branch: str, base: str) -> PullRef | None: ...

    def create_pull(self, base: str, head_branch: str, title: str, body: str) -> PullRef: ...

    def edit_pull(self, number: int, *, title: str, body: str) -> PullRef: ...

    def close_pull(self, number: int) -> None: ...

    def add_labels(self, number: int, labels: Sequence[str]) -> None: ...

    def compare_url(self, base: str, head: str) -> str: ...


def _reader_at(repo: RepoPort, sha: str) -> Reader:
    """A reader of files at ``sha``; each path is fetched at most once."""
    cache: dict[str, bytes | None] = {}

    def read(path: str) -> bytes | None:
        if path not in cache:
            cache[path] = repo.read_file(path, sha)
        return cache[path]

    return read


def _changed_files(changes: Sequence[FileChange]) -> dict[str, bytes]:
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
    A rejection while the head did *not* move is branch protection: the error suggests PR mode.
    ``head``, when the caller already read it (to validate the README before fetching arXiv),
    serves the first attempt so it is not requested twice.
    """
    start = repo.api_calls
    target = branch or repo.default_branch
    rejected_parent: str | None = None
    known = head if head is not None and head.branch == target else None
    for attempt in range(1, max_attempts + 1):
        head = known or repo.head(target)
        known = None
        if rejected_parent is not None and head.commit_sha == rejected_parent:
            raise protected_branch_error(
                target, "the update was refused but the branch did not move"
            )
        changes = tuple(build(_reader_at(repo, head.commit_sha)))
        files = _changed_files(changes)
        if not files:
            logger.info("Nothing changed on %s at %s; no commit", target, head.commit_sha[:12])
            return PublishResult(
                operation=Operation.NONE.value,
                changes=changes,
                commit_sha=None,
                branch=target,
                pull_number=None,
                pull_url=None,
                head_sha=head.commit_sha,
                api_calls=repo.api_calls - start,
            )
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
            rejected_parent = head.commit_sha
            continue
        logger.info("Committed %s to %s (%s)", commit_sha[:12], target, ", ".join(files))
        return PublishResult(
            operation=Operation.COMMITTED.value,
            changes=changes,
            commit_sha=commit_sha,
            branch=target,
            pull_number=None,
            pull_url=None,
            head_sha=commit_sha,
            api_calls=repo.api_calls - start,
        )
    raise GitHubError(
        f"The branch `{target}` of {repo.full_name} kept moving while publishing "
        f"({max_attempts} attempts); nothing was overwritten.",
        "Another job is pushing to this branch at the same time: add a `concurrency:` group to "
        "the workflow, or re-run it.",
    )


def truncate_body(body: str, readme_url: str, limit: int = MAX_BODY_CHARS) -> str:
    """``body`` cut to ``limit`` characters at a line break, ending with a README link."""
    if len(body) <= limit:
        return body
    note = f"\n\n…the list is truncated here (GitHub's body limit); see the [README]({readme_url})."
    cut = body[: max(0, limit - len(note))]
    newline = cut.rfind("\n")
    if newline > 0:
        cut = cut[:newline]
    logger.warning(
        "Pull request body truncated from %d to %d characters", len(body), len(cut + note)
    )
    return cut + note


def _readme_url(repo: RepoPort, branch: str, changes: Sequence[FileChange]) -> str:
    paths = [c.path for c in changes]
    readme = next((p for p in paths if p.rsplit("/", 1)[-1].lower().startswith("readme")), None)
    path = readme or (paths[0] if paths else "")
    return f"{repo.html_url}/blob/{branch}/{path}" if path else repo.html_url


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
    start = repo.api_calls
    base_branch = base or repo.default_branch
    if pr_branch == base_branch:
        raise GitHubError(
            f"The pull-request branch `{pr_branch}` is the base branch itself.",
            "Choose another `--pr-branch` (action input `pr-branch`).",
        )
    if head is None or head.branch != base_branch:
        head = repo.head(base_branch)
    changes = tuple(build(_reader_at(repo, head.commit_sha)))
    files = _changed_files(changes)

    def result(
        operation: Operation,
        pull: PullRef | None = None,
        commit_sha: str | None = None,
        warnings: tuple[str, ...] = (),
    ) -> PublishResult:
        return PublishResult(
            operation=operation.value,
            changes=changes,
            commit_sha=commit_sha,
            branch=pr_branch,
            pull_number=pull.number if pull else None,
            pull_url=pull.url if pull else None,
            head_sha=commit_sha or head.commit_sha,
            api_calls=repo.api_calls - start,
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
    text = truncate_body(text, _readme_url(repo, base_branch, changes))
    existing = repo.find_open_pull(pr_branch, base_branch)
    if existing is not None:
        pull = repo.edit_pull(existing.number, title=title, body=text)
        operation = Operation.UPDATED
    else:
        try:
            pull = repo.create_pull(base_branch, pr_branch, title, text)
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


def _delete_quietly(repo: RepoPort, branch: str) -> None:
    """Undo a branch push after a failed PR; a failure here must not hide the first error."""
    try:
        repo.delete_branch(branch)
    except GitHubError as exc:
        logger.warning("Could not delete branch %s after the failed PR: %s", branch, exc)
