"""The GitHub REST adapter: one method per operation, every PyGithub quirk kept in here.

This is the only module that imports PyGithub (``github``).  :mod:`daily_papers.publish` decides
*what* to do and talks to :class:`GitHubRepo` through a small Protocol; this module knows *how*:
which endpoint, which PyGithub call avoids an extra request, and how each failure GitHub can
answer with becomes one :class:`~daily_papers.errors.GitHubError` sentence plus a hint.

Request economy (see ``notes/github-api.md`` §2.2): the repository object is built lazily
(``Github(lazy=True)``), so no ``GET /repos/{o}/{r}`` is made unless the default branch is asked
for; :meth:`GitHubRepo.head` reads commit and tree SHA with one ``GET …/branches/{b}``; file
contents go inline into ``POST …/git/trees`` (``content``) instead of one ``POST …/git/blobs``
per file; ref updates use a lazily built ``GitRef`` (no ``GET`` before the ``PATCH``).

Retries (production): PyGithub's :class:`github.GithubRetry.GithubRetry` retries 5xx (GET and
POST only — never PATCH) and rate-limited 403s.  We bound it to :data:`RETRY_TOTAL` attempts with
a short exponential backoff, and cap any rate-limit or ``Retry-After`` wait at
:data:`MAX_RATE_LIMIT_WAIT` seconds: a nearer reset is waited for, a farther one fails naming the
reset time (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import github
import requests
from github import Auth
from github.GitCommit import GitCommit
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededExceedsMaxWait,
)
from github.GithubRetry import GithubRetry
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.InputGitTreeElement import InputGitTreeElement
from github.Repository import Repository
from urllib3.response import BaseHTTPResponse

from daily_papers.errors import GitHubError

logger = logging.getLogger(__name__)

#: Attempts for a request failing with 5xx or a connection error (GET/POST only; PyGithub never
#: retries PATCH).  With :data:`RETRY_BACKOFF` 1 s the waits are 0 s, 2 s, 4 s.
RETRY_TOTAL = 3
RETRY_BACKOFF = 1.0
#: Longest wait (seconds) for a rate-limit reset or ``Retry-After`` before failing instead.
MAX_RATE_LIMIT_WAIT = 60.0
#: GitHub answers 422 with this while a just-created PR is not yet visible to the labels API
#: (peter-evans/create-pull-request#4321); retried after these delays.
LABEL_RETRY_DELAYS = (1.0, 2.0)

_FILE_MODE = "100644"
_PERMISSIONS_DOC = (
    "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/"
    "controlling-permissions-for-github_token"
)


class NotFastForward(Exception):
    """Internal: the branch moved (or refused the update) between reading its head and writing.

    :mod:`daily_papers.publish` catches it to re-read, re-render and retry; it never reaches users.
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
    """An issue as the digest code reports it."""

    number: int
    url: str  # html_url
    body: str | None = None  # lets the digest code recognise its own issues


class _CountingToken(Auth.Token):
    """``Auth.Token`` that counts the requests PyGithub sends (it authenticates every request)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.calls = 0

    def authentication(self, headers: dict[str, str]) -> None:
        self.calls += 1
        super().authentication(headers)


class _RetryCounter:
    """Shared between the immutable Retry copies urllib3 makes; counts repeated attempts."""

    def __init__(self) -> None:
        self.retries = 0


class _BoundedRetry(GithubRetry):
    """``GithubRetry`` whose waits are counted, capped and done by an injected sleeper.

    urllib3 copies the Retry object on every attempt (``new``), so the counter and sleeper are
    passed along.  A ``Retry-After`` beyond ``max_rate_limit_wait`` fails instead of blocking
    (PyGithub only caps the waits it computes itself from ``X-RateLimit-Reset``).
    """

    def __init__(
        self,
        *,
        counter: _RetryCounter,
        sleeper: Callable[[float], None],
        **kwargs: Any,
    ) -> None:
        self._counter = counter
        self._sleeper = sleeper
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> _BoundedRetry:
        kw.update(counter=self._counter, sleeper=self._sleeper)
        return super().new(**kw)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        self._counter.retries += 1
        wait: float | None = None
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response)
        if wait is None:
            wait = self.get_backoff_time()
        if self.max_rate_limit_wait is not None and wait > self.max_rate_limit_wait:
            headers = dict(response.headers) if response is not None else None
            status = response.status if response is not None else 429
            raise RateLimitExceededExceedsMaxWait(status, None, headers, wait=wait)
        if wait > 0:
            logger.info("GitHub asked to wait; retrying in %.0f s", wait)
            self._sleeper(wait)


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


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _server_message(exc: GithubException) -> str:
    """GitHub's ``message`` plus the first validation error's ``message`` (if any)."""
    data = exc.data
    if not isinstance(data, dict):
        return str(data or exc.message or "").strip()
    text = str(data.get("message") or "")
    errors = data.get("errors")
    if isinstance(errors, list):
        details = [
            str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message")
        ]
        if details:
            text = f"{text}: {'; '.join(details)}" if text else "; ".join(details)
    return text.strip()


def _reset_time(headers: Mapping[str, str] | None) -> str | None:
    """``X-RateLimit-Reset`` (epoch seconds) as ``YYYY-MM-DD HH:MM:SS UTC``."""
    value = _header(headers, "x-ratelimit-reset")
    if value is None:
        return None
    try:
        moment = datetime.fromtimestamp(int(float(value)), timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


_PROTECTED_MARKERS = (
    "protected branch",
    "repository rule violation",
    "required status check",
    "changes must be made through a pull request",
)


def is_protection_message(text: str) -> bool:
    """True when GitHub's message says branch protection or a ruleset refused the update."""
    lowered = text.lower()
    return any(marker in lowered for marker in _PROTECTED_MARKERS)


