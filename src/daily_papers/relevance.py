"""The library's part in a run: read the ``library`` files, say how usable they are, and score
papers by how close they are to the library, each with a short why.

Without a library nothing here runs, so the README stays byte-identical for those who give none.
Where the scores are used (which topics, the threshold, For you) is
:mod:`daily_papers.ranked_view`'s concern.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from daily_papers import defaults, ranking
from daily_papers.errors import ConfigError
from daily_papers.library import LibraryEntry, read_libraries
from daily_papers.models import Paper

__all__ = ["COLD_START", "Score", "Scorer", "load_library", "scorer", "summary"]

#: Below this many usable library papers the summary says ranking improves with more
#: (measured: a library of 1 or 3 papers ranks far worse than one of 10, benchmarks/RESULTS.md);
#: the ranker's own cold-start threshold, so the summary and the scores agree.
COLD_START = ranking.COLD_LIBRARY

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


def summary(entries: Sequence[LibraryEntry], *, fetched: int = 0, cached: int = 0) -> str:
    """One line for the run's log: how many library papers ranking can use, and why not all
    (``fetched``/``cached``: abstracts arXiv sent this run / the data file already had)."""
    usable = _usable(entries)
    text = f"Library: {len(usable)} of {len(entries)} papers usable for ranking"
    notes = []
    if fetched or cached:
        notes.append(f"{fetched} abstracts fetched from arXiv, {cached} from the data file")
    bare = len(entries) - len(usable)
    if bare:
        notes.append(f"{bare} arXiv ids still without a title or abstract")
    if notes:
        text += f" ({'; '.join(notes)})"
    titles_only = sum(1 for e in usable if not e.abstract)
    if titles_only:
        text += f"; {titles_only} ranked by title only"
    if len(usable) < COLD_START:
        text += f"; with fewer than {COLD_START}, ranking improves with every paper added"
    return text + "."


class Score:
    """One paper's score against the library, and why: the closest library paper's title and
    the words they share most, as the paper writes them.

    Immutable.  The scorer gives every paper of the day's pool a score, but only the shown
    ones (a few hundred of thousands) ever need their words: :meth:`lazy` leaves the
    stem-to-word mapping until :attr:`terms` is first read, and then keeps it."""

    __slots__ = ("_make", "_terms", "closest", "value")

    value: float  # as the ranker rounds it
    closest: str | None
    _terms: tuple[str, ...]
    _make: Callable[[], tuple[str, ...]] | None

    def __init__(self, value: float, closest: str | None, terms: Sequence[str] = ()) -> None:
        _set(self, "value", value)
        _set(self, "closest", closest)
        _set(self, "_terms", tuple(terms))
        _set(self, "_make", None)

    @classmethod
    def lazy(cls, value: float, closest: str | None, make: Callable[[], tuple[str, ...]]) -> Score:
        """A score whose terms ``make`` gives when they are first read."""
        score = cls(value, closest)
        _set(score, "_make", make)
        return score

    @property
    def terms(self) -> tuple[str, ...]:
        """The words the paper shares most with its closest library paper, as it writes them."""
        if self._make is not None:
            _set(self, "_terms", self._make())
            _set(self, "_make", None)
        return self._terms

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Score is immutable: cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return (self.value, self.closest, self.terms) == (other.value, other.closest, other.terms)

    def __hash__(self) -> int:
        return hash((self.value, self.closest, self.terms))

    def __repr__(self) -> str:
        return f"Score(value={self.value!r}, closest={self.closest!r}, terms={self.terms!r})"

    def why(self) -> str:
        """A short why for a table row: ``like “Title”: word, word``."""
        if self.closest is None:
            return "no word in common with your library"
        title = self.closest if len(self.closest) <= _WHY_TITLE else self.closest[:_WHY_TITLE] + "…"
        return f"like “{title}”" + (f": {', '.join(self.terms)}" if self.terms else "")


_set = object.__setattr__

#: Characters of the closest library paper's title a why shows.
_WHY_TITLE = 60

Scorer = Callable[[Sequence[Paper]], dict[str, Score]]


def scorer(entries: Sequence[LibraryEntry]) -> Scorer:
    """A function that scores papers, ranked together as one pool, against ``entries``
    (by id; nothing when no library paper is usable).

    The library is indexed once and each paper's features are kept for the run: a paper in
    several pools (topics, For you) is read once (a 200-topic run would otherwise spend most
    of its ranking time re-reading the same abstracts)."""
    usable = _usable(entries)
    library = [ranking.Document(e.key, e.title, e.abstract) for e in usable]
    titles = {e.key: e.title or e.key for e in usable}
    indexed = ranking.index([ranking.document_features(d) for d in library])
    seen: dict[tuple[str, str, str], ranking.Features] = {}

    def features(document: ranking.Document) -> ranking.Features:
        key = (document.key, document.title, document.abstract)
        found = seen.get(key)
        if found is None:
            found = seen[key] = ranking.document_features(document)
        return found

    def score(papers: Sequence[Paper]) -> dict[str, Score]:
        by_id = {p.id: p for p in papers}
        if not library or not by_id:
            return {}
        pool = [ranking.Document(p.id, p.title, p.abstract) for p in by_id.values()]
        ranked = ranking.rank(
            library, pool, library_features=indexed, pool_features=[features(d) for d in pool]
        )
        return {
            r.key: Score.lazy(
                r.score,
                titles.get(r.closest, r.closest) if r.closest is not None else None,
                functools.partial(_as_written, by_id[r.key], r.terms),
            )
            for r in ranked
        }

    return score


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")


def _as_written(paper: Paper, terms: Sequence[str]) -> tuple[str, ...]:
    """The ranker's stemmed terms in the paper's own words (``diffus`` → ``diffusion``), so
    a reader sees words, not stems; a stem the text does not yield stays as it is."""
    wanted = {part for term in terms for part in term.split()}
    words: dict[str, str] = {}
    for word in _WORD.findall(f"{paper.title} {paper.abstract}"):
        lower = word.lower()
        stemmed = ranking.stemmed(lower)
        if stemmed in wanted:
            words.setdefault(stemmed, lower)
            if len(words) == len(wanted):
                break
    shown = (" ".join(words.get(part, part) for part in term.split()) for term in terms)
    return tuple(dict.fromkeys(shown))[: defaults.WHY_TERMS_SHOWN]
