"""The library's missing abstracts: fetched from arXiv once, then kept in the data file.

A reading list of bare arXiv ids, or a Google Scholar export, gives ranking nothing to compare:
no abstract, often no title.  Those entries are asked for through the client's batched
``id_list`` request (so its spacing, retries, run budget, bounded bodies and request count all
apply), and what arXiv answers is kept by id in the data file's ``library_cache`` so that each
costs a request only the first time.  An id arXiv answers nothing for is kept too, as the day it
did (:class:`~daily_papers.state.NotFound`), and asked again only
:data:`~daily_papers.defaults.LIBRARY_RETRY_DAYS` days later: a typo would otherwise cost a
request every run, and a new id may simply not be announced yet.  The cache holds exactly the
library's id-only entries: an entry removed from the library, or given its own abstract, leaves it.

A failed fetch is a warning, never a failed run: ranking uses what it has and the next run asks
again for what is still missing; a batch that failed records nothing as unknown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from daily_papers import defaults, relevance
from daily_papers.errors import ArxivError
from daily_papers.kept_for_you import fingerprint
from daily_papers.library import LibraryEntry
from daily_papers.models import Paper
from daily_papers.publish import Reader
from daily_papers.state import LibraryCached, LibraryText, NotFound

__all__ = ["Completed", "LibraryReport", "complete", "fill", "load"]

#: How many entries a warning names before it says "and N more".
_NAMED = 5

Fetch = Callable[[Sequence[str]], Sequence[Paper]]


class ByIds(Protocol):
    """What the fetch needs from the run's arXiv client."""

    def papers_by_id(self, ids: Sequence[str]) -> list[Paper]:
        """The API's records of ``ids``; unknown ids are absent; ArxivError on failure."""


class Log(Protocol):
    """What the step says on the run's console: a group and its status line (its warnings
    join the run's, which the run prints once at its end)."""

    def group(self, title: str) -> AbstractContextManager[None]:
        """A titled, folded section."""

    def status(self, text: str) -> None:
        """A progress line."""


@dataclass(frozen=True)
class LibraryReport:
    """What the library gave ranking this run (the summary line and the result JSON)."""

    entries: int
    usable: int
    fetched: int  # abstracts arXiv sent this run
    cached: int  # abstracts the data file already had
    unusable: int  # arXiv ids still without a title or abstract
    titles_only: int  # usable by their title alone
    not_found: tuple[str, ...] = ()  # ids arXiv answered nothing for this run
    waiting: int = 0  # ids arXiv knew nothing about on an earlier run, not asked yet again
    batches: int = 0  # id_list requests asked for (retries not counted)
    failed: bool = False  # a batch failed: the next run tries again

    def to_json(self) -> dict[str, object]:
        """The result JSON's ``library`` block."""
        return {
            "entries": self.entries,
            "usable": self.usable,
            "fetched": self.fetched,
            "cached": self.cached,
            "unusable": self.unusable,
            "titles_only": self.titles_only,
            "not_found": list(self.not_found),
            "not_found_waiting": self.waiting,
            "batches": self.batches,
            "fetch_failed": self.failed,
        }


@dataclass(frozen=True)
class Completed:
    """The library with every text it could get, and what the data file keeps of it."""

    entries: tuple[LibraryEntry, ...] = ()
    cache: Mapping[str, LibraryCached] = field(default_factory=dict)
    report: LibraryReport | None = None  # None: no library in this run
    warnings: tuple[str, ...] = ()
    #: Scores papers against the library (None without a library).
    score: relevance.Scorer | None = None
    #: The library as ranking reads it, hashed: a kept For you selection ranked against
    #: another library is ranked again (:mod:`daily_papers.kept_for_you`).
    fingerprint: str = ""


def load(paths: Sequence[str], read: Reader) -> list[LibraryEntry] | None:
    """The library's entries, read before anything is fetched (None when none is given)."""
    return relevance.load_library(paths, read) if paths else None


def _wanted(entries: Sequence[LibraryEntry]) -> list[str]:
    """The ids of entries whose file gives no abstract, once each, in library order."""
    return list(dict.fromkeys(e.arxiv_id for e in entries if e.arxiv_id and not e.abstract))


def _named(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_NAMED])
    return shown if len(items) <= _NAMED else f"{shown} and {len(items) - _NAMED} more"


def _filled(entry: LibraryEntry, texts: Mapping[str, LibraryText]) -> LibraryEntry:
    """``entry`` with arXiv's abstract (and its title, when the file gives none)."""
    text = texts.get(entry.arxiv_id or "")
    if text is None or entry.abstract:
        return entry
    return dataclasses.replace(entry, title=entry.title or text.title, abstract=text.abstract)


def _retry_day(not_found: str) -> date:
    """The first day an id arXiv knew nothing about on ``not_found`` is asked again."""
    return date.fromisoformat(not_found) + timedelta(days=defaults.LIBRARY_RETRY_DAYS)


