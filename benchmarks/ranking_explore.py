"""Explore text features and models against the tf-idf + LinearSVC baseline, tune half only.

The relevant papers of the author-as-user protocol are the reader's *own* new papers, so the
task is close to authorship attribution from title and abstract: this tries what works there
(character n-grams, case kept, word n-gram variants), other negatives (the day's pool), rank
fusion with the shipped score and a pseudo-relevance second pass, each scored on the same users
in the same run as ``ranking.make_svm`` (the baseline the issue's target is a ratio to).

Texts are counted once with a hashing vectorizer (``FEATURES`` buckets; collisions are rare at
that size) and weighed per fit as ``TfidfVectorizer`` does (sublinear tf, smoothed idf over the
training texts, terms unseen there dropped, ``max_df``), so a day's pool is counted once for all
users and variants.  scikit-learn and numpy are dev-only: this script is never imported by
``src``.  Usage: ``.venv/bin/python benchmarks/ranking_explore.py --skip S --users N
[--variants NAME ...]`` (``--list`` names them), ``--cost NAME`` times one variant as a run
would pay it.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import ranking as bench  # noqa: E402
from daily_papers import ranking  # noqa: E402

#: Hash buckets per analyzer: 2**20 keeps collisions rare for ~600 training texts.
FEATURES = 2**20
#: The baseline's ``max_df``.
MAX_DF = 0.9
#: Pool papers a pseudo-relevance pass adds as positives.
PSEUDO_TOP = 3
#: Reciprocal-rank fusion's constant.
RRF_K = 60

#: Analyzers by name: HashingVectorizer keyword arguments.
ANALYZERS: dict[str, dict[str, Any]] = {
    "word12": {"ngram_range": (1, 2), "stop_words": "english"},
    "word1": {"ngram_range": (1, 1), "stop_words": "english"},
    "word13": {"ngram_range": (1, 3), "stop_words": "english"},
    "word12nostop": {"ngram_range": (1, 2)},
    "word12case": {"ngram_range": (1, 2), "stop_words": "english", "lowercase": False},
    "word12tok": {  # every non-space run, LaTeX and punctuation kept
        "ngram_range": (1, 2),
        "stop_words": "english",
        "token_pattern": r"\S+",
    },
    "cwb24": {"analyzer": "char_wb", "ngram_range": (2, 4)},
    "cwb35": {"analyzer": "char_wb", "ngram_range": (3, 5)},
    "cwb35case": {"analyzer": "char_wb", "ngram_range": (3, 5), "lowercase": False},
    "cwb25": {"analyzer": "char_wb", "ngram_range": (2, 5)},
    "c36": {"analyzer": "char", "ngram_range": (3, 6)},
}


class Counts:
    """Hashed term counts of texts, per analyzer, cached by paper (pool days) or user."""

    def __init__(self, corpus: bench.Corpus) -> None:
        from sklearn.feature_extraction.text import (
            HashingVectorizer,
        )

        self.corpus = corpus
        self.vectorizers = {
            name: HashingVectorizer(
                n_features=FEATURES, alternate_sign=False, norm=None, dtype="float32", **kw
            )
            for name, kw in ANALYZERS.items()
        }
        self.days: dict[tuple[str, str], Any] = {}
        self.users: dict[tuple[str, str, int], Any] = {}
        self.seconds = 0.0

    def of(self, analyzer: str, ids: Sequence[str]) -> Any:
        started = time.process_time()
        matrix = self.vectorizers[analyzer].transform([bench.text(self.corpus, i) for i in ids])
        self.seconds += time.process_time() - started
        return matrix

    def day(self, analyzer: str, day: str) -> Any:
        key = (analyzer, day)
        if key not in self.days:
            self.days[key] = self.of(analyzer, self.corpus.days[day])
        return self.days[key]

    def train(self, analyzer: str, user: str, ids: Sequence[str]) -> Any:
        key = (analyzer, user, len(ids))
        if key not in self.users:
            if len(self.users) > 64:
                self.users.clear()
            self.users[key] = self.of(analyzer, ids)
        return self.users[key]


def idf_of(source: Any, max_df: float = MAX_DF) -> Any:
    """TfidfVectorizer's smoothed idf over ``source``'s rows; terms unseen there, or in more
    than ``max_df`` of them, weigh nothing."""
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    n = source.shape[0]
    df = np.bincount(source.indices, minlength=source.shape[1])
    idf = (np.log((1 + n) / (1 + df)) + 1).astype("float32")
    idf[df == 0] = 0
    idf[df > max_df * n] = 0
    return idf


def weigh(matrix: Any, idf: Any) -> Any:
    """Sublinear tf times ``idf``, rows L2-normalised (TfidfVectorizer's transform)."""
    import numpy as np  # type: ignore[import-not-found, unused-ignore]
    from sklearn.preprocessing import normalize

    weighed = matrix.copy()
    weighed.data = (1 + np.log(weighed.data)) * idf[weighed.indices]
    weighed.eliminate_zeros()
    return normalize(weighed)


@dataclass(frozen=True)
class Variant:
    """One scorer: analyzers stacked, negatives, C, and how its margins are used."""

    analyzers: tuple[str, ...] = ("word12",)
    negatives: str = "random"  # random | pool | both | random2000
    c: float = 0.1
    idf_pool: bool = False  # idf over the training texts and the day's pool
    pseudo: bool = False  # second pass with the day's PSEUDO_TOP added as positives
    fuse: str = ""  # "" | "z0.3" (share of the SVM, z-scored with the shipped mix) | "rrf"
    ridge: bool = False  # a ridge classifier instead of the SVM


VARIANTS: dict[str, Variant] = {
    "word12 (hashed baseline)": Variant(),
    "word12 C=0.3": Variant(c=0.3),
    "word12 C=1": Variant(c=1.0),
    "word12 C=0.03": Variant(c=0.03),
    "word1": Variant(("word1",)),
    "word13": Variant(("word13",)),
    "word12 no stop words": Variant(("word12nostop",)),
    "word12 case kept": Variant(("word12case",)),
    "word12 non-space tokens": Variant(("word12tok",)),
    "word12 idf with pool": Variant(idf_pool=True),
    "char_wb 2-4": Variant(("cwb24",)),
    "char_wb 3-5": Variant(("cwb35",)),
    "char_wb 3-5 C=0.3": Variant(("cwb35",), c=0.3),
    "char_wb 3-5 C=1": Variant(("cwb35",), c=1.0),
    "char_wb 3-5 case kept": Variant(("cwb35case",)),
    "char_wb 2-5": Variant(("cwb25",)),
    "char 3-6": Variant(("c36",)),
    "word12 + char_wb 3-5": Variant(("word12", "cwb35")),
    "word12 + char_wb 3-5 C=0.3": Variant(("word12", "cwb35"), c=0.3),
    "word12 + char_wb 2-4": Variant(("word12", "cwb24")),
    "word12 neg pool": Variant(negatives="pool"),
    "word12 neg random+pool": Variant(negatives="both"),
    "word12 neg 2000 random": Variant(negatives="random2000"),
    "char_wb 3-5 neg 2000 random": Variant(("cwb35",), negatives="random2000"),
    "word12 + char_wb 3-5 neg 2000 random": Variant(("word12", "cwb35"), negatives="random2000"),
    "word12 pseudo-relevance": Variant(pseudo=True),
    "word12 z-fused 0.5 with shipped": Variant(fuse="z0.5"),
    "word12 z-fused 0.7 with shipped": Variant(fuse="z0.7"),
    "word12 RRF with shipped": Variant(fuse="rrf"),
    "word12 + char_wb 3-5 z-fused 0.5": Variant(("word12", "cwb35"), fuse="z0.5"),
    "word12 + char_wb 3-5 z-fused 0.7": Variant(("word12", "cwb35"), fuse="z0.7"),
    "word12 + char_wb 3-5 RRF": Variant(("word12", "cwb35"), fuse="rrf"),
    "word12 ridge": Variant(ridge=True),
}


def zscores(values: Sequence[float]) -> list[float]:
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) or 1.0
    return [(v - mean) / spread for v in values]


