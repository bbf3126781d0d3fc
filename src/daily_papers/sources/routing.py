"""Where each topic's papers come from this run: the daily announcement feeds, or the API.

``api`` searches the API once per topic.  ``rss`` reads arXiv's announcement feeds (a few
requests for any number of topics), matches every topic locally against the day's papers and
fills in what the feed lacks (the comment) with one ``id_list`` request per 2,000 papers.
``auto`` reads the feeds too, but backfills a topic through the API whenever the feed alone
could miss papers (:func:`daily_papers.sources.announcements.backfill_reasons`): a new data file or
topic, a changed query, a query the matcher cannot evaluate, a feed that failed, or a gap of
missed announcement days.  A failed fetch is never an empty list.

A few topics cost fewer requests searched one by one than the feeds plus the ``id_list``
that describes their papers, every day: ``auto`` then takes the API for the run
(:func:`cheaper_route`) and says so.  ``Fetched.route`` names the route taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from daily_papers import defaults
from daily_papers.arxiv.announcement_feed import Announcement
from daily_papers.errors import ArxivError
from daily_papers.escape import console_text
from daily_papers.merge import FetchFailure, FetchResult
from daily_papers.models import Paper, Topic
from daily_papers.query import match as matcher
from daily_papers.query import scope
from daily_papers.query.authors import by_followed_authors
from daily_papers.sources import announcements as feeds
from daily_papers.state import State

SOURCES = ("auto", "rss", "api")

#: Reasons that mean "this topic has no history to extend": even ``rss`` reads them as new.
_FRESH_START = frozenset({"new-state", "new-topic", "query-changed"})


class ArxivSource(Protocol):
    """What fetching needs from the arXiv client."""

    def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
        """The newest papers for ``query``; ArxivError on failure."""

    def announcement(self, url: str) -> Announcement:
        """One announcement feed, parsed; ArxivError on failure (after retries)."""

    def papers_by_id(self, ids: Sequence[str]) -> list[Paper]:
        """The API's records of ``ids``; unknown ids are absent."""


#: Fetches the API for some topics (the orchestrator's per-topic search with its fail-fast).
SearchTopics = Callable[[Sequence[Topic]], dict[str, FetchResult]]


@dataclass(frozen=True)
class FeedState:
    """What the data file remembers of the feeds after this run."""

    announcements: tuple[tuple[str, str], ...]
    feed_only: frozenset[str]
    #: Per archive, the items of its last consumed feed (kept where no feed arrived).
    counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Fetched:
    """Every topic's papers (or failure), the source that served it, and what to remember.

    ``feed_state`` is ``None`` when no feed was read (the ``api`` source): the data file
    keeps what it had.  ``notes`` are said once in the log and the summary.
    ``skipped_items`` counts feed items that could not become papers (never written);
    ``unknown_types`` counts the skipped items per announce type arXiv sent but this code
    does not know.
    """

    results: dict[str, FetchResult]
    sources: dict[str, str]
    feed_state: FeedState | None = None
    notes: tuple[str, ...] = ()
    nothing_announced: bool = False
    reasons: dict[str, str] = field(default_factory=dict)
    skipped_items: int = 0
    unknown_types: dict[str, int] = field(default_factory=dict)
    #: ``feeds`` (announcement feeds, then ``id_list`` and any backfill) or ``api`` (searches).
    route: str = "feeds"
    #: Why ``auto`` searched the API this run (a choice, not a problem: not a warning).
    route_reason: str | None = None
    #: Every paper the announcement feeds read this run announce (``new``/``cross``), matched
    #: by a topic or not, fresh or a repeat of a day already consumed: the pool For you ranks.
    announced: tuple[Paper, ...] = ()


