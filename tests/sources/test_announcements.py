"""Planning announcement feeds: groups, the 2000-item split, days, backfill, replacements.

Built on the recorded all-archives feed of 2024-11-28 and SYNTHETIC variants of it
(tests/rss_synthetic.py: other days, stale repeats, gaps, more than 2000 items).
"""

from __future__ import annotations

import dataclasses
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache

import pytest

from daily_papers.arxiv import taxonomy
from daily_papers.arxiv.announcement_feed import Announcement, parse_announcement
from daily_papers.errors import ArxivError
from daily_papers.models import Paper, Topic
from daily_papers.sources.announcements import (
    FEED_ITEM_LIMIT,
    GROUP_BUDGET,
    RECORDED_COUNTS,
    BackfillReason,
    FeedGroup,
    FeedRun,
    FeedStatus,
    apply_replacements,
    archive_dates,
    backfill_reasons,
    collect,
    feed_status,
    follows,
    group_date,
    is_truncated,
    next_announcement,
    plan_groups,
    remember,
    split_group,
)
from daily_papers.sources.routing import describe, route_papers
from tests.fakes.arxiv_server import FakeArxivFeeds
from tests.rss_synthetic import (
    ALL_ARCHIVES,
    EMPTY,
    as_type,
    categories_of,
    oversized,
    recorded,
    recorded_items,
    select,
    synthetic_feed,
)

THU = date(2024, 11, 28)
FRI = date(2024, 11, 29)
MON = date(2024, 12, 2)
TUE = date(2024, 12, 3)
ALL = frozenset(taxonomy.feed_archives())


@cache
def _recorded() -> Announcement:
    return parse_announcement(recorded(ALL_ARCHIVES))


def _listed_by(archive_names: frozenset[str]) -> int:
    """How many recorded papers a feed for these archives would list."""
    return sum(
        1
        for item in _recorded().items
        if archive_names & frozenset().union(*map(taxonomy.carried_by, item.paper.categories))
    )


# --- counts and groups -------------------------------------------------------------------------


def test_recorded_counts_are_recounted_from_the_recording() -> None:
    counts: Counter[str] = Counter()
    for item in _recorded().items:
        counts.update(frozenset().union(*map(taxonomy.carried_by, item.paper.categories)))
    assert dict(counts) == dict(RECORDED_COUNTS)
    assert set(RECORDED_COUNTS) == ALL
    assert _listed_by(ALL) == 1504  # the recording itself: every archive, each paper once


def test_every_archive_in_budgeted_groups() -> None:
    groups = plan_groups(ALL)
    assert len(groups) > 1  # all archives (2130 recorded listings) exceed one group's budget
    names = [name for group in groups for name in group.names]
    assert sorted(names) == sorted(ALL)  # each archive exactly once
    for group in groups:
        assert sum(RECORDED_COUNTS[n] for n in group.names) <= GROUP_BUDGET
        assert _listed_by(group.archives) < FEED_ITEM_LIMIT // 2


def test_small_needs_make_one_group_joined_with_plus() -> None:
    (group,) = plan_groups({"stat", "cs"})
    assert group.path == "cs+stat"
    assert group.archives == {"cs", "stat"}
    assert plan_groups(set()) == ()


def test_an_archive_over_budget_still_gets_its_own_group() -> None:
    groups = plan_groups({"cs", "math", "stat"}, counts={"cs": 1500, "math": 300, "stat": 60})
    assert FeedGroup(("cs",)) in groups
    assert FeedGroup(("math", "stat")) in groups


def test_an_unrecorded_archive_is_estimated() -> None:
    groups = plan_groups({"cs", "econ"}, counts={"cs": 900})
    assert groups == (FeedGroup(("cs", "econ")),)


def test_feed_group_names_are_sorted_and_never_empty() -> None:
    assert FeedGroup(("stat", "cs", "stat")).names == ("cs", "stat")
    with pytest.raises(ValueError, match="at least one"):
        FeedGroup(())


# --- the 2000-item limit -----------------------------------------------------------------------


