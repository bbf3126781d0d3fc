"""A stateful fake of the GitHub REST API on loopback, for PyGithub-driven tests.

Why: the action publishes through the REST API only (no checkout, no ``git push``), so its tests
need a server that keeps real state (a little git object store, refs, pulls, issues, labels),
answers with today's JSON shapes, status codes, error bodies and headers, and can be told to
fail the way GitHub fails. Reference: ``notes/github-api.md`` (copied facts, cited inline).

Quick start (the ``fake_github`` pytest fixture does the first and last line)::

    fake = FakeGitHub().start()            # real HTTP server on 127.0.0.1:<random port>
    repo = fake.add_repo("octo/papers", {"README.md": b"# hi\\n"})
    gh = github.Github(base_url=fake.url, auth=github.Auth.Token(fake.token),
                       seconds_between_requests=0, seconds_between_writes=0, retry=None)
    ...                                    # drive the code under test
    assert repo.file("README.md") == b"..."
    assert len(fake.writes()) == 4
    fake.stop()

Constructor — ``FakeGitHub(*, token="test-token", token_kind="actions", api_prefix="",
validate=True, validate_requests=True, large_file_threshold=1_000_000, per_page_default=30)``

- ``.url``: base URL for ``Github(base_url=...)``, e.g. ``http://127.0.0.1:PORT`` or, with
  ``api_prefix="/api/v3"`` (GHES mode), ``http://127.0.0.1:PORT/api/v3``.
- ``.token``: requests must send ``Authorization: token <token>`` or ``Bearer <token>``;
  anything else → 401 ``Bad credentials``.
- ``.token_kind``: ``"actions"`` (GITHUB_TOKEN, github-actions[bot]), ``"app"`` (an App
  installation token) or ``"pat"``. Decides commit verification (notes §3): a commit created
  through the Git Data or Contents API **without** author/committer by an actions/app token is
  ``verified: true, reason: "valid"``; anything else is ``verified: false, reason: "unsigned"``.
- ``.token_permissions``: dict scope → ``"write" | "read" | "none"`` for scopes ``contents``,
  ``pull_requests``, ``issues`` (default all ``"write"``). Requests beyond it answer 403
  ``Resource not accessible by integration`` (a fork-triggered or ``permissions:``-restricted
  token). ``GET /repos/{o}/{r}`` (metadata) is always allowed. Adding labels to a PR is allowed
  with ``issues`` or ``pull_requests`` write.
- ``.large_file_threshold``: files strictly larger answer ``content: ""``, ``encoding: "none"``
  on the contents/readme endpoints (read them through ``GET git/blobs/{sha}``).
- ``.actions_can_create_prs`` (default True): False → ``POST /pulls`` answers the 403
  ``GitHub Actions is not permitted to create or approve pull requests.``

State set-up and assertions

- ``add_repo(full_name, files: dict[str, bytes | str], *, default_branch="main",
  private=False) -> FakeRepo`` — one initial commit holding ``files`` on ``default_branch``.
- ``repo(full_name) -> FakeRepo``.
- ``FakeRepo``: ``.full_name``, ``.owner``, ``.name``, ``.default_branch``,
  ``file(path, branch=None) -> bytes | None`` (branch name or commit sha),
  ``files(branch=None) -> dict[str, bytes]``, ``branch_sha(branch) -> str | None``,
  ``branches() -> list[str]``, ``commits(branch=None) -> list[CommitRecord]`` (first-parent
  history, newest first), ``commit(sha) -> CommitRecord``, ``.pulls -> list[PullRecord]``,
  ``pull(number)``, ``.issues -> list[IssueRecord]`` (real issues only, not PRs),
  ``issue(number)``, ``.labels -> dict[str, LabelRecord]``,
  ``commit_as_other_user(branch, files, message="Edit by someone else", deletions=()) -> str``
  (a concurrent human edit; returns the new head sha),
  ``create_branch(branch, from_branch=None) -> str``,
  ``move_branch_before_next_write(branch, files=None, message=...)`` — right before the next
  ref PATCH / contents PUT / contents DELETE that targets ``branch``, commit ``files`` (default
  ``{"CONCURRENT.md": b"edited meanwhile\\n"}``) as another user, so a non-forced ref update
  fails 422 non-fast-forward; for a contents PUT pass the same path to get the 409,
  ``protect_branch(branch)`` — protected-branch rejection: ref PATCH → 422
  ``Protected branch update failed for refs/heads/<b>.``, contents PUT → 409
  ``Could not update file: 1 of 1 required status checks are expected.`` (see comments at
  ``_protected_ref_error``: message texts are from field reports, the status codes are unverified),
  ``add_pull(head, base, title, *, body="", state="open", head_owner=None) -> PullRecord``,
  ``add_issue(title, body="", labels=(), state="open", user=None) -> IssueRecord``,
  ``add_label(name, color="ededed", description=None) -> LabelRecord``,
  ``snapshot() -> RepoSnapshot`` (frozen: refs, pulls, issues, labels — assert
  ``repo.snapshot() == before`` to prove an error changed nothing).
- An ``add_repo(name, {})`` repository is empty: Git Data answers 409 ``Git Repository is
  empty.``, contents/readme 404 ``This repository is empty.``; a contents PUT on the default
  branch creates the first commit.
- ``CommitRecord`` (frozen): ``sha, tree, parents, message, author, committer, verified,
  reason, files`` (``files`` = flat ``path -> bytes`` snapshot of the tree).
- ``PullRecord``: ``number, state, title, body, head, head_owner, base, labels (list[str]),
  draft, html_url, closed_at``; ``IssueRecord``: ``number, state, state_reason, title, body,
  labels, user, html_url, comments (list[str]), is_pull``.

Request log

- ``.requests -> list[RequestRecord]`` (frozen: ``method, path, query: dict[str, str],
  json: Any, status, fault: bool``); ``path`` is URL-decoded and without ``api_prefix``.
- ``.calls(method=None, path_prefix=None) -> list[RequestRecord]``,
  ``.writes() -> list[RequestRecord]`` (every non-GET/HEAD), ``.reset_log()``.

Faults (checked after authentication, before the endpoint runs; ``times=None`` = forever)

- ``inject(method, path_regex, status, *, message=None, body=None, headers=None, times=1)
  -> Fault`` — ``method`` ``"*"`` matches any; ``path_regex`` is ``re.search``-ed against the
  decoded path (e.g. ``r"/git/refs/heads/main$"``); ``body`` (any JSON) wins over ``message``
  (which builds ``{message, documentation_url, status}``). ``Fault.hits`` counts uses.
- Presets (all return the Fault): ``fail_bad_credentials(times=None)`` (401),
  ``deny_integration(method="*", path_regex=".", times=None)`` (403 Resource not accessible by
  integration), ``forbid_actions_pull_requests()`` (same as ``actions_can_create_prs=False``),
  ``rate_limit_primary(times=1, reset_in=60, status=403, method="*", path_regex=".")``
  (``x-ratelimit-remaining: 0`` + reset; message ``API rate limit exceeded ...``),
  ``rate_limit_secondary(times=1, retry_after=1, status=403, method="*", path_regex=".")``
  (``retry_after=None`` omits ``Retry-After``), ``server_errors(times=3, status=502,
  method="*", path_regex=".")``, ``labels_not_yet_resolvable(times=1)`` (422 ``Could not
  resolve to a node ...`` on ``POST …/issues/{n}/labels``), ``clear_faults()``.

Schema validation (``validate=True``): each non-fault response of an operation in
``tests/fixtures/github/api.github.com.subset.json`` is validated with openapi-core as it is
sent, request bodies too (``validate_requests``); problems land in ``.schema_violations`` /
``.request_violations`` (strings). The ``fake_github`` fixture fails the test if either is
non-empty at teardown — clear ``fake.request_violations`` in a test that sends a deliberately
malformed request.

Endpoints: GET /rate_limit; GET /repos/{o}/{r}; GET …/readme; GET/PUT/DELETE …/contents/{path};
GET …/branches/{b}; GET/POST …/git/blobs[/{sha}]; POST …/git/trees, GET …/git/trees/{sha}
(``?recursive=1``); POST/GET …/git/commits[/{sha}]; GET …/git/ref/{ref}, GET …/git/refs/{ref}
(prefix match), GET …/git/matching-refs/{ref}; POST …/git/refs; PATCH/DELETE …/git/refs/{ref};
GET/POST …/pulls; GET/PATCH …/pulls/{n}; GET/POST/PUT …/issues/{n}/labels;
POST …/issues/{n}/comments; GET/POST …/labels; GET/POST …/issues; GET/PATCH …/issues/{n}.
GET …/labels/{name}. Lists paginate (``per_page``, ``page``, ``Link``). ``GET …/issues``
includes PRs (with a ``pull_request`` key), as on GitHub.

Behaviour worth knowing when writing the client:

- Base64 ``content`` is wrapped every 60 characters with ``\n``, as GitHub does.
- A missing ref on contents/readme answers 404 ``No commit found for the ref <ref>``; since
  that message lacks "not found", PyGithub raises plain ``GithubException(404)``, not
  ``UnknownObjectException`` (a missing file/branch/repo gives ``UnknownObjectException``).
- Deleting a PR's head branch closes the open PR (as GitHub does).
- Timestamps come from a deterministic clock (2026-01-01T00:00:00Z + 1 s per event), so
  commit shas are reproducible across runs; pass ``clock=`` to override.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import hashlib
import http.server
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

SPEC_PATH = (
    Path(__file__).resolve().parent.parent / "fixtures" / "github" / "api.github.com.subset.json"
)
DOCS = "https://docs.github.com/rest"
SPEC_HOST = "https://api.github.com"

MSG_BAD_CREDENTIALS = "Bad credentials"
MSG_INTEGRATION = "Resource not accessible by integration"
MSG_ACTIONS_PR = "GitHub Actions is not permitted to create or approve pull requests."
MSG_NOT_FAST_FORWARD = "Update is not a fast forward"
MSG_SECONDARY = (
    "You have exceeded a secondary rate limit and have been temporarily blocked from content "
    "creation. Please retry your request again later."
)

_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
_ZERO_SHA = "0" * 40


# --------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class RequestRecord:
    """One request as the fake saw it (for counting calls in tests)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int
    fault: bool


@dataclass(frozen=True)
class CommitRecord:
    """A commit in a fake repository; ``files`` is the full flat tree (path → bytes)."""

    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author: dict[str, str]
    committer: dict[str, str]
    verified: bool
    reason: str
    files: dict[str, bytes]


@dataclass(frozen=True)
class RepoSnapshot:
    """Refs, PRs, issues and labels of a repository at one moment (see ``FakeRepo.snapshot``)."""

    refs: tuple[tuple[str, str], ...]
    pulls: tuple[tuple[Any, ...], ...]
    issues: tuple[tuple[Any, ...], ...]
    labels: tuple[str, ...]


@dataclass
class LabelRecord:
    id: int
    name: str
    color: str
    description: str | None
    default: bool = False


@dataclass
class IssueRecord:
    number: int
    title: str
    body: str | None
    state: str
    user: str
    html_url: str
    labels: list[str] = field(default_factory=list)
    state_reason: str | None = None
    created_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None
    comments: list[str] = field(default_factory=list)
    is_pull: bool = False


@dataclass
class PullRecord:
    number: int
    title: str
    body: str | None
    state: str
    head: str
    head_owner: str
    base: str
    user: str
    html_url: str
    draft: bool = False
    labels: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None


