"""Merge freshly fetched papers into the stored state of each topic.

The rules:

* a newer version of a paper replaces an older one, keeping the date it was first seen;
* papers stay until newer ones push them out (at most ``max_count`` per topic, newest
  first by first-version date, then id);
* **a topic whose fetch failed keeps its previous papers** untouched — never emptied or
  degraded, because an arXiv hiccup is not "no papers";
* a topic removed from the configuration disappears; a changed query (fingerprint) starts
  that topic afresh;
* "new" papers are ids not stored under any topic before this run, counted once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daily_papers.models import Paper, StoredPaper, Topic, TopicOutcome, newest_first_key
from daily_papers.state import State, TopicState


@dataclass(frozen=True)
class FetchFailure:
    """Stands in for a topic's paper list when its fetch failed.

    ``message`` is the full sentence; ``status`` a few words for a table cell
    ("HTTP 503 after 5 attempts").
    """

    message: str
    status: str = "failed"


FetchResult = Sequence[Paper] | FetchFailure


def merge_topic(
    topic: Topic,
    previous: TopicState | None,
    fetched: FetchResult,
    *,
    today: str,
    provisional: frozenset[str] = frozenset(),
) -> TopicState:
    """The topic's new stored state (see the module rules)."""
    if isinstance(fetched, FetchFailure):
        if previous is not None:
            return previous
        return TopicState(
            name=topic.name, fingerprint=topic.fingerprint, query=topic.query, papers=()
        )
    if previous is not None and previous.fingerprint != topic.fingerprint:
        previous = None
    by_id: dict[str, StoredPaper] = {}
    if previous is not None:
        for stored in previous.papers:
            by_id[stored.paper.id] = stored
    for paper in fetched:
        old = by_id.get(paper.id)
        if old is None:
            by_id[paper.id] = StoredPaper(paper=paper, first_seen=today)
        elif paper.replaces(old.paper, other_from_feed=old.paper.id in provisional):
            by_id[paper.id] = StoredPaper(paper=paper, first_seen=old.first_seen)
    ordered = sorted(by_id.values(), key=lambda s: newest_first_key(s.paper), reverse=True)
    return TopicState(
        name=topic.name,
        fingerprint=topic.fingerprint,
        query=topic.query,
        papers=tuple(ordered[: topic.max_count]),
    )


def merge_state(
    topics: Sequence[Topic],
    previous: State,
    fetched: Mapping[str, FetchResult],
    *,
    today: str,
) -> tuple[State, tuple[TopicOutcome, ...]]:
    """Merge every topic; returns the new state and one outcome per topic (config order).

    ``last_update`` moves to ``today`` only when some topic's papers changed, so the
    "Last update" line in the README does not create a commit on its own.
    """
    known = previous.all_ids()
    counted: set[str] = set()
    states: list[TopicState] = []
    outcomes: list[TopicOutcome] = []
    for topic in topics:
        result = fetched[topic.name]
        old = previous.topic(topic.name)
        new_state = merge_topic(topic, old, result, today=today, provisional=previous.feed_only)
        states.append(new_state)
        papers = tuple(s.paper for s in new_state.papers)
        before = {s.paper.id: s.paper for s in old.papers} if old is not None else {}
        shown = {p.id for p in papers}
        new_ids = []
        for paper in papers:
            if paper.id not in known and paper.id not in counted:
                counted.add(paper.id)
                new_ids.append(paper.id)
        outcomes.append(
            TopicOutcome(
                topic=topic,
                papers=papers,
                fetched=0 if isinstance(result, FetchFailure) else len(result),
                new_ids=tuple(new_ids),
                error=result.message if isinstance(result, FetchFailure) else None,
                error_status=result.status if isinstance(result, FetchFailure) else None,
                dropped=tuple(pid for pid in before if pid not in shown),
                replaced=tuple(
                    p.id for p in papers if p.id in before and p.version > before[p.id].version
                ),
            )
        )
    new_topics = tuple(states)
    papers_changed = [(t.name, t.papers) for t in new_topics] != [
        (t.name, t.papers) for t in previous.topics
    ]
    last_update = today if papers_changed or previous.last_update is None else previous.last_update
    state = State(
        topics=new_topics,
        last_update=last_update,
        announcements=previous.announcements,
        feed_counts=previous.feed_counts,
        feed_only=previous.feed_only,
    )
    return state, tuple(outcomes)
