"""Plan reading arXiv's daily announcement feeds, and decide when the API must backfill.

An announcement feed lists exactly one day's announcement for a set of archives: every new
paper with its metadata, in one response for all topics.  Reading it each weekday is cheaper
and more complete than one API search per topic, but it only works if no day is missed.
This module holds the rules; it does no I/O and reads no clock (dates come from the feeds):

* **Groups.**  The archives the topics need are packed into feed groups joined with ``+``
  (``cs+stat``), sized from each archive's item count in its last feed consumed (the data
  file remembers it, :func:`count_items`), or from :data:`RECORDED_COUNTS` with a wider
  margin when there is none, so each group stays under the feed's :data:`FEED_ITEM_LIMIT`.
  A feed that answers the limit may be truncated: the group is split finer
  (:func:`split_group`) and fetched again; a single category that still answers the limit
  cannot be split, and its topics use the API for that run.
* **Days.**  What an archive remembers is the announcement date of the last feed consumed.
  The announcement that follows date D is the next Monday–Friday date (:func:`follows`); a
  holiday therefore looks like a gap and costs one backfill, which is safe.  An empty feed is
  a day without announcement; a feed not dated after the last one consumed is a stale repeat.
* **Backfill.**  :func:`backfill_reasons` says, per topic, why the feed alone is not enough.
* **Replacements.**  ``replace`` items only update the version and links of a paper already
  shown (:func:`apply_replacements`); an old paper is never listed as new.

Which topic matches which paper is not decided here: callers pass a matcher
(``matches(topic, paper) -> bool``) and ``needs_api(topic) -> str | None``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from daily_papers.arxiv import taxonomy
from daily_papers.arxiv.announcement_feed import Announcement
from daily_papers.errors import ArxivError
from daily_papers.models import Paper, Topic, keep_newest
from daily_papers.query import scope

__all__ = [
    "FEED_ITEM_LIMIT",
    "GROUP_BUDGET",
    "LIVE_BUDGET",
    "RECORDED_COUNTS",
    "BackfillReason",
    "FeedGroup",
    "FeedRun",
    "FeedStatus",
    "apply_replacements",
    "archive_dates",
    "backfill_reasons",
    "collect",
    "count_items",
    "estimates",
    "feed_status",
    "follows",
    "group_date",
    "is_truncated",
    "next_announcement",
    "plan_groups",
    "remember",
    "split_group",
]

#: rss.arxiv.org answers at most this many items; an answer this long may be cut off.
FEED_ITEM_LIMIT = 2000

#: Items per archive feed on 2024-11-28 (a Thursday), counted from the recorded feed of every
#: archive (1504 papers; a paper counts in each archive whose feed lists it, so the sum is
#: larger).  tests/sources/test_announcements.py recounts them from the recording.
RECORDED_COUNTS: Mapping[str, int] = {
    "astro-ph": 139,
    "cond-mat": 146,
    "cs": 722,
    "econ": 14,
    "eess": 121,
    "gr-qc": 63,
    "hep-ex": 29,
    "hep-lat": 11,
    "hep-ph": 69,
    "hep-th": 72,
    "math": 333,
    "math-ph": 44,
    "nlin": 17,
    "nucl-ex": 10,
    "nucl-th": 24,
    "physics": 133,
    "q-bio": 26,
    "q-fin": 12,
    "quant-ph": 87,
    "stat": 68,
}

#: Recorded items a group may add up to: half the limit, leaving room for Monday's larger
#: announcement and for arXiv's growth since the recording.
GROUP_BUDGET = FEED_ITEM_LIMIT // 2

#: Items a group may add up to when the counts are the last announcement's: three quarters of
#: the limit.  A day a third busier than the last still fits (a paper cross-listed in two
#: archives of a group is counted twice, so the real feed is shorter), and a group that does
#: answer the limit is split and read again (:func:`collect`).
LIVE_BUDGET = FEED_ITEM_LIMIT * 3 // 4

#: Estimate for an archive with no recorded count (one created after the recording).
_UNRECORDED = 100


@dataclass(frozen=True, order=True)
class FeedGroup:
    """One feed request: archives (``cs``) or, once split, categories (``cs.AI``), sorted."""

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.names:
            raise ValueError("a feed group needs at least one archive or category")
        object.__setattr__(self, "names", tuple(sorted(set(self.names))))

    @property
    def path(self) -> str:
        """The part of the feed URL after ``/rss/``: the names joined with ``+``."""
        return "+".join(self.names)

    @property
    def archives(self) -> frozenset[str]:
        """The archives this group's names belong to."""
        return frozenset(taxonomy.home_archive(name) for name in self.names)

    @property
    def whole_archives(self) -> frozenset[str]:
        """The archives this group carries completely (named as archives, not categories)."""
        return frozenset(name for name in self.names if name in taxonomy.load().archives)