def protected_branch_error(branch: str, detail: str = "", status: int | None = None) -> GitHubError:
    """The error for a branch that refuses direct updates (protection rules, rulesets)."""
    suffix = f" ({detail})" if detail else ""
    return GitHubError(
        f"GitHub refused to update the protected branch `{branch}`{suffix}.",
        "Use pull-request mode instead (`--mode pull-request`, action input "
        "`mode: pull-request`), or allow the workflow to push to this branch.",
        status=status,
    )


@dataclass(frozen=True)
class _Call:
    """What a request was for, so a failure can name it and the permission it needs."""

    doing: str  # "reading README.md at main"
    permission: str | None = None  # "contents: write"
    not_found: str | None = None  # sentence for 404
    compare_url: str | None = None  # for the Actions PR-policy 403
    branch: str | None = None  # the branch written, for the protected-branch error


def map_error(exc: BaseException, call: _Call, *, api_url: str) -> GitHubError | None:
    """Turn a PyGithub/requests failure into the user-facing error (``None``: not ours to map).

    The one table of GitHub failures and their fixes (issue 4, item 4); order matters: the
    specific 403 messages are checked before the rate-limit and generic cases.
    """
    if isinstance(exc, requests.exceptions.RetryError):
        # PyGithub lets urllib3 retry 5xx; when attempts run out requests raises RetryError,
        # not a GithubException (notes/github-api.md §2.4).
        return GitHubError(
            f"The GitHub API at {api_url} kept answering with server errors while {call.doing}.",
            "GitHub may be having an outage (https://www.githubstatus.com); re-run the job later.",
        )
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return GitHubError(
            f"Could not reach the GitHub API at {api_url} while {call.doing}.",
            "Check the API URL (GITHUB_API_URL; GitHub Enterprise needs https://HOST/api/v3) "
            "and the runner's network.",
        )
    if not isinstance(exc, GithubException):
        return None
    status = exc.status
    message = _server_message(exc)
    lowered = message.lower()
    detail = f" (HTTP {status}: {message})" if message else f" (HTTP {status})"

    if isinstance(exc, BadCredentialsException) or status == 401:
        return GitHubError(
            f"GitHub rejected the token as bad credentials while {call.doing}.",
            "Check the `github-token` input (or the GITHUB_TOKEN environment variable): it must "
            "be a valid, unexpired token for this repository.",
            status=status,
        )
    if "github actions is not permitted to create or approve pull requests" in lowered:
        compare = (
            f" Meanwhile the changes can be reviewed at {call.compare_url}."
            if call.compare_url
            else ""
        )
        return GitHubError(
            "GitHub Actions is not permitted to create pull requests in this repository.",
            'Enable Settings → Actions → General → Workflow permissions → "Allow GitHub Actions '
            f'to create and approve pull requests", or use a different token.{compare}',
            status=status,
        )
    if "resource not accessible by integration" in lowered or (
        status == 403 and "must have admin rights" in lowered
    ):
        needed = call.permission or "contents: write"
        return GitHubError(
            f"The token is not allowed to do this: {call.doing} needs the `{needed}` permission.",
            "Add to the workflow's `permissions:` block: `contents: write`, plus "
            "`pull-requests: write` for pull-request mode and `issues: write` for digest issues "
            f"({_PERMISSIONS_DOC}). Runs triggered from forks always get a read-only token.",
            status=status,
        )
    if status >= 500:
        return GitHubError(
            f"The GitHub API at {api_url} failed while {call.doing}{detail}.",
            "GitHub may be having an outage (https://www.githubstatus.com); re-run the job later.",
            status=status,
        )
    if (
        isinstance(exc, RateLimitExceededExceedsMaxWait)
        or status == 429
        or (status == 403 and "rate limit" in lowered)
        or (status == 403 and _header(exc.headers, "x-ratelimit-remaining") == "0")
    ):
        # A secondary limit says how long to back off (Retry-After); X-RateLimit-Reset is then
        # just the hourly window.  The primary limit has remaining 0 and a meaningful reset.
        reset = _reset_time(exc.headers)
        retry_after = _header(exc.headers, "retry-after")
        if retry_after is not None:
            when = f"GitHub asked to wait {retry_after} s before retrying"
        elif reset is not None:
            when = f"the limit resets at {reset}"
        elif isinstance(exc, RateLimitExceededExceedsMaxWait) and exc.wait is not None:
            when = f"GitHub asked to wait {exc.wait:.0f} s"
        else:
            when = "GitHub did not say when it resets"
        return GitHubError(
            f"The GitHub API rate limit was exceeded while {call.doing}; {when}.",
            "Re-run the job after the reset, or run it less often.",
            status=status,
        )
    if is_protection_message(message):
        return protected_branch_error(call.branch or "?", message, status)
    if status == 404:
        return GitHubError(
            call.not_found or f"GitHub answered 404 Not Found while {call.doing}.",
            "Check the repository name and branch; a token without access also sees 404.",
            status=status,
        )
    if status == 403:
        return GitHubError(
            f"GitHub refused {call.doing}{detail}.",
            f"Check the token's permissions ({call.permission or 'contents: write'}).",
            status=status,
        )
    return GitHubError(f"GitHub rejected {call.doing}{detail}.", None, status=status)


