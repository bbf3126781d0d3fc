"""An in-memory double of :class:`daily_papers.publish.RepoPort` for the publishing decisions.

It keeps real git-like state (commits with trees and parents, branches, pull requests) so the
decision tests assert outcomes, not call sequences.  ``before`` hooks let a test move a branch
between a read and a write (a race) or lose the answer to a write after it took effect.  The
HTTP-level behaviour of GitHub is the job of ``tests/fakes/github_server.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from daily_papers.errors import GitHubError, GitHubUnreachableError
from daily_papers.publish import Head, NotFastForward, PullRef

Files = dict[str, bytes]


def _sha(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()


@dataclass
class Pull:
    """A pull request as the double stores it."""

    number: int
    base: str
    head: str
    title: str
    body: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)


class MemoryRepo:
    """Branches of commits of whole-file trees, plus pull requests."""

    full_name = "octo/papers"
    html_url = "https://github.com/octo/papers"

    def __init__(self, files: Mapping[str, bytes], *, default_branch: str = "main") -> None:
        self.default_branch = default_branch
        self.trees: dict[str, Files] = {}
        self.commits: dict[str, tuple[str, str | None, str]] = {}  # sha -> tree, parent, msg
        self.branches: dict[str, str] = {}
        self.pulls: list[Pull] = []
        self.writes: list[str] = []
        #: Called with the operation name before it runs; may raise or change state.
        self.before: dict[str, Callable[[], None]] = {}
        #: Operations whose answer is lost *after* they took effect.
        self.lose_answer: set[str] = set()
        self.label_error: GitHubError | None = None
        root = self._tree(dict(files))
        self.branches[default_branch] = self._commit(root, None, "initial")

    # -- helpers for tests ---------------------------------------------------------------

    def _tree(self, files: Files) -> str:
        sha = _sha("tree", sorted(files.items()))
        self.trees[sha] = files
        return sha

    def _commit(self, tree: str, parent: str | None, message: str) -> str:
        sha = _sha("commit", tree, parent, message, len(self.commits))
        self.commits[sha] = (tree, parent, message)
        return sha

    def files(self, branch: str) -> Files:
        """The files at the tip of ``branch``."""
        return self.trees[self.commits[self.branches[branch]][0]]

    def push_other(self, branch: str, changes: Mapping[str, bytes]) -> None:
        """Someone else commits to ``branch``."""
        files = {**self.files(branch), **changes}
        self.branches[branch] = self._commit(self._tree(files), self.branches[branch], "other")

    def _hook(self, name: str) -> None:
        hook = self.before.get(name)
        if hook is not None:
            hook()

    def _answer(self, name: str) -> None:
        if name in self.lose_answer:
            self.lose_answer.discard(name)
            raise GitHubUnreachableError(f"Could not reach the GitHub API while {name}.")

    # -- RepoPort ------------------------------------------------------------------------

    def head(self, branch: str) -> Head:
        found = self.find_head(branch)
        if found is None:
            raise GitHubError(f"The branch `{branch}` was not found.", status=404)
        return found

    def find_head(self, branch: str) -> Head | None:
        sha = self.branches.get(branch)
        return None if sha is None else Head(branch, sha, self.commits[sha][0])

    def read_file(self, path: str, ref: str) -> bytes | None:
        return self.trees[self.commits[ref][0]].get(path)

    def list_files(self, directory: str, ref: str) -> tuple[str, ...]:
        prefix = directory.rstrip("/") + "/"
        tree = self.trees[self.commits[ref][0]]
        return tuple(
            sorted(p for p in tree if p.startswith(prefix) and "/" not in p[len(prefix) :])
        )

    def create_tree(self, parent: Head, files: Mapping[str, bytes | None]) -> str:
        self.writes.append("create_tree")
        merged = dict(self.trees[parent.tree_sha])
        for path, data in files.items():
            if data is None:
                merged.pop(path, None)
            else:
                merged[path] = data
        return self._tree(merged)

    def commit_tree(self, parent: Head, tree_sha: str, message: str) -> str:
        self.writes.append("commit_tree")
        return self._commit(tree_sha, parent.commit_sha, message)

    def update_branch(self, branch: str, sha: str, *, force: bool) -> None:
        self._hook("update_branch")
        self.writes.append("update_branch")
        current = self.branches[branch]
        if not force and self.commits[sha][1] != current:
            raise NotFastForward(branch)
        self.branches[branch] = sha
        self._answer("update_branch")

    def create_branch(self, branch: str, sha: str) -> None:
        self.writes.append("create_branch")
        self.branches[branch] = sha

    def delete_branch(self, branch: str) -> None:
        self.writes.append("delete_branch")
        self.branches.pop(branch, None)

    def find_open_pull(self, head_branch: str, base: str) -> PullRef | None:
        for pull in self.pulls:
            if pull.state == "open" and pull.head == head_branch and pull.base == base:
                return self._ref(pull)
        return None

    def _ref(self, pull: Pull) -> PullRef:
        url = f"{self.html_url}/pull/{pull.number}"
        return PullRef(pull.number, url, self.branches.get(pull.head))

    def create_pull(self, base: str, head_branch: str, title: str, body: str) -> PullRef:
        self._hook("create_pull")
        self.writes.append("create_pull")
        pull = Pull(len(self.pulls) + 1, base, head_branch, title, body)
        self.pulls.append(pull)
        self._answer("create_pull")
        return self._ref(pull)

    def edit_pull(self, number: int, *, title: str, body: str) -> PullRef:
        self.writes.append("edit_pull")
        pull = self.pulls[number - 1]
        pull.title, pull.body = title, body
        return self._ref(pull)

    def close_pull(self, number: int) -> None:
        self.writes.append("close_pull")
        self.pulls[number - 1].state = "closed"

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        if self.label_error is not None:
            raise self.label_error
        self.writes.append("add_labels")
        self.pulls[number - 1].labels.extend(labels)
