"""Where the library's scores show: which topics sort by relevance, what ``min-score`` hides,
and which papers the For you section shows.

Kept out of the planner and the orchestrator so that a run without a library never reaches
it: without ``sort: relevance`` a topic's papers stay newest first, exactly as without a
library.  Every paper of a view is scored once, in one pool (the day's announcement and every
shown paper together), so a paper has the same score in its topic, in For you and in the result.

For you takes its papers from the day's whole announcement (every paper of the feeds the topics
read, matched by a topic or not), or only those in ``for-you-categories``, and the data file
keeps that selection (:mod:`daily_papers.kept_for_you`).  A run of the feeds that brings no
announcement (a weekend) shows the kept selection as it was, or those same papers ranked again
when the library changed, so For you does not change on a day arXiv announced nothing.  Only
where there is neither (the API route, a first run) does it rank the papers the topics show;
:attr:`RankedView.pool` says which.  The topics' papers keep their scores the same way: such a
run gives each the score and why the last announcement day gave it (the data file's ``scores``),
since scoring them in a pool without the day's announcement would reorder the relevance topics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daily_papers.errors import ConfigError
from daily_papers.kept_for_you import KeptForYou, KeptPaper, KeptScore, KeptScores
from daily_papers.models import Paper, StoredPaper, Topic, TopicOutcome, newest_first_key
from daily_papers.relevance import Score, Scorer
from daily_papers.settings import RunSettings
from daily_papers.template_context import FOR_YOU

__all__ = [
    "ANNOUNCEMENT",
    "KEPT",
    "TOPICS",
    "RankedView",
    "Ranker",
    "check_for_you_name",
    "check_sorts",
    "ranker_for",
]

#: :attr:`RankedView.pool` values: For you ranked the day's announcement, showed (or ranked
#: again) the last announcement's kept selection, or ranked the topics' papers.
ANNOUNCEMENT, KEPT, TOPICS = "announcement", "kept", "topics"


@dataclass(frozen=True)
class RankedView:
    """The scores of one plan and what they decide."""

    scores: Mapping[str, Score]  # by arXiv id, every paper of the pool
    relevance: frozenset[str]  # names of the topics sorted by relevance
    for_you: tuple[Paper, ...]  # best first, already cut to ``for-you-count``
    for_you_count: int  # 0: no For you section
    pool: str  # ANNOUNCEMENT, KEPT or TOPICS
    min_score: float | None = None
    #: What the data file keeps of For you after this run (None: nothing).
    keep: KeptForYou | None = None
    #: With :data:`KEPT`: True when the library changed and the kept papers were ranked again.
    reranked: bool = False
    #: What the data file keeps of the topics' scores after this run (None: nothing).
    keep_scores: KeptScores | None = None
    #: The announcement day whose kept scores this run shows again (None: scored this run).
    scored_on: str | None = None

    def ranked(self, topic: Topic) -> bool:
        """True when the topic's papers are in the library's order."""
        return topic.name in self.relevance

    def apply(self, outcomes: Sequence[TopicOutcome]) -> tuple[TopicOutcome, ...]:
        """The outcomes with every relevance topic's papers best first and those under
        ``min-score`` left out; the other topics keep their order.

        A new paper counts once, in the first topic that still shows it: one hidden in its
        first topic but shown in another is that other's, one hidden everywhere is nobody's.
        """
        ranked = [self._ranked(o) if self.ranked(o.topic) else o for o in outcomes]
        new = {pid for o in outcomes for pid in o.new_ids}
        counted: set[str] = set()
        recounted = []
        for outcome in ranked:
            ids = [p.id for p in outcome.papers if p.id in new and p.id not in counted]
            counted.update(ids)
            same = outcome.new_ids == tuple(ids)
            recounted.append(outcome if same else dataclasses.replace(outcome, new_ids=tuple(ids)))
        return tuple(recounted)

    def _ranked(self, outcome: TopicOutcome) -> TopicOutcome:
        """The outcome best first (:meth:`apply` then lists its new ids in that order, as the
        digest shows them)."""
        return dataclasses.replace(outcome, papers=self._best(outcome.papers))

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
        if self.pool == KEPT:
            day = self.keep.day if self.keep is not None else "?"
            again = ", ranked again against the changed library" if self.reranked else ""
            return (
                f"For you shows the papers of the last announcement ({day}){again}: "
                "this run read no new one."
            )
        return (
            "For you ranked the papers the topics show: this run read no announcement feed "
            "with papers (the API route, or a day without announcement)."
        )

    def filed(self, today: str) -> tuple[StoredPaper, ...]:
        """The For you papers as the archive files them: each with the day it was shown, the
        kept announcement's (a weekend shows Thursday's papers, filed on Thursday), else
        ``today``.  Empty without a For you section."""
        if not self.for_you_count:
            return ()
        day = self.keep.day if self.keep is not None else today
        return tuple(StoredPaper(paper, min(day, today)) for paper in self.for_you)

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
    #: The library's fingerprint (:func:`daily_papers.kept_for_you.fingerprint`).
    library: str = ""
    #: The newest announcement day the data file remembers after this run's feeds; None
    #: when no feed was read (the API route), and then no selection is kept.
    day: str | None = None

    def relevance(self, topic: Topic) -> bool:
        """True when ``topic`` sorts by relevance."""
        return (topic.sort or self.sort) == "relevance"

    def view(
        self,
        outcomes: Sequence[TopicOutcome],
        kept: KeptForYou | None = None,
        kept_scores: KeptScores | None = None,
    ) -> RankedView:
        """Score the day's papers and the shown ones together, and choose For you: from the
        day's announcement, else from the ``kept`` selection of the last one (the data
        file's), else from the topics' papers.  Without a new announcement, the topics'
        papers keep the ``kept_scores`` of the last one while the library is unchanged."""
        shown = [p for o in outcomes for p in o.papers]
        quiet = not self.announced and self.day is not None
        reuse = bool(self.for_you_count) and quiet
        kept = kept if reuse else None
        stored = [k.paper for k in kept.papers] if kept is not None else []
        pool = ANNOUNCEMENT if self.announced else KEPT if kept is not None else TOPICS
        candidates = {ANNOUNCEMENT: list(self.announced), KEPT: stored, TOPICS: shown}[pool]
        if self.for_you_categories:
            wanted = set(self.for_you_categories)
            candidates = [p for p in candidates if wanted.intersection(p.categories)]
        # a shown paper may be a newer version (or the API's record) of an announced one
        pooled = [*self.announced, *stored]
        everything = {**{p.id: p for p in pooled}, **{p.id: p for p in shown}}
        scores = self.score(list(everything.values()))
        again = quiet and kept_scores is not None and kept_scores.library == self.library
        if again and kept_scores is not None:
            # a paper new since (a manual run, an API topic) keeps the score just computed
            scores |= {
                pid: Score(k.value, k.closest, k.terms)
                for pid, k in kept_scores.papers.items()
                if pid in everything
            }
        unchanged = kept is not None and kept.library == self.library
        if kept is not None and unchanged:
            # the same library: the kept papers keep the scores and why they were shown with
            scores |= {k.paper.id: Score(k.score, k.closest, k.terms) for k in kept.papers}
            everything |= {k.paper.id: k.paper for k in kept.papers}
        relevance = frozenset(o.topic.name for o in outcomes if self.relevance(o.topic))
        keep_scores = None
        if self.day is not None and (relevance or self.for_you_count):
            topic_scores = {
                p.id: KeptScore(scores[p.id].value, scores[p.id].closest, scores[p.id].terms)
                for p in shown
                if p.id in scores
            }
            keep_scores = KeptScores(day=self.day, library=self.library, papers=topic_scores)
        view = RankedView(
            scores=scores,
            relevance=relevance,
            for_you=(),
            for_you_count=self.for_you_count,
            pool=pool,
            min_score=self.min_score,
            reranked=kept is not None and not unchanged,
            keep_scores=keep_scores,
            scored_on=kept_scores.day if again and kept_scores is not None else None,
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
        day = kept.day if kept is not None else self.day
        keep = None
        if day is not None and pool != TOPICS:
            papers = tuple(
                KeptPaper(p, scores[p.id].value, scores[p.id].closest, scores[p.id].terms)
                for p in best
            )
            keep = KeptForYou(day=day, library=self.library, papers=papers)
        return dataclasses.replace(view, for_you=best, keep=keep)


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


def check_for_you_name(settings: RunSettings, topics: Sequence[Topic]) -> None:
    """Refuse a topic named like For you while For you is shown, before any request: the
    archive files the For you papers under that name, so the two would be one history."""
    clash = [t.name for t in topics if t.name.casefold() == FOR_YOU.casefold()]
    if clash and settings.for_you_count:
        raise ConfigError(
            f"Topic {clash[0]!r} in {settings.topics.topics_file} has the name of the For you "
            "section, which the archive and the site file the For you papers under.",
            "Rename the topic, or set for-you-count to 0.",
        )


def ranker_for(
    settings: RunSettings,
    score: Scorer | None,
    announced: Sequence[Paper],
    *,
    library: str = "",
    announcements: Sequence[tuple[str, str]] | None = None,
) -> Ranker | None:
    """The run's ranker over the library's ``score`` (None without a library), with the day's
    ``announced`` papers as For you's pool; ``library`` is the library's fingerprint and
    ``announcements`` the per-archive days the data file remembers after this run's feeds
    (None on the API route, which keeps no For you selection)."""
    if score is None:
        return None
    return Ranker(
        score,
        settings.sort,
        min_score=settings.min_score,
        for_you_count=settings.for_you_count,
        for_you_categories=settings.for_you_categories,
        announced=tuple(announced),
        library=library,
        day=max((day for _archive, day in announcements or ()), default=None),
    )