class GitHubRepo:
    """One repository on one GitHub (or GHES) API, through PyGithub.

    Build it with :meth:`connect`.  Every method makes the requests its docstring lists and
    raises :class:`~daily_papers.errors.GitHubError` with a hint on failure (the token never
    appears in any message).
    """

    def __init__(
        self,
        gh: github.Github,
        full_name: str,
        *,
        api_url: str,
        token: _CountingToken,
        retry_counter: _RetryCounter,
        sleep: Callable[[float], None],
    ) -> None:
        self._gh = gh
        self._full_name = full_name
        self._api_url = api_url.rstrip("/")
        self._token = token
        self._retry_counter = retry_counter
        self._sleep = sleep
        # lazy=True: no GET /repos/{o}/{r} until an attribute that needs it is read.
        self._repo: Repository = gh.get_repo(full_name)
        self._default_branch: str | None = None
        self._read_cache: dict[tuple[str, str], bytes | None] = {}

    @classmethod
    def connect(
        cls,
        full_name: str,
        *,
        token: str,
        api_url: str = "https://api.github.com",
        retry: bool = True,
        throttle: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> GitHubRepo:
        """Prepare a client for ``OWNER/NAME``; makes no request yet.

        ``retry=False`` disables PyGithub's transport retries and ``throttle=False`` its spacing
        of requests (0.25 s) and writes (1 s) — both for tests.  ``sleep`` does the retry waits.
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
        auth = _CountingToken(token)
        counter = _RetryCounter()
        retry_obj: GithubRetry | None = None
        if retry:
            retry_obj = _BoundedRetry(
                counter=counter,
                sleeper=sleep,
                total=RETRY_TOTAL,
                backoff_factor=RETRY_BACKOFF,
                max_rate_limit_wait=MAX_RATE_LIMIT_WAIT,
                secondary_rate_wait=MAX_RATE_LIMIT_WAIT,
            )
        spacing: dict[str, Any] = (
            {} if throttle else {"seconds_between_requests": 0, "seconds_between_writes": 0}
        )
        gh = github.Github(
            base_url=api_url.rstrip("/"),
            auth=auth,
            retry=retry_obj,
            lazy=True,
            **spacing,
        )
        return cls(
            gh,
            full_name,
            api_url=api_url,
            token=auth,
            retry_counter=counter,
            sleep=sleep,
        )

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
        return self._token.calls + self._retry_counter.retries

    @property
    def default_branch(self) -> str:
        """The default branch (one ``GET /repos/{o}/{r}``, then cached)."""
        if self._default_branch is None:
            with self._call(
                _Call(
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
    def _call(self, call: _Call) -> Iterator[None]:
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
        secret = self._token.token
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
        with self._call(_Call(f"reading branch `{branch}` of {self._full_name}")):
            try:
                found = self._repo.get_branch(branch)
            except GithubException as exc:
                if exc.status != 404:
                    raise
                if "branch not found" in _server_message(exc).lower():
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
        call = _Call(f"reading `{path}` at {ref[:12]} in {self._full_name}")
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

    def create_commit(self, parent: Head, files: Mapping[str, bytes], message: str) -> str:
        """One commit on top of ``parent`` changing ``files``; returns its SHA.

        ``POST …/git/trees`` (``base_tree`` = the parent's tree, UTF-8 files inline as
        ``content``; other bytes go through ``POST …/git/blobs`` as base64) then
        ``POST …/git/commits`` with one parent and **no author/committer**, so GitHub signs it
        when the Actions token is used (notes/github-api.md §3).  Two requests for text files.
        """
        tree_sha = self.create_tree(parent, files)
        return self.commit_tree(parent, tree_sha, message)

    def create_tree(self, parent: Head, files: Mapping[str, bytes]) -> str:
        """``POST …/git/trees`` on the parent's tree; returns the new tree SHA."""
        elements: list[InputGitTreeElement] = []
        with self._call(
            _Call(
                f"writing files to `{parent.branch}` of {self._full_name}",
                permission="contents: write",
            )
        ):
            for path, data in files.items():
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
            _Call(
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
        call = _Call(
            f"updating branch `{branch}` of {self._full_name}",
            permission="contents: write",
            not_found=f"The branch `{branch}` was not found in {self._full_name}.",
            branch=branch,
        )
        with self._call(call):
            try:
                self._git_ref(branch).edit(sha, force=force)
            except GithubException as exc:
                text = _server_message(exc).lower()
                if (
                    not force
                    and exc.status == 422
                    and ("not a fast forward" in text or "reference update failed" in text)
                ):
                    raise NotFastForward(f"{branch}: {_server_message(exc)}") from None
                raise

    def create_branch(self, branch: str, sha: str) -> None:
        """``POST …/git/refs`` creating ``refs/heads/{branch}`` at ``sha``."""
        with self._call(
            _Call(f"creating branch `{branch}` in {self._full_name}", permission="contents: write")
        ):
            self._repo.create_git_ref(f"refs/heads/{branch}", sha)

    def delete_branch(self, branch: str) -> None:
        """``DELETE …/git/refs/heads/{branch}``; a branch that is already gone is fine."""
        with self._call(
            _Call(f"deleting branch `{branch}` in {self._full_name}", permission="contents: write")
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
        with self._call(_Call(f"listing pull requests of {self._full_name}")):
            pulls = self._repo.get_pulls(
                state="open", head=f"{self.owner}:{head_branch}", base=base
            )
            for pull in pulls:
                if pull.head.ref == head_branch:
                    return PullRef(pull.number, pull.html_url, pull.head.sha)
            return None

    def create_pull(self, base: str, head_branch: str, title: str, body: str) -> PullRef:
        """``POST …/pulls``; when one already exists for the branch, that one is returned."""
        call = _Call(
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
                if exc.status == 422 and "already exists" in _server_message(exc).lower():
                    # A retried POST or a concurrent run got there first (notes §2.4).
                    existing = self.find_open_pull(head_branch, base)
                    if existing is not None:
                        return existing
                raise
            return PullRef(pull.number, pull.html_url, pull.head.sha)

    def edit_pull(self, number: int, *, title: str, body: str) -> PullRef:
        """``PATCH …/pulls/{number}`` with a new title and body."""
        with self._call(
            _Call(
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
            _Call(
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
        call = _Call(
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
                        or "could not resolve to a node" not in _server_message(exc).lower()
                    ):
                        raise
                    self._sleep(delay)

    # ----------------------------------------------------------------- issues

    def create_issue(self, title: str, body: str, labels: Sequence[str]) -> IssueRef:
        """``POST …/issues`` (labels created if missing)."""
        with self._call(
            _Call(f"opening an issue in {self._full_name}", permission="issues: write")
        ):
            issue = self._repo.create_issue(title=title, body=body, labels=list(labels))
            return IssueRef(issue.number, issue.html_url, issue.body)

    def close_issue(self, number: int) -> None:
        """``PATCH …/issues/{number}`` with ``state: closed``."""
        with self._call(
            _Call(f"closing issue #{number} in {self._full_name}", permission="issues: write")
        ):
            self._repo.get_issue(number).edit(state="closed")

    def find_open_issues(self, label: str) -> list[IssueRef]:
        """Open issues (not PRs) carrying ``label``, newest first (``GET …/issues``)."""
        with self._call(_Call(f"listing issues of {self._full_name}")):
            found = self._repo.get_issues(
                state="open", labels=[label], sort="created", direction="desc"
            )
            # NOTE: the issues endpoint also lists PRs; their html_url is …/pull/N.  Reading
            # ``pull_request`` instead would make PyGithub GET every issue to "complete" it.
            return [
                IssueRef(i.number, i.html_url, i.body) for i in found if "/pull/" not in i.html_url
            ]