def test_2000_items_may_be_truncated() -> None:
    feed = parse_announcement(synthetic_feed(oversized(FEED_ITEM_LIMIT)))
    assert feed.item_count == FEED_ITEM_LIMIT
    assert is_truncated(feed.item_count)
    assert not is_truncated(_recorded().item_count)
    assert not is_truncated(FEED_ITEM_LIMIT - 1)


def test_split_several_archives_into_two_halves() -> None:
    group = FeedGroup(tuple(sorted(ALL)))
    parts = split_group(group)
    assert len(parts) == 2
    assert sorted(n for p in parts for n in p.names) == sorted(ALL)
    sizes = [sum(RECORDED_COUNTS[n] for n in p.names) for p in parts]
    assert abs(sizes[0] - sizes[1]) <= max(RECORDED_COUNTS.values())


def test_split_one_archive_into_its_categories() -> None:
    parts = split_group(FeedGroup(("cs",)))
    assert len(parts) == 2
    names = {n for p in parts for n in p.names}
    assert names == set(taxonomy.categories_of("cs"))
    assert all(p.archives == {"cs"} for p in parts)
    assert all(p.whole_archives == frozenset() for p in parts)
    # and those split again, down to single categories that cannot be split
    smaller = split_group(parts[0])
    assert len(smaller) == 2
    assert split_group(FeedGroup(("cs.AI",))) == ()


def test_an_archive_that_is_one_category_cannot_be_split() -> None:
    assert split_group(FeedGroup(("hep-th",))) == ()


# --- days --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "current", "expected"),
    [
        (THU, FRI, True),
        (FRI, MON, True),  # the weekend has no announcement
        (date(2024, 11, 30), MON, True),
        (THU, MON, False),  # Friday was missed
        (FRI, TUE, False),  # Monday missed, or a holiday: one safe backfill
        (THU, THU, False),
        (FRI, THU, False),
    ],
)
def test_follows(last: date, current: date, expected: bool) -> None:
    assert follows(last, current) is expected


def test_next_announcement() -> None:
    assert next_announcement(THU) == FRI
    assert next_announcement(FRI) == MON
    assert next_announcement(date(2024, 12, 31)) == date(2025, 1, 1)


def test_feed_status() -> None:
    empty = parse_announcement(recorded(EMPTY))
    assert feed_status(empty, None) is FeedStatus.SKIP
    assert feed_status(empty, date(2024, 11, 27)) is FeedStatus.SKIP
    assert feed_status(_recorded(), None) is FeedStatus.FRESH
    assert feed_status(_recorded(), date(2024, 11, 27)) is FeedStatus.FRESH
    assert feed_status(_recorded(), THU) is FeedStatus.STALE  # the same feed again
    older = parse_announcement(synthetic_feed(recorded_items()[:3], day=date(2024, 11, 27)))
    assert feed_status(older, THU) is FeedStatus.STALE


def test_group_date_takes_the_oldest_archive() -> None:
    assert group_date(FeedGroup(("cs", "stat")), {"cs": FRI, "stat": THU}) == THU
    assert group_date(FeedGroup(("cs", "stat")), {"cs": FRI}) is None
    assert group_date(FeedGroup(("cs.AI", "cs.CL")), {"cs": FRI}) == FRI


def _feed(day: date, count: int = 3) -> Announcement:
    """SYNTHETIC: the first ``count`` recorded items announced on ``day``."""
    return parse_announcement(synthetic_feed(recorded_items()[:count], day=day))


def test_archive_dates() -> None:
    cs_parts = split_group(FeedGroup(("cs",)))
    empty = parse_announcement(recorded(EMPTY))
    run = {
        FeedGroup(("math", "stat")): _feed(FRI),
        cs_parts[0]: _feed(FRI),
        cs_parts[1]: _feed(FRI),
    }
    assert archive_dates(run) == {"math": FRI, "stat": FRI, "cs": FRI}
    assert archive_dates({FeedGroup(("hep-th",)): empty}) == {"hep-th": None}
    # one part of cs missing (failed or still truncated): cs did not arrive
    assert archive_dates({cs_parts[0]: _feed(FRI)}) == {}
    # parts from different days do not make a day
    assert archive_dates({cs_parts[0]: _feed(FRI), cs_parts[1]: _feed(THU)}) == {}
    # an empty part is a category without papers that day
    assert archive_dates({cs_parts[0]: _feed(FRI), cs_parts[1]: _feed(FRI, 0)}) == {"cs": FRI}