# --- groups ------------------------------------------------------------------------------------


def _estimate(name: str, counts: Mapping[str, int]) -> int:
    if name in counts:
        return counts[name]
    archive = taxonomy.home_archive(name)
    share = len(taxonomy.categories_of(archive)) or 1
    return max(1, counts.get(archive, _UNRECORDED) // share)


def _pack(names: Iterable[str], counts: Mapping[str, int], budget: int) -> tuple[FeedGroup, ...]:
    """First-fit decreasing: few groups, each within ``budget`` unless one name alone exceeds it."""
    bins: list[tuple[int, list[str]]] = []
    for name in sorted(set(names), key=lambda n: (-_estimate(n, counts), n)):
        size = _estimate(name, counts)
        for index, (total, members) in enumerate(bins):
            if total + size <= budget:
                bins[index] = (total + size, [*members, name])
                break
        else:
            bins.append((size, [name]))
    return tuple(sorted(FeedGroup(tuple(members)) for _, members in bins))


def plan_groups(
    archives: Iterable[str],
    *,
    counts: Mapping[str, int] = RECORDED_COUNTS,
    budget: int = GROUP_BUDGET,
) -> tuple[FeedGroup, ...]:
    """Pack the needed archives into as few feed groups as fit the budget."""
    return _pack(archives, counts, budget)


def estimates(remembered: Mapping[str, int]) -> dict[str, int]:
    """Per-archive sizes to pack with :data:`LIVE_BUDGET`: the remembered counts, else the
    recorded ones scaled up so they keep :data:`GROUP_BUDGET`'s wider margin."""
    scaled = {
        name: -(-count * LIVE_BUDGET // GROUP_BUDGET) for name, count in RECORDED_COUNTS.items()
    }
    return {**scaled, **remembered}


def count_items(announcements: Mapping[FeedGroup, Announcement]) -> dict[str, int]:
    """Per archive that arrived complete and non-empty, the items its feed listed this run.

    An item counts in every archive of its categories that the group carries, each paper once
    per archive (a split archive's parts may list a paper twice).
    """
    known = taxonomy.load()
    complete = {a for a, day in archive_dates(announcements).items() if day is not None}
    seen: dict[str, set[str]] = {archive: set() for archive in complete}
    for group, announcement in announcements.items():
        carried = group.archives & complete
        for item in announcement.items:
            homes = frozenset().union(
                *(taxonomy.carried_by(c) for c in item.paper.categories if c in known.categories)
            )
            for archive in homes & carried:
                seen[archive].add(item.paper.id)
    return {archive: len(ids) for archive, ids in sorted(seen.items())}


def is_truncated(item_count: int) -> bool:
    """True when a feed answered the item limit: it may be cut off and must be split."""
    return item_count >= FEED_ITEM_LIMIT


def split_group(
    group: FeedGroup, *, counts: Mapping[str, int] = RECORDED_COUNTS
) -> tuple[FeedGroup, ...]:
    """Split a truncated group in two; ``()`` when it cannot be split (a single category).

    Several names split into two halves of about equal recorded size; a single archive
    splits into its categories (two halves).  Fetch the parts instead of the group.
    """
    names = group.names
    if len(names) == 1:
        parts = taxonomy.categories_of(names[0]) if names[0] in taxonomy.load().archives else ()
        if len(parts) <= 1:
            return ()
        names = parts
    halves: tuple[list[str], list[str]] = ([], [])
    sizes = [0, 0]
    for name in sorted(names, key=lambda n: (-_estimate(n, counts), n)):
        lighter = 0 if sizes[0] <= sizes[1] else 1
        halves[lighter].append(name)
        sizes[lighter] += _estimate(name, counts)
    return tuple(sorted(FeedGroup(tuple(half)) for half in halves if half))


# --- days --------------------------------------------------------------------------------------


def next_announcement(day: date) -> date:
    """The next Monday–Friday date after ``day`` (holidays are not known, see :func:`follows`)."""
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following


def follows(last: date, current: date) -> bool:
    """True when ``current`` is the announcement right after ``last``: the next weekday."""
    return current == next_announcement(last)


class FeedStatus(enum.Enum):
    """What one fetched feed means for the run."""

    SKIP = "skip"  # no items: no announcement that day; nothing changes
    STALE = "stale"  # not dated after the last one consumed: no new papers
    FRESH = "fresh"  # a new announcement to consume


def feed_status(announcement: Announcement, last: date | None) -> FeedStatus:
    """Classify a feed against the last announcement date consumed for its archives."""
    if announcement.is_empty:
        return FeedStatus.SKIP
    if last is not None and announcement.date <= last:
        return FeedStatus.STALE
    return FeedStatus.FRESH


def group_date(group: FeedGroup, last_consumed: Mapping[str, date]) -> date | None:
    """A group's last consumed date: the oldest of its archives' (``None`` if one never was)."""
    dates = [last_consumed.get(archive) for archive in sorted(group.archives)]
    known = [day for day in dates if day is not None]
    return min(known) if known and len(known) == len(dates) else None


def archive_dates(announcements: Mapping[FeedGroup, Announcement]) -> dict[str, date | None]:
    """The archives whose feed arrived complete, with its date (``None``: empty, no announcement).

    A whole-archive group covers its archives; an archive split into category groups is
    covered only when every one of its categories arrived, all with the same date.
    """
    result: dict[str, date | None] = {}
    parts: dict[str, Announcement] = {}
    for group, announcement in announcements.items():
        for name in group.names:
            if name in group.whole_archives:
                result[name] = None if announcement.is_empty else announcement.date
            else:
                parts[name] = announcement
    for archive in sorted({taxonomy.home_archive(name) for name in parts} - set(result)):
        covering = [parts.get(name) for name in taxonomy.categories_of(archive)]
        arrived = [a for a in covering if a is not None]
        if len(arrived) != len(covering) or len({a.date for a in arrived}) != 1:
            continue
        result[archive] = None if all(a.is_empty for a in arrived) else arrived[0].date
    return result


def remember(
    last_consumed: Mapping[str, date], announcements: Mapping[FeedGroup, Announcement]
) -> dict[str, date]:
    """``last_consumed`` advanced by this run's complete, non-empty, newer announcements.

    Empty feeds and stale repeats change nothing, so a weekend run writes identical state.
    """
    result = dict(last_consumed)
    for archive, day in archive_dates(announcements).items():
        if day is not None and (archive not in result or day > result[archive]):
            result[archive] = day
    return dict(sorted(result.items()))


@dataclass(frozen=True)
class FeedRun:
    """What fetching the planned groups gave: complete announcements, failures, leftovers.

    ``failed`` maps a group to the failure sentence (after the client's retries);
    ``unsplittable`` lists single categories that still answered the item limit.  The
    topics these serve use the API this run (their archives are missing from
    :func:`archive_dates`).
    """

    announcements: Mapping[FeedGroup, Announcement]
    failed: Mapping[FeedGroup, str]
    unsplittable: tuple[FeedGroup, ...]

    def fresh(self, last_consumed: Mapping[str, date]) -> tuple[Announcement, ...]:
        """The announcements that bring papers: non-empty and newer than the last consumed."""
        return tuple(
            announcement
            for group, announcement in self.announcements.items()
            if feed_status(announcement, group_date(group, last_consumed)) is FeedStatus.FRESH
        )

    def new_papers(self, last_consumed: Mapping[str, date]) -> tuple[Paper, ...]:
        """Papers announced in the fresh feeds (``new``/``cross``), each once."""
        papers = (p for a in self.fresh(last_consumed) for p in a.new_papers)
        return tuple({paper.id: paper for paper in papers}.values())

    def replacements(self, last_consumed: Mapping[str, date]) -> tuple[Paper, ...]:
        """New versions of older papers in the fresh feeds."""
        return tuple(p for a in self.fresh(last_consumed) for p in a.replacements)

    @property
    def nothing_announced(self) -> bool:
        """True when every feed arrived and was empty: a weekend or holiday, nothing to do."""
        return (
            not self.failed
            and not self.unsplittable
            and bool(self.announcements)
            and all(a.is_empty for a in self.announcements.values())
        )


def collect(groups: Iterable[FeedGroup], fetch: Callable[[FeedGroup], Announcement]) -> FeedRun:
    """Fetch every group, splitting any that answer the item limit, until none is left.

    ``fetch`` requests and parses one group's feed (the client does the HTTP and retries);
    an :class:`~daily_papers.errors.ArxivError` it raises marks that group failed, and the
    other groups still run.  Groups are fetched in order, parts of a split group after the
    rest.
    """
    queue = list(groups)
    announcements: dict[FeedGroup, Announcement] = {}
    failed: dict[FeedGroup, str] = {}
    unsplittable: list[FeedGroup] = []
    while queue:
        group = queue.pop(0)
        try:
            announcement = fetch(group)
        except ArxivError as error:
            failed[group] = str(error)
            continue
        if is_truncated(announcement.item_count):
            parts = split_group(group)
            if parts:
                queue.extend(parts)
            else:
                unsplittable.append(group)
            continue
        announcements[group] = announcement
    return FeedRun(announcements, failed, tuple(unsplittable))


# --- backfill ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackfillReason:
    """Why a topic is backfilled through the API this run: ``kind`` and a log sentence."""

    kind: str  # "new-state", "new-topic", "query-changed", "needs-api", "no-feed", "gap"
    # "no-feed": the archive's feed was never consumed, failed, or could not be split finer
    message: str


def backfill_reasons(
    topics: Sequence[Topic],
    *,
    state_is_new: bool,
    stored_fingerprints: Mapping[str, str],
    last_consumed: Mapping[str, date],
    announced: Mapping[str, date | None],
    needs_api: Callable[[Topic], str | None],
) -> dict[str, BackfillReason | None]:
    """For each topic (by name), why the feed is not enough, or ``None`` when it is.

    ``stored_fingerprints`` maps topic names to the fingerprints in the data file;
    ``last_consumed`` maps archives to the last announcement date consumed; ``announced`` is
    :func:`archive_dates` of this run: each archive whose feed arrived complete, with its
    date, or ``None`` when the feed was empty (no announcement).  An archive missing from
    ``announced`` failed or stayed truncated.

    In order of precedence: a new data file, a new topic, a changed query, a topic the
    matcher cannot evaluate, an archive whose feed was never consumed or did not arrive, and
    a feed that does not follow the last one consumed.  Empty feeds and stale repeats need
    no backfill: they bring no papers.  ``auto`` backfills these topics and merges the
    feed's papers on top; ``rss`` reports them and backfills nothing.
    """
    result: dict[str, BackfillReason | None] = {}
    for topic in topics:
        result[topic.name] = _reason(
            topic,
            state_is_new=state_is_new,
            stored_fingerprints=stored_fingerprints,
            last_consumed=last_consumed,
            announced=announced,
            needs_api=needs_api,
        )
    return result


def _reason(
    topic: Topic,
    *,
    state_is_new: bool,
    stored_fingerprints: Mapping[str, str],
    last_consumed: Mapping[str, date],
    announced: Mapping[str, date | None],
    needs_api: Callable[[Topic], str | None],
) -> BackfillReason | None:
    if state_is_new:
        return BackfillReason("new-state", "the data file is new")
    stored = stored_fingerprints.get(topic.name)
    if stored is None:
        return BackfillReason("new-topic", f"topic {topic.name!r} is new")
    if stored != topic.fingerprint:
        return BackfillReason("query-changed", f"the query of topic {topic.name!r} changed")
    why = needs_api(topic)
    if why is not None:
        return BackfillReason("needs-api", f"topic {topic.name!r} needs the API: {why}")
    for archive in sorted(scope.query_archives(topic.query)):
        last = last_consumed.get(archive)
        if last is None:
            return BackfillReason("no-feed", f"no {archive} announcement was consumed before")
        if archive not in announced:
            return BackfillReason("no-feed", f"the {archive} announcement feed did not arrive")
        current = announced[archive]
        if current is not None and current > last and not follows(last, current):
            return BackfillReason(
                "gap",
                f"the {archive} announcement of {current.isoformat()} does not follow the "
                f"last one consumed ({last.isoformat()}): announcements in between were missed",
            )
    return None


# --- papers ------------------------------------------------------------------------------------


def apply_replacements(shown: Sequence[Paper], replacements: Iterable[Paper]) -> tuple[Paper, ...]:
    """``shown`` with newer versions' version number and links taken from ``replace`` items.

    Only papers already shown change, and only forward (a replacement never lowers a
    version); nothing is added or reordered.
    """
    newest = keep_newest(replacements)
    result: list[Paper] = []
    for paper in shown:
        update = newest.get(paper.id)
        if update is None or update.version <= paper.version:
            result.append(paper)
            continue
        result.append(
            dataclasses.replace(
                paper, version=update.version, abs_url=update.abs_url, pdf_url=update.pdf_url
            )
        )
    return tuple(result)
