"""One "Did you mean …?" for every near miss a user can type: an input, a field, a category.

A misspelt name that is merely refused leaves the user guessing; naming the closest valid one
turns the error into its own fix.  Every error message that suggests goes through here, so the
suggestions read the same everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6
"""How alike a name must be to be suggested (difflib's ratio; its default)."""


def did_you_mean(word: str, choices: Iterable[str], *, most: int = 1) -> str | None:
    """``Did you mean 'ti'?`` (or ``'a' or 'b'`` with ``most`` > 1) for a near miss, else None."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=most, cutoff=CUTOFF)
    if not close:
        return None
    return f"Did you mean {' or '.join(repr(name) for name in close)}?"
