"""The library's part in a run: read the ``library`` files, say how usable they are, and order
each topic's shown papers by how close they are to the library.

Without a library nothing here runs, so the README stays byte-identical for those who give none.
The stored state keeps its newest-first order (and its ``max-count`` cut); only what is shown is
reordered, best first, ties to the newer paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from daily_papers import ranking
from daily_papers.errors import ConfigError
from daily_papers.library import LibraryEntry, read_libraries
from daily_papers.models import Paper, newest_first_key

__all__ = ["COLD_START", "load_library", "orderer", "summary"]

#: Below this many usable library papers the summary says ranking improves with more
#: (measured: a library of 1 or 3 papers ranks far worse than one of 10, benchmarks/RESULTS.md).
COLD_START = 10

Read = Callable[[str], "bytes | None"]


def load_library(paths: Sequence[str], read: Read) -> list[LibraryEntry]:
    """Every library file's entries (a missing or non-UTF-8 file is a ConfigError)."""
    files: list[tuple[str, str]] = []
    for path in paths:
        data = read(path)
        if data is None:
            raise ConfigError(f"The library file {path} does not exist; check the path.")
        try:
            files.append((path, data.decode("utf-8-sig")))
        except UnicodeDecodeError:
            raise ConfigError(
                f"The library file {path} is not valid UTF-8; export it again as UTF-8."
            ) from None
    return read_libraries(files)


def _usable(entries: Sequence[LibraryEntry]) -> list[LibraryEntry]:
    return [e for e in entries if e.title or e.abstract]


def summary(entries: Sequence[LibraryEntry]) -> str:
    """One line for the run's log: how many library papers ranking can use, and why not all."""
    usable = _usable(entries)
    text = f"Library: {len(usable)} of {len(entries)} papers usable for ranking"
    bare = len(entries) - len(usable)
    if bare:
        text += f" ({bare} are arXiv ids without a title or abstract in the file)"
    titles_only = sum(1 for e in usable if not e.abstract)
    if titles_only:
        text += f"; {titles_only} ranked by title only"
    if len(usable) < COLD_START:
        text += f"; with fewer than {COLD_START}, ranking improves with every paper added"
    return text + "."


def orderer(entries: Sequence[LibraryEntry]) -> Callable[[Sequence[Paper]], tuple[Paper, ...]]:
    """A function that orders papers best first against ``entries``.

    The library is indexed once and each paper's features are kept for the run: a paper shown
    in several topics is read once (a 200-topic run would otherwise spend most of its ranking
    time re-reading the same abstracts)."""
    library = [ranking.Document(e.key, e.title, e.abstract) for e in _usable(entries)]
    indexed = ranking.index([ranking.document_features(d) for d in library])
    seen: dict[tuple[str, str, str], ranking.Features] = {}

    def features(document: ranking.Document) -> ranking.Features:
        key = (document.key, document.title, document.abstract)
        found = seen.get(key)
        if found is None:
            found = seen[key] = ranking.document_features(document)
        return found

    def order(papers: Sequence[Paper]) -> tuple[Paper, ...]:
        if not library or len(papers) < 2:
            return tuple(papers)
        pool = [ranking.Document(p.id, p.title, p.abstract) for p in papers]
        scored = ranking.rank(
            library, pool, library_features=indexed, pool_features=[features(d) for d in pool]
        )
        score = {r.key: r.score for r in scored}
        newest = sorted(papers, key=newest_first_key, reverse=True)
        place = {p.id: i for i, p in enumerate(newest)}
        return tuple(sorted(papers, key=lambda p: (-score[p.id], place[p.id])))

    return order
