"""Venue out of sample: 550 real 2025–2026 comments labelled by hand, half never tuned on.

Labels and split: tests/fixtures/venue/labels-2025.tsv (rules in LABELLING.md there); the
comment texts are read from ../shared/venue (see tests/venue_sample.py) and never copied here,
so the measuring tests skip where that folder is absent.  The figures are pinned so that an
improvement or a regression shows up; README.md reports them.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from daily_papers.venue import venue_of
from tests.venue_sample import COMMENTS, Score, draw, read_comments, read_labels, score, wilson

needs_comments = pytest.mark.skipif(
    not COMMENTS.is_file(),
    reason=f"the shared comment texts are absent ({COMMENTS}); the labels are measured only "
    "where ../shared/venue sits beside the checkout",
)


@cache
def comments() -> dict[str, str]:
    return read_comments()


def _score(split: str, stratum: str | None = None) -> Score:
    return score(
        [
            (row.paper_id, row.answers, venue_of(None, comments()[row.paper_id]))
            for row in read_labels()
            if row.split == split and stratum in (None, row.stratum)
        ]
    )


def test_labels_are_550_ids_split_in_equal_halves_per_stratum() -> None:
    rows = read_labels()
    assert len(rows) == 550
    assert len({row.paper_id for row in rows}) == 550
    halves = Counter((row.stratum, row.split) for row in rows)
    assert halves == {
        ("hinted", "tune"): 200,
        ("hinted", "test"): 200,
        ("plain", "tune"): 75,
        ("plain", "test"): 75,
    }
    assert sum(bool(row.answers) for row in rows) == 358


@needs_comments
def test_the_sample_and_split_are_the_documented_fixed_seed_draw() -> None:
    assert draw(comments()) == {row.paper_id: row.split for row in read_labels()}


@needs_comments
@pytest.mark.parametrize(
    ("split", "right", "wrong", "missed"),
    [("tune", 177, 1, 5), ("test", 159, 6, 17)],
)
def test_precision_and_recall_on_each_half(split: str, right: int, wrong: int, missed: int) -> None:
    """``test`` was scored once, after tuning on ``tune`` stopped; a wrong venue for a comment
    that states one counts as a miss too."""
    found = _score(split)
    print(found.line(split))
    assert (len(found.right), len(found.wrong), len(found.missed)) == (right, wrong, missed)


@needs_comments
def test_no_venue_is_invented_for_plain_comments() -> None:
    """Of the 150 comments without a venue-like word, one states a venue ("13IHMMSec2025",
    read as "13IHMMSec 2025"); every other one gives none."""
    stated = {row.paper_id for row in read_labels() if row.answers}
    wrong = [w for split in ("tune", "test") for w in _score(split, "plain").wrong]
    assert wrong == [("2504.11686", "13IHMMSec 2025")]
    assert {paper_id for paper_id, _ in wrong} <= stated


def test_wilson_interval() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(10, 10)
    assert round(low, 3) == 0.722
    assert high == 1.0
    assert tuple(round(x, 3) for x in wilson(50, 100)) == (0.404, 0.596)
