"""The one did-you-mean helper: a near miss names the closest choices, a far one nothing."""

from __future__ import annotations

from daily_papers.suggest import did_you_mean


def test_a_near_miss_names_the_closest_choice() -> None:
    assert did_you_mean("max_count", ["max-count", "template"]) == "Did you mean 'max-count'?"


def test_several_close_choices_are_joined_with_or() -> None:
    assert did_you_mean("titel", ["abstract", "tile", "title"], most=2) == (
        "Did you mean 'title' or 'tile'?"
    )


def test_nothing_close_gives_none() -> None:
    assert did_you_mean("zzzz", ["ti", "abs"]) is None
