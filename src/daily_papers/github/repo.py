"""The GitHub REST adapter: one method per repository operation, PyGithub's quirks kept inside.

It implements :class:`daily_papers.publish.RepoPort` and the digest's issue tracker.  How it
talks HTTP (retries, counting) is :mod:`daily_papers.github.transport`; how failures become
sentences is :mod:`daily_papers.github.errors`.

Request economy: the repository object is built lazily (``Github(lazy=True)``), so no
``GET /repos/{o}/{r}`` is made unless the default branch is asked for; :meth:`GitHubRepo.head`
reads commit and tree SHA with one ``GET …/branches/{b}``; file contents go inline into
``POST …/git/trees`` (``content``) instead of one ``POST …/git/blobs`` per file; ref updates
use a lazily built ``GitRef`` (no ``GET`` before the ``PATCH``).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence

from github.GitCommit import GitCommit
from github.GithubException import GithubException
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.InputGitTreeElement import InputGitTreeElement
from github.Repository import Repository

from daily_papers import defaults
from daily_papers.errors import GitHubError
from daily_papers.github import transport as github_transport
from daily_papers.github.errors import Call, map_error, protected_branch_error, server_message
from daily_papers.publish import Head, IssueRef, NotFastForward, PullRef

logger = logging.getLogger(__name__)

#: GitHub answers 422 with this while a just-created PR is not yet visible to the labels API
#: (peter-evans/create-pull-request#4321); retried after these delays.
LABEL_RETRY_DELAYS = (1.0, 2.0)

_FILE_MODE = "100644"


def _html_base(api_url: str) -> str:
    """The web URL for an API URL: ``api.github.com`` → ``github.com``; GHES drops ``/api/v3``."""
    parts = urllib.parse.urlsplit(api_url.rstrip("/"))
    host = parts.netloc
    if host == "api.github.com":
        host = "github.com"
    path = parts.path
    if path.endswith("/api/v3"):
        path = path[: -len("/api/v3")]
    return urllib.parse.urlunsplit((parts.scheme, host, path, "", ""))


class GitHubRepo:
    """One repository on one GitHub (or GHES) API, through PyGithub.

    Build it with :meth:`connect`.  Every method makes the requests its docstring lists and
    raises :class:`~daily_papers.errors.GitHubError` with a hint on failure (the token never
    appears in any message).
    """

    def __init__(
        self,
        connection: github_transport.Connection,
        full_name: str,
        *,
        api_url: str,
        sleep: Callable[[float], None],
    ) -> None:
        self._connection = connection
        self._full_name = full_name
        self._api_url = api_url.rstrip("/")
        self._sleep = sleep
        # lazy=True: no GET /repos/{o}/{r} until an attribute that needs it is read.
        self._repo: Repository = connection.gh.get_repo(full_name)
        self._default_branch: str | None = None
        self._read_cache: dict[tuple[str, str], bytes | None] = {}

    @classmethod
    def connect(
        cls,
        full_name: str,
        *,
        token: str,
        api_url: str = defaults.GITHUB_API_URL,
        retry: bool = True,
        throttle: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> GitHubRepo:
        """Prepare a client for ``OWNER/NAME``; makes no request yet.

        ``retry=False`` disables the transport retries and ``throttle=False`` PyGithub's spacing
        of requests, both for tests; ``sleep`` does the retry waits.
        """
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise GitHubError(
                f"The repository `{full_name}` is not of the form OWNER/NAME.",
                "Pass e.g. `--repo octocat/hello-world`.",
            )
        if not token:
            raise GitHubError(
                "No GitHub token was given.",
                "Set the `github-token` input (default: the workflow's GITHUB_TOKEN) or the "
                "GITHUB_TOKEN environment variable.",
            )
        connection = github_transport.connect(
            api_url, token, retry=retry, throttle=throttle, sleep=sleep
        )
        return cls(connection, full_name, api_url=api_url, sleep=sleep)

    # ----------------------------------------------------------------- properties

    @property
    def full_name(self) -> str:
        """``OWNER/NAME`` as given."""
        return self._full_name

    @property
    def owner(self) -> str:
        """The owner login (the ``owner:`` prefix of a PR head filter)."""
        return self._full_name.split("/", 1)[0]

    @property
    def api_url(self) -> str:
        """The API base URL, for messages."""
        return self._api_url

    @property
    def html_url(self) -> str:
        """The repository's web URL, derived from the API URL (no request)."""
        return f"{_html_base(self._api_url)}/{self._full_name}"

    @property
    def api_calls(self) -> int:
        """HTTP requests sent so far, including transport retries."""
        return self._connection.api_calls

    @property
    def default_branch(self) -> str:
        """The default branch (one ``GET /repos/{o}/{r}``, then cached)."""
        if self._default_branch is None:
            with self._call(
                Call(
                    f"reading repository `{self._full_name}`",
                    not_found=f"The repository `{self._full_name}` was not found "
                    "(or the token cannot see it).",
                )
            ):
                self._repo.complete()
                self._default_branch = str(self._repo.default_branch)
        return self._default_branch

    def compare_url(self, base: str, head: str) -> str:
        """The web page comparing ``head`` with ``base`` (offered when a PR cannot be opened)."""
        quote = urllib.parse.quote
        return f"{self.html_url}/compare/{quote(base, safe='/')}...{quote(head, safe='/')}"

    # ----------------------------------------------------------------- error plumbing

    @contextlib.contextmanager
    def _call(self, call: Call) -> Iterator[None]:
        try:
            yield
        except GitHubError:
            raise
        except NotFastForward:
            raise
        except Exception as exc:
            mapped = map_error(exc, call, api_url=self._api_url)
            if mapped is None:
                raise
            mapped.message = self._redact(mapped.message)
            mapped.hint = self._redact(mapped.hint) if mapped.hint else mapped.hint
            mapped.args = (mapped.message,)
            logger.debug("GitHub request failed: %s", self._redact(repr(exc)))
            raise mapped from None

    def _redact(self, text: str) -> str:
        secret = self._connection.token.token
        return text.replace(secret, "***") if secret else text

    def _git_commit(self, sha: str) -> GitCommit:
        """A lazily built commit object (PyGithub only needs its SHA; no request)."""
        return GitCommit(
            self._repo.requester, url=f"{self._repo.url}/git/commits/{sha}", attributes={"sha": sha}
        )

    def _git_tree(self, sha: str) -> GitTree:
        """A lazily built tree object (no request)."""
        return GitTree(
            self._repo.requester, url=f"{self._repo.url}/git/trees/{sha}", attributes={"sha": sha}
        )

    def _git_ref(self, branch: str) -> GitRef:
        """A lazily built ref for PATCH/DELETE (no request).

        NOTE: ``Repository.get_git_ref`` on a lazy repository builds the URL
        ``…/git/ref/heads/b`` (the singular GET path, PyGithub ≥ 2.8); updates and deletes live
        under ``…/git/refs/heads/b`` (https://docs.github.com/en/rest/git/refs), so build it here.
        """
        quoted = urllib.parse.quote(branch, safe="/")
        return GitRef(
            self._repo.requester,
            url=f"{self._repo.url}/git/refs/heads/{quoted}",
            attributes={"ref": f"refs/heads/{branch}"},
        )

    # ----------------------------------------------------------------- reading

    def head(self, branch: str) -> Head:
        """The branch tip: ``GET …/branches/{branch}`` (commit and tree SHA in one request)."""
        found = self._branch_head(branch)
        if found is None:
            raise GitHubError(
                f"The branch `{branch}` was not found in {self._full_name}.",
                "Check `--branch` (action input `branch`); leave it empty for the default branch.",
                status=404,
            )
        return found

    def find_head(self, branch: str) -> Head | None:
        """Like :meth:`head`, but ``None`` when the branch does not exist (one request)."""
        return self._branch_head(branch)

    def _branch_head(self, branch: str) -> Head | None:
        with self._call(Call(f"reading branch `{branch}` of {self._full_name}")):
            try:
                found = self._repo.get_branch(branch)
            except GithubException as exc:
                if exc.status != 404:
                    raise
                if "branch not found" in server_message(exc).lower():
                    return None
                # GitHub says plain "Not Found" when the repository itself is missing/hidden.
                raise GitHubError(
                    f"The repository `{self._full_name}` was not found "
                    "(or the token cannot see it).",
                    "Check `--repo` (action: the repository running the workflow) and the token.",
                    status=404,
                ) from None
            commit = found.commit
            return Head(branch=branch, commit_sha=commit.sha, tree_sha=commit.commit.tree.sha)

    def read_file(self, path: str, ref: str) -> bytes | None:
        """The file's bytes at ``ref`` (a commit SHA), or ``None`` when it does not exist.

        ``GET …/contents/{path}?ref=``; a file over 1 MB comes back with ``encoding: "none"``
        and no content, so it is read through ``GET …/git/blobs/{sha}`` (≤ 100 MB) instead
        (https://docs.github.com/en/rest/repos/contents#get-repository-content, PyGithub#2312).
        """
        # Contents at a commit SHA never change, so a second read of the same (path, sha) —
        # validating before the arXiv fetch, then building — costs no API call.
        immutable = len(ref) == 40 and all(c in "0123456789abcdef" for c in ref)
        if immutable and (path, ref) in self._read_cache:
            return self._read_cache[(path, ref)]
        data = self._read_file_uncached(path, ref)
        if immutable:
            self._read_cache[(path, ref)] = data
        return data

    def _read_file_uncached(self, path: str, ref: str) -> bytes | None:
        call = Call(f"reading `{path}` at {ref[:12]} in {self._full_name}")
        with self._call(call):
            try:
                found = self._repo.get_contents(path, ref=ref)
            except GithubException as exc:
                if exc.status == 404:
                    return None
                raise
            if isinstance(found, list):
                raise GitHubError(
                    f"`{path}` in {self._full_name} is a directory, not a file.",
                    "Point the README/data path at a file.",
                )
            if found.encoding == "base64":
                return found.decoded_content
            blob = self._repo.get_git_blob(found.sha)
            if blob.encoding != "base64":
                raise GitHubError(
                    f"GitHub returned `{path}` in an unexpected encoding ({blob.encoding})."
                )
            return base64.b64decode(blob.content)

    # ----------------------------------------------------------------- writing git data

    def create_tree(self, parent: Head, files: Mapping[str, bytes | None]) -> str:
        """``POST …/git/trees`` on the parent's tree; returns the new tree SHA.

        UTF-8 files go inline as ``content``; other bytes through ``POST …/git/blobs`` as
        base64; ``None`` deletes the path (an entry with ``sha: null``).
        """
        elements: list[InputGitTreeElement] = []
        with self._call(
            Call(
                f"writing files to `{parent.branch}` of {self._full_name}",
                permission="contents: write",
            )
        ):
            for path, data in files.items():
                if data is None:
                    elements.append(InputGitTreeElement(path, _FILE_MODE, "blob", sha=None))
                    continue
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    blob = self._repo.create_git_blob(
                        base64.b64encode(data).decode("ascii"), "base64"
                    )
                    elements.append(InputGitTreeElement(path, _FILE_MODE, "blob", sha=blob.sha))
                else:
                    elements.append(InputGitTreeElement(path, _FILE_MODE, "blob", content=text))
            tree = self._repo.create_git_tree(elements, base_tree=self._git_tree(parent.tree_sha))
            return str(tree.sha)

    def commit_tree(self, parent: Head, tree_sha: str, message: str) -> str:
        """``POST …/git/commits`` (one parent, no author/committer); returns the commit SHA."""
        with self._call(
            Call(
                f"creating a commit on `{parent.branch}` of {self._full_name}",
                permission="contents: write",
            )
        ):
            commit = self._repo.create_git_commit(
                message, self._git_tree(tree_sha), [self._git_commit(parent.commit_sha)]
            )
            return str(commit.sha)

    def update_branch(self, branch: str, sha: str, *, force: bool) -> None:
        """``PATCH …/git/refs/heads/{branch}``; :class:`NotFastForward` when it moved meanwhile.

        A protection/ruleset refusal becomes the protected-branch error suggesting PR mode.
        """
        call = Call(
            f"updating branch `{branch}` of {self._full_name}",
            permission="contents: write",
            not_found=f"The branch `{branch}` was not found in {self._full_name}.",
            branch=branch,
        )
        with self._call(call):
            try:
                self._git_ref(branch).edit(sha, force=force)
            except GithubException as exc:
                text = server_message(exc).lower()
                if not force and exc.status == 422 and "not a fast forward" in text:
                    raise NotFastForward(f"{branch}: {server_message(exc)}") from None
                if exc.status == 422 and "reference update failed" in text:
                    # What rulesets answer; a moved branch says "not a fast forward".
                    raise protected_branch_error(branch, server_message(exc), 422) from None
                raise

    def create_branch(self, branch: str, sha: str) -> None:
        """``POST …/git/refs`` creating ``refs/heads/{branch}`` at ``sha``."""
        with self._call(
            Call(f"creating branch `{branch}` in {self._full_name}", permission="contents: write")
        ):
            self._repo.create_git_ref(f"refs/heads/{branch}", sha)

    def delete_branch(self, branch: str) -> None:
        """``DELETE …/git/refs/heads/{branch}``; a branch that is already gone is fine."""
        with self._call(
            Call(f"deleting branch `{branch}` in {self._full_name}", permission="contents: write")
        ):
            try:
                self._git_ref(branch).delete()
            except GithubException as exc:
                if exc.status in (404, 422):  # 422 "Reference does not exist"
                    return
                raise

    # ----------------------------------------------------------------- pull requests

    def find_open_pull(self, head_branch: str, base: str) -> PullRef | None:
        """The open PR from ``head_branch`` into ``base``: ``GET …/pulls?head=owner:branch``.

        The ``owner:`` prefix is required — without it GitHub ignores the filter and lists every
        PR (PyGithub#1566).  Iterated, never ``totalCount`` (an extra request).
        """
        with self._call(Call(f"listing pull requests of {self._full_name}")):
            pulls = self._repo.get_pulls(
                state="open", head=f"{self.owner}:{head_branch}", base=base
            )
            for pull in pulls:
                if pull.head.ref == head_branch:
                    return PullRef(pull.number, pull.html_url, pull.head.sha)
            return None

    def create_pull(self, base: str, head_branch: str, title: str, body: str) -> PullRef:
        """``POST …/pulls``; when one already exists for the branch, that one is returned."""
        call = Call(
            f"opening a pull request from `{head_branch}` into `{base}` in {self._full_name}",
            permission="pull-requests: write",
            compare_url=self.compare_url(base, head_branch),
        )
        with self._call(call):
            try:
                pull = self._repo.create_pull(
                    base=base, head=head_branch, title=title, body=body, draft=False
                )
            except GithubException as exc:
                if exc.status == 422 and "already exists" in server_message(exc).lower():
                    # A concurrent run got there first.
                    existing = self.find_open_pull(head_branch, base)
                    if existing is not None:
                        return existing
                raise
            return PullRef(pull.number, pull.html_url, pull.head.sha)

    def edit_pull(self, number: int, *, title: str, body: str) -> PullRef:
        """``PATCH …/pulls/{number}`` with a new title and body."""
        with self._call(
            Call(
                f"updating pull request #{number} in {self._full_name}",
                permission="pull-requests: write",
            )
        ):
            pull = self._repo.get_pull(number)  # lazy: no GET
            pull.edit(title=title, body=body)
            return PullRef(pull.number, pull.html_url, pull.head.sha)

    def close_pull(self, number: int) -> None:
        """``PATCH …/pulls/{number}`` with ``state: closed``."""
        with self._call(
            Call(
                f"closing pull request #{number} in {self._full_name}",
                permission="pull-requests: write",
            )
        ):
            self._repo.get_pull(number).edit(state="closed")

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        """``POST …/issues/{number}/labels`` (missing labels are created by GitHub).

        Retried briefly on 422 "Could not resolve to a node": a just-created PR is not always
        visible to the labels endpoint yet (peter-evans/create-pull-request#4321).
        """
        if not labels:
            return
        call = Call(
            f"labelling #{number} in {self._full_name}",
            permission="pull-requests: write (or issues: write)",
        )
        with self._call(call):
            issue = self._repo.get_issue(number)  # lazy: no GET
            for delay in (*LABEL_RETRY_DELAYS, None):
                try:
                    issue.add_to_labels(*labels)
                    return
                except GithubException as exc:
                    if (
                        delay is None
                        or "could not resolve to a node" not in server_message(exc).lower()
                    ):
                        raise
                    self._sleep(delay)

    # ----------------------------------------------------------------- issues

    def create_issue(self, title: str, body: str, labels: Sequence[str]) -> IssueRef:
        """``POST …/issues`` (labels created if missing)."""
        with self._call(Call(f"opening an issue in {self._full_name}", permission="issues: write")):
            issue = self._repo.create_issue(title=title, body=body, labels=list(labels))
            return IssueRef(issue.number, issue.html_url, issue.body)

    def close_issue(self, number: int) -> None:
        """``PATCH …/issues/{number}`` with ``state: closed``."""
        with self._call(
            Call(f"closing issue #{number} in {self._full_name}", permission="issues: write")
        ):
            self._repo.get_issue(number).edit(state="closed")

    def find_recent_issues(self) -> list[IssueRef]:
        """The newest open issues, first page only (``GET …/issues?sort=created``)."""
        with self._call(Call(f"listing issues of {self._full_name}")):
            found = self._repo.get_issues(state="open", sort="created", direction="desc")
            return [
                IssueRef(i.number, i.html_url, i.body)
                for i in found.get_page(0)
                if "/pull/" not in i.html_url
            ]

    def find_open_issues(self, label: str) -> list[IssueRef]:
        """Open issues (not PRs) carrying ``label``, newest first (``GET …/issues``)."""
        with self._call(Call(f"listing issues of {self._full_name}")):
            found = self._repo.get_issues(
                state="open", labels=[label], sort="created", direction="desc"
            )
            # NOTE: the issues endpoint also lists PRs; their html_url is …/pull/N.  Reading
            # ``pull_request`` instead would make PyGithub GET every issue to "complete" it.
            return [
                IssueRef(i.number, i.html_url, i.body) for i in found if "/pull/" not in i.html_url
            ]
