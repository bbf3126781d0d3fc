"""GitHub's failures as user-facing sentences: the one table of what went wrong and the fix.

The adapter wraps every request in a :class:`Call` that says what it was for and which
permission it needs; :func:`map_error` turns whatever PyGithub or requests raised into one
:class:`~daily_papers.errors.GitHubError` with a hint.  Order matters: the specific 403
messages are checked before the rate-limit and generic cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededExceedsMaxWait,
)

from daily_papers.errors import GitHubError, GitHubUnreachableError

_PERMISSIONS_DOC = (
    "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/"
    "controlling-permissions-for-github_token"
)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


def server_message(exc: GithubException) -> str:
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
class Call:
    """What a request was for, so a failure can name it and the permission it needs."""

    doing: str  # "reading README.md at main"
    permission: str | None = None  # "contents: write"
    not_found: str | None = None  # sentence for 404
    compare_url: str | None = None  # for the Actions PR-policy 403
    branch: str | None = None  # the branch written, for the protected-branch error


def map_error(exc: BaseException, call: Call, *, api_url: str) -> GitHubError | None:
    """Turn a PyGithub/requests failure into the user-facing error (``None``: not ours to map)."""
    if isinstance(exc, requests.exceptions.RetryError):
        # PyGithub lets urllib3 retry 5xx; when attempts run out requests raises RetryError,
        # not a GithubException.
        if "too many 403" in str(exc) or "too many 429" in str(exc):
            return _secondary_limit_error(call)
        return GitHubError(
            f"The GitHub API at {api_url} kept answering with server errors while {call.doing}.",
            "GitHub may be having an outage (https://www.githubstatus.com); re-run the job later.",
        )
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return GitHubUnreachableError(
            f"Could not reach the GitHub API at {api_url} while {call.doing}.",
            "Check the API URL (GITHUB_API_URL; GitHub Enterprise needs https://HOST/api/v3) "
            "and the runner's network.",
        )
    if not isinstance(exc, GithubException):
        return None
    status = exc.status
    message = server_message(exc)
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
        if "secondary rate limit" in lowered:
            return _secondary_limit_error(call, status)
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


def _secondary_limit_error(call: Call, status: int | None = 403) -> GitHubError:
    """GitHub's secondary limit: too many requests or writes in a short time, not an outage."""
    return GitHubError(
        f"GitHub's secondary rate limit stopped the run while {call.doing}.",
        "Too many requests or writes in a short time (often several jobs at once with one "
        "token): wait a few minutes, then re-run; add a `concurrency:` group to the workflow.",
        status=status,
    )
