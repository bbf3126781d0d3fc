"""Keeping the whole README file under ``readme-max-bytes``.

github.com renders only the first 512,000 bytes of a README and drops the rest without a word,
the user's own text after the end marker included.  So when the README with every paper would
be larger than the limit, each topic shows the same share of its newest papers, the largest
share that fits; the data file and the archive still keep every paper.  A README that fits is
rendered exactly once, exactly as without a limit.

The template may be the user's, so sizes are measured, never predicted: each candidate share is
rendered and spliced into the whole file.  A README whose own text, headings and credit line are
over the limit even with no papers is refused (:class:`~daily_papers.errors.ReadmeError`): a
silently emptied paper list every day, still cut by GitHub, is worse than a failed run that
says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from daily_papers.errors import ReadmeError

__all__ = ["Fitted", "ReadmeSize", "fit_readme", "shares", "shortened_warning", "too_large"]

#: The whole README file with the given number of newest papers shown per topic, or None
#: when it is certainly over the limit (its rendering was given up).
Build = Callable[[Sequence[int]], bytes | None]


@dataclass(frozen=True)
class ReadmeSize:
    """What the limit did: the README's final size and which topics it shortened."""

    bytes: int
    limit: int  # 0: no limit
    shortened: tuple[tuple[str, int, int], ...] = ()  # (topic, papers shown, papers left out)


@dataclass(frozen=True)
class Fitted:
    """The README to write and how many papers each topic shows in it."""

    readme: bytes
    shown: tuple[int, ...]
    size: ReadmeSize


def shares(totals: Sequence[int], level: int, top: int) -> list[int]:
    """Each topic's papers at ``level`` out of ``top``: its total scaled by ``level / top``,
    rounded half up.  Never more than the topic has, and never fewer at a higher level, so the
    README grows with the level and a search over it is sound."""
    return [(2 * total * level + top) // (2 * top) for total in totals]


def _fits(readme: bytes | None, limit: int) -> bool:
    return readme is not None and (not limit or len(readme) <= limit)


def fit_readme(
    names: Sequence[str], totals: Sequence[int], build: Build, *, limit: int, path: str
) -> Fitted:
    """The README with as many papers as ``limit`` bytes allow (``0``: every paper).

    ``totals`` are the papers each topic would show without a limit; ``build`` renders the whole
    file for a number of papers per topic.  The largest share of every topic that fits is
    found first; the room it leaves goes to the first topics, one share step more each, so
    the file is filled without any topic straying from the share by more than that step.
    Raises ReadmeError when even no papers do not fit.
    """
    full = build(totals)
    if full is not None and _fits(full, limit):
        return Fitted(full, tuple(totals), ReadmeSize(len(full), limit))
    top = max(totals, default=0)
    empty = build([0] * len(totals)) if top else full
    if empty is None or not _fits(empty, limit):
        raise too_large(path, None if empty is None else len(empty), limit)
    level, best, over = _largest(
        lambda x: build(shares(totals, x, top)), limit, (0, empty), (top, full)
    )
    below, above = shares(totals, level, top), shares(totals, level + 1, top)
    first, best, _ = _largest(
        lambda x: build(above[:x] + below[x:]), limit, (0, best), (len(totals), over)
    )
    shown = tuple(above[:first] + below[first:])
    shortened = tuple(
        (name, count, total - count)
        for name, count, total in zip(names, shown, totals, strict=True)
        if count < total
    )
    return Fitted(best, shown, ReadmeSize(len(best), limit, shortened))


def _largest(
    make: Callable[[int], bytes | None],
    limit: int,
    fits: tuple[int, bytes],
    too_big: tuple[int, bytes | None],
) -> tuple[int, bytes, bytes | None]:
    """The largest ``x`` whose ``make(x)`` fits, between one that fits and a larger one that
    does not (its README, or None when given up); also the README of ``x + 1``.

    Sizes grow about linearly with ``x``, so interpolating (or, with the upper size unknown,
    extrapolating the last slope) finds it in a few renders; a step that does not halve the
    interval is followed by a bisection, which bounds the renders by twice the bits of the
    interval whatever the template does.
    """
    (lo, best), (hi, over) = fits, too_big
    slope: tuple[int, int] | None = None  # an earlier fitting (x, size), for extrapolating
    bisect = False
    while hi - lo > 1:
        room = limit - len(best)
        if bisect:
            x = (lo + hi) // 2
        elif over is not None:
            x = lo + room * (hi - lo) // max(1, len(over) - len(best))
        elif slope is not None:
            x = lo + room * (lo - slope[0]) // max(1, len(best) - slope[1])
        else:
            x = lo + 1  # one step measures the slope
        x = min(max(x, lo + 1), hi - 1)
        width = hi - lo
        readme = make(x)
        if _fits(readme, limit):
            assert readme is not None
            slope, lo, best = (lo, len(best)), x, readme
        else:
            hi, over = x, readme
        bisect = not bisect and 2 * (hi - lo) > width
    return lo, best, over


def too_large(path: str, size: int | None, limit: int, *, own_text: bool = False) -> ReadmeError:
    """The refusal when the README cannot fit even with no papers (``own_text``: measured on
    the text outside the markers, before anything is fetched; ``size`` None: a rendering
    given up at twice the limit)."""
    over = f"more than readme-max-bytes ({limit:,})"
    if own_text:
        what = f"{path} has {size:,} bytes of its own text outside the markers, {over}"
    else:
        measured = over if size is None else f"{size:,} bytes"
        what = (
            f"{path} would be {measured} even with no papers shown (its own text, the topic "
            "headings and the credit line)" + ("" if size is None else f", {over}")
        )
    return ReadmeError(
        f"{what}; nothing was written.",
        "Shorten the README's own text, or raise readme-max-bytes (0 = no limit).",
    )


def shortened_warning(size: ReadmeSize) -> str | None:
    """The run's one warning when topics were shortened, else None."""
    if not size.shortened:
        return None
    most = max(size.shortened, key=lambda item: item[1] + item[2])
    count = len(size.shortened)
    topics = f"{count} topic{'s' if count != 1 else ''}"
    return (
        f"The README with every paper would be more than readme-max-bytes ({size.limit:,} "
        f"bytes), so {topics} show only their newest papers "
        f"(e.g. {most[0]!r}: {most[1]} of {most[1] + most[2]}) and say how many more there "
        f"are; the data file keeps them all. Lower max-count, use the compact template, or "
        "raise readme-max-bytes."
    )