def test_remember_advances_only_on_new_non_empty_feeds() -> None:
    last = {"cs": THU, "math": THU}
    run = {
        FeedGroup(("cs",)): _feed(FRI),
        FeedGroup(("math",)): _feed(date(2024, 11, 27)),  # a stale repeat never goes back
        FeedGroup(("hep-th",)): parse_announcement(recorded(EMPTY)),  # no announcement
        FeedGroup(("stat",)): _feed(FRI),  # first time
    }
    assert remember(last, run) == {"cs": FRI, "math": THU, "stat": FRI}
    assert remember(last, {}) == last


def _fetcher(
    answers: dict[FeedGroup, Announcement | Exception],
) -> tuple[list[FeedGroup], Callable[[FeedGroup], Announcement]]:
    asked: list[FeedGroup] = []

    def fetch(group: FeedGroup) -> Announcement:
        asked.append(group)
        answer = answers.get(group, _feed(FRI))
        if isinstance(answer, Exception):
            raise answer
        return answer

    return asked, fetch


def test_collect_splits_truncated_groups_and_keeps_going_after_failures() -> None:
    full = parse_announcement(synthetic_feed(oversized(FEED_ITEM_LIMIT), day=FRI))
    cs, math_stat, hep = FeedGroup(("cs",)), FeedGroup(("math", "stat")), FeedGroup(("hep-th",))
    cs_parts = split_group(cs)
    first_half = split_group(cs_parts[0])
    answers: dict[FeedGroup, Announcement | Exception] = {
        cs: full,
        cs_parts[0]: full,  # still too long: split again
        math_stat: ArxivError("arXiv did not answer https://rss.arxiv.org/rss/math+stat."),
        hep: full,  # a single category at the limit cannot be split
    }
    asked, fetch = _fetcher(answers)
    run = collect([cs, math_stat, hep], fetch)
    assert asked == [cs, math_stat, hep, *cs_parts, *first_half]
    assert set(run.announcements) == {cs_parts[1], *first_half}
    assert run.failed == {math_stat: "arXiv did not answer https://rss.arxiv.org/rss/math+stat."}
    assert run.unsplittable == (hep,)
    assert archive_dates(run.announcements) == {"cs": FRI}
    assert not run.nothing_announced


def test_feed_run_papers_come_only_from_fresh_feeds() -> None:
    items = recorded_items()
    replaced = next(i for i in items if b"<arxiv:announce_type>replace<" in i)
    friday = parse_announcement(synthetic_feed([items[0], items[1], replaced], day=FRI))
    thursday_again = parse_announcement(synthetic_feed([items[2]], day=THU))
    run = FeedRun({FeedGroup(("cs",)): friday, FeedGroup(("math",)): thursday_again}, {}, ())
    last = {"cs": THU, "math": THU}
    assert [p.id for p in run.new_papers(last)] == [p.id for p in friday.new_papers]
    assert len(run.replacements(last)) == 1
    assert run.new_papers({"cs": FRI, "math": THU}) == ()  # everything already consumed


def test_nothing_announced_on_a_weekend() -> None:
    empty = parse_announcement(recorded(EMPTY))
    assert FeedRun(
        {FeedGroup(("cs",)): empty, FeedGroup(("math",)): empty}, {}, ()
    ).nothing_announced
    assert not FeedRun(
        {FeedGroup(("cs",)): empty}, {FeedGroup(("math",)): "failed"}, ()
    ).nothing_announced
    assert not FeedRun({}, {}, ()).nothing_announced
    assert not FeedRun({FeedGroup(("cs",)): _feed(FRI)}, {}, ()).nothing_announced