def _unknown_warning(unknown: Mapping[str, date]) -> str:
    """One warning for every id arXiv knows nothing about, and when it is asked again."""
    first = min(unknown.values())
    when = (
        f"they are asked for again from {first.isoformat()}"
        if len(set(unknown.values())) == 1
        else f"each is asked for again {defaults.LIBRARY_RETRY_DAYS} days after arXiv last "
        f"answered nothing for it, the next from {first.isoformat()}"
    )
    return (
        f"arXiv knows no paper for {len(unknown)} library ids ({_named(list(unknown))}); "
        f"check them in the library files ({when})."
    )


def complete(
    entries: Sequence[LibraryEntry],
    cached: Mapping[str, LibraryCached],
    fetch: Fetch,
    *,
    today: date,
    batch_size: int = defaults.ARXIV_ID_BATCH,
) -> Completed:
    """Fill in the abstracts ``entries`` lack, from ``cached`` first, then ``fetch``.

    An id ``cached`` records as unknown to arXiv is asked again only from its retry day
    (a day recorded after ``today``, from a clock that was wrong, is past its wait).
    ``fetch`` is asked for at most ``batch_size`` ids at a time; the first batch that fails
    ends fetching (the same failure would only repeat), keeping what earlier batches gave
    and, for the ids not answered, what ``cached`` had.
    """
    wanted = _wanted(entries)
    texts = {i: text for i in wanted if isinstance(text := cached.get(i), LibraryText)}
    unknown_before = {i: old for i in wanted if isinstance(old := cached.get(i), NotFound)}
    waiting = {
        i: _retry_day(old.not_found)
        for i, old in unknown_before.items()
        if old.not_found <= today.isoformat() and today < _retry_day(old.not_found)
    }
    missing = [i for i in wanted if i not in texts and i not in waiting]
    fetched: dict[str, LibraryText] = {}
    asked: dict[str, None] = {}
    batches, error = 0, None
    for first in range(0, len(missing), batch_size):
        batch = missing[first : first + batch_size]
        batches += 1
        try:
            papers = fetch(batch)
        except ArxivError as exc:
            error = exc
            break
        asked |= dict.fromkeys(batch)
        fetched |= {p.id: LibraryText(p.title, p.abstract) for p in papers if p.id in asked}
    not_found = tuple(i for i in asked if i not in fetched)
    texts |= fetched
    filled = tuple(_filled(e, texts) for e in entries)
    usable = [e for e in filled if e.title or e.abstract]
    report = LibraryReport(
        entries=len(filled),
        usable=len(usable),
        fetched=len(fetched),
        cached=len(texts) - len(fetched),
        unusable=len(filled) - len(usable),
        titles_only=sum(1 for e in usable if not e.abstract),
        not_found=not_found,
        waiting=len(waiting),
        batches=batches,
        failed=error is not None,
    )
    warnings: list[str] = []
    if error is not None:
        left = len(missing) - len(fetched) - len(not_found)
        warnings.append(
            f"The abstracts of {left} library papers could not be fetched from arXiv "
            f"({error.message}); ranking uses what the library files give, and the next run "
            "asks again."
        )
    recorded = {i: NotFound(today.isoformat()) for i in not_found}
    retry = _retry_day(today.isoformat())
    unknown = {i: waiting.get(i, retry) for i in wanted if i in waiting or i in recorded}
    if unknown:
        warnings.append(_unknown_warning(unknown))
    bare_titles = [e.where for e in filled if not e.arxiv_id and not e.abstract and e.title]
    if bare_titles:
        warnings.append(
            f"{len(bare_titles)} library papers have neither an arXiv id nor an abstract and "
            f"are ranked by their title alone ({_named(bare_titles)}); add an abstract or an "
            "arXiv id (eprint) to rank them better."
        )
    # an id not answered (its batch failed) keeps what the data file had of it
    kept: dict[str, LibraryCached] = {**unknown_before, **recorded, **texts}
    cache = {i: kept[i] for i in wanted if i in kept}
    texts_ranked = [(e.key, e.title, e.abstract) for e in usable]
    return Completed(
        filled,
        cache,
        report,
        tuple(warnings),
        relevance.scorer(filled),
        fingerprint(texts_ranked),
    )


def fill(
    entries: Sequence[LibraryEntry] | None,
    cache: Mapping[str, LibraryCached],
    arxiv: ByIds,
    console: Log,
    *,
    today: date,
) -> Completed:
    """:func:`complete` in a run: ``cache`` is the data file's, the fetch goes through
    ``arxiv``, the summary line to the console, ``today`` is the run's day (what an unknown
    id's wait is counted from).  No library: nothing happens."""
    if entries is None:
        return Completed()
    with console.group("Library"):
        done = complete(entries, cache, arxiv.papers_by_id, today=today)
        assert done.report is not None
        console.status(
            relevance.summary(done.entries, fetched=done.report.fetched, cached=done.report.cached)
        )
    return done