@dataclass
class Fault:
    """A switchable failure: the next ``times`` matching requests get this answer."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int | None
    hits: int = 0
    on_hit: Callable[[], None] | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        return self.method in ("*", method) and self.pattern.search(path) is not None


class ApiError(Exception):
    """Raised inside handlers to answer with an error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        doc: str = DOCS,
        headers: dict[str, str] | None = None,
        fault: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": doc}
        if errors is not None:
            self.body["errors"] = errors
        self.body["status"] = str(status)
        self.headers = headers or {}
        self.fault = fault


def pull_request_refused(message: str, doc: str) -> ApiError:
    """The 422 ``Validation Failed`` with one ``PullRequest``/``custom`` error GitHub sends
    when it refuses a pull request for a reason it explains in ``message``."""
    return ApiError(
        422,
        "Validation Failed",
        doc=doc,
        errors=[{"resource": "PullRequest", "code": "custom", "message": message}],
    )


def error_body(status: int, message: str, doc: str = DOCS) -> dict[str, Any]:
    """GitHub's ``basic-error`` shape, with ``status`` as a string like today's API."""
    return {"message": message, "documentation_url": doc, "status": str(status)}


# --------------------------------------------------------------------------------------------
# git object store


def git_hash(kind: str, data: bytes) -> str:
    """The object id git itself would compute (sha1 over ``"<kind> <len>\\0" + data``)."""
    return hashlib.sha1(f"{kind} {len(data)}\0".encode() + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class TreeEntry:
    name: str
    mode: str  # API spelling: "100644", "100755", "040000", "160000", "120000"
    type: str  # "blob" | "tree" | "commit"
    sha: str


class ObjectStore:
    """Blobs, nested trees and commits keyed by their git ids (deterministic content hashes)."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, tuple[TreeEntry, ...]] = {}
        self.commits: dict[str, CommitRecord] = {}

    def put_blob(self, data: bytes) -> str:
        sha = git_hash("blob", data)
        self.blobs[sha] = data
        return sha

    def put_tree(self, entries: list[TreeEntry]) -> str:
        ordered = sorted(entries, key=lambda e: e.name + ("/" if e.type == "tree" else ""))
        raw = b"".join(
            f"{e.mode.lstrip('0') or '0'} {e.name}".encode() + b"\0" + bytes.fromhex(e.sha)
            for e in ordered
        )
        sha = git_hash("tree", raw)
        self.trees[sha] = tuple(ordered)
        return sha

    def flatten(self, tree_sha: str, prefix: str = "") -> dict[str, TreeEntry]:
        """Every non-tree entry under ``tree_sha`` keyed by full path (entry name = full path)."""
        out: dict[str, TreeEntry] = {}
        for e in self.trees[tree_sha]:
            path = prefix + e.name
            if e.type == "tree":
                out.update(self.flatten(e.sha, path + "/"))
            else:
                out[path] = TreeEntry(path, e.mode, e.type, e.sha)
        return out

    def build(self, flat: Mapping[str, TreeEntry]) -> str:
        """Nested trees from a flat path map; empty directories vanish as in git."""
        here: list[TreeEntry] = []
        subdirs: dict[str, dict[str, TreeEntry]] = {}
        for path, e in flat.items():
            head, sep, rest = path.partition("/")
            if sep:
                subdirs.setdefault(head, {})[rest] = e
            else:
                here.append(TreeEntry(head, e.mode, e.type, e.sha))
        for name, sub in subdirs.items():
            here.append(TreeEntry(name, "040000", "tree", self.build(sub)))
        return self.put_tree(here)

    def tree_of_path(self, tree_sha: str, path: str) -> TreeEntry | None:
        """The entry at ``path`` (file or directory) inside ``tree_sha``."""
        parts = [p for p in path.split("/") if p]
        if not parts:
            return TreeEntry("", "040000", "tree", tree_sha)
        current = tree_sha
        entry: TreeEntry | None = None
        for i, part in enumerate(parts):
            entry = next((e for e in self.trees[current] if e.name == part), None)
            if entry is None:
                return None
            if i < len(parts) - 1:
                if entry.type != "tree":
                    return None
                current = entry.sha
        return entry

    def files(self, tree_sha: str) -> dict[str, bytes]:
        return {p: self.blobs[e.sha] for p, e in self.flatten(tree_sha).items() if e.type == "blob"}

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        seen: set[str] = set()
        stack = [descendant]
        while stack:
            sha = stack.pop()
            if sha == ancestor:
                return True
            if sha in seen or sha not in self.commits:
                continue
            seen.add(sha)
            stack.extend(self.commits[sha].parents)
        return False


# --------------------------------------------------------------------------------------------
# repository


class FakeRepo:
    """One repository: object store, branches, pulls/issues/labels. Mutate under ``fake.lock``."""

    def __init__(
        self, fake: FakeGitHub, repo_id: int, full_name: str, default_branch: str, *, private: bool
    ) -> None:
        self.fake = fake
        self.id = repo_id
        self.full_name = full_name
        self.owner, self.name = full_name.split("/", 1)
        self.default_branch = default_branch
        self.private = private
        self.store = ObjectStore()
        self.refs: dict[str, str] = {}
        self._issues: dict[int, IssueRecord] = {}
        self._pulls: dict[int, PullRecord] = {}
        self.labels: dict[str, LabelRecord] = {}
        self.protected: set[str] = set()
        self.pending_moves: dict[str, tuple[dict[str, bytes], str]] = {}
        self._numbers = itertools.count(1)

    # --- queries used by tests ---------------------------------------------------------------

    def resolve(self, ref: str | None) -> str | None:
        """Commit sha for a branch name, ``heads/b``, ``refs/heads/b`` or a full commit sha."""
        ref = ref or self.default_branch
        for candidate in (ref, f"refs/heads/{ref}", f"refs/{ref}"):
            if candidate in self.refs:
                return self.refs[candidate]
        if ref in self.store.commits:
            return ref
        return None

    def branch_sha(self, branch: str) -> str | None:
        return self.refs.get(f"refs/heads/{branch}")

    def branches(self) -> list[str]:
        return sorted(
            r.removeprefix("refs/heads/") for r in self.refs if r.startswith("refs/heads/")
        )

    def files(self, branch: str | None = None) -> dict[str, bytes]:
        sha = self.resolve(branch)
        if sha is None and not self.refs:
            return {}
        if sha is None:
            raise KeyError(f"no branch or commit {branch!r} in {self.full_name}")
        return dict(self.store.commits[sha].files)

    def file(self, path: str, branch: str | None = None) -> bytes | None:
        return self.files(branch).get(path)

    def commit(self, sha: str) -> CommitRecord:
        return self.store.commits[sha]

    def commits(self, branch: str | None = None) -> list[CommitRecord]:
        sha = self.resolve(branch)
        out: list[CommitRecord] = []
        while sha is not None:
            c = self.store.commits[sha]
            out.append(c)
            sha = c.parents[0] if c.parents else None
        return out

    @property
    def pulls(self) -> list[PullRecord]:
        return [self._pulls[n] for n in sorted(self._pulls)]

    def pull(self, number: int) -> PullRecord:
        return self._pulls[number]

    @property
    def issues(self) -> list[IssueRecord]:
        return [i for n, i in sorted(self._issues.items()) if not i.is_pull]

    def issue(self, number: int) -> IssueRecord:
        return self._issues[number]

    # --- state changes (thread-safe) -----------------------------------------------------------

    def make_commit(
        self,
        tree: str,
        parents: list[str],
        message: str,
        *,
        author: dict[str, str] | None = None,
        committer: dict[str, str] | None = None,
        signed_by_bot: bool = False,
    ) -> CommitRecord:
        date = self.fake.now()
        who = {
            "name": "github-actions[bot]",
            "email": "41898282+github-actions[bot]@users.noreply.github.com",
        }
        if self.fake.token_kind == "pat":
            who = {"name": "Octo Cat", "email": "octocat@example.com"}
        a = {**who, "date": date, **(author or {})}
        c = {**(committer or {"name": "GitHub", "email": "noreply@github.com"}), "date": date}
        if committer and "date" in committer:
            c["date"] = committer["date"]
        raw = f"tree {tree}\n"
        raw += "".join(f"parent {p}\n" for p in parents)
        raw += f"author {a['name']} <{a['email']}> {_epoch(a['date'])} +0000\n"
        raw += f"committer {c['name']} <{c['email']}> {_epoch(c['date'])} +0000\n\n{message}"
        sha = git_hash("commit", raw.encode())
        verified = (
            signed_by_bot
            and self.fake.token_kind in ("actions", "app")
            and not (author or committer)
        )
        record = CommitRecord(
            sha=sha,
            tree=tree,
            parents=tuple(parents),
            message=message,
            author=a,
            committer=c,
            verified=verified,
            reason="valid" if verified else "unsigned",
            files=self.store.files(tree),
        )
        self.store.commits[sha] = record
        return record

    def commit_files(
        self,
        branch: str,
        files: Mapping[str, bytes | str],
        message: str,
        *,
        deletions: tuple[str, ...] = (),
        as_bot: bool,
    ) -> str:
        with self.fake.lock:
            head = self.branch_sha(branch)
            flat = self.store.flatten(self.store.commits[head].tree) if head else {}
            for path, data in files.items():
                raw = data.encode() if isinstance(data, str) else data
                flat[path] = TreeEntry(path, "100644", "blob", self.store.put_blob(raw))
            for path in deletions:
                flat.pop(path, None)
            tree = self.store.build(flat)
            other = {"name": "Someone Else", "email": "someone@example.com"}
            commit = self.make_commit(
                tree,
                [head] if head else [],
                message,
                author=None if as_bot else other,
                committer=None if as_bot else other,
                signed_by_bot=as_bot,
            )
            self.refs[f"refs/heads/{branch}"] = commit.sha
            return commit.sha

    def commit_as_other_user(
        self,
        branch: str,
        files: Mapping[str, bytes | str],
        message: str = "Edit by someone else",
        deletions: tuple[str, ...] = (),
    ) -> str:
        """Simulate a human pushing to ``branch`` (unsigned commit); returns the new head."""
        return self.commit_files(branch, files, message, deletions=deletions, as_bot=False)

    def create_branch(self, branch: str, from_branch: str | None = None) -> str:
        with self.fake.lock:
            sha = self.resolve(from_branch)
            assert sha is not None, f"no branch {from_branch!r}"
            self.refs[f"refs/heads/{branch}"] = sha
            return sha

    def move_branch_before_next_write(
        self,
        branch: str,
        files: Mapping[str, bytes | str] | None = None,
        message: str = "Concurrent edit",
    ) -> None:
        data = files if files is not None else {"CONCURRENT.md": b"edited meanwhile\n"}
        with self.fake.lock:
            self.pending_moves[branch] = (
                {k: v.encode() if isinstance(v, str) else v for k, v in data.items()},
                message,
            )

    def snapshot(self) -> RepoSnapshot:
        """Everything a publish can change; compare two snapshots to prove "nothing changed"."""
        with self.fake.lock:
            return RepoSnapshot(
                refs=tuple(sorted(self.refs.items())),
                pulls=tuple(
                    (p.number, p.state, p.title, p.body, p.head, p.base, tuple(p.labels))
                    for p in self.pulls
                ),
                issues=tuple(
                    (i.number, i.state, i.title, i.body, tuple(i.labels), len(i.comments))
                    for i in self._issues.values()
                ),
                labels=tuple(sorted(lb.name for lb in self.labels.values())),
            )

    def protect_branch(self, branch: str) -> None:
        with self.fake.lock:
            self.protected.add(branch)

    def add_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> LabelRecord:
        with self.fake.lock:
            return self._ensure_label(name, color, description)

    def _ensure_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> LabelRecord:
        for label in self.labels.values():
            if label.name.lower() == name.lower():
                return label
        label = LabelRecord(id=next(self.fake.ids), name=name, color=color, description=description)
        self.labels[name] = label
        return label

    def add_issue(
        self,
        title: str,
        body: str | None = "",
        labels: tuple[str, ...] = (),
        state: str = "open",
        user: str | None = None,
    ) -> IssueRecord:
        with self.fake.lock:
            return self._new_issue(title, body, list(labels), state, user or self.fake.login)

    def _new_issue(
        self,
        title: str,
        body: str | None,
        labels: list[str],
        state: str,
        user: str,
        *,
        is_pull: bool = False,
    ) -> IssueRecord:
        number = next(self._numbers)
        now = self.fake.now()
        names = [self._ensure_label(n).name for n in labels]
        kind = "pull" if is_pull else "issues"
        issue = IssueRecord(
            number=number,
            title=title,
            body=body,
            state=state,
            user=user,
            html_url=f"{self.fake.web_url}/{self.full_name}/{kind}/{number}",
            labels=names,
            created_at=now,
            updated_at=now,
            closed_at=now if state == "closed" else None,
            is_pull=is_pull,
        )
        self._issues[number] = issue
        return issue

    def add_pull(
        self,
        head: str,
        base: str,
        title: str,
        *,
        body: str | None = "",
        state: str = "open",
        head_owner: str | None = None,
    ) -> PullRecord:
        with self.fake.lock:
            return self._new_pull(
                head,
                base,
                title,
                body=body,
                state=state,
                head_owner=head_owner or self.owner,
                user=self.fake.login,
                draft=False,
            )

    def _new_pull(
        self,
        head: str,
        base: str,
        title: str,
        *,
        body: str | None,
        state: str,
        head_owner: str,
        user: str,
        draft: bool,
    ) -> PullRecord:
        issue = self._new_issue(title, body, [], state, user, is_pull=True)
        pr = PullRecord(
            number=issue.number,
            title=title,
            body=body,
            state=state,
            head=head,
            head_owner=head_owner,
            base=base,
            user=user,
            html_url=issue.html_url,
            draft=draft,
            labels=issue.labels,
            created_at=issue.created_at,
            updated_at=issue.updated_at,
            closed_at=issue.closed_at,
        )
        self._pulls[pr.number] = pr
        return pr


def spec_cannot_describe(handler: str, status: int, body: Any) -> bool:
    """Answers the OpenAPI subset rejects whatever their content (defects of the description).

    - A directory listing (JSON array) fails the GET-contents ``oneOf`` (notes §4 caveat 3).
    - Contents PUT/DELETE 409: the schema is ``oneOf: [basic-error,
      repository-rule-violation-error]``; neither has required fields, so every error body
      matches both and ``oneOf`` can never pass.
    """
    if handler == "get_contents" and isinstance(body, list):
        return True
    return handler in ("put_contents", "delete_contents") and status == 409


def _error_detail(exc: BaseException) -> str:
    """The jsonschema messages buried in an openapi-core exception chain."""
    parts: list[str] = []
    current: BaseException | None = exc
    while current is not None:
        for err in getattr(current, "schema_errors", None) or []:
            where = "/".join(str(p) for p in getattr(err, "absolute_path", []))
            parts.append(f"{where}: {getattr(err, 'message', err)}")
        current = current.__cause__ or current.__context__
    return "; ".join(parts) or str(exc)


def _epoch(date: str) -> int:
    return int(datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp())


# --------------------------------------------------------------------------------------------
# schema (built once per process; openapi-core is slow to build, fast to validate)


@functools.lru_cache(maxsize=1)
def load_spec_dict() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=1)
def openapi() -> Any:
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(copy.deepcopy(load_spec_dict()))


def example(name: str) -> Any:
    """A response example from the OpenAPI subset (today's full shape), deep-copied."""
    return copy.deepcopy(load_spec_dict()["components"]["examples"][name]["value"])


# --------------------------------------------------------------------------------------------
# routing


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern[str]
    spec: str | None  # the OpenAPI path template, None if the subset does not describe it
    handler: str
    scope: str | None  # token permission scope; None = metadata (always readable)


_R = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ROUTES_RAW: list[tuple[str, str, str | None, str, str | None]] = [
    ("GET", r"/rate_limit", "/rate_limit", "rate_limit", None),
    ("GET", _R, "/repos/{owner}/{repo}", "get_repo", None),
    ("GET", _R + r"/readme", "/repos/{owner}/{repo}/readme", "get_readme", "contents"),
    (
        "GET",
        _R + r"/contents/?(?P<path>.*)",
        "/repos/{owner}/{repo}/contents/{path}",
        "get_contents",
        "contents",
    ),
    (
        "PUT",
        _R + r"/contents/(?P<path>.+)",
        "/repos/{owner}/{repo}/contents/{path}",
        "put_contents",
        "contents",
    ),
    (
        "DELETE",
        _R + r"/contents/(?P<path>.+)",
        "/repos/{owner}/{repo}/contents/{path}",
        "delete_contents",
        "contents",
    ),
    (
        "GET",
        _R + r"/branches/(?P<branch>.+)",
        "/repos/{owner}/{repo}/branches/{branch}",
        "get_branch",
        "contents",
    ),
    ("POST", _R + r"/git/blobs", "/repos/{owner}/{repo}/git/blobs", "post_blob", "contents"),
    (
        "GET",
        _R + r"/git/blobs/(?P<file_sha>[^/]+)",
        "/repos/{owner}/{repo}/git/blobs/{file_sha}",
        "get_blob",
        "contents",
    ),
    ("POST", _R + r"/git/trees", "/repos/{owner}/{repo}/git/trees", "post_tree", "contents"),
    (
        "GET",
        _R + r"/git/trees/(?P<tree_sha>[^/]+)",
        "/repos/{owner}/{repo}/git/trees/{tree_sha}",
        "get_tree",
        "contents",
    ),
    ("POST", _R + r"/git/commits", "/repos/{owner}/{repo}/git/commits", "post_commit", "contents"),
    (
        "GET",
        _R + r"/git/commits/(?P<commit_sha>[^/]+)",
        "/repos/{owner}/{repo}/git/commits/{commit_sha}",
        "get_commit",
        "contents",
    ),
    (
        "GET",
        _R + r"/git/ref/(?P<ref>.+)",
        "/repos/{owner}/{repo}/git/ref/{ref}",
        "get_ref",
        "contents",
    ),
    ("GET", _R + r"/git/refs/?(?P<ref>.*)", None, "get_refs", "contents"),
    (
        "GET",
        _R + r"/git/matching-refs/(?P<ref>.+)",
        "/repos/{owner}/{repo}/git/matching-refs/{ref}",
        "matching_refs",
        "contents",
    ),
    ("POST", _R + r"/git/refs", "/repos/{owner}/{repo}/git/refs", "post_ref", "contents"),
    (
        "PATCH",
        _R + r"/git/refs/(?P<ref>.+)",
        "/repos/{owner}/{repo}/git/refs/{ref}",
        "patch_ref",
        "contents",
    ),
    (
        "DELETE",
        _R + r"/git/refs/(?P<ref>.+)",
        "/repos/{owner}/{repo}/git/refs/{ref}",
        "delete_ref",
        "contents",
    ),
    ("GET", _R + r"/pulls", "/repos/{owner}/{repo}/pulls", "list_pulls", "pull_requests"),
    ("POST", _R + r"/pulls", "/repos/{owner}/{repo}/pulls", "post_pull", "pull_requests"),
    (
        "GET",
        _R + r"/pulls/(?P<pull_number>\d+)",
        "/repos/{owner}/{repo}/pulls/{pull_number}",
        "get_pull",
        "pull_requests",
    ),
    (
        "PATCH",
        _R + r"/pulls/(?P<pull_number>\d+)",
        "/repos/{owner}/{repo}/pulls/{pull_number}",
        "patch_pull",
        "pull_requests",
    ),
    (
        "GET",
        _R + r"/issues/(?P<issue_number>\d+)/labels",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "get_issue_labels",
        "issues",
    ),
    (
        "POST",
        _R + r"/issues/(?P<issue_number>\d+)/labels",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "add_issue_labels",
        "issues",
    ),
    (
        "PUT",
        _R + r"/issues/(?P<issue_number>\d+)/labels",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "set_issue_labels",
        "issues",
    ),
    (
        "POST",
        _R + r"/issues/(?P<issue_number>\d+)/comments",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        "post_comment",
        "issues",
    ),
    ("GET", _R + r"/labels", "/repos/{owner}/{repo}/labels", "list_labels", "issues"),
    ("POST", _R + r"/labels", "/repos/{owner}/{repo}/labels", "post_label", "issues"),
    ("GET", _R + r"/labels/(?P<name>[^/]+)", None, "get_label", "issues"),
    ("GET", _R + r"/issues", "/repos/{owner}/{repo}/issues", "list_issues", "issues"),
    ("POST", _R + r"/issues", "/repos/{owner}/{repo}/issues", "post_issue", "issues"),
    (
        "GET",
        _R + r"/issues/(?P<issue_number>\d+)",
        "/repos/{owner}/{repo}/issues/{issue_number}",
        "get_issue",
        "issues",
    ),
    (
        "PATCH",
        _R + r"/issues/(?P<issue_number>\d+)",
        "/repos/{owner}/{repo}/issues/{issue_number}",
        "patch_issue",
        "issues",
    ),
]
ROUTES = [Route(m, re.compile(rx + "$"), spec, h, scope) for m, rx, spec, h, scope in _ROUTES_RAW]


@dataclass
class Request:
    method: str
    raw_path: str  # still percent-encoded, without prefix
    path: str  # decoded
    query: dict[str, str]
    body: Any
    raw_body: bytes
    params: dict[str, str]
    api: str  # absolute base of the API as the client reaches it
    route: Route | None = None


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    fault: bool = False


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle + delayed ACK add
    # ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        response, extra = self.server.fake.handle(
            self.command, self.path, dict(self.headers.items()), raw
        )
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for k, v in {**extra, **response.headers}.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGitHub


def _tick_clock() -> Callable[[], str]:
    counter = itertools.count()

    def now() -> str:
        return (_EPOCH + timedelta(seconds=next(counter))).strftime("%Y-%m-%dT%H:%M:%SZ")

    return now


# --------------------------------------------------------------------------------------------
# the server


class FakeGitHub:
    """The fake GitHub; see the module docstring for the whole API."""

    def __init__(
        self,
        *,
        token: str = "test-token",
        token_kind: str = "actions",
        api_prefix: str = "",
        validate: bool = True,
        validate_requests: bool = True,
        large_file_threshold: int = 1_000_000,
        per_page_default: int = 30,
        clock: Callable[[], str] | None = None,
    ) -> None:
        assert token_kind in ("actions", "app", "pat")
        self.token = token
        self.token_kind = token_kind
        self.api_prefix = api_prefix.rstrip("/")
        self.validate = validate
        self.validate_requests = validate_requests
        self.large_file_threshold = large_file_threshold
        self.per_page_default = per_page_default
        self.token_permissions: dict[str, str] = {
            "contents": "write",
            "pull_requests": "write",
            "issues": "write",
        }
        self.actions_can_create_prs = True
        self.now = clock or _tick_clock()
        self.lock = threading.RLock()
        self.ids = itertools.count(1000)
        self.repos: dict[str, FakeRepo] = {}
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.schema_violations: list[str] = []
        self.request_violations: list[str] = []
        self.rate_limit = 5000
        self.rate_used = 0
        self.rate_reset = int(time.time()) + 3600
        self._request_ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.web_url = "https://github.com"

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        # A short poll interval keeps stop() (server.shutdown) from waiting 0.5 s per test.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.01,), name="fake-github", daemon=True
        )
        self._thread.start()
        if self.validate:
            openapi()  # build once, outside any request
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "FakeGitHub not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.api_prefix}"

    @property
    def login(self) -> str:
        return "octocat" if self.token_kind == "pat" else "github-actions[bot]"

    # --- set-up ---------------------------------------------------------------------------------

    def add_repo(
        self,
        full_name: str,
        files: Mapping[str, bytes | str],
        *,
        default_branch: str = "main",
        private: bool = False,
    ) -> FakeRepo:
        with self.lock:
            repo = FakeRepo(self, next(self.ids), full_name, default_branch, private=private)
            self.repos[full_name.lower()] = repo
            if files:
                repo.commit_files(default_branch, files, "Initial commit", as_bot=False)
            return repo

    def repo(self, full_name: str) -> FakeRepo:
        return self.repos[full_name.lower()]

    # --- log --------------------------------------------------------------------------------------

    def calls(
        self, method: str | None = None, path_prefix: str | None = None
    ) -> list[RequestRecord]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path_prefix is None or r.path.startswith(path_prefix))
            ]

    def writes(self) -> list[RequestRecord]:
        with self.lock:
            return [r for r in self.requests if r.method not in ("GET", "HEAD")]

    def reset_log(self) -> None:
        with self.lock:
            self.requests.clear()

    # --- faults -----------------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        message: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
    ) -> Fault:
        if body is None:
            body = error_body(status, message or "Injected failure")
        fault = Fault(
            method.upper(), re.compile(path_regex), status, body, dict(headers or {}), times
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def fail_bad_credentials(self, times: int | None = None) -> Fault:
        return self.inject(
            "*", ".", 401, body=error_body(401, MSG_BAD_CREDENTIALS, DOCS), times=times
        )

    def deny_integration(
        self, method: str = "*", path_regex: str = ".", times: int | None = None
    ) -> Fault:
        # peter-evans/create-pull-request#3236; repo-sync/pull-request#129 (notes §1.3).
        return self.inject(
            method,
            path_regex,
            403,
            body=error_body(403, MSG_INTEGRATION, f"{DOCS}/pulls/pulls"),
            times=times,
        )

    def forbid_actions_pull_requests(self) -> Fault:
        # github/docs#36525; peter-evans/create-pull-request#1175 (notes §1.3).
        return self.inject(
            "POST",
            r"^/repos/[^/]+/[^/]+/pulls$",
            403,
            body=error_body(403, MSG_ACTIONS_PR, f"{DOCS}/pulls/pulls#create-a-pull-request"),
            times=None,
        )

    def rate_limit_primary(
        self,
        times: int | None = 1,
        reset_in: int = 60,
        status: int = 403,
        method: str = "*",
        path_regex: str = ".",
    ) -> Fault:
        # docs: rate-limits-for-the-rest-api ("API rate limit exceeded for ..."), remaining 0.
        reset = int(time.time()) + reset_in
        return self.inject(
            method,
            path_regex,
            status,
            body=error_body(
                status,
                "API rate limit exceeded for installation ID 1000.",
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            ),
            headers={
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(reset),
                "X-RateLimit-Used": str(self.rate_limit),
            },
            times=times,
        )

    def rate_limit_secondary(
        self,
        times: int | None = 1,
        retry_after: int | None = 1,
        status: int = 403,
        method: str = "*",
        path_regex: str = ".",
    ) -> Fault:
        # docs: rate-limits-for-the-rest-api, "exceeding the secondary rate limit".
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return self.inject(
            method,
            path_regex,
            status,
            body=error_body(
                status,
                MSG_SECONDARY,
                "https://docs.github.com/free-pro-team@latest/rest/overview/"
                "rate-limits-for-the-rest-api#about-secondary-rate-limits",
            ),
            headers=headers,
            times=times,
        )

    def labels_not_yet_resolvable(self, times: int | None = 1) -> Fault:
        """Labelling a just-created PR can fail until GitHub's graph catches up.

        peter-evans/create-pull-request#4321, #4356 (notes §1.3): 422 "Could not resolve to a
        node ..."; the text after "node" is *unverified*. Clients retry briefly.
        """
        return self.inject(
            "POST",
            r"/issues/\d+/labels$",
            422,
            body=error_body(
                422,
                "Could not resolve to a node with the global id of 'PR_kwDOfake'.",
                f"{DOCS}/issues/labels#add-labels-to-an-issue",
            ),
            times=times,
        )

    def server_errors(
        self, times: int | None = 3, status: int = 502, method: str = "*", path_regex: str = "."
    ) -> Fault:
        # Synthetic body: GitHub's 5xx bodies vary (JSON "Server Error" or an HTML page).
        return self.inject(
            method, path_regex, status, body={"message": "Server Error"}, times=times
        )

    # --- request handling -------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], raw: bytes
    ) -> tuple[Response, dict[str, str]]:
        split = urllib.parse.urlsplit(target)
        raw_path = split.path
        query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        host = next(
            (v for k, v in headers.items() if k.lower() == "host"), f"127.0.0.1:{self.port}"
        )
        api = f"http://{host}{self.api_prefix}"
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        with self.lock:
            self.rate_used += 1
            req_id = f"0400:{next(self._request_ids):04X}:FAKE:{self.port:05X}"
        path = urllib.parse.unquote(raw_path)
        if self.api_prefix:
            if not raw_path.startswith(self.api_prefix + "/"):
                resp = Response(404, error_body(404, "Not Found"))
                return self._finish(method, path, query=query, body=body, resp=resp, req_id=req_id)
            raw_path = raw_path[len(self.api_prefix) :]
            path = urllib.parse.unquote(raw_path)
        req = Request(method, raw_path, path, query, body, raw, {}, api)
        try:
            resp = self._dispatch(req, headers)
        except ApiError as exc:
            resp = Response(exc.status, exc.body, exc.headers, fault=exc.fault)
        except Exception as exc:  # a bug in the fake: answer 500 and make the test fail
            with self.lock:
                self.schema_violations.append(f"{method} {path}: fake crashed: {exc!r}")
            resp = Response(500, error_body(500, f"fake crashed: {exc!r}"), fault=True)
        if (
            self.validate
            and not resp.fault
            and req.route is not None
            and req.route.spec
            and not spec_cannot_describe(req.route.handler, resp.status, resp.body)
        ):
            self._validate(req, resp)
        return self._finish(method, req.path, query=query, body=body, resp=resp, req_id=req_id)

    def _finish(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str],
        body: Any,
        resp: Response,
        req_id: str,
    ) -> tuple[Response, dict[str, str]]:
        extra = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": req_id,
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(self.rate_limit - self.rate_used, 0)),
            "X-RateLimit-Used": str(self.rate_used),
            "X-RateLimit-Reset": str(self.rate_reset),
            "X-RateLimit-Resource": "core",
        }
        if method == "GET" and resp.status == 200:
            digest = hashlib.sha1(json.dumps(resp.body).encode(), usedforsecurity=False)
            extra["ETag"] = f'W/"{digest.hexdigest()}"'
        if resp.status == 204:
            resp.body = None
        with self.lock:
            self.requests.append(RequestRecord(method, path, query, body, resp.status, resp.fault))
        return resp, extra

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = value.partition(" ")
        return scheme.lower() in ("token", "bearer") and token.strip() == self.token

    def _dispatch(self, req: Request, headers: Mapping[str, str]) -> Response:
        if not self._authorized(headers):
            raise ApiError(401, MSG_BAD_CREDENTIALS, doc=DOCS, fault=True)
        with self.lock:
            fault = next((f for f in self.faults if f.matches(req.method, req.path)), None)
            if fault is not None:
                fault.hits += 1
        if fault is not None:
            return Response(
                fault.status, copy.deepcopy(fault.body), dict(fault.headers), fault=True
            )
        for route in ROUTES:
            if route.method != req.method and not (req.method == "HEAD" and route.method == "GET"):
                continue
            m = route.regex.match(req.raw_path)
            if m is None:
                continue
            req.route = route
            req.params = {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}
            repo = None
            if "owner" in req.params:
                repo = self.repos.get(f"{req.params['owner']}/{req.params['repo']}".lower())
                if repo is None:
                    raise ApiError(404, "Not Found", doc=f"{DOCS}/repos/repos#get-a-repository")
            self._check_permission(req, route, repo)
            if repo is not None and not repo.refs:
                self._check_not_empty(route)
            if self.validate_requests and route.spec and req.method in ("POST", "PUT", "PATCH"):
                self._validate_request(req)
            handler: Callable[[Request, FakeRepo | None], Response] = getattr(
                self, "_h_" + route.handler
            )
            with self.lock:
                return handler(req, repo)
        raise ApiError(404, "Not Found", doc=DOCS)

    @staticmethod
    def _check_not_empty(route: Route) -> None:
        """A repository without commits: Git Data answers 409, contents/readme 404.

        Messages as GitHub words them (*unverified* here; the spec lists 409 "Conflict" for
        every Git Data operation). Contents PUT on the default branch creates the first commit.
        """
        if route.handler in ("get_contents", "get_readme"):
            raise ApiError(404, "This repository is empty.", doc=f"{DOCS}/repos/contents")
        if route.scope == "contents" and route.handler not in ("put_contents", "get_branch"):
            raise ApiError(409, "Git Repository is empty.", doc=f"{DOCS}/git")

    def _check_permission(self, req: Request, route: Route, repo: FakeRepo | None) -> None:
        if route.scope is None:
            return
        need = "read" if req.method in ("GET", "HEAD") else "write"
        scopes = [route.scope]
        if route.handler in ("add_issue_labels", "set_issue_labels", "post_comment") and repo:
            n = int(req.params["issue_number"])
            if n in repo._issues and repo._issues[n].is_pull:
                scopes.append("pull_requests")
        rank = {"none": 0, "read": 1, "write": 2}
        if not any(rank[self.token_permissions.get(s, "write")] >= rank[need] for s in scopes):
            raise ApiError(403, MSG_INTEGRATION, doc=DOCS, fault=True)

    # --- validation -------------------------------------------------------------------------------

    def _spec_path(self, req: Request) -> str:
        assert req.route is not None
        assert req.route.spec is not None
        out = req.route.spec
        for k, v in req.params.items():
            out = out.replace("{" + k + "}", urllib.parse.quote(v, safe=""))
        return out

    def _validate(self, req: Request, resp: Response) -> None:
        from openapi_core.testing import MockRequest, MockResponse

        spec_path = self._spec_path(req)
        data = b"" if resp.body is None else json.dumps(resp.body).encode()
        method = "get" if req.method == "HEAD" else req.method.lower()
        try:
            openapi().validate_response(
                MockRequest(SPEC_HOST, method, spec_path, args=req.query),
                MockResponse(
                    data,
                    status_code=resp.status,
                    content_type="application/json",
                    headers=resp.headers,
                ),
            )
        except Exception as exc:
            detail = _error_detail(exc)
            with self.lock:
                self.schema_violations.append(
                    f"{req.method} {spec_path} -> {resp.status}: {exc!r} {detail}"[:2000]
                )

    def _validate_request(self, req: Request) -> None:
        from openapi_core.testing import MockRequest

        spec_path = self._spec_path(req)
        raw = req.raw_body
        if (
            req.route is not None
            and req.route.handler in ("add_issue_labels", "set_issue_labels")
            and isinstance(req.body, list)
        ):
            # The spec's description allows "an array of labels directly" (what PyGithub's
            # add_to_labels sends) but its schema only lists the {"labels": [...]} object.
            raw = json.dumps({"labels": req.body}).encode()
        try:
            openapi().validate_request(
                MockRequest(
                    SPEC_HOST,
                    req.method.lower(),
                    spec_path,
                    args=req.query,
                    data=raw,
                    content_type="application/json",
                )
            )
        except Exception as exc:
            detail = _error_detail(exc)
            with self.lock:
                self.request_violations.append(f"{req.method} {spec_path}: {exc!r} {detail}"[:2000])

    # --- JSON builders ----------------------------------------------------------------------------

    def _rewrite(self, obj: Any, api: str, repo: FakeRepo) -> Any:
        text = json.dumps(obj)
        text = text.replace(
            "https://api.github.com/repos/octocat/Hello-World", f"{api}/repos/{repo.full_name}"
        )
        text = text.replace(
            "https://github.com/octocat/Hello-World", f"{self.web_url}/{repo.full_name}"
        )
        text = text.replace("https://api.github.com", api)
        return json.loads(text)

    def _user(self, api: str, login: str) -> dict[str, Any]:
        bot = login.endswith("[bot]")
        uid = 41898282 if bot else 583231
        base = f"{api}/users/{urllib.parse.quote(login)}"
        return {
            "login": login,
            "id": uid,
            "node_id": "MDM6Qm90NDE4OTgyODI=" if bot else "MDQ6VXNlcjE=",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"{self.web_url}/{login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": "Bot" if bot else "User",
            "site_admin": False,
            "user_view_type": "public",
        }

    def _repo_json(self, api: str, repo: FakeRepo, *, full: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("full-repository-default-response"), api, repo)
        owner = self._user(api, repo.owner)
        owner["type"] = "Organization" if repo.owner != "octocat" else "User"
        data.update(
            {
                "id": repo.id,
                "node_id": f"R_fake{repo.id}",
                "name": repo.name,
                "full_name": repo.full_name,
                "owner": owner,
                "private": repo.private,
                "visibility": "private" if repo.private else "public",
                "default_branch": repo.default_branch,
                "fork": False,
                "permissions": {
                    "admin": False,
                    "maintain": False,
                    "push": True,
                    "triage": True,
                    "pull": True,
                },
            }
        )
        for key in (
            "organization",
            "parent",
            "source",
            "template_repository",
            "code_of_conduct",
            "security_and_analysis",
        ):
            data.pop(key, None)
        data.update(
            {
                "topics": [],
                "license": None,
                "language": None,
                "web_commit_signoff_required": False,
                "allow_update_branch": False,
                "use_squash_pr_title_as_default": False,
            }
        )
        if not full:
            allowed = set(load_spec_dict()["components"]["schemas"]["repository"]["properties"])
            data = {k: v for k, v in data.items() if k in allowed}
        return data

    def _ref_json(self, api: str, repo: FakeRepo, ref: str) -> dict[str, Any]:
        sha = repo.refs[ref]
        return {
            "ref": ref,
            "node_id": base64.b64encode(f"ref:{repo.id}:{ref}".encode()).decode(),
            "url": f"{api}/repos/{repo.full_name}/git/{ref}",
            "object": {
                "type": "commit",
                "sha": sha,
                "url": f"{api}/repos/{repo.full_name}/git/commits/{sha}",
            },
        }

    def _commit_json(self, api: str, repo: FakeRepo, c: CommitRecord) -> dict[str, Any]:
        base = f"{api}/repos/{repo.full_name}"
        return {
            "sha": c.sha,
            "node_id": base64.b64encode(f"commit:{c.sha}".encode()).decode(),
            "url": f"{base}/git/commits/{c.sha}",
            "html_url": f"{self.web_url}/{repo.full_name}/commit/{c.sha}",
            "author": dict(c.author),
            "committer": dict(c.committer),
            "message": c.message,
            "tree": {"sha": c.tree, "url": f"{base}/git/trees/{c.tree}"},
            "parents": [
                {
                    "sha": p,
                    "url": f"{base}/git/commits/{p}",
                    "html_url": f"{self.web_url}/{repo.full_name}/commit/{p}",
                }
                for p in c.parents
            ],
            "verification": {
                "verified": c.verified,
                "reason": c.reason,
                "signature": "-----BEGIN PGP SIGNATURE-----\nfake\n-----END PGP SIGNATURE-----"
                if c.verified
                else None,
                "payload": f"tree {c.tree}\n" if c.verified else None,
                "verified_at": c.committer["date"] if c.verified else None,
            },
        }

    def _content_json(
        self,
        api: str,
        repo: FakeRepo,
        path: str,
        entry: TreeEntry,
        ref: str,
        *,
        with_content: bool = True,
    ) -> dict[str, Any]:
        base = f"{api}/repos/{repo.full_name}"
        quoted = urllib.parse.quote(path)
        is_dir = entry.type == "tree"
        self_url = f"{base}/contents/{quoted}?ref={urllib.parse.quote(ref, safe='')}"
        git_url = f"{base}/git/{'trees' if is_dir else 'blobs'}/{entry.sha}"
        html_url = f"{self.web_url}/{repo.full_name}/{'tree' if is_dir else 'blob'}/{ref}/{quoted}"
        data = repo.store.blobs.get(entry.sha, b"")
        out: dict[str, Any] = {
            "type": "dir" if is_dir else "file",
            "size": 0 if is_dir else len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": entry.sha,
            "url": self_url,
            "git_url": git_url,
            "html_url": html_url,
            "download_url": None
            if is_dir
            else f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{quoted}",
            "_links": {"self": self_url, "git": git_url, "html": html_url},
        }
        if with_content and not is_dir:
            if len(data) > self.large_file_threshold:
                out["content"], out["encoding"] = "", "none"
            else:
                encoded = base64.b64encode(data).decode()
                out["content"] = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60))
                out["encoding"] = "base64"
        return out

    def _label_json(self, api: str, repo: FakeRepo, label: LabelRecord) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": f"LA_fake{label.id}",
            "url": f"{api}/repos/{repo.full_name}/labels/{urllib.parse.quote(label.name)}",
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "default": label.default,
        }

    def _labels_json(self, api: str, repo: FakeRepo, names: list[str]) -> list[dict[str, Any]]:
        return [self._label_json(api, repo, repo._ensure_label(n)) for n in names]

    def _issue_json(self, api: str, repo: FakeRepo, issue: IssueRecord) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("issue"), api, repo)
        base = f"{api}/repos/{repo.full_name}"
        n = issue.number
        data.update(
            {
                "id": 10_000 + n,
                "node_id": f"I_fake{repo.id}_{n}",
                "number": n,
                "url": f"{base}/issues/{n}",
                "repository_url": base,
                "labels_url": f"{base}/issues/{n}/labels{{/name}}",
                "comments_url": f"{base}/issues/{n}/comments",
                "events_url": f"{base}/issues/{n}/events",
                "html_url": issue.html_url,
                "title": issue.title,
                "body": issue.body,
                "state": issue.state,
                "state_reason": issue.state_reason,
                "user": self._user(api, issue.user),
                "labels": self._labels_json(api, repo, issue.labels),
                "assignee": None,
                "assignees": [],
                "milestone": None,
                "locked": False,
                "active_lock_reason": None,
                "comments": len(issue.comments),
                "closed_at": issue.closed_at,
                "created_at": issue.created_at,
                "updated_at": issue.updated_at,
                "closed_by": None,
                "author_association": "NONE" if issue.user.endswith("[bot]") else "OWNER",
                "repository": self._repo_json(api, repo, full=False),
            }
        )
        for key in (
            "pinned_comment",
            "pull_request",
            "issue_field_values",
            "type",
            "sub_issues_summary",
            "issue_dependencies_summary",
            "parent_issue_url",
        ):
            data.pop(key, None)
        data["performed_via_github_app"] = None
        data["timeline_url"] = f"{base}/issues/{n}/timeline"
        data["reactions"] = {
            "url": f"{base}/issues/{n}/reactions",
            "total_count": 0,
            "+1": 0,
            "-1": 0,
            "laugh": 0,
            "hooray": 0,
            "confused": 0,
            "heart": 0,
            "rocket": 0,
            "eyes": 0,
        }
        if issue.state_reason is None:  # the schema's enum omits null; GitHub sends null
            del data["state_reason"]
        if issue.is_pull:
            data["pull_request"] = {
                "url": f"{base}/pulls/{n}",
                "html_url": issue.html_url,
                "diff_url": issue.html_url + ".diff",
                "patch_url": issue.html_url + ".patch",
                "merged_at": None,
            }
        return data

    def _pull_json(
        self, api: str, repo: FakeRepo, pr: PullRecord, *, simple: bool = False
    ) -> dict[str, Any]:
        data: dict[str, Any] = self._rewrite(example("pull-request"), api, repo)
        base = f"{api}/repos/{repo.full_name}"
        n = pr.number
        head_sha = repo.branch_sha(pr.head) or _ZERO_SHA
        base_sha = repo.branch_sha(pr.base) or _ZERO_SHA

        def side(branch: str, sha: str, owner: str) -> dict[str, Any]:
            return {
                "label": f"{owner}:{branch}",
                "ref": branch,
                "sha": sha,
                "user": self._user(api, owner),
                "repo": self._repo_json(api, repo, full=False),
            }

        issue = repo._issues[n]
        data.update(
            {
                "id": 20_000 + n,
                "node_id": f"PR_fake{repo.id}_{n}",
                "number": n,
                "url": f"{base}/pulls/{n}",
                "html_url": pr.html_url,
                "diff_url": pr.html_url + ".diff",
                "patch_url": pr.html_url + ".patch",
                "issue_url": f"{base}/issues/{n}",
                "commits_url": f"{base}/pulls/{n}/commits",
                "review_comments_url": f"{base}/pulls/{n}/comments",
                "review_comment_url": f"{base}/pulls/comments{{/number}}",
                "comments_url": f"{base}/issues/{n}/comments",
                "statuses_url": f"{base}/statuses/{head_sha}",
                "state": pr.state,
                "locked": False,
                "title": pr.title,
                "body": pr.body,
                "user": self._user(api, pr.user),
                "labels": self._labels_json(api, repo, pr.labels),
                "milestone": None,
                "active_lock_reason": None,
                "created_at": pr.created_at,
                "updated_at": pr.updated_at,
                "closed_at": pr.closed_at,
                "merged_at": None,
                "merge_commit_sha": None,
                "assignee": None,
                "assignees": [],
                "requested_reviewers": [],
                "requested_teams": [],
                "head": side(pr.head, head_sha, pr.head_owner),
                "base": side(pr.base, base_sha, repo.owner),
                "author_association": "NONE" if pr.user.endswith("[bot]") else "OWNER",
                "auto_merge": None,
                "draft": pr.draft,
            }
        )
        data["_links"] = {
            "self": {"href": f"{base}/pulls/{n}"},
            "html": {"href": pr.html_url},
            "issue": {"href": f"{base}/issues/{n}"},
            "comments": {"href": f"{base}/issues/{n}/comments"},
            "review_comments": {"href": f"{base}/pulls/{n}/comments"},
            "review_comment": {"href": f"{base}/pulls/comments{{/number}}"},
            "commits": {"href": f"{base}/pulls/{n}/commits"},
            "statuses": {"href": f"{base}/statuses/{head_sha}"},
        }
        if simple:
            allowed = set(
                load_spec_dict()["components"]["schemas"]["pull-request-simple"]["properties"]
            )
            out = {k: v for k, v in data.items() if k in allowed}
            for label in out["labels"]:  # pull-request-simple types description as a string
                label["description"] = label["description"] or ""
            return out
        data.update(
            {
                "merged": False,
                "mergeable": True,
                "rebaseable": True,
                "mergeable_state": "clean",
                "merged_by": None,
                "comments": len(issue.comments),
                "review_comments": 0,
                "maintainer_can_modify": False,
                "commits": 1,
                "additions": 1,
                "deletions": 1,
                "changed_files": 1,
            }
        )
        return data

    def _page(self, req: Request, items: list[Any]) -> Response:
        try:
            per_page = min(max(int(req.query.get("per_page", self.per_page_default)), 1), 100)
            page = max(int(req.query.get("page", "1")), 1)
        except ValueError as exc:
            raise ApiError(
                422,
                "Validation Failed",
                errors=[{"resource": "Search", "field": "per_page", "code": "invalid"}],
            ) from exc
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if last > 1:

            def link(p: int) -> str:
                q = dict(req.query, page=str(p), per_page=str(per_page))
                return f"<{req.api}{req.raw_path}?{urllib.parse.urlencode(q)}>"

            rels = []
            if page > 1:
                rels += [f'{link(page - 1)}; rel="prev"', f'{link(1)}; rel="first"']
            if page < last:
                rels += [f'{link(page + 1)}; rel="next"', f'{link(last)}; rel="last"']
            headers["Link"] = ", ".join(rels)
        return Response(200, chunk, headers)

    # --- helpers ----------------------------------------------------------------------------------

    def _commit_for_ref(self, repo: FakeRepo, ref: str | None) -> str:
        sha = repo.resolve(ref)
        if sha is None:
            raise ApiError(404, f"No commit found for the ref {ref}", doc=f"{DOCS}/repos/contents")
        return sha

    def _body(self, req: Request) -> dict[str, Any]:
        if req.body is None:
            return {}
        if not isinstance(req.body, dict):
            raise ApiError(400, "Problems parsing JSON", doc=DOCS)
        return req.body

    def _fire_pending_move(self, repo: FakeRepo, branch: str) -> None:
        pending = repo.pending_moves.pop(branch, None)
        if pending is not None:
            files, message = pending
            repo.commit_as_other_user(branch, files, message)

    # --- handlers (run under self.lock) -----------------------------------------------------------

    def _h_rate_limit(self, req: Request, repo: FakeRepo | None) -> Response:
        data = example("rate-limit-overview")
        core = {
            "limit": self.rate_limit,
            "used": self.rate_used,
            "remaining": max(self.rate_limit - self.rate_used, 0),
            "reset": self.rate_reset,
        }
        data["resources"]["core"] = dict(core)
        data["rate"] = dict(core)
        return Response(200, data)

    def _h_get_repo(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        return Response(200, self._repo_json(req.api, repo))

    def _h_get_readme(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        ref = req.query.get("ref") or repo.default_branch
        sha = self._commit_for_ref(repo, ref)
        tree = repo.store.commits[sha].tree
        names = [
            e
            for e in repo.store.trees[tree]
            if e.type == "blob" and e.name.lower().split(".")[0] == "readme"
        ]
        names.sort(key=lambda e: (e.name.lower() != "readme.md", e.name))
        if not names:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/repos/contents#get-a-repository-readme")
        entry = names[0]
        return Response(200, self._content_json(req.api, repo, entry.name, entry, ref))

    def _h_get_contents(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        path = req.params["path"].strip("/")
        ref = req.query.get("ref") or repo.default_branch
        sha = self._commit_for_ref(repo, ref)
        entry = repo.store.tree_of_path(repo.store.commits[sha].tree, path)
        if entry is None:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/repos/contents#get-repository-content")
        if entry.type == "tree":
            listing = [
                self._content_json(
                    req.api, repo, f"{path}/{e.name}".lstrip("/"), e, ref, with_content=False
                )
                for e in repo.store.trees[entry.sha]
            ]
            return Response(200, listing)
        return Response(200, self._content_json(req.api, repo, path, entry, ref))

    def _file_commit(
        self,
        req: Request,
        repo: FakeRepo,
        path: str,
        entry: TreeEntry | None,
        *,
        commit: CommitRecord,
        branch: str,
    ) -> dict[str, Any]:
        c = self._commit_json(req.api, repo, commit)
        return {
            "content": None
            if entry is None
            else self._content_json(req.api, repo, path, entry, branch, with_content=False),
            "commit": c,
        }

    def _h_put_contents(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        path = req.params["path"].strip("/")
        body = self._body(req)
        branch = body.get("branch") or repo.default_branch
        if not isinstance(body.get("message"), str):
            raise ApiError(
                422,
                'Invalid request.\n\n"message" wasn\'t supplied.',
                doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
            )
        if not isinstance(body.get("content"), str):
            raise ApiError(
                422,
                'Invalid request.\n\n"content" wasn\'t supplied.',
                doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
            )
        try:
            data = base64.b64decode(body["content"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApiError(
                422,
                "content is not valid Base64",
                doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
            ) from exc
        empty_repo = not repo.refs and branch == repo.default_branch
        if repo.branch_sha(branch) is None and not empty_repo:  # before sha (notes §1.3)
            raise ApiError(
                404,
                f"Branch {branch} not found",
                doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
            )
        self._fire_pending_move(repo, branch)
        head_sha = repo.branch_sha(branch)
        flat = repo.store.flatten(repo.store.commits[head_sha].tree) if head_sha else {}
        existing = flat.get(path)
        if existing is not None:
            if "sha" not in body or body["sha"] is None:
                # pome-sh/digital-twins#400 (live probe): exact text.
                raise ApiError(
                    422,
                    'Invalid request.\n\n"sha" wasn\'t supplied.',
                    doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
                )
            if body["sha"] != existing.sha:
                # 409, no errors array (pome-sh/digital-twins#400; PyGithub#1815).
                raise ApiError(
                    409,
                    f"{path} does not match {body['sha']}",
                    doc=f"{DOCS}/repos/contents#create-or-update-file-contents",
                )
        if branch in repo.protected:
            raise self._protected_contents_error()
        flat[path] = TreeEntry(path, "100644", "blob", repo.store.put_blob(data))
        tree = repo.store.build(flat)
        commit = repo.make_commit(
            tree,
            [head_sha] if head_sha else [],
            body["message"],
            author=self._person(body.get("author")),
            committer=self._person(body.get("committer")),
            signed_by_bot=True,
        )
        repo.refs[f"refs/heads/{branch}"] = commit.sha
        status = 200 if existing is not None else 201
        out = self._file_commit(req, repo, path, flat[path], commit=commit, branch=branch)
        headers = {"Location": out["content"]["url"]} if status == 201 else {}
        return Response(status, out, headers)

    def _h_delete_contents(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        path = req.params["path"].strip("/")
        body = self._body(req)
        branch = body.get("branch") or repo.default_branch
        if repo.branch_sha(branch) is None:
            raise ApiError(404, f"Branch {branch} not found", doc=f"{DOCS}/repos/contents")
        self._fire_pending_move(repo, branch)
        head = repo.store.commits[repo.branch_sha(branch) or ""]
        flat = repo.store.flatten(head.tree)
        if path not in flat:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/repos/contents#delete-a-file")
        if not body.get("sha"):
            raise ApiError(
                422,
                'Invalid request.\n\n"sha" wasn\'t supplied.',
                doc=f"{DOCS}/repos/contents#delete-a-file",
            )
        if body["sha"] != flat[path].sha:
            raise ApiError(
                409,
                f"{path} does not match {body['sha']}",
                doc=f"{DOCS}/repos/contents#delete-a-file",
            )
        if branch in repo.protected:
            raise self._protected_contents_error()
        del flat[path]
        commit = repo.make_commit(
            repo.store.build(flat),
            [head.sha],
            str(body.get("message")),
            author=self._person(body.get("author")),
            committer=self._person(body.get("committer")),
            signed_by_bot=True,
        )
        repo.refs[f"refs/heads/{branch}"] = commit.sha
        return Response(200, self._file_commit(req, repo, path, None, commit=commit, branch=branch))

    @staticmethod
    def _person(value: Any) -> dict[str, str] | None:
        if not isinstance(value, dict):
            return None
        return {k: str(v) for k, v in value.items() if k in ("name", "email", "date")}

    @staticmethod
    def _protected_contents_error() -> ApiError:
        # Field report (kevgo/prettifier#28, akhilmhdh/contributors-readme-action#28): the
        # Contents API on a branch with required status checks answers "Could not update file:
        # N of N required status checks are expected." with documentation_url about protected
        # branches. The status code is not shown there; 409 is *unverified* (the spec lists 409).
        return ApiError(
            409,
            "Could not update file: 1 of 1 required status checks are expected.",
            doc="https://docs.github.com/articles/about-protected-branches",
        )

    @staticmethod
    def _protected_ref_error(ref: str) -> ApiError:
        # *Unverified* text and status. Based on: git push's "GH006: Protected branch update
        # failed for refs/heads/<b>." (kubeflow/pipelines#4384, pretis/flexpret#40) and
        # dependabot-core#3998, which treats REST errors matching /protected branch/i or
        # /required status check/i on a ref update as "branch protected". The spec lists 422
        # for PATCH git/refs.
        return ApiError(
            422,
            f"Protected branch update failed for {ref}.",
            doc="https://docs.github.com/articles/about-protected-branches",
        )

    def _h_get_branch(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        name = req.params["branch"]
        sha = repo.branch_sha(name)
        if sha is None:
            raise ApiError(404, "Branch not found", doc=f"{DOCS}/branches/branches#get-a-branch")
        data: dict[str, Any] = self._rewrite(example("branch-get"), req.api, repo)
        c = repo.store.commits[sha]
        base = f"{req.api}/repos/{repo.full_name}"
        data["name"] = name
        data["commit"].update(
            {
                "sha": sha,
                "node_id": f"C_fake{sha[:12]}",
                "url": f"{base}/commits/{sha}",
                "html_url": f"{self.web_url}/{repo.full_name}/commit/{sha}",
                "comments_url": f"{base}/commits/{sha}/comments",
                "author": self._user(req.api, self.login if c.verified else "octocat"),
                "committer": self._user(req.api, "web-flow"),
                "parents": [
                    {
                        "sha": p,
                        "url": f"{base}/commits/{p}",
                        "html_url": f"{self.web_url}/{repo.full_name}/commit/{p}",
                    }
                    for p in c.parents
                ],
            }
        )
        inner = self._commit_json(req.api, repo, c)
        data["commit"]["commit"] = {
            "author": inner["author"],
            "committer": inner["committer"],
            "message": c.message,
            "tree": inner["tree"],
            "url": inner["url"],
            "comment_count": 0,
            "verification": inner["verification"],
        }
        data["_links"] = {
            "self": f"{base}/branches/{name}",
            "html": f"{self.web_url}/{repo.full_name}/tree/{name}",
        }
        data["protected"] = name in repo.protected
        data["protection_url"] = f"{base}/branches/{name}/protection"
        data["protection"] = {
            "enabled": name in repo.protected,
            "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
        }
        return Response(200, data)

    def _h_post_blob(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        content = body.get("content")
        encoding = body.get("encoding", "utf-8")
        if not isinstance(content, str) or encoding not in ("utf-8", "base64"):
            raise ApiError(
                422,
                "Invalid request.\n\nFor 'properties/content', nil is not a string."
                if not isinstance(content, str)
                else f"Invalid request.\n\nEncoding {encoding!r} is not supported.",
                doc=f"{DOCS}/git/blobs#create-a-blob",
            )
        try:
            data = base64.b64decode(content) if encoding == "base64" else content.encode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise ApiError(
                422,
                "Invalid request.\n\ncontent is not valid Base64",
                doc=f"{DOCS}/git/blobs#create-a-blob",
            ) from exc
        sha = repo.store.put_blob(data)
        url = f"{req.api}/repos/{repo.full_name}/git/blobs/{sha}"
        return Response(201, {"url": url, "sha": sha}, {"Location": url})

    def _h_get_blob(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        sha = req.params["file_sha"]
        if sha not in repo.store.blobs:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/git/blobs#get-a-blob")
        data = repo.store.blobs[sha]
        encoded = base64.b64encode(data).decode()
        return Response(
            200,
            {
                "content": "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)),
                "encoding": "base64",
                "url": f"{req.api}/repos/{repo.full_name}/git/blobs/{sha}",
                "sha": sha,
                "size": len(data),
                "node_id": f"B_fake{sha[:12]}",
            },
        )

    def _tree_json(
        self, req: Request, repo: FakeRepo, sha: str, *, recursive: bool
    ) -> dict[str, Any]:
        base = f"{req.api}/repos/{repo.full_name}/git"
        items: list[dict[str, Any]] = []

        def walk(tree_sha: str, prefix: str) -> None:
            for e in repo.store.trees[tree_sha]:
                item: dict[str, Any] = {
                    "path": prefix + e.name,
                    "mode": e.mode,
                    "type": e.type,
                    "sha": e.sha,
                }
                if e.type == "blob":
                    item["size"] = len(repo.store.blobs[e.sha])
                    item["url"] = f"{base}/blobs/{e.sha}"
                elif e.type == "tree":
                    item["url"] = f"{base}/trees/{e.sha}"
                items.append(item)
                if recursive and e.type == "tree":
                    walk(e.sha, prefix + e.name + "/")

        walk(sha, "")
        return {"sha": sha, "url": f"{base}/trees/{sha}", "tree": items, "truncated": False}

    def _h_post_tree(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        entries = body.get("tree")
        doc = f"{DOCS}/git/trees#create-a-tree"
        if not isinstance(entries, list):
            raise ApiError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.', doc=doc)
        base_tree = body.get("base_tree")
        flat: dict[str, TreeEntry] = {}
        if base_tree:
            if base_tree not in repo.store.trees:
                # notes §1.2: a bad base_tree is a 404.
                raise ApiError(404, "Not Found", doc=doc)
            flat = repo.store.flatten(base_tree)
        for i, e in enumerate(entries):
            if not isinstance(e, dict) or not isinstance(e.get("path"), str):
                raise ApiError(
                    422,
                    "Invalid tree info",
                    doc=doc,
                    errors=[{"resource": "Tree", "field": "tree", "code": "invalid", "index": i}],
                )
            path = e["path"].strip("/")
            mode, kind = e.get("mode", "100644"), e.get("type", "blob")
            if mode not in ("100644", "100755", "040000", "160000", "120000") or kind not in (
                "blob",
                "tree",
                "commit",
            ):
                raise ApiError(422, f"Invalid tree info: mode {mode!r} type {kind!r}", doc=doc)
            if "content" in e and e["content"] is not None:
                sha = repo.store.put_blob(str(e["content"]).encode("utf-8"))
            elif "sha" in e and e["sha"] is None:
                for p in [p for p in flat if p == path or p.startswith(path + "/")]:
                    del flat[p]
                continue
            else:
                sha = str(e.get("sha"))
            if kind == "blob" and sha not in repo.store.blobs:
                raise ApiError(422, f"tree.sha {sha} is not a valid blob", doc=doc)
            for p in [p for p in flat if p == path or p.startswith(path + "/")]:
                del flat[p]
            if kind == "tree":
                if sha not in repo.store.trees:
                    raise ApiError(422, f"tree.sha {sha} is not a valid tree", doc=doc)
                for sub, se in repo.store.flatten(sha).items():
                    flat[f"{path}/{sub}"] = TreeEntry(f"{path}/{sub}", se.mode, se.type, se.sha)
            else:
                flat[path] = TreeEntry(path, mode, kind, sha)
        sha = repo.store.build(flat)
        out = self._tree_json(req, repo, sha, recursive=False)
        return Response(201, out, {"Location": out["url"]})

    def _h_get_tree(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        sha = req.params["tree_sha"]
        if sha not in repo.store.trees:
            resolved = repo.resolve(sha)
            if resolved is None:
                raise ApiError(404, "Not Found", doc=f"{DOCS}/git/trees#get-a-tree")
            sha = repo.store.commits[resolved].tree
        recursive = req.query.get("recursive", "") not in ("", "0", "false")
        return Response(200, self._tree_json(req, repo, sha, recursive=recursive))

    def _h_post_commit(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        doc = f"{DOCS}/git/commits#create-a-commit"
        tree, parents, message = body.get("tree"), body.get("parents", []), body.get("message")
        if not isinstance(message, str):
            raise ApiError(422, 'Invalid request.\n\n"message" wasn\'t supplied.', doc=doc)
        if not isinstance(tree, str) or tree not in repo.store.trees:
            # *unverified* wording
            raise ApiError(422, "Tree SHA does not exist", doc=doc)
        if not isinstance(parents, list) or any(p not in repo.store.commits for p in parents):
            raise ApiError(422, "Parent SHA does not exist or is not a commit object", doc=doc)
        commit = repo.make_commit(
            tree,
            parents,
            message,
            author=self._person(body.get("author")),
            committer=self._person(body.get("committer")),
            signed_by_bot="signature" not in body,
        )
        out = self._commit_json(req.api, repo, commit)
        return Response(201, out, {"Location": out["url"]})

    def _h_get_commit(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        sha = req.params["commit_sha"]
        if sha not in repo.store.commits:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/git/commits#get-a-commit-object")
        return Response(200, self._commit_json(req.api, repo, repo.store.commits[sha]))

    def _h_get_ref(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        ref = "refs/" + req.params["ref"].removeprefix("refs/")
        if ref not in repo.refs:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/git/refs#get-a-reference")
        return Response(200, self._ref_json(req.api, repo, ref))

    def _h_get_refs(self, req: Request, repo: FakeRepo | None) -> Response:
        # The plural form matches by prefix (an exact match returns one object).
        assert repo is not None
        want = "refs/" + req.params["ref"].removeprefix("refs/").strip("/")
        if want in repo.refs:
            return Response(200, self._ref_json(req.api, repo, want))
        found = [r for r in sorted(repo.refs) if r.startswith(want)]
        if not found:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/git/refs#get-a-reference")
        return Response(200, [self._ref_json(req.api, repo, r) for r in found])

    def _h_matching_refs(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        want = "refs/" + req.params["ref"].removeprefix("refs/")
        return Response(
            200, [self._ref_json(req.api, repo, r) for r in sorted(repo.refs) if r.startswith(want)]
        )

    def _h_post_ref(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        doc = f"{DOCS}/git/refs#create-a-reference"
        ref, sha = body.get("ref"), body.get("sha")
        if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
            raise ApiError(422, "Reference name is invalid", doc=doc)  # *unverified* wording
        if ref in repo.refs:
            raise ApiError(422, "Reference already exists", doc=doc)
        if not isinstance(sha, str) or sha not in repo.store.commits:
            raise ApiError(422, "Object does not exist", doc=doc)  # *unverified* wording
        repo.refs[ref] = sha
        out = self._ref_json(req.api, repo, ref)
        return Response(201, out, {"Location": out["url"]})

    def _h_patch_ref(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        doc = f"{DOCS}/git/refs#update-a-reference"
        ref = "refs/" + req.params["ref"].removeprefix("refs/")
        if ref not in repo.refs:
            raise ApiError(422, "Reference does not exist", doc=doc)
        branch = ref.removeprefix("refs/heads/")
        self._fire_pending_move(repo, branch)
        sha, force = body.get("sha"), bool(body.get("force", False))
        if not isinstance(sha, str) or sha not in repo.store.commits:
            raise ApiError(422, "Object does not exist", doc=doc)  # *unverified* wording
        if branch in repo.protected:
            raise self._protected_ref_error(ref)
        if not force and not repo.store.is_ancestor(repo.refs[ref], sha):
            raise ApiError(422, MSG_NOT_FAST_FORWARD, doc=doc)
        repo.refs[ref] = sha
        return Response(200, self._ref_json(req.api, repo, ref))

    def _h_delete_ref(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        ref = "refs/" + req.params["ref"].removeprefix("refs/")
        if ref not in repo.refs:
            raise ApiError(
                422, "Reference does not exist", doc=f"{DOCS}/git/refs#delete-a-reference"
            )
        if ref.removeprefix("refs/heads/") in repo.protected:
            raise self._protected_ref_error(ref)
        del repo.refs[ref]
        for pr in repo._pulls.values():  # GitHub closes PRs whose head branch is deleted
            if (
                pr.state == "open"
                and pr.head_owner == repo.owner
                and f"refs/heads/{pr.head}" == ref
            ):
                self._close(repo, pr.number)
        return Response(204)

    def _close(self, repo: FakeRepo, number: int) -> None:
        now = self.now()
        issue = repo._issues[number]
        issue.state, issue.closed_at, issue.updated_at = "closed", now, now
        if number in repo._pulls:
            pr = repo._pulls[number]
            pr.state, pr.closed_at, pr.updated_at = "closed", now, now
        else:
            issue.state_reason = issue.state_reason or "completed"

    def _h_list_pulls(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        state = req.query.get("state", "open")
        if state not in ("open", "closed", "all"):
            raise ApiError(
                422,
                "Validation Failed",
                errors=[{"resource": "PullRequest", "field": "state", "code": "invalid"}],
            )
        pulls = [p for p in repo.pulls if state in ("all", p.state)]
        head = req.query.get("head")
        if head and ":" in head:  # without "owner:" the filter is ignored (PyGithub#1566)
            owner, _, branch = head.partition(":")
            pulls = [p for p in pulls if p.head_owner.lower() == owner.lower() and p.head == branch]
        if req.query.get("base"):
            pulls = [p for p in pulls if p.base == req.query["base"]]
        # GitHub: direction defaults to desc when sort is "created" (the default), else asc.
        default_direction = "desc" if req.query.get("sort", "created") == "created" else "asc"
        reverse = req.query.get("direction", default_direction) == "desc"
        pulls.sort(key=lambda p: p.number, reverse=reverse)
        return self._page(req, [self._pull_json(req.api, repo, p, simple=True) for p in pulls])

    def _h_post_pull(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        doc = f"{DOCS}/pulls/pulls#create-a-pull-request"
        if not self.actions_can_create_prs and self.token_kind == "actions":
            raise ApiError(403, MSG_ACTIONS_PR, doc=doc)
        head, base = body.get("head"), body.get("base")
        if not isinstance(head, str) or not isinstance(base, str):
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[
                    {
                        "resource": "PullRequest",
                        "field": "head" if not isinstance(head, str) else "base",
                        "code": "missing_field",
                    }
                ],
            )
        owner, _, branch = head.rpartition(":")
        owner = owner or repo.owner
        errors = []
        if owner.lower() != repo.owner.lower() or repo.branch_sha(branch) is None:
            # shepherd-tools/shepherd#51
            errors.append({"resource": "PullRequest", "field": "head", "code": "invalid"})
        if repo.branch_sha(base) is None:
            errors.append({"resource": "PullRequest", "field": "base", "code": "invalid"})
        if errors:
            raise ApiError(422, "Validation Failed", doc=doc, errors=errors)
        for pr in repo.pulls:
            if pr.state == "open" and pr.head == branch and pr.base == base:
                # vsoch/pull-request-action#86, google/go-github#1441 (exact body).
                raise pull_request_refused(
                    f"A pull request already exists for {repo.owner}:{branch}.", doc
                )
        head_sha, base_sha = repo.branch_sha(branch) or "", repo.branch_sha(base) or ""
        if repo.store.is_ancestor(head_sha, base_sha):
            # *unverified* wording (notes §1.3).
            raise pull_request_refused(f"No commits between {base} and {branch}", doc)
        title = body.get("title")
        if not isinstance(title, str) or not title:
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "PullRequest", "field": "title", "code": "missing_field"}],
            )
        pr = repo._new_pull(
            branch,
            base,
            title,
            body=body.get("body"),
            state="open",
            head_owner=repo.owner,
            user=self.login,
            draft=bool(body.get("draft", False)),
        )
        out = self._pull_json(req.api, repo, pr)
        return Response(201, out, {"Location": out["url"]})

    def _get_pull(self, repo: FakeRepo, req: Request) -> PullRecord:
        n = int(req.params["pull_number"])
        if n not in repo._pulls:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/pulls/pulls#get-a-pull-request")
        return repo._pulls[n]

    def _h_get_pull(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        return Response(200, self._pull_json(req.api, repo, self._get_pull(repo, req)))

    def _h_patch_pull(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        pr = self._get_pull(repo, req)
        body = self._body(req)
        issue = repo._issues[pr.number]
        doc = f"{DOCS}/pulls/pulls#update-a-pull-request"
        if "state" in body and body["state"] not in ("open", "closed"):
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "PullRequest", "field": "state", "code": "invalid"}],
            )
        if "base" in body and repo.branch_sha(str(body["base"])) is None:
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "PullRequest", "field": "base", "code": "invalid"}],
            )
        if (
            body.get("state") == "open"
            and pr.state == "closed"
            and repo.branch_sha(pr.head) is None
        ):
            raise pull_request_refused("state cannot be changed. The head branch was deleted.", doc)
        now = self.now()
        if "title" in body:
            pr.title = issue.title = str(body["title"])
        if "body" in body:
            pr.body = issue.body = body["body"]
        if "base" in body:
            pr.base = str(body["base"])
        if body.get("state") == "closed" and pr.state == "open":
            self._close(repo, pr.number)
        elif body.get("state") == "open" and pr.state == "closed":
            pr.state = issue.state = "open"
            pr.closed_at = issue.closed_at = None
        pr.updated_at = issue.updated_at = now
        return Response(200, self._pull_json(req.api, repo, pr))

    def _get_issue(self, repo: FakeRepo, req: Request) -> IssueRecord:
        n = int(req.params["issue_number"])
        if n not in repo._issues:
            raise ApiError(404, "Not Found", doc=f"{DOCS}/issues/issues#get-an-issue")
        return repo._issues[n]

    def _label_names(self, body: Any) -> list[str]:
        raw = body.get("labels") if isinstance(body, dict) else body
        if not isinstance(raw, list):
            raise ApiError(
                422,
                'Invalid request.\n\n"labels" wasn\'t supplied.',
                doc=f"{DOCS}/issues/labels#add-labels-to-an-issue",
            )
        names = []
        for item in raw:
            name = item.get("name") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                raise ApiError(
                    422,
                    "Validation Failed",
                    errors=[{"resource": "Label", "field": "name", "code": "invalid"}],
                    doc=f"{DOCS}/issues/labels#add-labels-to-an-issue",
                )
            names.append(name.strip())
        return names

    def _sync_labels(self, repo: FakeRepo, issue: IssueRecord, names: list[str]) -> None:
        issue.labels[:] = names
        if issue.number in repo._pulls:
            repo._pulls[issue.number].labels = issue.labels

    def _h_get_issue_labels(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        issue = self._get_issue(repo, req)
        return self._page(req, self._labels_json(req.api, repo, issue.labels))

    def _h_add_issue_labels(self, req: Request, repo: FakeRepo | None) -> Response:
        # Missing labels are created with colour ededed (octokit add-labels-to-issue fixture).
        assert repo is not None
        issue = self._get_issue(repo, req)
        return self._apply_labels(req, repo, issue, list(issue.labels))

    def _h_set_issue_labels(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        return self._apply_labels(req, repo, self._get_issue(repo, req), [])

    def _apply_labels(
        self, req: Request, repo: FakeRepo, issue: IssueRecord, names: list[str]
    ) -> Response:
        """Append the requested labels (created if missing) to ``names`` and store them."""
        for n in self._label_names(req.body):
            label = repo._ensure_label(n)
            if label.name not in names:
                names.append(label.name)
        self._sync_labels(repo, issue, names)
        return Response(200, self._labels_json(req.api, repo, issue.labels))

    def _h_post_comment(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        issue = self._get_issue(repo, req)
        body = self._body(req)
        if not isinstance(body.get("body"), str):
            raise ApiError(
                422,
                "Validation Failed",
                errors=[{"resource": "IssueComment", "field": "body", "code": "missing_field"}],
            )
        issue.comments.append(body["body"])
        data = self._rewrite(example("issue-comment"), req.api, repo)
        cid = next(self.ids)
        now = self.now()
        data.update(
            {
                "id": cid,
                "node_id": f"IC_fake{cid}",
                "body": body["body"],
                "url": f"{req.api}/repos/{repo.full_name}/issues/comments/{cid}",
                "html_url": f"{issue.html_url}#issuecomment-{cid}",
                "issue_url": f"{req.api}/repos/{repo.full_name}/issues/{issue.number}",
                "user": self._user(req.api, self.login),
                "created_at": now,
                "updated_at": now,
                "author_association": "NONE",
            }
        )
        data.pop("performed_via_github_app", None)
        data.pop("reactions", None)
        return Response(201, data, {"Location": data["url"]})

    def _h_list_labels(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        return self._page(req, [self._label_json(req.api, repo, lb) for lb in repo.labels.values()])

    def _h_get_label(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        for label in repo.labels.values():
            if label.name.lower() == req.params["name"].lower():
                return Response(200, self._label_json(req.api, repo, label))
        raise ApiError(404, "Not Found", doc=f"{DOCS}/issues/labels#get-a-label")

    def _h_post_label(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        body = self._body(req)
        doc = f"{DOCS}/issues/labels#create-a-label"
        name = body.get("name")
        color = str(body.get("color", "ededed")).removeprefix("#")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "Label", "field": "name", "code": "missing_field"}],
            )
        if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            # octokit errors fixture: resource Label, code invalid, field color.
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "Label", "code": "invalid", "field": "color"}],
            )
        if any(lb.name.lower() == name.lower() for lb in repo.labels.values()):
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "Label", "code": "already_exists", "field": "name"}],
            )
        label = repo._ensure_label(name, color.lower(), body.get("description"))
        out = self._label_json(req.api, repo, label)
        return Response(201, out, {"Location": out["url"]})

    def _h_list_issues(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        state = req.query.get("state", "open")
        items = [i for _, i in sorted(repo._issues.items()) if state in ("all", i.state)]
        if req.query.get("labels"):
            want = {w.strip().lower() for w in req.query["labels"].split(",") if w.strip()}
            items = [i for i in items if want <= {n.lower() for n in i.labels}]
        if req.query.get("creator"):
            items = [i for i in items if i.user.lower() == req.query["creator"].lower()]
        reverse = req.query.get("direction", "desc") == "desc"
        items.sort(key=lambda i: i.number, reverse=reverse)
        return self._page(req, [self._issue_json(req.api, repo, i) for i in items])

    def _h_post_issue(self, req: Request, repo: FakeRepo | None) -> Response:
        # Labels that don't exist are created, like the add-labels endpoint (*unverified* for
        # this endpoint; GitHub documents that labels are silently dropped without push access).
        assert repo is not None
        body = self._body(req)
        title = body.get("title")
        if not isinstance(title, (str, int)) or title == "":
            raise ApiError(
                422,
                "Validation Failed",
                doc=f"{DOCS}/issues/issues#create-an-issue",
                errors=[{"resource": "Issue", "field": "title", "code": "missing_field"}],
            )
        labels = self._label_names(body.get("labels", [])) if body.get("labels") else []
        issue = repo._new_issue(str(title), body.get("body"), labels, "open", self.login)
        out = self._issue_json(req.api, repo, issue)
        return Response(201, out, {"Location": out["url"]})

    def _h_get_issue(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        return Response(200, self._issue_json(req.api, repo, self._get_issue(repo, req)))

    def _h_patch_issue(self, req: Request, repo: FakeRepo | None) -> Response:
        assert repo is not None
        issue = self._get_issue(repo, req)
        body = self._body(req)
        doc = f"{DOCS}/issues/issues#update-an-issue"
        if "state" in body and body["state"] not in ("open", "closed"):
            raise ApiError(
                422,
                "Validation Failed",
                doc=doc,
                errors=[{"resource": "Issue", "field": "state", "code": "invalid"}],
            )
        if "title" in body:
            issue.title = str(body["title"])
        if "body" in body:
            issue.body = body["body"]
        if "labels" in body:
            self._sync_labels(
                repo, issue, [repo._ensure_label(n).name for n in self._label_names(body["labels"])]
            )
        if body.get("state") == "closed" and issue.state == "open":
            issue.state_reason = body.get("state_reason") or (
                None if issue.is_pull else "completed"
            )
            self._close(repo, issue.number)
        elif body.get("state") == "open" and issue.state == "closed":
            issue.state, issue.closed_at = "open", None
            issue.state_reason = "reopened" if not issue.is_pull else None
            if issue.number in repo._pulls:
                repo._pulls[issue.number].state = "open"
                repo._pulls[issue.number].closed_at = None
        if issue.number in repo._pulls:
            pr = repo._pulls[issue.number]
            pr.title, pr.body = issue.title, issue.body
        issue.updated_at = self.now()
        return Response(200, self._issue_json(req.api, repo, issue))


# --------------------------------------------------------------------------------------------
# pytest fixture


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started :class:`FakeGitHub`; fails the test if any response broke the OpenAPI subset."""
    fake = FakeGitHub().start()
    try:
        yield fake
    finally:
        fake.stop()
    problems = fake.schema_violations + [f"request: {v}" for v in fake.request_violations]
    if problems:
        pytest.fail("fake GitHub schema violations:\n" + "\n".join(problems), pytrace=False)
