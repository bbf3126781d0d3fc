"""Where the library's scores show: which topics sort by relevance, what ``min-score`` hides,
and which papers the For you section shows.

Kept out of the planner and the orchestrator so that a run without a library never reaches
it: without ``sort: relevance`` a topic's papers stay newest first, exactly as without a
library.  Every paper of a view is scored once, in one pool (the day's announcement and every
shown paper together), so a paper has the same score in its topic, in For you and in the result.

For you takes its papers from the day's whole announcement (every paper of the feeds the topics
read, matched by a topic or not), or only those in ``for-you-categories``.  Where the run has no
announcement to read (the API route, or a day arXiv announced nothing) it ranks the papers the
topics show instead, and :attr:`RankedView.pool` says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daily_papers.errors import ConfigError
from daily_papers.models import Paper, Topic, TopicOutcome, newest_first_key
from daily_papers.relevance import Score, Scorer
from daily_papers.settings import RunSettings

__all__ = ["ANNOUNCEMENT", "TOPICS", "RankedView", "Ranker", "check_sorts", "ranker_for"]

#: :attr:`RankedView.pool` values: For you ranked the day's announcement, or the topics' papers.
ANNOUNCEMENT, TOPICS = "announcement", "topics"


@dataclass(frozen=True)
class RankedView:
    """The scores of one plan and what they decide."""

    scores: Mapping[str, Score]  # by arXiv id, every paper of the pool
    relevance: frozenset[str]  # names of the topics sorted by relevance
    for_you: tuple[Paper, ...]  # best first, already cut to ``for-you-count``
    for_you_count: int  # 0: no For you section
    pool: str  # ANNOUNCEMENT or TOPICS
    min_score: float | None = None

    def ranked(self, topic: Topic) -> bool:
        """True when the topic's papers are in the library's order."""
        return topic.name in self.relevance

    def apply(self, outcomes: Sequence[TopicOutcome]) -> tuple[TopicOutcome, ...]:
        """The outcomes with every relevance topic's papers best first and those under
        ``min-score`` left out; the other topics are untouched."""
        return tuple(self._ranked(o) if self.ranked(o.topic) else o for o in outcomes)

    def _ranked(self, outcome: TopicOutcome) -> TopicOutcome:
        """The outcome best first; its new ids follow (the digest lists them in that order)."""
        papers = self._best(outcome.papers)
        place = {p.id: i for i, p in enumerate(papers)}
        new_ids = sorted(outcome.new_ids, key=lambda pid: place.get(pid, len(place)))
        return dataclasses.replace(outcome, papers=papers, new_ids=tuple(new_ids))

    def _best(self, papers: Sequence[Paper]) -> tuple[Paper, ...]:
        newest = sorted(papers, key=newest_first_key, reverse=True)
        place = {p.id: i for i, p in enumerate(newest)}
        kept = [p for p in papers if self._passes(p)]
        return tuple(sorted(kept, key=lambda p: (-self._value(p), place[p.id])))

    def _value(self, paper: Paper) -> float:
        score = self.scores.get(paper.id)
        return score.value if score is not None else float("-inf")

    def _passes(self, paper: Paper) -> bool:
        return self.min_score is None or self._value(paper) >= self.min_score

    def shown(self, outcomes: Sequence[TopicOutcome]) -> dict[str, Score]:
        """The scores of every paper shown in ``outcomes`` or in For you, in that order."""
        ids = [p.id for o in outcomes for p in o.papers] + [p.id for p in self.for_you]
        return {pid: self.scores[pid] for pid in dict.fromkeys(ids) if pid in self.scores}

    @property
    def note(self) -> str | None:
        """What the summary says when For you could not rank a whole announcement."""
        if not self.for_you_count or self.pool == ANNOUNCEMENT:
            return None
        return (
            "For you ranked the papers the topics show: this run read no announcement feed "
            "with papers (the API route, or a day without announcement)."
        )

    def row(self, paper: Paper) -> tuple[float, str] | None:
        """A paper's score and why as a table row shows them, when it has a score."""
        score = self.scores.get(paper.id)
        return None if score is None else (score.value, score.why())

    def mark(self, paper: Paper) -> str:
        """A For you paper's mark outside the README (digest, feed): its score and why."""
        row = self.row(paper)
        return "" if row is None else f"score {row[0]:.3f}, {row[1]}"


@dataclass(frozen=True)
class Ranker:
    """How a run ranks: the scorer over its library, its settings and the day's papers."""

    score: Scorer
    sort: str  # the run's ``sort``; a topic's own ``sort:`` wins
    min_score: float | None = None
    for_you_count: int = 0
    for_you_categories: tuple[str, ...] = ()
    #: Every paper of the announcement feeds read this run (empty on the API route).
    announced: tuple[Paper, ...] = ()

    def relevance(self, topic: Topic) -> bool:
        """True when ``topic`` sorts by relevance."""
        return (topic.sort or self.sort) == "relevance"

    def view(self, outcomes: Sequence[TopicOutcome]) -> RankedView:
        """Score the day's papers and the shown ones together, and choose For you."""
        shown = [p for o in outcomes for p in o.papers]
        pool = ANNOUNCEMENT if self.announced else TOPICS
        candidates = list(self.announced or shown)
        if self.for_you_categories:
            wanted = set(self.for_you_categories)
            candidates = [p for p in candidates if wanted.intersection(p.categories)]
        # a shown paper may be a newer version (or the API's record) of an announced one
        everything = {**{p.id: p for p in self.announced}, **{p.id: p for p in shown}}
        scores = self.score(list(everything.values()))
        view = RankedView(
            scores=scores,
            relevance=frozenset(o.topic.name for o in outcomes if self.relevance(o.topic)),
            for_you=(),
            for_you_count=self.for_you_count,
            pool=pool,
            min_score=self.min_score,
        )
        if not self.for_you_count:
            return view
        # a paper sharing no word with the library is filler, not a recommendation
        unique = {
            p.id: everything[p.id]
            for p in candidates
            if p.id in scores and scores[p.id].closest is not None
        }
        best = view._best(list(unique.values()))[: self.for_you_count]
        return dataclasses.replace(view, for_you=best)


def check_sorts(settings: RunSettings, topics: Sequence[Topic]) -> None:
    """Refuse a topic's ``sort: relevance`` without a library, before any request."""
    wanting = [t.name for t in topics if t.sort == "relevance"]
    if wanting and not settings.library:
        raise ConfigError(
            f"Topic {wanting[0]!r} has sort: relevance in {settings.topics.topics_file}, "
            "but no library is given to rank against.",
            "Add --library (action input library) with a BibTeX, CSL-JSON or arXiv id "
            "file (README: Papers for you), or drop the topic's sort.",
        )


def ranker_for(
    settings: RunSettings, score: Scorer | None, announced: Sequence[Paper]
) -> Ranker | None:
    """The run's ranker over the library's ``score`` (None without a library), with the day's
    ``announced`` papers as For you's pool."""
    if score is None:
        return None
    return Ranker(
        score,
        settings.sort,
        min_score=settings.min_score,
        for_you_count=settings.for_you_count,
        for_you_categories=settings.for_you_categories,
        announced=tuple(announced),
    )
