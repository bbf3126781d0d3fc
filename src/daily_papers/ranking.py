"""Rank a day's papers against the reader's own library, from titles and abstracts only.

Nothing is downloaded and nothing is learnt ahead of time: each run weighs the words of the
library and of the day's pool with tf-idf (idf over the pool and the library together, so a
word every paper of the day uses counts for little) and scores each pool paper by

* its cosine similarity to the library's centroid (what the library is about as a whole),
* the mean of its ``KNN`` highest similarities to single library papers (a library of two
  interests must not be averaged into neither),
* minus ``POOL_PENALTY`` times its similarity to the pool's own centroid (the day's pool is the
  negative class: a paper that looks like every other paper today is not news to this reader);
  with fewer than ``COLD_LIBRARY`` library papers only ``COLD_POOL_PENALTY`` times (a library
  of one to a few papers says too little for the pool to weigh as much: measured, the full
  penalty then ranked worse than the plain centroid).

The weights were chosen by measurement (``benchmarks/ranking.py``, author-as-user protocol) on
one half of the users and reported on the other half; see ``benchmarks/RESULTS.md``.

Words are lower-cased, stop words dropped, Porter-stemmed (the stemmer local matching uses) and
paired into bigrams of neighbouring kept words; the title counts ``TITLE_WEIGHT`` times.
Deterministic: sums run in the papers' own term order, scores are rounded before they are
compared, ties go to the smaller arXiv id.  Pure: texts in, scores out.

Speed: a run scores one pool (the day's announcement and every shown paper), but a caller
may rank many pools against one library, so the library is :func:`index`-ed once (its term
weights and, per term, the papers using it) and the caller may keep each paper's
:func:`document_features`; what depends on the pool (idf, the pool's centroid) is all that
is computed per pool.  The inner loops run in the papers' term order (``map``, ``filter``,
``Counter``'s counting) so that being faster never changes a score's bits.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from daily_papers.query.stemmer import stem

__all__ = [
    "COLD_LIBRARY",
    "COLD_POOL_PENALTY",
    "KNN",
    "POOL_PENALTY",
    "Document",
    "Features",
    "LibraryIndex",
    "Ranked",
    "document_features",
    "index",
    "rank",
    "stemmed",
]

#: Library papers whose similarities are averaged for the neighbour part of the score.
KNN = 3
#: Share of the score taken by the centroid similarity (the rest is the neighbour part).
CENTROID_SHARE = 0.5
#: How much likeness to the day's pool as a whole costs.
POOL_PENALTY = 0.5
#: Below this many library papers the library is cold: the pool penalty is
#: ``COLD_POOL_PENALTY`` (and the run's summary says ranking improves with more papers).
COLD_LIBRARY = 10
#: The pool penalty of a cold library (chosen on the benchmark's tune half, 1 to 7 papers).
COLD_POOL_PENALTY = 0.25
#: How many times a title word counts against an abstract word.
TITLE_WEIGHT = 2
#: Digits kept when scores are compared and shown: the same inputs give the same order.
SCORE_DIGITS = 6
#: Shared terms a ranked paper names in its "why".
WHY_TERMS = 3

_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP_WORDS = """a about above after again against all also an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for from
    further had has have having here how however i if in into is it its itself just more most
    no nor not of off on once only or other our out over own same should so some such than that
    the their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your via using use used
    based new paper propose proposed show shows present study approach method methods result
    results work existing recent well like many much one two three first thus yet even across
    et al e g i e within without often may might must shall let us"""
_STOP = frozenset(_STOP_WORDS.split())

Features = Counter[str]
"""A paper's term counts (stems and bigrams of stems)."""


@dataclass(frozen=True)
class Document:
    """A paper to rank or a library paper: its key (arXiv id or library key) and its text."""

    key: str
    title: str
    abstract: str = ""


@dataclass(frozen=True)
class Ranked:
    """One pool paper's place: its score, the closest library paper and the shared terms."""

    key: str
    score: float
    closest: str | None
    terms: tuple[str, ...]


_STEMS: dict[str, str] = {}
#: When :data:`_STEMS` is emptied (a run meets tens of thousands of words; a process that
#: ranks for ever must not grow without bound).
_STEMS_LIMIT = 500_000


def stemmed(word: str) -> str:
    """``word`` (lower-cased) stemmed, stop word or not; kept for the run, since a day's
    papers share most of their words (the "why" maps stems back to words with it too)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > _STEMS_LIMIT:
            _STEMS.clear()
        found = _STEMS[word] = stem(word)
    return found


def _stems(text: str) -> list[str]:
    """The kept words of ``text`` in order, stemmed; a stop word leaves a gap (``""``)."""
    known, stop = _STEMS.get, _STOP
    return [
        "" if word in stop else known(word) or stemmed(word) for word in _WORD.findall(text.lower())
    ]


def _terms(text: str) -> list[str]:
    """``text``'s stems and bigrams of neighbouring stems, in the order they occur (the order
    a paper's sums run in)."""
    words = _stems(text)
    if not words:
        return []
    after = words[1:]
    after.append("")
    out: list[str] = []
    for word, following in zip(words, after, strict=True):
        if word:
            out.append(word)
            if following:
                out.append(word + " " + following)
    return out


