"""What one run did, as one frozen value, and its JSON form.

The CLI's printout, the ``--result-json`` document, the action's outputs, the job summary and
the annotations are all derived from a :class:`RunResult` in memory, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from daily_papers.late_phase import Fault
from daily_papers.library_fetch import LibraryReport
from daily_papers.models import (
    FileChange,
    Paper,
    Shortened,
    Topic,
    TopicOutcome,
    failed_topics,
    new_papers,
)
from daily_papers.notify.outcome import ChannelOutcome
from daily_papers.publish import IssueRef, PublishResult
from daily_papers.ranked_view import RankedView
from daily_papers.readme_size import ReadmeSize
from daily_papers.summaries.summarize import SummaryReport

#: Exit statuses (documented in the README).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class RunResult:
    """The outcome of one ``update`` run.

    ``files`` are the changes planned on the final attempt (written, committed, proposed, or in
    a dry run only planned); ``warnings`` collects every problem that did not stop the run, from
    planning and from publishing; ``issue_error`` is set when the digest issue failed after the
    update was published.
    """

    mode: str  # local | dry-run | commit | pull-request
    outcomes: tuple[TopicOutcome, ...]
    files: tuple[FileChange, ...]
    publish: PublishResult
    warnings: tuple[str, ...] = ()
    issue: IssueRef | None = None
    issue_error: str | None = None
    github_requests: int = 0
    #: arXiv requests per source (``{"api": 3, "rss": 1}``).
    requests: Mapping[str, int] = field(default_factory=dict)
    #: The arXiv route the run took: ``feeds`` (announcement feeds) or ``api`` (searches).
    route: str = "api"
    #: Which source served each topic (``api`` or ``rss``).
    sources: Mapping[str, str] = field(default_factory=dict)
    #: Things said once about the run (a failed feed, a gap the rss source cannot fill).
    notes: tuple[str, ...] = ()
    #: Announcement-feed items skipped as unusable (bad id or version, no title, unknown type).
    feed_items_skipped: int = 0
    #: Skipped feed items per announce type this code does not know.
    unknown_announce_types: Mapping[str, int] = field(default_factory=dict)
    #: Papers arXiv sent this run that a size cap cut (what was cut, per versioned id).
    shortened: tuple[Shortened, ...] = ()
    #: Where the paper site was built, when it was.
    site_dir: str | None = None
    #: The run's choices that shape what is written (columns, extra files, source, site).
    options: Mapping[str, object] = field(default_factory=dict)
    pull_request_branch: str | None = None
    readme_url: str | None = None
    seconds: float = 0.0
    fail_on_partial: bool = True
    removed_topics: tuple[tuple[str, int], ...] = ()
    #: In pull-request mode, the ids the open pull request already showed: "new" is relative
    #: to them, so a re-run with nothing new since the last update reports 0.
    shown_before: frozenset[str] | None = None
    #: The README's final size and the topics ``readme-max-bytes`` shortened.
    readme: ReadmeSize | None = None
    #: Each notification channel's outcome (redacted), in the order they were configured.
    notifications: tuple[ChannelOutcome, ...] = ()
    #: ``notify-strict``: a failed channel makes the run exit 3.
    notify_strict: bool = False
    #: What summarising did, when it was asked for.
    summaries: SummaryReport | None = None
    #: What the library gave ranking (fetched, cached, unusable), when one was given.
    library: LibraryReport | None = None
    #: Papers a phase after publishing (site, digest issue, notifications) left out, or a
    #: phase it skipped: the run is ``partial``.
    late_faults: tuple[Fault, ...] = ()
    #: The library's scores and the For you papers, when a library is given.
    ranking: RankedView | None = None

    @property
    def arxiv_requests(self) -> int:
        """Every arXiv request of the run, whichever source."""
        return sum(self.requests.values())

    @property
    def dry_run(self) -> bool:
        """True when nothing was written on purpose."""
        return self.mode == "dry-run"

    @property
    def would_change(self) -> bool:
        """True when the planned files differ from what is there (written or not)."""
        return any(f.changed for f in self.files)

    @property
    def changed(self) -> bool:
        """True when this run really changed something (never in a dry run)."""
        return self.would_change and not self.dry_run

    @property
    def failed_topics(self) -> tuple[str, ...]:
        """Names of topics whose fetch failed; they kept their previous papers."""
        return failed_topics(self.outcomes)

    @property
    def status(self) -> str:
        """``success``, or ``partial`` when a topic failed or a late phase left something out."""
        return "partial" if self.failed_topics or self.late_faults else "success"

    @property
    def new_papers(self) -> tuple[tuple[Topic, Paper], ...]:
        """Each new paper once, with the first topic it appeared in, in topic order."""
        found = new_papers(self.outcomes)
        if self.shown_before is None:
            return found
        return tuple((t, p) for t, p in found if p.id not in self.shown_before)

    def new_ids(self, outcome: TopicOutcome) -> tuple[str, ...]:
        """The topic's new ids, relative to the open pull request in pull-request mode."""
        if self.shown_before is None:
            return outcome.new_ids
        return tuple(pid for pid in outcome.new_ids if pid not in self.shown_before)

    @property
    def exit_code(self) -> int:
        """0, 1 when the digest failed after publishing, 3 when some topics failed or a late
        phase left a paper out (or, with ``notify-strict``, a notification channel)."""
        if self.issue_error is not None:
            return EXIT_ERROR
        if (self.failed_topics or self.late_faults) and self.fail_on_partial:
            return EXIT_PARTIAL
        if self.notify_strict and any(n.failed for n in self.notifications):
            return EXIT_PARTIAL
        return EXIT_OK