# --- backfill ----------------------------------------------------------------------------------


def _topic(name: str, query: str = '(ti:"x" OR abs:"x") AND cat:cs.CL') -> Topic:
    return Topic(name=name, query=query)


def _reasons(
    topics: list[Topic],
    *,
    state_is_new: bool = False,
    stored: dict[str, str] | None = None,
    last: dict[str, date] | None = None,
    announced: dict[str, date | None] | None = None,
    needs_api: dict[str, str] | None = None,
) -> dict[str, BackfillReason | None]:
    return backfill_reasons(
        topics,
        state_is_new=state_is_new,
        stored_fingerprints={t.name: t.fingerprint for t in topics} if stored is None else stored,
        last_consumed={"cs": THU} if last is None else last,
        announced={"cs": FRI} if announced is None else announced,
        needs_api=lambda topic: (needs_api or {}).get(topic.name),
    )


def _kind(reason: BackfillReason | None) -> str | None:
    return None if reason is None else reason.kind


def test_the_next_weekday_feed_needs_no_backfill() -> None:
    assert _reasons([_topic("a")]) == {"a": None}


def test_backfill_reasons_in_order_of_precedence() -> None:
    a, b = _topic("a"), _topic("b")
    assert _kind(_reasons([a], state_is_new=True)["a"]) == "new-state"
    assert _kind(_reasons([a, b], stored={"a": a.fingerprint})["b"]) == "new-topic"
    changed = _reasons([a], stored={"a": "sha256:0000000000000000"})["a"]
    assert _kind(changed) == "query-changed"
    needs = _reasons([a], needs_api={"a": "it uses a wildcard"})["a"]
    assert needs is not None
    assert needs.kind == "needs-api"
    assert "it uses a wildcard" in needs.message
    assert _kind(_reasons([a], last={})["a"]) == "no-feed"  # never consumed
    assert _kind(_reasons([a], announced={})["a"]) == "no-feed"  # failed or still truncated


def test_a_gap_is_backfilled() -> None:
    gap = _reasons([_topic("a")], announced={"cs": MON})["a"]  # Friday's was missed
    assert gap is not None
    assert gap.kind == "gap"
    assert "2024-12-02" in gap.message
    assert "2024-11-28" in gap.message


def test_empty_feeds_and_stale_repeats_need_no_backfill() -> None:
    assert _reasons([_topic("a")], announced={"cs": None}) == {"a": None}
    assert _reasons([_topic("a")], announced={"cs": THU}) == {"a": None}


def test_only_the_topics_archives_count() -> None:
    cs, anywhere = _topic("cs"), _topic("any", '(ti:"x" OR abs:"x")')
    reasons = _reasons([cs, anywhere], last=dict.fromkeys(ALL, THU), announced={"cs": FRI})
    assert reasons["cs"] is None
    assert _kind(reasons["any"]) == "no-feed"


def test_gap_detected_from_synthetic_feed_dates() -> None:
    tuesday = parse_announcement(synthetic_feed(recorded_items()[:5], day=TUE))
    reasons = _reasons([_topic("a")], last={"cs": THU}, announced={"cs": tuesday.date})
    assert _kind(reasons["a"]) == "gap"


# --- papers ------------------------------------------------------------------------------------


def test_route_by_category_with_the_real_matcher() -> None:
    items = select(lambda item: "cs.CL" in categories_of(item) or "hep-th" in categories_of(item))
    run = collect(
        [FeedGroup(("cs", "hep-th"))],
        lambda group: parse_announcement(
            synthetic_feed([*items, *items[:3]])  # a paper listed twice, as cross-lists can be
        ),
    )
    papers = run.new_papers({})
    topics = [
        _topic("nlp", "cat:cs.CL"),
        _topic("strings", "cat:hep-th"),
        _topic("no", "cat:q-fin.TR"),
    ]
    routed = route_papers(topics, papers)
    assert routed["nlp"]
    assert all("cs.CL" in p.categories for p in routed["nlp"])
    assert all("hep-th" in p.categories for p in routed["strings"])
    assert routed["no"] == ()
    assert len({p.id for p in routed["nlp"]}) == len(routed["nlp"])  # each paper once
    expected = {
        p.id
        for p in parse_announcement(synthetic_feed(items)).new_papers
        if "cs.CL" in p.categories
    }
    assert {p.id for p in routed["nlp"]} == expected