def document_features(document: Document) -> Features:
    """The term counts ranking reads: the title's ``TITLE_WEIGHT`` times, the abstract's once."""
    counts: Features = Counter(_terms(document.title))
    for term, n in counts.items():
        counts[term] = n * TITLE_WEIGHT
    counts.update(_terms(document.abstract))
    return counts


Vector = dict[str, float]

#: ``1 + ln n`` for the term counts a paper has (sublinear tf), looked up rather than computed.
_SUBLINEAR = [0.0] + [1.0 + math.log(n) for n in range(1, 256)]


def _sublinear(n: int) -> float:
    return _SUBLINEAR[n] if n < len(_SUBLINEAR) else 1.0 + math.log(n)


@dataclass(frozen=True)
class LibraryIndex:
    """What ranking needs of a library that no pool changes, derived once per run: each
    paper's sublinear term weights, the library's document frequencies, and per term the
    library papers that use it (so a pool paper meets only the library papers it shares
    a term with)."""

    features: tuple[Features, ...]
    tf: tuple[dict[str, float], ...]
    df: Counter[str]
    postings: dict[str, tuple[tuple[int, float], ...]]

    def __len__(self) -> int:
        return len(self.features)


def index(library: Sequence[Features]) -> LibraryIndex:
    """The library's :class:`LibraryIndex` (pass it to :func:`rank` for every pool)."""
    tf = tuple({t: _sublinear(n) for t, n in counts.items()} for counts in library)
    df: Counter[str] = Counter()
    postings: dict[str, list[tuple[int, float]]] = {}
    for number, weights in enumerate(tf):
        df.update(weights.keys())
        for term, weight in weights.items():
            postings.setdefault(term, []).append((number, weight))
    return LibraryIndex(
        tuple(library), tf, df, {t: tuple(entries) for t, entries in postings.items()}
    )


@dataclass(frozen=True)
class Components:
    """The parts a score is made of, per pool paper (the benchmark tunes their mix)."""

    centroid: list[float]  # similarity to the library's centroid
    neighbours: list[list[float]]  # similarity to each library paper, in library order
    pool: list[float]  # similarity to the pool's centroid
    vectors: list[Vector]  # the pool papers' weighted vectors
    idf: dict[str, float]
    index: LibraryIndex
    norms: list[float]  # each library paper's vector length before normalising

    @cached_property
    def library(self) -> list[Vector]:
        """The library papers' weighted vectors (only the "why" and the benchmark read them)."""
        return [
            {t: w * self.idf[t] / norm for t, w in weights.items()} if norm else {}
            for weights, norm in zip(self.index.tf, self.norms, strict=True)
        ]


def components(
    library: Sequence[Features] | LibraryIndex,
    pool: Sequence[Features],
    *,
    pool_df: Counter[str] | None = None,
) -> Components:
    """Every part of every pool paper's score (``pool_df``: the pool's document frequencies,
    when the caller already counted them).  idf is over the pool and the library together."""
    lib = library if isinstance(library, LibraryIndex) else index(library)
    df = pool_df if pool_df is not None else _df(pool)
    lib_df = lib.df
    idf = _idf(df, lib_df, len(pool) + len(lib))
    norms = [math.sqrt(sum((w * idf[t]) ** 2 for t, w in weights.items())) for weights in lib.tf]
    inverse = [1.0 / n if n else 0.0 for n in norms]
    vectors = [_weigh(counts, idf) for counts in pool]
    # the library centroid's length: sum_i v_i, term by term, through the postings
    centre_sq = 0.0
    for term, uses in lib.postings.items():
        value = idf[term] * sum(w * inverse[i] for i, w in uses)
        centre_sq += value * value
    centre_inv = 1.0 / math.sqrt(centre_sq) if centre_sq else 0.0
    postings = lib.postings
    shared = postings.__contains__
    neighbours: list[list[float]] = []
    centroid: list[float] = []
    for vector in vectors:
        sims = [0.0] * len(lib)
        # only the terms the library uses, still in the paper's order: sums are reproducible
        for term in filter(shared, vector):
            factor = vector[term] * idf[term]
            for i, w in postings[term]:
                sims[i] += factor * w
        sims = [s * inv for s, inv in zip(sims, inverse, strict=True)]
        neighbours.append(sims)
        centroid.append(sum(sims) * centre_inv)  # v . sum_i v_i / |sum_i v_i|
    pool_centre: dict[str, float] = {}
    add = pool_centre.get
    for vector in vectors:
        for term, weight in vector.items():
            pool_centre[term] = add(term, 0.0) + weight
    pool_norm = math.sqrt(sum(map(operator.mul, pool_centre.values(), pool_centre.values())))
    pool_inv = 1.0 / pool_norm if pool_norm else 0.0
    centre_of = pool_centre.__getitem__
    return Components(
        centroid=centroid,
        neighbours=neighbours,
        pool=[sum(map(operator.mul, v.values(), map(centre_of, v))) * pool_inv for v in vectors],
        vectors=vectors,
        idf=idf,
        index=lib,
        norms=norms,
    )


