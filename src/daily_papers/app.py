"""The one orchestrator: prepare → fetch → plan and publish → notify, for every entry point.

A local file, a dry run, a repository commit or pull request and the action all run
:func:`run_update`; they differ only in the :class:`~daily_papers.workspace.Workspace` they
hand in.  It returns one :class:`~daily_papers.result.RunResult`; it prints only progress
through the console and never sees argparse or the environment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from daily_papers import bodies, digest_issue, library_fetch
from daily_papers import topics as topic_config
from daily_papers.archive import Archive, ArchiveRecord
from daily_papers.console import Console
from daily_papers.digest_phase import open_digest_issue
from daily_papers.errors import (
    ArxivError,
    ArxivQueryError,
    ConfigError,
)
from daily_papers.late_phase import Fault, isolate, reason_of
from daily_papers.merge import FetchFailure, FetchResult, merge_state
from daily_papers.models import FileChange, Paper, Shortened, Topic, shortened_warning
from daily_papers.notify.deliver import Notifier
from daily_papers.options import recorded
from daily_papers.plan import UpdatePlan, plan_update, readme_text
from daily_papers.publish import Lister, Operation, Reader
from daily_papers.query.authors import by_followed_authors
from daily_papers.ranked_view import check_for_you_name, check_sorts, ranker_for
from daily_papers.render import Renderer
from daily_papers.result import RunResult
from daily_papers.settings import RunSettings, TopicSpec
from daily_papers.site.folder import check_site_dir
from daily_papers.site.ranked import ranked_pages, site_ranking
from daily_papers.site.render import SiteOptions, build_site, few_collections, write_site
from daily_papers.site.structure import plan_site
from daily_papers.sources import routing as sources
from daily_papers.state import State, load_state
from daily_papers.suggest import did_you_mean
from daily_papers.summaries.summarize import Post, SummaryReport, shown_papers, summarize
from daily_papers.template_context import BUILTIN_TEMPLATES, DEFAULT_COLUMNS
from daily_papers.workspace import Workspace

logger = logging.getLogger(__name__)


def load_topics(spec: TopicSpec, read: Reader) -> list[Topic]:
    """``-k`` topics first, then the topics file's, validated together (unique names)."""
    topics = topic_config.topics_from_keywords(
        spec.keywords, max_count=spec.max_count, categories=spec.categories, exclude=spec.exclude
    )
    if spec.topics_file:
        text = read_text(read, spec.topics_file, "topics file")
        topics += topic_config.topics_from_file(
            text,
            path=spec.topics_file,
            max_count=spec.max_count,
            categories=spec.categories,
            exclude=spec.exclude,
        )
    return topic_config.check_topics(topics)