def test_replace_items_update_only_papers_already_shown() -> None:
    replaced = select(lambda item: b"<arxiv:announce_type>replace<" in item)[:3]
    feed = parse_announcement(
        synthetic_feed([as_type(replaced[0], "replace-cross"), replaced[1], replaced[2]])
    )
    newer = feed.replacements
    shown_old = dataclasses.replace(newer[0], version=1, abs_url="old", pdf_url="old")
    shown_newer = dataclasses.replace(newer[1], version=newer[1].version + 1, abs_url="kept")
    unrelated = _recorded().new_papers[0]
    result = apply_replacements([unrelated, shown_old, shown_newer], newer)
    assert [p.id for p in result] == [unrelated.id, shown_old.id, shown_newer.id]
    assert result[0] is unrelated
    assert result[1].version == newer[0].version
    assert result[1].abs_url == newer[0].abs_url
    assert result[1].pdf_url == newer[0].pdf_url
    assert result[1].title == shown_old.title
    assert result[2] == shown_newer  # never downgraded
    assert newer[2].id not in {p.id for p in result}  # an old paper is never added


class _Api:
    """A stand-in for the API client's ``papers_by_id``: the records it was given, or a failure."""

    def __init__(self, records: list[Paper] | None) -> None:
        self.records = records
        self.asked: list[list[str]] = []

    def papers_by_id(self, ids: Sequence[str]) -> list[Paper]:
        self.asked.append(list(ids))
        if self.records is None:
            raise ArxivError("arXiv answered HTTP 503.")
        return [p for p in self.records if p.id in ids]


def test_describe_prefers_the_api_unless_it_lags_the_feed() -> None:
    new, missing = _recorded().new_papers[:2]
    cross = dataclasses.replace(_recorded().new_papers[2], version=3)
    api_new = dataclasses.replace(new, comment="12 pages", published=new.published.replace(day=25))
    api_lagging = dataclasses.replace(cross, version=2, comment="v2")
    announced = {p.id: p for p in (new, cross, missing)}
    api = _Api([api_new, api_lagging])
    described = describe(api, sorted(announced), announced)  # type: ignore[arg-type]
    assert described == {new.id: api_new}  # the API's older version is not taken
    assert api.asked == [sorted(announced)]
    # A failed request keeps the feed's data: nothing is described, all are asked again later.
    assert describe(_Api(None), [new.id], announced) == {}  # type: ignore[arg-type]
    assert describe(_Api([]), [], announced) == {}  # type: ignore[arg-type]


# --- the fake serves feeds over HTTP -----------------------------------------------------------


def _status(url: str) -> int:
    """The HTTP status of a GET, closing the error response too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        with error:
            return error.code


def test_fake_serves_announcement_feeds() -> None:
    with FakeArxivFeeds(known=lambda name: taxonomy.canonical(name) is not None) as fake:
        assert isinstance(fake, FakeArxivFeeds)
        fake.serve_announcement("stat+cs", synthetic_feed(recorded_items()[:2], day=FRI))
        with urllib.request.urlopen(fake.rss_url + "cs+stat", timeout=10) as answer:
            feed = parse_announcement(answer.read())
            assert answer.headers["Content-Type"].startswith("application/rss+xml")
        assert feed.date == FRI
        assert _status(fake.rss_url + "astroph") == 400
        assert _status(fake.rss_url + "math") == 404
        fake.fail_feed_next(503)
        assert _status(fake.rss_url + "cs+stat") == 503
        assert _status(fake.rss_url + "cs+stat") == 200
        answered = [r.answered_by for r in fake.requests]
        assert answered == ["rss", "rss-error", "unmatched", "rss-fault", "rss"]