def _idf(df: Counter[str], lib_df: Counter[str], papers: int) -> dict[str, float]:
    """Smoothed idf over the pool and the library together (``papers``: both their sizes);
    a term's idf depends only on its count, so each count's value is computed once."""
    top = math.log(1 + papers)
    by_count = [top - math.log(1 + n) + 1.0 for n in range(papers + 1)]
    idf = {t: by_count[n] for t, n in df.items()}
    for term, n in lib_df.items():
        idf[term] = by_count[df.get(term, 0) + n]
    return idf


def _weigh(counts: Features, idf: dict[str, float]) -> Vector:
    """Sublinear tf times idf, L2-normalised (an empty text is the zero vector)."""
    if max(counts.values(), default=0) < len(_SUBLINEAR):
        tf: Iterable[float] = map(_SUBLINEAR.__getitem__, counts.values())
    else:
        tf = map(_sublinear, counts.values())
    weights = list(map(operator.mul, tf, map(idf.__getitem__, counts)))
    norm = math.sqrt(sum(map(operator.mul, weights, weights)))
    if not norm:
        return {}
    return dict(zip(counts, map(operator.truediv, weights, itertools.repeat(norm)), strict=True))


def _df(pool: Sequence[Features]) -> Counter[str]:
    df: Counter[str] = Counter()
    for counts in pool:
        df.update(counts.keys())
    return df


def mix(
    parts: Components,
    *,
    knn: int = KNN,
    centroid_share: float = CENTROID_SHARE,
    pool_penalty: float | None = None,
) -> list[float]:
    """Each pool paper's score from its parts (rounded to ``SCORE_DIGITS``); the pool penalty
    is the library's size's (:func:`pool_penalty_for`) unless ``pool_penalty`` is given."""
    if pool_penalty is None:
        pool_penalty = pool_penalty_for(len(parts.index))
    scores: list[float] = []
    for centre, sims, common in zip(parts.centroid, parts.neighbours, parts.pool, strict=True):
        top = sorted(sims, reverse=True)[:knn]
        near = sum(top) / len(top) if top else 0.0
        value = centroid_share * centre + (1.0 - centroid_share) * near - pool_penalty * common
        scores.append(round(value, SCORE_DIGITS))
    return scores


def pool_penalty_for(library_size: int) -> float:
    """How much likeness to the day's pool costs with a library of ``library_size`` papers."""
    return COLD_POOL_PENALTY if library_size < COLD_LIBRARY else POOL_PENALTY


def rank(
    library: Sequence[Document],
    pool: Sequence[Document],
    *,
    library_features: Sequence[Features] | LibraryIndex | None = None,
    pool_features: Sequence[Features] | None = None,
) -> list[Ranked]:
    """The pool, best first, each with its score and its "why" (closest library paper and the
    terms it shares with it that weigh most).  A caller that ranks many pools passes the
    library's :func:`index` as ``library_features`` and the pool papers' features it keeps
    (a paper shown in several topics is then read once)."""
    if not pool:
        return []
    if library_features is None:
        library_features = [document_features(d) for d in library]
    if pool_features is None:
        pool_features = [document_features(d) for d in pool]
    parts = components(library_features, pool_features)
    scores = mix(parts)
    ranked: list[Ranked] = []
    for number, document in enumerate(pool):
        sims = parts.neighbours[number]
        closest: str | None = None
        terms: tuple[str, ...] = ()
        if sims and max(sims) > 0:
            best = max(range(len(sims)), key=lambda i: (sims[i], -i))
            closest = library[best].key
            vector, other = parts.vectors[number], parts.library[best]
            shared = sorted(
                (t for t in vector if t in other), key=lambda t: (-vector[t] * other[t], t)
            )
            terms = tuple(shared[:WHY_TERMS])
        ranked.append(Ranked(document.key, scores[number], closest, terms))
    ranked.sort(key=lambda r: (-r.score, r.key))
    return ranked
