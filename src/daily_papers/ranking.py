"""Rank a day's papers against the reader's own library, from titles and abstracts only.

Nothing is downloaded and nothing is learnt ahead of time: each run weighs the words of the
library and of the day's pool with tf-idf (idf over the pool and the library together, so a
word every paper of the day uses counts for little) and scores each pool paper by

* its cosine similarity to the library's centroid (what the library is about as a whole),
* the mean of its ``KNN`` highest similarities to single library papers (a library of two
  interests must not be averaged into neither),
* minus ``POOL_PENALTY`` times its similarity to the pool's own centroid (the day's pool is the
  negative class: a paper that looks like every other paper today is not news to this reader).

The weights were chosen by measurement (``benchmarks/ranking.py``, author-as-user protocol) on
one half of the users and reported on the other half; see ``benchmarks/RESULTS.md``.

Words are lower-cased, stop words dropped, Porter-stemmed (the stemmer local matching uses) and
paired into bigrams of neighbouring kept words; the title counts ``TITLE_WEIGHT`` times.
Deterministic: scores are rounded before they are compared, ties go to the smaller arXiv id.
Pure: texts in, scores out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from daily_papers.query.stemmer import stem

__all__ = [
    "KNN",
    "POOL_PENALTY",
    "Document",
    "Features",
    "Ranked",
    "document_features",
    "rank",
]

#: Library papers whose similarities are averaged for the neighbour part of the score.
KNN = 3
#: Share of the score taken by the centroid similarity (the rest is the neighbour part).
CENTROID_SHARE = 0.5
#: How much likeness to the day's pool as a whole costs.
POOL_PENALTY = 0.5
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


def _stems(text: str) -> list[str]:
    """The kept words of ``text`` in order, stemmed; a stop word leaves a gap (``""``)."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            out.append("")
            continue
        stemmed = _STEMS.get(word)
        if stemmed is None:
            stemmed = _STEMS[word] = stem(word)
        out.append(stemmed)
    return out


def _add(counts: Features, text: str, weight: int) -> None:
    words = _stems(text)
    for index, word in enumerate(words):
        if not word:
            continue
        counts[word] += weight
        if index + 1 < len(words) and words[index + 1]:
            counts[word + " " + words[index + 1]] += weight


def document_features(document: Document) -> Features:
    """The term counts ranking reads: the title's ``TITLE_WEIGHT`` times, the abstract's once."""
    counts: Features = Counter()
    _add(counts, document.title, TITLE_WEIGHT)
    _add(counts, document.abstract, 1)
    return counts


Vector = dict[str, float]


def _weigh(counts: Features, idf: dict[str, float]) -> Vector:
    """Sublinear tf times idf, L2-normalised (an empty text is the zero vector)."""
    vector = {term: (1.0 + math.log(n)) * idf[term] for term, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _dot(small: Vector, large: Vector) -> float:
    if len(small) > len(large):
        small, large = large, small
    return sum(w * large.get(t, 0.0) for t, w in small.items())


def _centroid(vectors: Sequence[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in total.values()))
    return {t: w / norm for t, w in total.items()} if norm else {}


@dataclass(frozen=True)
class Components:
    """The parts a score is made of, per pool paper (the benchmark tunes their mix)."""

    centroid: list[float]  # similarity to the library's centroid
    neighbours: list[list[float]]  # similarity to each library paper, in library order
    pool: list[float]  # similarity to the pool's centroid
    vectors: list[Vector]  # the pool papers' weighted vectors
    library: list[Vector]  # the library papers' weighted vectors


def components(
    library: Sequence[Features], pool: Sequence[Features], *, pool_df: Counter[str] | None = None
) -> Components:
    """Every part of every pool paper's score (``pool_df``: the pool's document frequencies,
    when the caller already counted them)."""
    df: Counter[str] = Counter(pool_df) if pool_df is not None else _df(pool)
    for counts in library:
        df.update(counts.keys())
    total = len(pool) + len(library)
    idf = {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in df.items()}
    lib = [_weigh(counts, idf) for counts in library]
    vectors = [_weigh(counts, idf) for counts in pool]
    centre = _centroid(lib)
    pool_centre = _centroid(vectors)
    postings: dict[str, list[tuple[int, float]]] = {}
    for index, vector in enumerate(lib):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((index, weight))
    neighbours: list[list[float]] = []
    for vector in vectors:
        sims = [0.0] * len(lib)
        for term, weight in vector.items():
            for index, other in postings.get(term, ()):
                sims[index] += weight * other
        neighbours.append(sims)
    return Components(
        centroid=[_dot(v, centre) for v in vectors],
        neighbours=neighbours,
        pool=[_dot(v, pool_centre) for v in vectors],
        vectors=vectors,
        library=lib,
    )


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
    pool_penalty: float = POOL_PENALTY,
) -> list[float]:
    """Each pool paper's score from its parts (rounded to ``SCORE_DIGITS``)."""
    scores: list[float] = []
    for centre, sims, common in zip(parts.centroid, parts.neighbours, parts.pool, strict=True):
        top = sorted(sims, reverse=True)[:knn]
        near = sum(top) / len(top) if top else 0.0
        value = centroid_share * centre + (1.0 - centroid_share) * near - pool_penalty * common
        scores.append(round(value, SCORE_DIGITS))
    return scores


def rank(
    library: Sequence[Document],
    pool: Sequence[Document],
    *,
    library_features: Sequence[Features] | None = None,
) -> list[Ranked]:
    """The pool, best first, each with its score and its "why" (closest library paper and the
    terms it shares with it that weigh most); ``library_features``: the library's, when the
    caller ranks many pools against one library."""
    if not pool:
        return []
    if library_features is None:
        library_features = [document_features(d) for d in library]
    parts = components(library_features, [document_features(d) for d in pool])
    scores = mix(parts)
    ranked: list[Ranked] = []
    for index, document in enumerate(pool):
        sims = parts.neighbours[index]
        closest: str | None = None
        terms: tuple[str, ...] = ()
        if sims and max(sims) > 0:
            best = max(range(len(sims)), key=lambda i: (sims[i], -i))
            closest = library[best].key
            vector, other = parts.vectors[index], parts.library[best]
            shared = sorted(
                (t for t in vector if t in other), key=lambda t: (-vector[t] * other[t], t)
            )
            terms = tuple(shared[:WHY_TERMS])
        ranked.append(Ranked(document.key, scores[index], closest, terms))
    ranked.sort(key=lambda r: (-r.score, r.key))
    return ranked
