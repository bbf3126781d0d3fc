"""What the site shows of a run's ranking: the For you papers and the topics sorted by
relevance, best first, each paper with its score and why (pure, no I/O).

A score belongs to one announcement day: that day's papers are ranked together as one pool,
so a score compares only with the same day's scores (a day without an announcement shows the
kept scores of the last one).  The site is rebuilt on every run, so it shows the newest day's
scores only, and only where that day's order is shown: the front page (For you first, then each
relevance topic's papers best first), each relevance topic's own page and the For you page, and
the search results of the papers that run showed (``search/scores.json``).  The For you papers
are in the archive (under "For you" when no topic matched them), so the For you page keeps
every one by month and the search finds them.
Month pages list papers by date with no score, whatever an earlier run said of them.

A run without a library never reaches this module, and its site is byte for byte what it was:
the extra script, style sheet and scores file are written only for a ranked site.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daily_papers.models import Paper, TopicOutcome
from daily_papers.ranked_view import RankedView
from daily_papers.site.structure import SitePaper, SitePlan

__all__ = [
    "SCORES_FILE",
    "RankedPages",
    "SiteRanking",
    "ranked_pages",
    "scores_file",
    "site_ranking",
]

#: The search's scores of the newest run, by paper anchor (read by ``assets/ranked.js``).
SCORES_FILE = "search/scores.json"


@dataclass(frozen=True)
class SiteRanking:
    """One run's ranking as the site needs it, before the site is planned."""

    day: str  # YYYY-MM-DD: the run that scored
    for_you: tuple[Paper, ...] | None  # best first; None: the run shows no For you
    order: Mapping[str, tuple[str, ...]]  # relevance topic -> its shown ids, best first
    marks: Mapping[str, tuple[float, str]]  # id -> score and why, every paper the run showed


def site_ranking(
    view: RankedView, outcomes: Sequence[TopicOutcome], *, day: str
) -> SiteRanking | None:
    """The site's part of ``view`` (``outcomes`` already in its order); None when the README
    shows no ranking either (no For you, no topic sorted by relevance): the site stays as it is."""
    order = {o.topic.name: tuple(p.id for p in o.papers) for o in outcomes if view.ranked(o.topic)}
    if not order and not view.for_you_count:
        return None
    marks = {pid: (s.value, s.why()) for pid, s in view.shown(outcomes).items()}
    for_you = view.for_you if view.for_you_count else None
    return SiteRanking(day=day, for_you=for_you, order=order, marks=marks)


@dataclass(frozen=True)
class RankedPages:
    """The ranking laid over a planned site: what the templates read."""

    day: str
    for_you: tuple[SitePaper, ...] | None  # None: no For you section
    #: relevance topic (and the For you page) -> its papers, best first
    topics: Mapping[str, tuple[SitePaper, ...]]
    marks: Mapping[str, tuple[float, str]]

    def score(self, paper: SitePaper) -> str:
        """The score as the README writes it (three decimals), or "" without one."""
        mark = self.marks.get(paper.id)
        return "" if mark is None else f"{mark[0]:.3f}"

    def why(self, paper: SitePaper) -> str:
        """The short why (closest library paper and shared words), or ""."""
        mark = self.marks.get(paper.id)
        return "" if mark is None else mark[1]

    def ranked(self, topic_name: str) -> tuple[SitePaper, ...] | None:
        """A relevance topic's papers best first; None for a topic sorted by date."""
        return self.topics.get(topic_name)


def ranked_pages(ranking: SiteRanking, plan: SitePlan) -> RankedPages:
    """``ranking`` on ``plan``'s papers.  The archive files every For you paper (under
    "For you" when no topic matched it), so each has its page and its place in the search; a
    paper the plan lacks (left out of the build, see :mod:`daily_papers.late_phase`) is left
    out of For you and the topics' lists.  The For you page lists the day's For you first."""
    views = {p.id: p for p in plan.papers}
    for_you = tuple(views[p.id] for p in ranking.for_you or () if p.id in views)
    topics = {
        name: tuple(views[pid] for pid in ids if pid in views)
        for name, ids in ranking.order.items()
    }
    page = plan.for_you
    if page is not None and ranking.for_you is not None:
        topics[page.name] = for_you
    return RankedPages(
        day=ranking.day,
        for_you=None if ranking.for_you is None else for_you,
        topics=topics,
        marks=ranking.marks,
    )


def scores_file(plan: SitePlan, pages: RankedPages) -> bytes:
    """``search/scores.json``: the day and, by anchor, the score and why of every searchable
    paper the run showed.  A file of its own rather than fields of the records, so that the
    index of a site without a library stays as it was."""
    marks = {p.anchor: [pages.score(p), pages.why(p)] for p in plan.papers if p.id in pages.marks}
    data = {"day": pages.day, "marks": marks}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
