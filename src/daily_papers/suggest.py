"""One "Did you mean …?" for every near miss a user can type: an input, a field, a category.

A misspelt name that is merely refused leaves the user guessing; naming the closest valid one
turns the error into its own fix.  Every error message that suggests goes through here, so the
suggestions read the same everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

CUTOFF = 0.6
"""How alike a name must be to be suggested (difflib's ratio; its default)."""


def close_matches(
    word: str,
    choices: Iterable[str],
    *,
    most: int = 1,
    key: Callable[[str], str] | None = None,
) -> list[str]:
    """Up to ``most`` of ``choices`` close to ``word``, the likeliest first.

    ``key`` folds both sides before they are compared (case, look-alike letters), so slips
    difflib alone ranks poorly still find their name.
    """
    fold = key or str
    by_key: dict[str, list[str]] = {}
    for known in sorted(set(choices)):
        by_key.setdefault(fold(known), []).append(known)
    close = difflib.get_close_matches(fold(word), list(by_key), n=most, cutoff=CUTOFF)
    return list(dict.fromkeys(known for found in close for known in by_key[found]))[:most]


def did_you_mean(word: str, choices: Iterable[str], *, most: int = 1) -> str | None:
    """``Did you mean 'ti'?`` (or ``'a' or 'b'`` with ``most`` > 1) for a near miss, else None."""
    close = close_matches(word, choices, most=most)
    if not close:
        return None
    return f"Did you mean {' or '.join(repr(name) for name in close)}?"
