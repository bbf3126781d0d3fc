"""The planner, a pure step: previous files + fetched papers → the files to write.

Fetching is separated from planning on purpose: a remote publish that loses a race
(the branch moved) must re-read the fresh README and re-plan *without* asking arXiv
again, so :func:`plan_update` takes a ``read`` callback and already-fetched results.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from datetime import date

from daily_papers import atom_feed as feed_writer
from daily_papers import splice
from daily_papers.archive import (
    Archive,
    archive_changes,
    dump_index,
    file_papers,
    load_archive,
    read_archive,
)
from daily_papers.atom_feed import FEED_TITLE
from daily_papers.bibtex import render_bibtex
from daily_papers.errors import ArxivError, ReadmeError
from daily_papers.escape import size_warning
from daily_papers.merge import FetchFailure, FetchResult, merge_state
from daily_papers.models import (
    FileChange,
    Paper,
    Summary,
    Topic,
    TopicOutcome,
    failed_topics,
    new_papers,
    newest_first_key,
)
from daily_papers.publish import Lister, Reader
from daily_papers.ranked_view import RankedView, Ranker
from daily_papers.readme_size import (
    Fitted,
    ReadmeSize,
    fit_readme,
    shortened_warning,
    too_large,
)
from daily_papers.render import Renderer
from daily_papers.settings import RunSettings
from daily_papers.site.structure import site_page_url
from daily_papers.sources.routing import FeedState
from daily_papers.state import LibraryCached, State, load_state
from daily_papers.state_dump import dump_state
from daily_papers.template_context import FOR_YOU, RenderTopic

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class UpdatePlan:
    """The outcome of the pure update step: per-topic outcomes and the files to write."""

    outcomes: tuple[TopicOutcome, ...]
    files: tuple[FileChange, ...]
    warnings: tuple[str, ...] = ()
    removed_topics: tuple[tuple[str, int], ...] = ()  # (name, papers it showed)
    #: Every paper ever shown (when an archive or a site is asked for).
    archive: Archive | None = None
    #: The README's size and the topics ``readme-max-bytes`` shortened.
    readme_size: ReadmeSize | None = None
    #: The one-line summary texts shown, by versioned id (the digest, the site and any
    #: announcement of the new papers show the same ones).
    summaries: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: The library's scores and the For you papers, when a library is given.
    ranking: RankedView | None = None
    #: The README's "Last update" day (it moves only when some topic's papers changed).
    last_update: str | None = None

    @property
    def failed_topics(self) -> tuple[str, ...]:
        """Names of topics whose fetch failed this run."""
        return failed_topics(self.outcomes)

    @property
    def new_papers(self) -> tuple[tuple[Topic, Paper], ...]:
        """Each new paper once, with the first topic it appeared in, in topic order."""
        return new_papers(self.outcomes)


def decode_readme(data: bytes, *, path: str) -> str:
    """Decode README bytes as UTF-8, keeping a BOM as U+FEFF so it round-trips."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadmeError(
            f"{path} is not valid UTF-8 (byte {exc.start}); save it as UTF-8 and run again."
        ) from None


def readme_text(data: bytes | None, *, path: str, marker: str, max_bytes: int = 0) -> str:
    """The README as text, checked: it exists, is UTF-8 and has exactly one pair of markers,
    and (with ``max_bytes``) its own text leaves room under the limit."""
    if data is None:
        raise ReadmeError(
            f"README {path} was not found (check readme-path and branch); create it with the "
            "two marker lines:\n" + "\n".join(splice.marker_lines(marker))
        )
    text = decode_readme(data, path=path)
    block = splice.current_block(text, marker=marker, path=path)
    own = len(data) - len(block.encode("utf-8"))
    if max_bytes and own > max_bytes:
        raise too_large(path, own, max_bytes, own_text=True)
    return text


