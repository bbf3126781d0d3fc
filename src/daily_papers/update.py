"""The main job as a pure step: previous files + fetched papers → the files to write.

Fetching is separated from planning on purpose: a remote publish that loses a race
(the branch moved) must re-read the fresh README and re-plan *without* asking arXiv
again, so :func:`plan_update` takes a ``read`` callback and already-fetched results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from daily_papers import atom_feed, splice
from daily_papers.errors import ArxivError, ReadmeError
from daily_papers.escape import size_warning
from daily_papers.merge import FetchFailure, FetchResult, merge_state
from daily_papers.models import FileChange, Paper, Topic, UpdatePlan
from daily_papers.render import Renderer, RenderTopic
from daily_papers.state import dump_state, load_state

log = logging.getLogger(__name__)

#: Reads a repository-relative path; None when the file does not exist.
Reader = Callable[[str], bytes | None]


class Searcher(Protocol):
    """What :func:`fetch_topics` needs from the arXiv client."""

    def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
        """Return the newest papers for ``query``; raise ArxivError on failure."""


@dataclass(frozen=True)
class FeedSettings:
    """Where and how to write the optional Atom feed (issue #6)."""

    path: str
    count: int = 100
    title: str = "daily-papers"
    link: str = ""


@dataclass(frozen=True)
class UpdateSettings:
    """Everything the planning step needs besides the fetched papers."""

    topics: tuple[Topic, ...]
    readme_path: str
    data_path: str
    marker: str = "daily-papers"
    feed: FeedSettings | None = None


def fetch_topics(client: Searcher, topics: Sequence[Topic]) -> dict[str, FetchResult]:
    """Fetch every topic in order; a failing topic becomes a :class:`FetchFailure`.

    Only :class:`ArxivError` (arXiv unreachable, throttling past the retry budget, or the
    query rejected) is caught: it is that topic's problem and the others still run.
    Anything else is a bug and propagates with its traceback.
    """
    results: dict[str, FetchResult] = {}
    for topic in topics:
        try:
            results[topic.name] = list(
                client.search(topic.query, topic.max_count, topic=topic.name)
            )
        except ArxivError as exc:
            log.warning("topic %r failed: %s", topic.name, exc)
            results[topic.name] = FetchFailure(str(exc))
    return results


def decode_readme(data: bytes, *, path: str) -> str:
    """Decode README bytes as UTF-8, keeping a BOM as U+FEFF so it round-trips."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadmeError(
            f"{path} is not valid UTF-8 (byte {exc.start}); save it as UTF-8 and run again."
        ) from None


def plan_update(
    settings: UpdateSettings,
    renderer: Renderer,
    fetched: Mapping[str, FetchResult],
    read: Reader,
    *,
    today: date,
) -> UpdatePlan:
    """Compute the new README, data file (and feed) from what ``read`` returns.

    Raises ArxivError when every topic failed (nothing may be written then), ReadmeError
    for a missing README or bad markers, DataFileError for a damaged data file.
    """
    outcomes_failed = [t.name for t in settings.topics if isinstance(fetched[t.name], FetchFailure)]
    if outcomes_failed and len(outcomes_failed) == len(settings.topics):
        first = fetched[settings.topics[0].name]
        detail = first.message if isinstance(first, FetchFailure) else ""
        raise ArxivError(
            f"Every topic failed to fetch from arXiv, so nothing was written. {detail}".strip()
        )
    readme_bytes = read(settings.readme_path)
    if readme_bytes is None:
        raise ReadmeError(
            f"README {settings.readme_path} does not exist; create it with the two marker "
            "lines:\n" + "\n".join(splice.marker_lines(settings.marker))
        )
    text = decode_readme(readme_bytes, path=settings.readme_path)
    old_data = read(settings.data_path)
    previous = load_state(old_data, path=settings.data_path)
    state, outcomes = merge_state(settings.topics, previous, fetched, today=today.isoformat())
    block = renderer.render(
        [RenderTopic(name=o.topic.name, papers=o.papers) for o in outcomes],
        last_update=state.last_update or today.isoformat(),
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
                atom_feed.render_feed(
                    all_papers,
                    title=settings.feed.title,
                    feed_id=settings.feed.link or settings.feed.title,
                    link=settings.feed.link,
                    max_entries=settings.feed.count,
                    previous=old_feed,
                ),
            )
        )
    warnings = []
    if outcomes_failed:
        warnings.append(
            "These topics could not be fetched and keep their previous papers: "
            + ", ".join(outcomes_failed)
            + "."
        )
    size_note = size_warning(new_readme)
    if size_note:
        warnings.append(size_note)
    return UpdatePlan(outcomes=outcomes, files=tuple(files), warnings=tuple(warnings))
