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
    file for a number of papers per topic.  Raises ReadmeError when even no papers do not fit.
    """
    full = build(totals)
    if full is not None and _fits(full, limit):
        return Fitted(full, tuple(totals), ReadmeSize(len(full), limit))
    top = max(totals, default=0)
    empty = build([0] * len(totals)) if top else full
    if empty is None or not _fits(empty, limit):
        raise too_large(path, None if empty is None else len(empty), limit)
    # The largest level whose README fits, between a level that fits and one that does not.
    # Sizes grow about linearly with the level, so interpolation finds it in a few renders;
    # a step that does not halve the interval, or a given-up render (size unknown), is
    # followed by a bisection, which bounds the renders by twice the bits of ``top``.
    lo, lo_size, best = 0, len(empty), empty
    hi, hi_size = top, None if full is None else len(full)
    bisect = False
    while hi - lo > 1:
        if bisect or hi_size is None:
            level = (lo + hi) // 2
        else:
            level = lo + (limit - lo_size) * (hi - lo) // max(1, hi_size - lo_size)
        level = min(max(level, lo + 1), hi - 1)
        width = hi - lo
        readme = build(shares(totals, level, top))
        if readme is not None and _fits(readme, limit):
            lo, lo_size, best = level, len(readme), readme
        else:
            hi, hi_size = level, None if readme is None else len(readme)
        bisect = not bisect and 2 * (hi - lo) > width
    shown = tuple(shares(totals, lo, top))
    shortened = tuple(
        (name, count, total - count)
        for name, count, total in zip(names, shown, totals, strict=True)
        if count < total
    )
    return Fitted(best, shown, ReadmeSize(len(best), limit, shortened))


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