def read_text(read: Reader, path: str, what: str) -> str:
    """A UTF-8 input file (topics file, template) from the workspace, or a ConfigError."""
    data = read(path)
    if data is None:
        raise ConfigError(f"The {what} {path} does not exist; check the path.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"The {what} {path} is not valid UTF-8.") from None


def make_renderer(
    template: str, read: Reader, columns: tuple[str, ...] = DEFAULT_COLUMNS
) -> Renderer:
    """A built-in template by name, else the template file read from the workspace."""
    if template in BUILTIN_TEMPLATES:
        return Renderer(template, columns=columns)
    if read(template) is None:
        raise ConfigError(
            f"The template {template!r} is neither a built-in template "
            f"({', '.join(BUILTIN_TEMPLATES)}) nor an existing file.",
            did_you_mean(template, BUILTIN_TEMPLATES) or "Check the path (see README: Templates).",
        )
    return Renderer(template, source=read_text(read, template, "template"), columns=columns)


class Searcher(Protocol):
    """What the per-topic API fetch needs from the arXiv client."""

    def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
        """Return the newest papers for ``query``; raise ArxivError on failure."""


#: Failures that say "arXiv cannot be reached from here", not "this topic had bad luck".
UNREACHABLE_KINDS = frozenset({"dns", "refused", "tls", "connection", "timeout", "deadline"})


def fetch_topics(
    client: Searcher,
    topics: Sequence[Topic],
    on_result: Callable[[int, Topic, FetchResult], None] | None = None,
) -> dict[str, FetchResult]:
    """Fetch every topic in order; a failing topic becomes a :class:`FetchFailure`.

    Only :class:`ArxivError` is caught: it is that topic's problem and the others still run,
    except when the first two requests fail with the same kind of transport error, or the
    run's time budget is spent: then asking again would only repeat it, so the run stops
    with one error (nothing is written and every topic keeps its papers).  ``on_result``
    hears of each topic as soon as it is done (live progress).
    """
    results: dict[str, FetchResult] = {}
    kinds: list[str | None] = []
    for index, topic in enumerate(topics, start=1):
        result: FetchResult
        try:
            found = client.search(topic.query, topic.max_count, topic=topic.name)
            result = [p for p in found if by_followed_authors(topic.authors, p)]
            kinds.append(None)
        except ArxivError as exc:
            result = FetchFailure(str(exc), short_status(exc))
            kinds.append(exc.kind)
            _stop_early(exc, kinds, left=len(topics) - index)
        results[topic.name] = result
        if on_result is not None:
            on_result(index, topic, result)
    return results


def _stop_early(error: ArxivError, kinds: Sequence[str | None], *, left: int) -> None:
    """Raise the run's one error when going on can only fail the same way."""
    if not left:
        return
    same = len(kinds) == 2 and kinds[0] == kinds[1] and kinds[0] in UNREACHABLE_KINDS
    if error.kind == "budget" or same:
        raise ArxivError(
            f"{error.message} The first topics failed alike, so the other {left} were not "
            "tried; nothing was written.",
            error.hint,
            url=error.url,
            kind=error.kind,
        )


def build_paper_site(
    *,
    url: str,
    directory: Path,
    plan: UpdatePlan,
    topics: Sequence[Topic],
    feed: bytes | None,
    today: date,
) -> tuple[int, tuple[Fault, ...]]:
    """Build the site from the plan's archive into ``directory``: the papers it shows, and
    the papers it had to leave out (see :mod:`daily_papers.late_phase`)."""
    assert plan.archive is not None  # the plan keeps one whenever a site is built
    # the README's day, so a run that changes no paper (a weekend) leaves every page as it was
    last_update = plan.last_update or today.isoformat()
    options = SiteOptions(site_url=url, title="daily-papers", last_update=last_update, feed=feed)
    names = [t.name for t in topics]
    view = plan.ranking
    # the day that scored: a run without an announcement shows the last one's kept scores
    scored = (view.scored_on or today.isoformat()) if view else ""
    ranking = site_ranking(view, plan.outcomes, day=scored) if view else None
    for_you = view is not None and view.for_you_count > 0

    def files_of(records: Sequence[ArchiveRecord]) -> dict[str, bytes]:
        with few_collections():
            site = plan_site(Archive(tuple(records)), names, plan.summaries, for_you=for_you)
            pages = ranked_pages(ranking, site) if ranking else None
            return build_site(site, options, pages)

    files, kept, faults = isolate("site", plan.archive.records, files_of, lambda r: r.paper.id)
    if files is None:
        return 0, faults
    try:
        write_site(directory, files)
    except OSError as exc:  # the disk, not a paper (file names are bounded by the build)
        return 0, (*faults, Fault("site", None, reason_of(exc)))
    return len(kept), faults


def short_status(error: ArxivError) -> str:
    """A few words for a status cell: what arXiv answered, or that the query was refused."""
    if isinstance(error, ArxivQueryError):
        return "query rejected (HTTP 400)"
    if error.status is not None:
        return f"HTTP {error.status}"
    return error.kind or "no answer"


def _summarise(
    settings: RunSettings,
    previous: State,
    topics: Sequence[Topic],
    fetched: Mapping[str, FetchResult],
    *,
    today: date,
    post: Post,
    clock: Callable[[], float],
) -> SummaryReport:
    """Summaries for the papers the update will show (the list is fixed by now: the same
    merge the plan makes), asking only for those the data file has none for."""
    assert settings.summarize is not None
    options = settings.summarize
    _state, outcomes = merge_state(topics, previous, fetched, today=today.isoformat())
    return summarize(
        shown_papers(outcomes),
        previous.summaries,
        post=post,
        clock=clock,
        provider=options.provider,
        model=options.model,
        language=options.language,
        max_requests=options.max_requests,
        seconds=options.seconds,
    )


def _fetch(
    settings: RunSettings,
    previous: State,
    arxiv: sources.ArxivSource,
    topics: Sequence[Topic],
    console: Console,
    *,
    today: date,
) -> sources.Fetched:
    """Every topic's papers from the configured source, each line printed as it is known."""
    progress = console.topic_progress(len(topics))
    step = sources.fetch(
        settings.arxiv.source,
        arxiv,
        topics,
        previous,
        rss_url=settings.arxiv.rss_url,
        search_topics=lambda some: fetch_topics(arxiv, some, progress),
        today=today,
        page_size=settings.arxiv.page_size,
        also_archives=settings.for_you_archives,
    )
    if step.route_reason is not None:
        console.status(step.route_reason)
    for note in step.notes:
        console.warn(note)
    for index, topic in enumerate(topics, start=1):
        if step.sources[topic.name] == "rss":
            progress(index, topic, step.results[topic.name])
    if step.nothing_announced:
        console.status("No announcement today (a weekend or holiday): nothing changes.")
    return step


def _build_site(
    settings: RunSettings,
    plan: UpdatePlan,
    topics: Sequence[Topic],
    today: date,
    console: Console,
) -> tuple[str | None, tuple[Fault, ...]]:
    """Build the paper site after publishing (never in a dry run): its folder (None when
    none was built) and the papers it left out."""
    site = settings.site
    if site is None or site.directory is None or settings.dry_run:
        return None, ()
    with console.group("Build the paper site"):
        feed = next(
            (f.new for f in plan.files if settings.feed and f.path == settings.feed.path), None
        )
        count, faults = build_paper_site(
            url=site.url,
            directory=Path(site.directory),
            plan=plan,
            topics=topics,
            feed=feed,
            today=today,
        )
        for fault in faults:
            console.warn(fault.warning())
        if faults and faults[-1].paper_id is None:
            return None, faults
        console.status(f"Site: {count} papers in {site.directory}, for {site.url}")
    return site.directory, faults


#: Publishing outcomes a digest announces: a new commit, or a newly opened pull request.
_ANNOUNCED = (Operation.COMMITTED.value, Operation.CREATED.value)


def run_update(
    settings: RunSettings,
    workspace: Workspace,
    arxiv: sources.ArxivSource,
    *,
    today: date,
    console: Console,
    issues: digest_issue.IssueTracker | None = None,
    requests_made: Callable[[], Mapping[str, int]] = dict,
    shortened: Callable[[], Sequence[Shortened]] = tuple,
    notifier: Notifier | None = None,
    summarize_post: Post | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> RunResult:
    """Run one update and describe it; raises a DailyPapersError only before publishing.

    ``summarize_post`` sends one summarising request (with ``settings.summarize``); its
    failures end in the result's warnings, never in an exception.  ``requests_made`` and
    ``shortened`` read the arXiv client's counts at the end: its requests, and the papers
    the size caps cut (said once in the warnings).
    """
    started = time.monotonic()
    with console.group("Prepare"):
        if settings.site is not None and settings.site.directory is not None:
            check_site_dir(Path(settings.site.directory))  # before anything is read or written
        topics = load_topics(settings.topics, workspace.read)
        renderer = make_renderer(settings.template, workspace.read, settings.columns)
        # Checked before spending minutes on arXiv.
        readme_text(
            workspace.read(settings.readme_path),
            path=settings.readme_path,
            marker=settings.marker,
            max_bytes=settings.readme_max_bytes,
        )
        console.status(
            f"{len(topics)} topic{'s' if len(topics) != 1 else ''}; mode {settings.mode}"
        )
        library = library_fetch.load(settings.library, workspace.read)  # before any request
        check_sorts(settings, topics)  # a topic sorting by relevance needs a library
        check_for_you_name(settings, topics)  # For you's papers are filed under its name

    # The data file as the run starts: what the feeds were read up to, the library's cached
    # abstracts and the summaries made.  It is read again when the update is built (the
    # branch may have moved by then).
    previous = load_state(workspace.read(settings.data_path), path=settings.data_path)
    with console.group("Fetch arXiv"):
        step = _fetch(settings, previous, arxiv, topics, console, today=today)
    shelf = library_fetch.fill(library, previous.library_cache, arxiv, console, today=today)
    fetched = step.results
    report = None
    if settings.summarize is not None and summarize_post is not None:
        with console.group("Summarise"):
            report = _summarise(
                settings, previous, topics, fetched, today=today, post=summarize_post, clock=clock
            )
            console.say(
                f"Summaries: {len(report.made)} new, {report.cached} kept, {report.pending} "
                f"left, {report.requests} requests, {report.seconds:.1f} s"
            )

    readme_url = workspace.url(settings.readme_path)
    feed_link = workspace.url("") or ""
    plans: list[UpdatePlan] = []

    def build(read: Reader, listing: Lister) -> Sequence[FileChange]:
        plans.append(
            plan_update(
                settings,
                topics,
                renderer,
                fetched,
                read,
                listing=listing,
                today=today,
                feed_link=feed_link,
                feed_state=step.feed_state,
                sources=step.sources,
                summaries=report.made if report else None,
                summary_language=settings.summarize.language if settings.summarize else None,
                ranker=ranker_for(
                    settings,
                    shelf.score,
                    step.announced,
                    library=shelf.fingerprint,
                    announcements=step.feed_state.announcements if step.feed_state else None,
                ),
                library_cache=shelf.cache,
            )
        )
        return plans[-1].files

    # In pull-request mode "new" means new to what the open proposal already shows.
    proposed = workspace.proposed(settings.data_path)
    shown_before = (
        load_state(proposed, path=settings.data_path).all_ids() if proposed is not None else None
    )

    def describe(_changes: Sequence[FileChange]) -> str:
        plan = plans[-1]
        since = (
            None
            if shown_before is None
            else sum(1 for _t, p in plan.new_papers if p.id not in shown_before)
        )
        return bodies.pull_request_body(
            [(t.name, p) for t, p in plan.new_papers],
            counts=[(o.topic.name, o.fetched, o.kept) for o in plan.outcomes],
            readme_url=readme_url or "",
            failed_topics=plan.failed_topics,
            since_last_update=since,
        )

    with console.group("Publish"):
        published = workspace.publish(build, describe)
    plan = plans[-1]
    built_site, faults = _build_site(settings, plan, topics, today, console)
    issue, issue_error = None, None
    if issues is not None and published.operation in _ANNOUNCED:
        issue, issue_error, digest_faults = open_digest_issue(
            settings,
            issues,
            plan=plan,
            published=published,
            readme_url=readme_url,
            today=today,
            console=console,
        )
        faults += digest_faults
    repository = settings.repository
    cut = tuple(shortened())
    result = RunResult(
        mode=settings.mode,
        outcomes=plan.outcomes,
        files=plan.files,
        publish=published,
        warnings=plan.warnings
        + published.warnings
        + (report.warnings if report else ())
        + shelf.warnings
        + tuple(w for w in (shortened_warning(cut),) if w)
        + tuple(f.warning() for f in faults),
        shortened=cut,
        late_faults=faults,
        summaries=report,
        library=shelf.report,
        issue=issue,
        issue_error=issue_error,
        pull_request_branch=repository.pr_branch
        if repository and repository.mode == "pull-request"
        else None,
        readme_url=readme_url,
        seconds=time.monotonic() - started,
        fail_on_partial=settings.fail_on_partial,
        removed_topics=plan.removed_topics,
        readme=plan.readme_size,
        shown_before=shown_before,
        site_dir=built_site,
        options=recorded(settings),
        sources=step.sources,
        requests=requests_made(),
        route=step.route,
        feed_items_skipped=step.skipped_items,
        unknown_announce_types=step.unknown_types,
        notes=step.notes
        + ((step.route_reason,) if step.route_reason else ())
        + (("No announcement today: nothing changed.",) if step.nothing_announced else ())
        + ((plan.ranking.note,) if plan.ranking and plan.ranking.note else ()),
        ranking=plan.ranking,
    )
    if notifier is None:
        return result
    with console.group("Notify"):
        told = notifier.after_run(result, day=today, site_url=settings.site_url)
    for fault in told.late_faults[len(faults) :]:
        console.warn(fault.warning())
    return told