def plan_update(
    settings: RunSettings,
    topics: Sequence[Topic],
    renderer: Renderer,
    fetched: Mapping[str, FetchResult],
    read: Reader,
    *,
    listing: Lister,
    today: date,
    feed_link: str = "",
    feed_state: FeedState | None = None,
    sources: Mapping[str, str] | None = None,
    summaries: Mapping[str, Summary] | None = None,
    summary_language: str | None = None,
    ranker: Ranker | None = None,
    library_cache: Mapping[str, LibraryCached] | None = None,
) -> UpdatePlan:
    """Compute the new README, data file (and feed) from what ``read`` returns.

    ``topics`` are the run's loaded topics; ``listing`` finds the archive's month files, at
    the commit ``read`` reads; ``feed_link`` is the page the feed points readers to (the
    repository); ``ranker``, when a library is given, scores the papers, orders the topics
    sorted by relevance and chooses the For you papers (:mod:`daily_papers.ranked_view`).
    ``library_cache`` is what the data file keeps of its id-only entries (none without one).
    ``summaries`` are the ones written this run; with the data file's they are kept for the
    papers still shown, and those in ``summary_language`` are shown (``None``: summaries are
    off and none is shown).

    Raises ArxivError when every topic failed (nothing may be written then), ReadmeError
    for a missing README, bad markers or a README over ``readme-max-bytes`` even with no
    papers, DataFileError for a damaged data file.
    """
    outcomes_failed = [t.name for t in topics if isinstance(fetched[t.name], FetchFailure)]
    if outcomes_failed and len(outcomes_failed) == len(topics):
        first = fetched[topics[0].name]
        detail = first.message if isinstance(first, FetchFailure) else ""
        raise ArxivError(
            f"Every topic failed to fetch from arXiv, so nothing was written. {detail}".strip()
        )
    readme_bytes = read(settings.readme_path)
    text = readme_text(
        readme_bytes,
        path=settings.readme_path,
        marker=settings.marker,
        max_bytes=settings.readme_max_bytes,
    )
    assert readme_bytes is not None  # readme_text refused a missing README
    old_data = read(settings.data_path)
    previous = load_state(old_data, path=settings.data_path)
    state, merged = merge_state(topics, previous, fetched, today=today.isoformat())
    view = ranker.view(merged, previous.for_you, previous.scores) if ranker is not None else None
    outcomes = view.apply(merged) if view is not None else merged
    if feed_state is not None:
        state = dataclasses.replace(
            state,
            announcements=feed_state.announcements,
            feed_counts=feed_state.counts,
            feed_only=feed_state.feed_only,
        )
    state = dataclasses.replace(
        state,
        library_cache=dict(library_cache or {}),
        for_you=view.keep if view is not None else None,
        scores=view.keep_scores if view is not None else None,
    )
    # a paper under min-score keeps its cached summary: it may pass tomorrow
    state, texts = _summaries(state, merged, previous, summaries or {}, summary_language)
    fitted = _fit_readme(
        settings,
        outcomes,
        renderer,
        text,
        last_update=state.last_update or today.isoformat(),
        summaries=texts,
        view=view,
    )
    new_readme = fitted.readme
    files = [
        FileChange(settings.readme_path, readme_bytes, new_readme),
        FileChange(settings.data_path, old_data, dump_state(state)),
    ]
    if settings.feed is not None:
        old_feed = read(settings.feed.path)
        for_you = view.for_you if view is not None else ()
        all_papers = [p for o in outcomes for p in o.papers] + list(for_you)
        files.append(
            FileChange(
                settings.feed.path,
                old_feed,
                feed_writer.render_feed(
                    all_papers,
                    feed_id=feed_link or FEED_TITLE,
                    link=feed_link,
                    max_entries=settings.feed.count,
                    previous=old_feed,
                    summaries=texts,
                    marks={p.id: f"{FOR_YOU}: {view.mark(p)}" for p in for_you} if view else None,
                ),
            )
        )
    archive = None
    warnings: list[str] = []
    if settings.archive_dir is not None or settings.builds_site:
        archive, archive_files = _archive(
            settings.archive_dir, state, read, today, listing=listing, notes=warnings, view=view
        )
        files += archive_files
    if settings.bibtex_path is not None:
        shown = [p for o in outcomes for p in o.papers]
        files.append(
            FileChange(settings.bibtex_path, read(settings.bibtex_path), render_bibtex(shown))
        )
    if outcomes_failed:
        warnings.append(
            "These topics could not be fetched and keep their previous papers: "
            + ", ".join(outcomes_failed)
            + "."
        )
    for outcome in outcomes:
        old = previous.topic(outcome.topic.name)
        first_fetch = old is None or old.fingerprint != outcome.topic.fingerprint
        from_api = sources is None or sources.get(outcome.topic.name) == "api"
        if first_fetch and from_api and not outcome.failed and outcome.fetched == 0:
            warnings.append(
                f"Topic {outcome.topic.name!r} found no papers on arXiv; check its spelling "
                f'and categories with `daily-papers search "{outcome.topic.name}"`.'
            )
    shortened = shortened_warning(fitted.size)
    if shortened:
        warnings.append(shortened)
    size_note = size_warning(new_readme)
    if size_note:
        warnings.append(size_note)
    current = {t.name for t in topics}
    removed = tuple((t.name, len(t.papers)) for t in previous.topics if t.name not in current)
    return UpdatePlan(
        outcomes=outcomes,
        files=tuple(files),
        warnings=tuple(warnings),
        removed_topics=removed,
        archive=archive,
        readme_size=fitted.size,
        summaries=texts,
        ranking=view,
        last_update=state.last_update or today.isoformat(),
    )


