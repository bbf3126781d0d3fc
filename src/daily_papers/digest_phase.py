"""The digest issue phase, after publishing: which papers it lists, in the README's order,
with the For you papers first and marked as the README marks them (score and why).

Kept apart from the orchestrator so that :mod:`daily_papers.app` stays one readable flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from daily_papers import bodies, digest_issue
from daily_papers.console import Console
from daily_papers.errors import DailyPapersError, GitHubError
from daily_papers.late_phase import Fault, isolate, reason_of
from daily_papers.models import Paper
from daily_papers.plan import UpdatePlan
from daily_papers.publish import IssueRef, PublishResult
from daily_papers.settings import RunSettings

__all__ = ["open_digest_issue"]


def open_digest_issue(
    settings: RunSettings,
    issues: digest_issue.IssueTracker,
    *,
    plan: UpdatePlan,
    published: PublishResult,
    readme_url: str | None,
    today: date,
    console: Console,
) -> tuple[IssueRef | None, str | None, tuple[Fault, ...]]:
    """Open the digest issue (if asked for); a failure is reported, not raised: the update
    is already published and must stay in the run's report.  A paper the body cannot be
    written for is left out (a fault), as is the whole issue when it fails for another reason."""
    if settings.digest is None:
        return None, None, ()
    new = [(t.name, p) for t, p in plan.new_papers]
    readme = readme_url or ""
    view = plan.ranking
    for_you = [(p, view.mark(p)) for p in view.for_you] if view is not None else []

    def body(some: Sequence[tuple[str, Paper]]) -> str:
        return bodies.digest_body(
            some,
            readme_url=readme,
            commit_sha=published.commit_sha,
            summaries=plan.summaries,
            for_you=for_you,
        )

    with console.group("Digest issue"):
        text, kept, faults = isolate("digest issue", new, body, lambda pair: pair[1].id)
        for fault in faults:
            console.warn(fault.warning())
        if text is None:
            return None, None, faults
        try:
            issue = digest_issue.open_digest(
                issues,
                list(kept),
                title=bodies.digest_title(settings.digest.title, today),
                labels=settings.digest.labels,
                readme_url=readme,
                close_previous=settings.digest.close_previous,
                commit_sha=published.commit_sha,
                summaries=plan.summaries,
                for_you=for_you,
            )
        except GitHubError as exc:
            return None, str(exc), faults
        except DailyPapersError:
            raise
        except Exception as exc:  # a bug after publishing must not hide the run's report
            fault = Fault("digest issue", None, reason_of(exc))
            console.warn(fault.warning())
            return None, None, (*faults, fault)
    return issue, None, faults
