"""The library's missing abstracts: fetched from arXiv once, then kept in the data file.

A reading list of bare arXiv ids, or a Google Scholar export, gives ranking nothing to compare:
no abstract, often no title.  Those entries are asked for through the client's batched
``id_list`` request (so its spacing, retries, run budget, bounded bodies and request count all
apply), and what arXiv answers is kept by id in the data file's ``library_cache`` so that each
costs a request only the first time.  The cache holds exactly the library's id-only entries that
arXiv described: an entry removed from the library, or given its own abstract, leaves it.

A failed fetch is a warning, never a failed run: ranking uses what it has and the next run asks
again for what is still missing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from daily_papers import defaults, relevance
from daily_papers.errors import ArxivError
from daily_papers.kept_for_you import fingerprint
from daily_papers.library import LibraryEntry
from daily_papers.models import Paper
from daily_papers.publish import Reader
from daily_papers.state import LibraryText

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
    not_found: tuple[str, ...] = ()  # ids arXiv answered nothing for
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
            "batches": self.batches,
            "fetch_failed": self.failed,
        }


@dataclass(frozen=True)
class Completed:
    """The library with every text it could get, and what the data file keeps of it."""

    entries: tuple[LibraryEntry, ...] = ()
    cache: Mapping[str, LibraryText] = field(default_factory=dict)
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


def complete(
    entries: Sequence[LibraryEntry],
    cached: Mapping[str, LibraryText],
    fetch: Fetch,
    *,
    batch_size: int = defaults.ARXIV_ID_BATCH,
) -> Completed:
    """Fill in the abstracts ``entries`` lack, from ``cached`` first, then ``fetch``.

    ``fetch`` is asked for at most ``batch_size`` ids at a time; the first batch that fails
    ends fetching (the same failure would only repeat), keeping what earlier batches gave.
    """
    wanted = _wanted(entries)
    texts = {i: cached[i] for i in wanted if i in cached}
    missing = [i for i in wanted if i not in texts]
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
    if not_found:
        warnings.append(
            f"arXiv knows no paper for {len(not_found)} library ids ({_named(not_found)}); "
            "check them in the library files (they are asked for again every run)."
        )
    bare_titles = [e.where for e in filled if not e.arxiv_id and not e.abstract and e.title]
    if bare_titles:
        warnings.append(
            f"{len(bare_titles)} library papers have neither an arXiv id nor an abstract and "
            f"are ranked by their title alone ({_named(bare_titles)}); add an abstract or an "
            "arXiv id (eprint) to rank them better."
        )
    cache = {i: texts[i] for i in wanted if i in texts}
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
    cache: Mapping[str, LibraryText],
    arxiv: ByIds,
    console: Log,
) -> Completed:
    """:func:`complete` in a run: ``cache`` is the data file's, the fetch goes through
    ``arxiv``, the summary line to the console.  No library: nothing happens."""
    if entries is None:
        return Completed()
    with console.group("Library"):
        done = complete(entries, cache, arxiv.papers_by_id)
        assert done.report is not None
        console.status(
            relevance.summary(done.entries, fetched=done.report.fetched, cached=done.report.cached)
        )
    return done