def reciprocal_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    for rank, i in enumerate(order, 1):
        out[i] = 1 / (RRF_K + rank)
    return out


class Explorer:
    """Builds the scorers; fits per user are cached, per-day fits are not."""

    def __init__(self, corpus: bench.Corpus) -> None:
        self.corpus = corpus
        self.counts = Counts(corpus)
        self.earlier = sorted(i for d, ids in corpus.days.items() if d < bench.CUTOFF for i in ids)
        self.fitted: dict[tuple[str, Variant], Any] = {}
        self.weighed: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.fit_seconds = 0.0

    def negatives(self, user: bench.User, library: Sequence[str], count: int) -> list[str]:
        # the same draw as make_svm's for the first NEGATIVES
        rng = random.Random(f"{bench.SEED}:neg:{user.name}")
        own = set(library)
        picked = [i for i in rng.sample(self.earlier, count + len(own)) if i not in own][:count]
        if count > bench.NEGATIVES:  # keep make_svm's 500 as the first ones
            first = self.negatives(user, library, bench.NEGATIVES)
            rest = [i for i in picked if i not in set(first)]
            picked = first + rest[: count - bench.NEGATIVES]
        return picked

    def _model(self, variant: Variant) -> Any:
        if variant.ridge:
            from sklearn.linear_model import RidgeClassifier

            return RidgeClassifier(alpha=1.0 / variant.c, class_weight="balanced")
        from sklearn.svm import LinearSVC

        return LinearSVC(C=variant.c, class_weight="balanced", max_iter=10000, tol=1e-6)

    def _stack(self, variant: Variant, case: bench.Case, train_ids: Sequence[str]) -> Any:
        """(train matrix, pool matrix), the analyzers' tf-idf stacked side by side."""
        from scipy.sparse import hstack  # type: ignore[import-untyped, import-not-found, unused-ignore]

        trains, pools = [], []
        for analyzer in variant.analyzers:
            train = self.counts.train(analyzer, case.user.name + variant.negatives, train_ids)
            pool = self.counts.day(analyzer, case.day)
            if variant.negatives in ("pool", "both"):
                train = _vstack(train, pool)
            if variant.negatives in ("pool", "both") or variant.idf_pool:
                idf = idf_of(_vstack(train, pool) if variant.idf_pool else train)
                train_w = weigh(train, idf)
            else:  # the same for every day of the user
                key = (analyzer, case.user.name + variant.negatives)
                if key not in self.weighed:
                    if len(self.weighed) > 64:
                        self.weighed.clear()
                    idf = idf_of(train)
                    self.weighed[key] = (idf, weigh(train, idf))
                idf, train_w = self.weighed[key]
            trains.append(train_w)
            pools.append(weigh(pool, idf))
        if len(trains) == 1:
            return trains[0], pools[0]
        return hstack(trains, format="csr"), hstack(pools, format="csr")

    def margins(self, variant: Variant, case: bench.Case) -> list[float]:
        count = 2000 if variant.negatives == "random2000" else bench.NEGATIVES
        negatives = (
            [] if variant.negatives == "pool" else self.negatives(case.user, case.library, count)
        )
        own = set(case.library)
        train_ids = [*case.library, *negatives]
        labels = [1] * len(case.library) + [0] * len(negatives)
        if variant.negatives in ("pool", "both"):  # the pool is stacked in _stack
            labels += [0] * len(case.pool)
        started = time.process_time()
        train, pool = self._stack(variant, case, train_ids)
        per_day = variant.negatives in ("pool", "both") or variant.idf_pool
        key = (case.user.name + ("" if not per_day else case.day), variant)
        model = self.fitted.get(key)
        if model is None:
            model = self._model(variant)
            model.fit(train, labels)
            if len(self.fitted) > 256:
                self.fitted.clear()
            self.fitted[key] = model
        scores = model.decision_function(pool)
        if variant.pseudo:
            from scipy.sparse import vstack  # type: ignore[import-untyped, import-not-found, unused-ignore]

            top = [
                i
                for i in sorted(range(len(scores)), key=lambda i: -scores[i])
                if case.pool[i] not in own
            ][:PSEUDO_TOP]
            second = self._model(variant)
            second.fit(vstack([train, pool[top]]), labels + [1] * len(top))
            scores = second.decision_function(pool)
        self.fit_seconds += time.process_time() - started
        return [float(x) for x in scores]

    def scorer(self, variant: Variant) -> bench.Scorer:
        def score(case: bench.Case) -> list[float]:
            svm = self.margins(variant, case)
            if not variant.fuse:
                return svm
            shipped = ranking.mix(case.parts)
            if variant.fuse == "rrf":
                return [
                    a + b
                    for a, b in zip(reciprocal_ranks(svm), reciprocal_ranks(shipped), strict=True)
                ]
            share = float(variant.fuse[1:])
            return [
                share * a + (1 - share) * b
                for a, b in zip(zscores(svm), zscores(shipped), strict=True)
            ]

        return score