def _fit_readme(
    settings: RunSettings,
    outcomes: Sequence[TopicOutcome],
    renderer: Renderer,
    text: str,
    *,
    last_update: str,
    summaries: Mapping[str, str],
    view: RankedView | None = None,
) -> Fitted:
    """The new README: every topic's newest papers (its best first when it sorts by
    relevance), after the For you papers when there are any, as many as ``readme-max-bytes``
    allows.

    ``readme-max-papers`` caps each topic first; a topic's ``more`` counts the papers the data
    file keeps beyond those shown, whichever cap left them out.  For you is shortened like a
    topic (its first entry in the size budget).
    """
    ranked = [view is not None and view.ranked(o.topic) for o in outcomes]
    newest = [
        tuple(o.papers if by_score else sorted(o.papers, key=newest_first_key, reverse=True))[
            : settings.readme_max_papers
        ]
        for o, by_score in zip(outcomes, ranked, strict=True)
    ]
    for_you = view.for_you if view is not None and view.for_you_count else None
    everyone = (*(for_you or ()), *(p for papers in newest for p in papers))
    rows = {p.id: row for p in everyone if (row := view.row(p))} if view is not None else {}
    pages = [
        site_page_url(settings.site_url, o.topic.name) if settings.site_url else None
        for o in outcomes
    ]

    # A block of more than twice the limit in characters cannot fit (only "\r" and leading
    # newlines shrink when spliced), so its rendering stops there.
    give_up = 2 * settings.readme_max_bytes or None

    def build(counts: Sequence[int]) -> bytes | None:
        if for_you is not None:
            first, counts = counts[0], counts[1:]
        block = renderer.render_within(
            [
                RenderTopic(
                    name=o.topic.name,
                    papers=papers[:count],
                    page_url=page,
                    more=len(o.papers) - count,
                    summaries=summaries,
                    ranked=by_score,
                    scores=rows,
                )
                for o, papers, page, count, by_score in zip(
                    outcomes, newest, pages, counts, ranked, strict=True
                )
            ],
            max_chars=give_up,
            last_update=last_update,
            site_url=settings.site_url,
            for_you=None
            if for_you is None
            else RenderTopic(
                name=FOR_YOU,
                papers=for_you[:first],
                more=len(for_you) - first,
                summaries=summaries,
                ranked=True,
                scores=rows,
            ),
        )
        if block is None:
            return None
        spliced = splice.splice(text, block, marker=settings.marker, path=settings.readme_path)
        return spliced.encode("utf-8")

    names = [o.topic.name for o in outcomes]
    totals = [len(papers) for papers in newest]
    if for_you is not None:
        names, totals = [FOR_YOU, *names], [len(for_you), *totals]
    return fit_readme(
        names,
        totals,
        build,
        limit=settings.readme_max_bytes,
        path=settings.readme_path,
    )


def _summaries(
    state: State,
    outcomes: Sequence[TopicOutcome],
    previous: State,
    made: Mapping[str, Summary],
    language: str | None,
) -> tuple[State, dict[str, str]]:
    """The state with its summary cache (only papers still shown, so the file cannot grow
    without bound), and the texts to show."""
    shown = {p.versioned_id for o in outcomes for p in o.papers}
    cache = {**previous.summaries, **made}
    kept = {key: cache[key] for key in sorted(cache) if key in shown}
    texts = (
        {key: s.text for key, s in kept.items() if s.language == language}
        if language is not None
        else {}
    )
    return dataclasses.replace(state, summaries=kept), texts


def _archive(
    archive_dir: str | None,
    state: State,
    read: Reader,
    today: date,
    *,
    listing: Lister,
    notes: list[str],
    view: RankedView | None = None,
) -> tuple[Archive, list[FileChange]]:
    """Every paper the data file shows filed into the archive; its changed files, if kept.

    The For you papers are filed too, under the topic name "For you" (after the topics, so a
    paper a topic shows keeps the day that topic first saw it): most of them no topic matched,
    and only the archive keeps them past their day, for the site's pages and search.  A note
    on an index that disagreed with the month files goes to ``notes`` (the warnings).
    """
    shown = {topic.name: topic.papers for topic in state.topics}
    filed = view.filed(today.isoformat()) if view is not None else ()
    if filed:
        shown[FOR_YOU] = filed
    if archive_dir is None:
        return file_papers(Archive(), shown, today=today.isoformat()).archive, []
    found = read_archive(archive_dir, read, listing)
    if found.note:
        notes.append(found.note)
    previous = found.files
    update = file_papers(
        load_archive(previous, archive_dir=archive_dir), shown, today=today.isoformat()
    )
    changes = [
        FileChange(path, previous.get(path), data)
        for path, data in archive_changes(update, previous, archive_dir=archive_dir).items()
    ]
    changes.append(FileChange(found.index_path, found.index, dump_index(update.archive)))
    return update.archive, changes