def cheaper_route(
    topics: Sequence[Topic], groups: int, *, page_size: int = defaults.ARXIV_PAGE_SIZE
) -> tuple[int, int]:
    """A day's requests for these topics by the API and by ``groups`` feeds, as ``(api, feeds)``.

    The steady state of each route, not this run's backfills (a new data file backfills
    under both): the API searches each topic the feeds could serve in pages of
    ``page_size``; the feeds cost one request per group and one ``id_list``.  Topics the
    matcher cannot evaluate are searched under both and left out.
    """
    served = [t for t in topics if matcher.needs_api(t) is None]
    searches = sum(-(-t.max_count // page_size) for t in served)
    return searches, groups + 1 if served else 0


def fetch(
    source: str,
    client: ArxivSource,
    topics: Sequence[Topic],
    previous: State,
    *,
    rss_url: str,
    search_topics: SearchTopics,
    today: date,
    page_size: int = defaults.ARXIV_PAGE_SIZE,
    also_archives: frozenset[str] = frozenset(),
) -> Fetched:
    """Fetch every topic from the configured source (see the module docstring).

    ``today`` is the run's date: a feed dated more than
    :data:`~daily_papers.defaults.FEED_DATE_LEAD_DAYS` after it is refused (it counts as a
    failed feed), and such a date remembered by an earlier run is forgotten, since every
    later feed would otherwise look like an old repeat for ever.  ``also_archives`` are read
    beyond those the topics need (For you's categories): their papers only join
    :attr:`Fetched.announced`.
    """
    if source == "api":
        return Fetched(search_topics(topics), {t.name: "api" for t in topics}, route="api")
    needed = frozenset().union(*(scope.query_archives(t.query) for t in topics), also_archives)
    sizes = feeds.estimates(dict(previous.feed_counts))
    groups = feeds.plan_groups(needed, counts=sizes, budget=feeds.LIVE_BUDGET)
    searches, feed_cost = cheaper_route(topics, len(groups), page_size=page_size)
    if source == "auto" and searches < feed_cost:
        note = (
            f"arxiv-source auto searched the API: {searches} request(s) a day for these "
            f"topics, against {feed_cost} for the announcement feeds and their id_list."
        )
        return Fetched(
            search_topics(topics), {t.name: "api" for t in topics}, route="api", route_reason=note
        )
    latest = today + timedelta(days=defaults.FEED_DATE_LEAD_DAYS)
    notes = [
        f"The data file's {archive} announcement date {day.isoformat()} lies in the future; "
        "it is forgotten."
        for archive, day in previous.last_consumed.items()
        if day > latest
    ]
    last = {a: d for a, d in previous.last_consumed.items() if d <= latest}
    base = rss_url.rstrip("/")
    skipped: list[str] = []
    unknown: Counter[str] = Counter()

    def one_feed(group: feeds.FeedGroup) -> Announcement:
        announcement = client.announcement(f"{base}/{group.path}")
        if announcement.date > latest:
            raise ArxivError(
                f"it is dated {announcement.date.isoformat()}, more than "
                f"{defaults.FEED_DATE_LEAD_DAYS} day after today ({today.isoformat()}), "
                "so that date is refused"
            )
        skipped.extend(announcement.skipped)
        unknown.update(announcement.unknown_types)
        if announcement.skipped:
            notes.append(
                f"The announcement feed {base}/{group.path} had "
                f"{len(announcement.skipped)} unusable items, skipped: "
                f"{'; '.join(announcement.skipped[:3])}"
                f"{' …' if len(announcement.skipped) > 3 else ''}."
            )
        return announcement

    run = feeds.collect(groups, one_feed)
    if unknown:
        counted = ", ".join(f"{console_text(repr(t))} ×{n}" for t, n in sorted(unknown.items()))
        notes.append(f"The announcement feeds sent unknown announce types, skipped: {counted}.")
    # ``auto`` falls back to the API and says so once; under ``rss`` each topic the feed
    # serves fails with the sentence instead (it keeps its papers, the run is partial).
    failed_feeds = {
        group: f"The announcement feed {base}/{group.path} failed ({message})"
        for group, message in run.failed.items()
    }
    if source == "auto":
        notes += [
            f"{said}; the topics it serves use the API this run." for said in failed_feeds.values()
        ]
    notes += [
        f"The feed {base}/{group.path} still answers {feeds.FEED_ITEM_LIMIT} items; its topics "
        "use the API this run."
        for group in run.unsplittable
    ]
    reasons = feeds.backfill_reasons(
        topics,
        state_is_new=previous.is_new,
        stored_fingerprints={t.name: t.fingerprint for t in previous.topics},
        last_consumed=last,
        announced=feeds.archive_dates(run.announcements),
        needs_api=matcher.needs_api,
    )
    kinds = {name: reason.kind for name, reason in reasons.items() if reason is not None}
    # A query the matcher cannot evaluate always goes to the API; ``auto`` also backfills
    # every other topic with a reason, ``rss`` never does.
    via_api = [
        t
        for t in topics
        if kinds.get(t.name) == "needs-api" or (source == "auto" and t.name in kinds)
    ]
    routed = route_papers(
        [t for t in topics if kinds.get(t.name) != "needs-api"], run.new_papers(last)
    )
    shown = {p.paper.id: p.paper for t in previous.topics for p in t.papers}
    announced = {p.id: p for papers in routed.values() for p in papers}
    wanted = sorted(set(announced) | previous.feed_only)
    described = describe(client, wanted, announced)
    pending = frozenset(pid for pid in wanted if pid not in described)
    replacements = {p.id: p for p in run.replacements(last)}
    searched = search_topics(via_api) if via_api else {}

    results: dict[str, FetchResult] = {}
    sources: dict[str, str] = {}
    for topic in topics:
        matched = [described.get(p.id, p) for p in routed.get(topic.name, ())]
        if topic.name in searched:
            found = searched[topic.name]
            results[topic.name] = found if isinstance(found, FetchFailure) else [*found, *matched]
            sources[topic.name] = "api"
        elif source == "rss" and (failure := _feed_failure(topic, failed_feeds)) is not None:
            results[topic.name] = failure
            sources[topic.name] = "rss"
        else:
            refreshed = _refreshed(topic, previous, described, replacements, shown)
            results[topic.name] = [*matched, *refreshed]
            sources[topic.name] = "rss"
    said = {name: reason.message for name, reason in reasons.items() if reason is not None}
    if source == "rss":
        notes += [
            f"{said[name]}; the rss source never backfills, so papers announced in between "
            "are missing (arxiv-source auto would fetch them)."
            for name, kind in kinds.items()
            if kind == "gap"
        ]
    remembered = feeds.remember(last, run.announcements)
    fresh = {
        group: a
        for group, a in run.announcements.items()
        if feeds.feed_status(a, feeds.group_date(group, last)) is feeds.FeedStatus.FRESH
    }
    counts = {**dict(previous.feed_counts), **feeds.count_items(fresh)}
    return Fetched(
        results=results,
        sources=sources,
        feed_state=FeedState(
            tuple((a, d.isoformat()) for a, d in remembered.items()),
            pending,
            tuple(sorted(counts.items())),
        ),
        notes=tuple(dict.fromkeys(notes)),
        nothing_announced=run.nothing_announced and not (set(kinds.values()) & _FRESH_START),
        reasons=said,
        skipped_items=len(skipped),
        unknown_types=dict(sorted(unknown.items())),
        announced=tuple(
            described.get(p.id, p)
            for p in {p.id: p for a in run.announcements.values() for p in a.new_papers}.values()
        ),
    )


def _feed_failure(topic: Topic, failed_feeds: Mapping[feeds.FeedGroup, str]) -> FetchFailure | None:
    """The failure of a topic the ``rss`` source cannot serve: one of its feeds failed."""
    needed = scope.query_archives(topic.query)
    for group, sentence in failed_feeds.items():
        if group.archives & needed:
            return FetchFailure(
                f"{sentence}; the rss source does not fall back to the API, so the topic "
                "keeps its papers.",
                "feed failed",
            )
    return None


def route_papers(topics: Sequence[Topic], papers: Sequence[Paper]) -> dict[str, tuple[Paper, ...]]:
    """Each topic's matches among the day's papers (in feed order), authors to follow applied."""
    if not topics or not papers:
        return {}
    compiled = [matcher.compile_query(t.query) for t in topics]
    found = matcher.match_papers(compiled, papers)
    return {
        t.name: tuple(p for p in hits if by_followed_authors(t.authors, p))
        for t, hits in zip(topics, found, strict=True)
    }


def describe(
    client: ArxivSource, ids: Sequence[str], announced: Mapping[str, Paper]
) -> dict[str, Paper]:
    """The API's records of ``ids`` that are at least as new as the feed's (``announced``).

    The API's index can lag the feed by a version, and its request can fail: an id left out
    keeps the feed's data for now and is asked for again on a later run.
    """
    if not ids:
        return {}
    try:
        records = client.papers_by_id(ids)
    except ArxivError:
        return {}
    return {
        p.id: p
        for p in records
        if p.id not in announced or p.replaces(announced[p.id], other_from_feed=True)
    }


def _refreshed(
    topic: Topic,
    previous: State,
    described: Mapping[str, Paper],
    replacements: Mapping[str, Paper],
    shown: Mapping[str, Paper],
) -> list[Paper]:
    """Papers the topic already shows in a better form: a newer version, or API metadata."""
    stored = previous.topic(topic.name)
    if stored is None:
        return []
    better: list[Paper] = []
    for kept in stored.papers:
        paper = shown[kept.paper.id]
        update = described.get(paper.id)
        if update is not None and update.replaces(
            paper, other_from_feed=paper.id in previous.feed_only
        ):
            better.append(update)
            continue
        newer = replacements.get(paper.id)
        if newer is not None and newer.version > paper.version:
            better.extend(feeds.apply_replacements([paper], [newer]))
    return better
