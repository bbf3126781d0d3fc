"""The phases after publishing (site, digest issue, notifications): one odd paper never
stops them, and never stops the next run.

By the time these run the commit has landed, so an exception would leave no outputs and,
since the paper stays in the archive, fail every later run the same way.  Each phase hands
:func:`isolate` its papers and a pure build of its output from some of them; when the build
raises, halving the papers finds the ones it fails on (a few builds per bad paper), which are
left out and named in a :class:`Fault`, and the rest is built.  A build that fails only on a
combination of papers, or outside any paper, skips the phase with one fault.  The run then
ends ``partial``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from daily_papers.errors import DailyPapersError

__all__ = ["Fault", "isolate", "reason_of"]

T = TypeVar("T")
R = TypeVar("R")

#: Characters of an exception's text kept in a fault's reason (remote text may be huge).
_REASON_CHARS = 200


@dataclass(frozen=True)
class Fault:
    """A late phase that left out one paper (``paper_id``) or gave up whole (``None``)."""

    phase: str  # "site" | "digest issue" | "notifications"
    paper_id: str | None
    reason: str

    def warning(self) -> str:
        """One sentence for the log and the result's warnings."""
        if self.paper_id is not None:
            return (
                f"The {self.phase} left out paper {self.paper_id} ({self.reason}); "
                "the rest was built after publishing."
            )
        return f"The {self.phase} was skipped after publishing ({self.reason})."

    def to_json(self) -> dict[str, str | None]:
        """The result JSON's ``late_faults`` entry."""
        return {"phase": self.phase, "id": self.paper_id, "reason": self.reason}


def reason_of(error: BaseException) -> str:
    """The exception's type and the start of its text, on one line."""
    text = " ".join(str(error).split())
    if len(text) > _REASON_CHARS:
        text = text[: _REASON_CHARS - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass(frozen=True)
class _Outcome(Generic[R]):
    value: R | None
    reason: str | None  # None: it worked


def _attempt(build: Callable[[Sequence[T]], R], items: Sequence[T]) -> _Outcome[R]:
    try:
        return _Outcome(build(items), None)
    except DailyPapersError:
        raise
    except Exception as error:  # any bug a paper's text triggers: that is what we look for
        return _Outcome(None, reason_of(error))


def _culprits(
    items: Sequence[T], build: Callable[[Sequence[T]], object], first: str
) -> dict[int, str] | None:
    """The positions of the items ``build`` fails on alone, with why; None when it fails only
    on a combination.  Halving, with a list of ranges (no recursion)."""
    bad: dict[int, str] = {}
    pending = [(0, len(items), first)]
    while pending:
        low, high, why = pending.pop()
        if high - low == 1:
            bad[low] = why
            continue
        middle = (low + high) // 2
        failing = [
            (a, b, outcome.reason)
            for a, b in ((low, middle), (middle, high))
            if (outcome := _attempt(build, items[a:b])).reason is not None
        ]
        if not failing:
            return None
        pending.extend(failing)
    return bad


def isolate(
    phase: str,
    items: Sequence[T],
    build: Callable[[Sequence[T]], R],
    key: Callable[[T], str],
) -> tuple[R | None, tuple[T, ...], tuple[Fault, ...]]:
    """``build(items)``, or ``build`` of the items it does not fail on.

    Returns the built value (None when the phase gave up), the items used and the faults.
    ``build`` must be pure: on failure it runs again on parts of ``items``.  A
    DailyPapersError is the user's to fix, not a paper's, and propagates.
    """
    whole = _attempt(build, items)
    if whole.reason is None:
        return whole.value, tuple(items), ()
    # A build failing with no paper at all (a topic name, the disk) blames none of them.
    found = _culprits(items, build, whole.reason) if _attempt(build, ()).reason is None else None
    if found is None:
        return None, (), (Fault(phase, None, whole.reason),)
    faults = tuple(Fault(phase, key(items[i]), found[i]) for i in sorted(found))
    kept = tuple(item for i, item in enumerate(items) if i not in found)
    again = _attempt(build, kept)
    if again.reason is not None:
        return None, (), (*faults, Fault(phase, None, again.reason))
    return again.value, kept, faults
