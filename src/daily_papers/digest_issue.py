"""The digest issue: one issue per run listing the papers that are new since the last run.

Why an issue: "Watch" on a repository sends email for new issues, which is how DailyArXiv's
readers get their daily papers.  DailyArXiv opens one issue every run and never closes the old
ones; here an empty run opens nothing, and the previous digest can be closed.

How a previous digest is recognised: an open issue carrying the digest's **first label**
(``labels[0]``, listed through :meth:`IssueTracker.find_open_issues`) **and** whose body contains
:data:`~daily_papers.bodies.DIGEST_MARKER` (an HTML comment GitHub does not show).  The label
alone is not enough: users may label digests with a shared label such as ``documentation``, and
an unrelated issue with that label must never be closed.  The issue just opened is never
closed, whatever the listing says.

Order of calls, chosen so a failure never leaves fewer digests open than before: list the
previous digests (read), open the new issue, then close the old ones.  If listing or opening
fails (e.g. the token lacks ``issues: write``), the adapter's :class:`GitHubError` propagates
and nothing was changed.  If closing an old digest fails after the new one exists, the new
issue is still reported and the failure is logged as a warning: the digest was delivered.

Labels that don't exist yet are created by GitHub when an issue is opened with them (by a
token with push access: https://docs.github.com/en/rest/issues/issues#create-an-issue).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from daily_papers.bodies import DIGEST_MARKER, commit_marker, digest_body
from daily_papers.errors import ConfigError, GitHubError, GitHubUnreachableError
from daily_papers.models import Paper
from daily_papers.publish import IssueRef

__all__ = ["IssueTracker", "open_digest"]


def _create_once(
    repo: IssueTracker,
    title: str,
    body: str,
    labels: Sequence[str],
    commit_sha: str | None,
) -> IssueRef:
    """Open the issue; when the answer is lost, look for it (by its commit marker, not by
    labels, which are optional) instead of opening a second one."""
    try:
        return repo.create_issue(title, body, list(labels))
    except GitHubUnreachableError:
        if commit_sha is None:
            raise
        marker = commit_marker(commit_sha)
        found = next((i for i in repo.find_recent_issues() if marker in (i.body or "")), None)
        if found is None:
            raise
        logger.info("The answer to opening the digest was lost, but #%d exists", found.number)
        return found


logger = logging.getLogger(__name__)


class IssueTracker(Protocol):
    """The issue operations the digest needs (implemented by ``github_repo.GitHubRepo``)."""

    def create_issue(self, title: str, body: str, labels: Sequence[str]) -> IssueRef:
        """Open an issue with these labels (created if missing); return its number and URL."""
        ...

    def close_issue(self, number: int) -> None:
        """Close issue ``number``."""
        ...

    def find_open_issues(self, label: str) -> list[IssueRef]:
        """Open issues (not pull requests) carrying ``label``, newest first."""
        ...

    def find_recent_issues(self) -> list[IssueRef]:
        """The newest open issues (not pull requests), whatever their labels."""
        ...


def open_digest(
    repo: IssueTracker,
    new: Sequence[tuple[str, Paper]],
    *,
    title: str,
    labels: Sequence[str],
    readme_url: str,
    close_previous: bool,
    commit_sha: str | None = None,
    summaries: Mapping[str, str] | None = None,
    for_you: Sequence[tuple[Paper, str]] = (),
) -> IssueRef | None:
    """Open the digest issue for ``new`` (topic name, paper) pairs; None when nothing is new.

    ``for_you`` (paper, score and why) is listed first.
    ``title`` is final (see :func:`daily_papers.bodies.digest_title`); the body comes from
    :func:`daily_papers.bodies.digest_body` and stays within GitHub's body limit.  With
    ``close_previous`` the open issues carrying ``labels[0]`` are closed once the new one is
    open, so ``labels`` must not be empty then (:class:`ConfigError`).
    """
    if close_previous and not labels:
        raise ConfigError(
            "Closing the previous digest issue needs an issue label to recognise digests by.",
            "Set an issue label (e.g. `daily-papers`) or turn off closing the previous digest.",
        )
    if not new:
        logger.info("No digest issue: no paper is new since the last run.")
        return None
    previous = (
        [i for i in repo.find_open_issues(labels[0]) if DIGEST_MARKER in (i.body or "")]
        if close_previous
        else []
    )
    body = digest_body(
        new, readme_url=readme_url, commit_sha=commit_sha, summaries=summaries, for_you=for_you
    )
    issue = _create_once(repo, title, body, labels, commit_sha)
    logger.info("Opened digest issue #%d with %d new papers: %s", issue.number, len(new), issue.url)
    for old in previous:
        if old.number == issue.number:
            continue
        try:
            repo.close_issue(old.number)
        except GitHubError as exc:
            logger.warning("Could not close the previous digest issue #%d: %s", old.number, exc)
        else:
            logger.info("Closed the previous digest issue #%d.", old.number)
    return issue
