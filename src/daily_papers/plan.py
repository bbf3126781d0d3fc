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
    archive_path,
    dump_index,
    file_papers,
    index_path,
    load_archive,
    months_in_index,
)
from daily_papers.atom_feed import FEED_TITLE
from daily_papers.bibtex import render_bibtex
from daily_papers.errors import ArxivError, ReadmeError
from daily_papers.escape import size_warning
from daily_papers.merge import FetchFailure, FetchResult, merge_state
from daily_papers.models import FileChange, Paper, Summary, Topic, TopicOutcome, new_papers
from daily_papers.publish import Reader
from daily_papers.render import Renderer
from daily_papers.settings import RunSettings
from daily_papers.site.structure import site_page_url
from daily_papers.sources.routing import FeedState
from daily_papers.state import State, dump_state, load_state
from daily_papers.template_context import RenderTopic

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
    #: The one-line summary texts shown, by versioned id (the digest, the site and any
    #: announcement of the new papers show the same ones).
    summaries: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def failed_topics(self) -> tuple[str, ...]:
        """Names of topics whose fetch failed this run."""
        return tuple(o.topic.name for o in self.outcomes if o.failed)

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


def readme_text(data: bytes | None, *, path: str, marker: str) -> str:
    """The README as text, checked: it exists, is UTF-8 and has exactly one pair of markers."""
    if data is None:
        raise ReadmeError(
            f"README {path} was not found (check readme-path and branch); create it with the "
            "two marker lines:\n" + "\n".join(splice.marker_lines(marker))
        )
    text = decode_readme(data, path=path)
    splice.current_block(text, marker=marker, path=path)
    return text


def plan_update(
    settings: RunSettings,
    topics: Sequence[Topic],
    renderer: Renderer,
    fetched: Mapping[str, FetchResult],
    read: Reader,
    *,
    today: date,
    feed_link: str = "",
    feed_state: FeedState | None = None,
    sources: Mapping[str, str] | None = None,
    summaries: Mapping[str, Summary] | None = None,
    summary_language: str | None = None,
) -> UpdatePlan:
    """Compute the new README, data file (and feed) from what ``read`` returns.

    ``topics`` are the run's loaded topics; ``feed_link`` is the page the feed points readers
    to (the repository).  ``summaries`` are the ones written this run; with the data file's
    they are kept for the papers still shown, and those in ``summary_language`` are shown
    (``None``: summaries are off and none is shown).

    Raises ArxivError when every topic failed (nothing may be written then), ReadmeError
    for a missing README or bad markers, DataFileError for a damaged data file.
    """
    outcomes_failed = [t.name for t in topics if isinstance(fetched[t.name], FetchFailure)]
    if outcomes_failed and len(outcomes_failed) == len(topics):
        first = fetched[topics[0].name]
        detail = first.message if isinstance(first, FetchFailure) else ""
        raise ArxivError(
            f"Every topic failed to fetch from arXiv, so nothing was written. {detail}".strip()
        )
    readme_bytes = read(settings.readme_path)
    text = readme_text(readme_bytes, path=settings.readme_path, marker=settings.marker)
    assert readme_bytes is not None  # readme_text refused a missing README
    old_data = read(settings.data_path)
    previous = load_state(old_data, path=settings.data_path)
    state, outcomes = merge_state(topics, previous, fetched, today=today.isoformat())
    if feed_state is not None:
        state = dataclasses.replace(
            state, announcements=feed_state.announcements, feed_only=feed_state.feed_only
        )
    state, texts = _summaries(state, outcomes, previous, summaries or {}, summary_language)
    block = renderer.render(
        [
            RenderTopic(
                name=o.topic.name,
                papers=o.papers[: settings.readme_max_papers],
                page_url=site_page_url(settings.site_url, o.topic.name)
                if settings.site_url
                else None,
                more=max(0, len(o.papers) - (settings.readme_max_papers or len(o.papers))),
                summaries=texts,
            )
            for o in outcomes
        ],
        last_update=state.last_update or today.isoformat(),
        site_url=settings.site_url,
    )
    new_text = splice.splice(text, block, marker=settings.marker, path=settings.readme_path)
    new_readme = new_text.encode("utf-8")
    files = [
        FileChange(settings.readme_path, readme_bytes, new_readme),
        FileChange(settings.data_path, old_data, dump_state(state)),
    ]
    if settings.feed is not None:
        old_feed = read(settings.feed.path)
        all_papers = [p for o in outcomes for p in o.papers]
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
                ),
            )
        )
    archive = None
    if settings.archive_dir is not None or settings.builds_site:
        archive, archive_files = _archive(settings.archive_dir, state, read, today)
        files += archive_files
    if settings.bibtex_path is not None:
        shown = [p for o in outcomes for p in o.papers]
        files.append(
            FileChange(settings.bibtex_path, read(settings.bibtex_path), render_bibtex(shown))
        )
    warnings = []
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
        summaries=texts,
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
    archive_dir: str | None, state: State, read: Reader, today: date
) -> tuple[Archive, list[FileChange]]:
    """Every paper the data file shows filed into the archive; its changed files, if kept."""
    shown = {topic.name: topic.papers for topic in state.topics}
    if archive_dir is None:
        return file_papers(Archive(), shown, today=today.isoformat()).archive, []
    index = index_path(archive_dir)
    old_index = read(index)
    months = months_in_index(old_index, path=index)
    previous = {archive_path(archive_dir, m): read(archive_path(archive_dir, m)) for m in months}
    update = file_papers(
        load_archive(previous, archive_dir=archive_dir), shown, today=today.isoformat()
    )
    changes = [
        FileChange(path, previous.get(path), data)
        for path, data in archive_changes(update, previous, archive_dir=archive_dir).items()
    ]
    changes.append(FileChange(index, old_index, dump_index(update.archive)))
    return update.archive, changes