def _vstack(a: Any, b: Any) -> Any:
    from scipy.sparse import vstack  # type: ignore[import-untyped, import-not-found, unused-ignore]

    return vstack([a, b], format="csr")


def cost(corpus: bench.Corpus, name: str) -> None:
    """CPU seconds a run would pay for ``name``: fit on a 50-paper library + 500 negatives,
    score the largest day plus ~2,000 more papers (2,713 as ``--speed``'s For you row), and the
    import time of what it needs (in a fresh interpreter)."""
    import subprocess

    variant = VARIANTS[name]
    code = (
        "import time; s=time.perf_counter(); "
        "import sklearn.feature_extraction.text, sklearn.svm, scipy.sparse, numpy; "
        "print(time.perf_counter()-s)"
    )
    imports = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(3)
    ]
    ordered = [i for d in sorted(corpus.days) for i in corpus.days[d]]
    largest = max(corpus.days, key=lambda d: len(corpus.days[d]))
    pool = [*corpus.days[largest], *ordered[-2000:]]
    library = sorted(corpus.papers)[:50]
    earlier = sorted(i for d, ids in corpus.days.items() if d < bench.CUTOFF for i in ids)
    negatives = random.Random(bench.SEED).sample(earlier, bench.NEGATIVES)
    from scipy.sparse import hstack  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    best = math.inf
    for _ in range(3):
        started = time.process_time()
        docs = [bench.text(corpus, i) for i in (*library, *negatives)]
        pool_docs = [bench.text(corpus, i) for i in pool]
        trains, pools = [], []
        for analyzer in variant.analyzers:
            kw = dict(ANALYZERS[analyzer])
            vectorizer = TfidfVectorizer(sublinear_tf=True, max_df=MAX_DF, **kw)
            trains.append(vectorizer.fit_transform(docs))
            pools.append(vectorizer.transform(pool_docs))
        model = LinearSVC(C=variant.c, class_weight="balanced", max_iter=10000, tol=1e-6)
        model.fit(hstack(trains, format="csr"), [1] * len(library) + [0] * len(negatives))
        model.decision_function(hstack(pools, format="csr"))
        best = min(best, time.process_time() - started)
    print(
        f"{name}: fit on {len(library)} + {len(negatives)} and score {len(pool)} papers: "
        f"{best:.2f} s CPU (best of 3); import sklearn.svm + text + scipy.sparse + numpy: "
        f"{min(imports):.2f} s wall (best of 3 fresh interpreters)"
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--skip", type=int, default=0, help="tune users to skip first")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="print the variants' names")
    parser.add_argument("--cost", metavar="NAME", help="time one variant as a run pays it")
    parser.add_argument("--check", action="store_true", help="add make_svm's own row")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.list:
        print("\n".join(VARIANTS))
        return 0
    corpus = bench.found_corpus()
    if corpus is None:
        return 2
    if args.cost:
        cost(corpus, args.cost)
        return 0
    people = bench.tune_users(corpus, args.skip, args.users)
    print(
        f"tune half, users {args.skip}..{args.skip + len(people) - 1}, "
        f"{sum(len(u.days) for u in people)} ranked days"
    )
    baseline = bench.make_svm(corpus)
    if baseline is None:
        print("scikit-learn is not installed", file=sys.stderr)
        return 2
    explorer = Explorer(corpus)
    scorers: dict[str, Callable[[bench.Case], list[float]]] = {
        "baseline: make_svm (TfidfVectorizer word 1-2 + LinearSVC C=0.1, 500 random)": baseline,
        "shipped mix": bench.ours,
    }
    for name in args.variants:
        scorers[name] = explorer.scorer(VARIANTS[name])
    started = time.perf_counter()
    results = bench.evaluate(corpus, people, scorers)
    base = next(iter(results.values()))
    print("| variant | R@10 | MRR | R@10 / baseline [95% CI] | MRR / baseline [95% CI] |")
    print("|---|---|---|---|---|")
    for name, per_user in sorted(results.items(), key=lambda kv: -bench.mean_of(kv[1], 0)):
        point, lo, hi = bench.paired_ratio(per_user, base, 0)
        mpoint, mlo, mhi = bench.paired_ratio(per_user, base, 2)
        print(
            f"| {name} | {bench.mean_of(per_user, 0):.3f} | {bench.mean_of(per_user, 2):.3f} "
            f"| {point:.3f} [{lo:.3f}, {hi:.3f}] | {mpoint:.3f} [{mlo:.3f}, {mhi:.3f}] |"
        )
    print(
        f"\n{time.perf_counter() - started:.0f} s; counting {explorer.counts.seconds:.0f} s CPU, "
        f"fits and scoring {explorer.fit_seconds:.0f} s CPU",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