def result_json(result: RunResult) -> dict[str, Any]:
    """The ``--result-json`` document (its keys are documented in the README)."""
    publish = result.publish
    return {
        "changed": result.changed,
        "would_change": result.would_change,
        "dry_run": result.dry_run,
        "status": result.status,
        "new_papers": len(result.new_papers),
        "seconds": round(result.seconds, 3),
        "topics": [
            {
                "name": o.topic.name,
                "fetched": o.fetched,
                "new": len(result.new_ids(o)),
                "kept": o.kept,
                "new_ids": list(result.new_ids(o)),
                "dropped_ids": list(o.dropped),
                "replaced_ids": list(o.replaced),
                "source": result.sources.get(o.topic.name, "api"),
                "failed": o.failed,
                "error": o.error,
            }
            for o in result.outcomes
        ],
        "new": [
            {
                "topic": topic.name,
                "id": paper.id,
                "title": paper.title,
                "abs_url": paper.link,
                "published": paper.published_day,
            }
            for topic, paper in result.new_papers
        ],
        "removed_topics": [{"name": n, "papers": k} for n, k in result.removed_topics],
        "readme": None
        if result.readme is None
        else {
            "bytes": result.readme.bytes,
            "max_bytes": result.readme.limit,
            "shortened_topics": [
                {"name": name, "shown": shown, "left_out": left}
                for name, shown, left in result.readme.shortened
            ],
        },
        "files": [{"path": f.path, "changed": f.changed} for f in result.files],
        "warnings": list(result.warnings),
        "requests": {
            "arxiv": result.arxiv_requests,
            "api": result.requests.get("api", 0),
            "rss": result.requests.get("rss", 0),
            "github": result.github_requests,
            "route": result.route,
        },
        "notes": list(result.notes),
        "feed_items": {
            "skipped": result.feed_items_skipped,
            "unknown_announce_types": dict(result.unknown_announce_types),
        },
        "shortened_papers": {
            "count": len(result.shortened),
            "papers": [{"id": s.versioned_id, "cut": list(s.what)} for s in result.shortened],
        },
        "publish": {
            "mode": result.mode,
            "operation": publish.operation.value,
            "commit_sha": publish.commit_sha,
            "pull_request_number": publish.pull_number,
            "pull_request_url": publish.pull_url,
            "pull_request_branch": result.pull_request_branch,
            "head_sha": publish.head_sha,
            "api_calls": result.github_requests,
        },
        "issue": None
        if result.issue is None
        else {"number": result.issue.number, "url": result.issue.url},
        "issue_error": result.issue_error,
        "site_dir": result.site_dir,
        "late_faults": [f.to_json() for f in result.late_faults],
        "notifications": [n.to_json() for n in result.notifications],
        "options": dict(result.options),
        "summaries": None if result.summaries is None else result.summaries.to_json(),
        "library": None if result.library is None else result.library.to_json(),
        "ranking": None if result.ranking is None else _ranking(result),
    }


def _ranking(result: RunResult) -> dict[str, Any]:
    """The ``ranking`` block: every shown paper's score and why, and the For you papers."""
    view = result.ranking
    assert view is not None
    return {
        "relevance_topics": [o.topic.name for o in result.outcomes if view.ranked(o.topic)],
        "min_score": view.min_score,
        "for_you_pool": view.pool if view.for_you_count else None,
        "for_you": [p.id for p in view.for_you],
        "papers": {
            pid: {"score": s.value, "closest": s.closest, "terms": list(s.terms), "why": s.why()}
            for pid, s in view.shown(result.outcomes).items()
        },
    }
