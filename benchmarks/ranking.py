"""Benchmark the ranker: the "author as user" protocol on real arXiv listings.

A user is an author with at least ``MIN_LIBRARY`` papers announced before ``CUTOFF``; their
library is those papers.  On each later announcement day on which they have a paper, every
paper announced that day is ranked from title and abstract only (author lists unused), and the
relevant papers are the user's own new ones.  The eligible users are split in two halves with
a fixed seed *first*: the ranker's weights were chosen on the ``tune`` half (``--tune`` prints
the grid) and the figures in ``RESULTS.md`` are on the untouched ``test`` half, every ranker on
the same users in the same run.  Intervals are 95 % bootstrap intervals over users.

Data: ``shared/ranking/arxiv-listings-2025-03-to-2026-07.jsonl.gz`` beside the checkout (found
by walking up from this file, or ``--data``); nothing of it is committed.  The tf-idf +
LinearSVC baseline (arxiv-sanity's method) needs scikit-learn, which is not a dependency of
daily-papers: its rows are left out, with a line saying so, where it is not installed.

Usage: ``.venv/bin/python benchmarks/ranking.py [--users 300] [--half test|tune] [--tune]``;
``--speed`` prints only the timings (one ``rank`` of the largest day, and a 200-topic run
through ``relevance.scorer``); ``--no-cold`` / ``--only-cold`` split the rows in two runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daily_papers import ranking

DATA_NAME = "arxiv-listings-2025-03-to-2026-07.jsonl.gz"
CUTOFF = "2025-12-01"
MIN_LIBRARY = 8
SEED = 20261207
BOOTSTRAP = 1000
NEGATIVES = 500


def find_data(start: Path | None = None) -> Path | None:
    """``shared/ranking/<DATA_NAME>`` in the nearest folder above this file that has it."""
    here = (start or Path(__file__)).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "ranking" / DATA_NAME
        if candidate.is_file():
            return candidate
    return None


@dataclass
class Corpus:
    papers: dict[str, dict[str, object]]
    days: dict[str, list[str]]  # announcement day -> ids, in file order
    features: dict[str, ranking.Features] = field(default_factory=dict)
    day_df: dict[str, Counter[str]] = field(default_factory=dict)

    def feats(self, paper_id: str) -> ranking.Features:
        found = self.features.get(paper_id)
        if found is None:
            paper = self.papers[paper_id]
            found = ranking.document_features(
                ranking.Document(paper_id, str(paper["title"]), str(paper["abstract"]))
            )
            self.features[paper_id] = found
        return found

    def df(self, day: str) -> Counter[str]:
        found = self.day_df.get(day)
        if found is None:
            found = Counter()
            for paper_id in self.days[day]:
                found.update(self.feats(paper_id).keys())
            self.day_df[day] = found
        return found


def load(path: Path) -> Corpus:
    papers: dict[str, dict[str, object]] = {}
    days: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            paper = json.loads(line)
            papers[paper["id"]] = paper
            days.setdefault(paper["announced"], []).append(paper["id"])
    return Corpus(papers, days)


@dataclass(frozen=True)
class User:
    name: str
    library: tuple[str, ...]  # oldest first
    days: tuple[tuple[str, frozenset[str]], ...]  # (day, the user's papers that day)


def users(corpus: Corpus, *, cutoff: str = CUTOFF, seed: int = SEED) -> dict[str, list[User]]:
    """Every eligible user, shuffled with ``seed`` and split into ``tune`` and ``test``."""
    before: dict[str, list[str]] = {}
    after: dict[str, dict[str, set[str]]] = {}
    for day in sorted(corpus.days):
        for paper_id in corpus.days[day]:
            for author in corpus.papers[paper_id]["authors"]:  # type: ignore[attr-defined]
                if day < cutoff:
                    before.setdefault(author, []).append(paper_id)
                else:
                    after.setdefault(author, {}).setdefault(day, set()).add(paper_id)
    eligible = sorted(a for a, lib in before.items() if len(lib) >= MIN_LIBRARY and a in after)
    random.Random(seed).shuffle(eligible)
    made = [
        User(
            a,
            tuple(before[a]),
            tuple((d, frozenset(ids)) for d, ids in sorted(after[a].items())),
        )
        for a in eligible
    ]
    half = len(made) // 2
    return {"tune": made[:half], "test": made[half:]}


def found_corpus() -> Corpus | None:
    """The data beside the checkout, loaded; None (said on stderr) where it is absent."""
    path = find_data()
    if path is None:
        print("no data", file=sys.stderr)
        return None
    return load(path)


def tune_users(corpus: Corpus, skip: int, count: int) -> list[User]:
    """Tune-half users ``skip`` to ``skip + count - 1``: where the exploring scripts look."""
    return users(corpus)["tune"][skip : skip + count]


Scorer = Callable[["Case"], list[float]]


@dataclass
class Case:
    """One ranked day of one user, with the parts rankers share."""

    corpus: Corpus
    user: User
    library: tuple[str, ...]
    day: str
    pool: list[str]
    _parts: ranking.Components | None = None

    @property
    def parts(self) -> ranking.Components:
        if self._parts is None:
            self._parts = ranking.components(
                [self.corpus.feats(i) for i in self.library],
                [self.corpus.feats(i) for i in self.pool],
                pool_df=self.corpus.df(self.day),
            )
        return self._parts


def metrics(scores: Sequence[float], pool: Sequence[str], relevant: frozenset[str]) -> list[float]:
    """R@10, R@25, MRR and nDCG@10 of one ranked day (ties go to the smaller id)."""
    order = sorted(range(len(pool)), key=lambda i: (-scores[i], pool[i]))
    ranks = [r + 1 for r, i in enumerate(order) if pool[i] in relevant]
    n = len(relevant)
    dcg = sum(1 / math.log2(r + 1) for r in ranks if r <= 10)
    ideal = sum(1 / math.log2(r + 1) for r in range(1, min(n, 10) + 1))
    return [
        sum(r <= 10 for r in ranks) / n,
        sum(r <= 25 for r in ranks) / n,
        1 / ranks[0],
        dcg / ideal,
    ]


def evaluate(
    corpus: Corpus, people: Sequence[User], scorers: dict[str, Scorer], *, newest: int = 0
) -> dict[str, list[list[list[float]]]]:
    """Per ranker, per user, per ranked day: the metrics (``newest``: cut the library)."""
    out: dict[str, list[list[list[float]]]] = {name: [] for name in scorers}
    for user in people:
        library = user.library[-newest:] if newest else user.library
        rows: dict[str, list[list[float]]] = {name: [] for name in scorers}
        for day, relevant in user.days:
            case = Case(corpus, user, library, day, corpus.days[day])
            for name, scorer in scorers.items():
                rows[name].append(metrics(scorer(case), case.pool, relevant))
        for name in scorers:
            out[name].append(rows[name])
        print(f"  {len(out[name])}/{len(people)} users", file=sys.stderr, end="\r")
    return out


def mean_of(per_user: Sequence[Sequence[Sequence[float]]], metric: int) -> float:
    values = [day[metric] for user in per_user for day in user]
    return sum(values) / len(values)


def bootstrap(
    per_user: Sequence[Sequence[Sequence[float]]], metric: int, seed: int = SEED
) -> tuple[float, float]:
    """The 95 % interval of the day-mean of ``metric``, resampling users."""
    rng = random.Random(seed)
    means = sorted(
        mean_of([per_user[rng.randrange(len(per_user))] for _ in per_user], metric)
        for _ in range(BOOTSTRAP)
    )
    return means[int(0.025 * BOOTSTRAP)], means[int(0.975 * BOOTSTRAP) - 1]


def paired_ratio(
    ours: Sequence[Sequence[Sequence[float]]],
    theirs: Sequence[Sequence[Sequence[float]]],
    metric: int,
    seed: int = SEED,
) -> tuple[float, float, float]:
    """``ours / theirs`` of ``metric`` with its 95 % interval, resampling the same users."""
    rng = random.Random(seed)
    ratios = []
    for _ in range(BOOTSTRAP):
        picks = [rng.randrange(len(ours)) for _ in ours]
        a = mean_of([ours[i] for i in picks], metric)
        b = mean_of([theirs[i] for i in picks], metric)
        ratios.append(a / b if b else math.inf)
    ratios.sort()
    point = mean_of(ours, metric) / mean_of(theirs, metric)
    return point, ratios[int(0.025 * BOOTSTRAP)], ratios[int(0.975 * BOOTSTRAP) - 1]


# -- rankers -----------------------------------------------------------------------------


def ours(case: Case) -> list[float]:
    return ranking.mix(case.parts)


def centroid(case: Case) -> list[float]:
    return list(case.parts.centroid)


def knn_max(case: Case) -> list[float]:
    return [max(s) if s else 0.0 for s in case.parts.neighbours]


def zad_decay(case: Case) -> list[float]:
    """Mean similarity to the library, newest library papers weighing most (1/(1+log10 r))."""
    count = len(case.library)
    weights = [1 / (1 + math.log10(rank + 1)) for rank in range(1, count + 1)]
    total = sum(weights)
    # library is oldest first; rank 1 is the newest
    return [
        sum(w * s for w, s in zip(weights, reversed(sims), strict=True)) / total
        for sims in case.parts.neighbours
    ]


def random_scores(case: Case) -> list[float]:
    rng = random.Random(f"{SEED}:{case.user.name}:{case.day}")
    return [rng.random() for _ in case.pool]


def keyword_bm25(case: Case) -> list[float]:
    """BM25 of a typed query: the library centroid's ten heaviest single words."""
    centre: dict[str, float] = {}
    for vector in case.parts.library:
        for term, weight in vector.items():
            if " " not in term:
                centre[term] = centre.get(term, 0.0) + weight
    query = sorted(centre, key=lambda t: (-centre[t], t))[:10]
    feats = [case.corpus.feats(i) for i in case.pool]
    df = case.corpus.df(case.day)
    n = len(feats)
    lengths = [sum(n for t, n in f.items() if " " not in t) for f in feats]
    avg = sum(lengths) / n
    scores = []
    for f, length in zip(feats, lengths, strict=True):
        score = 0.0
        for term in query:
            tf = f.get(term, 0)
            if tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg))
        scores.append(score)
    return scores


def text(corpus: Corpus, paper_id: str) -> str:
    paper = corpus.papers[paper_id]
    return f"{paper['title']} {paper['abstract']}"


def make_svm(corpus: Corpus, cutoff: str = CUTOFF, c: float = 0.1) -> Scorer | None:
    """tf-idf (uni+bigrams) + LinearSVC against random earlier papers, or None without sklearn."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC
    except ImportError:
        return None
    earlier = sorted(i for d, ids in corpus.days.items() if d < cutoff for i in ids)
    fitted: dict[tuple[str, int], tuple[Any, Any]] = {}

    def score(case: Case) -> list[float]:
        key = (case.user.name, len(case.library))
        if key not in fitted:
            rng = random.Random(f"{SEED}:neg:{case.user.name}")
            own = set(case.library)
            negatives = [i for i in rng.sample(earlier, NEGATIVES + len(own)) if i not in own]
            docs = [text(corpus, i) for i in (*case.library, *negatives[:NEGATIVES])]
            labels = [1] * len(case.library) + [0] * NEGATIVES
            vectorizer = TfidfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, stop_words="english", max_df=0.9
            )
            matrix = vectorizer.fit_transform(docs)
            model = LinearSVC(C=c, class_weight="balanced", max_iter=10000, tol=1e-6)
            model.fit(matrix, labels)
            fitted[key] = (vectorizer, model)
        vectorizer, model = fitted[key]
        pool = vectorizer.transform([text(corpus, i) for i in case.pool])
        return [float(x) for x in model.decision_function(pool)]

    return score


# -- reporting ---------------------------------------------------------------------------

NAMES = ("R@10", "R@25", "MRR", "nDCG@10")


def table(results: dict[str, list[list[list[float]]]]) -> list[str]:
    lines = ["| ranker | R@10 [95% CI] | R@25 | MRR [95% CI] | nDCG@10 |", "|---|---|---|---|---|"]
    for name, per_user in results.items():
        r10, (lo, hi) = mean_of(per_user, 0), bootstrap(per_user, 0)
        mrr, (mlo, mhi) = mean_of(per_user, 2), bootstrap(per_user, 2)
        lines.append(
            f"| {name} | {r10:.3f} [{lo:.3f}, {hi:.3f}] | {mean_of(per_user, 1):.3f} "
            f"| {mrr:.3f} [{mlo:.3f}, {mhi:.3f}] | {mean_of(per_user, 3):.3f} |"
        )
    return lines


def _mixer(knn: int, share: float, penalty: float) -> Scorer:
    def score(case: Case) -> list[float]:
        return ranking.mix(case.parts, knn=knn, centroid_share=share, pool_penalty=penalty)

    return score


def tune(corpus: Corpus, people: Sequence[User]) -> None:
    """Print R@10/MRR for a grid of the ranker's mix on ``people`` (the tune half)."""
    grid = [
        (k, share, penalty)
        for k in (1, 3, 5)
        for share in (0.0, 0.5, 1.0)
        for penalty in (0.0, 0.5)
    ]
    scorers: dict[str, Scorer] = {
        f"k={k} share={s} penalty={p}": _mixer(k, s, p) for k, s, p in grid
    }
    results = evaluate(corpus, people, scorers)
    rows = sorted(results.items(), key=lambda kv: -mean_of(kv[1], 0))
    for name, per_user in rows[:15]:
        print(f"{name}: R@10 {mean_of(per_user, 0):.3f} MRR {mean_of(per_user, 2):.3f}")


#: Library sizes the cold-start grid cuts to, and the mixes it tries on each.
COLD_SIZES = (1, 2, 3, 5, 7, 10)
COLD_GRID = tuple(
    (k, share, penalty) for share in (0.5, 0.75, 1.0) for penalty in (0.0, 0.25, 0.5) for k in (3,)
)


def tune_cold(corpus: Corpus, people: Sequence[User]) -> None:
    """Print R@10/MRR of each mix of ``COLD_GRID`` with the library cut to each of
    ``COLD_SIZES`` newest papers (the tune half: where a cold-start fallback is chosen)."""
    scorers = {f"share={s} penalty={p}": _mixer(k, s, p) for k, s, p in COLD_GRID}
    for newest in COLD_SIZES:
        results = evaluate(corpus, people, scorers, newest=newest)
        for name, per_user in sorted(results.items(), key=lambda kv: -mean_of(kv[1], 0)):
            print(
                f"library {newest}: {name}: R@10 {mean_of(per_user, 0):.3f} "
                f"MRR {mean_of(per_user, 2):.3f}",
                flush=True,
            )


def speed(corpus: Corpus) -> tuple[float, int, int]:
    """Seconds to rank the largest day against a 100-paper library (the best of three)."""
    day = max(corpus.days, key=lambda d: len(corpus.days[d]))
    ids = corpus.days[day]
    library_ids = sorted(corpus.papers)[:100]

    def doc(i: str) -> ranking.Document:
        return ranking.Document(
            i, str(corpus.papers[i]["title"]), str(corpus.papers[i]["abstract"])
        )

    library = [doc(i) for i in library_ids]
    pool = [doc(i) for i in ids]
    best = math.inf
    for _ in range(3):
        ranking._STEMS.clear()
        start = time.perf_counter()
        ranking.rank(library, pool)
        best = min(best, time.perf_counter() - start)
    return best, len(pool), len(library)


RUN_TOPICS = 200
RUN_SHOWN = 100
RUN_LIBRARY = 50
FOR_YOU_POOL = 2000


def run_speed(corpus: Corpus, *, topics: int = RUN_TOPICS) -> list[tuple[str, float, int]]:
    """CPU seconds ranking takes in a run, called as the run calls it (``Ranker.view`` scores
    the day's announcement and every shown paper in one pool, then ``apply`` orders the
    topics), against a ``RUN_LIBRARY``-paper library with cold caches: ``topics`` topics of
    ``RUN_SHOWN`` real papers each (drawn with a fixed seed from the newest 2,000 papers, so
    topics overlap as keyword topics on the same archives do) with and without the data's
    largest announcement day as For you's pool, and For you alone over ``FOR_YOU_POOL``
    real papers; the shown papers' whys are made, as the README and result JSON make them.
    Each row: what was measured, the best of three, the papers scored."""
    from datetime import datetime, timezone

    from daily_papers import relevance
    from daily_papers.library import LibraryEntry
    from daily_papers.models import Paper, Topic, TopicOutcome
    from daily_papers.ranked_view import Ranker

    ordered = [i for d in sorted(corpus.days) for i in corpus.days[d]]
    newest = ordered[-2000:]
    when = datetime(2026, 7, 1, tzinfo=timezone.utc)

    def paper(i: str) -> Paper:
        meta = corpus.papers[i]
        return Paper(
            i, 1, str(meta["title"]), str(meta["abstract"]), ("A",), when, when, "cs.LG", ("cs.LG",)
        )

    rng = random.Random(f"{SEED}:run")
    outcomes = [
        TopicOutcome(
            Topic(f"t{n}", "q", sort="relevance"),
            tuple(paper(i) for i in rng.sample(newest, RUN_SHOWN)),
            RUN_SHOWN,
            (),
        )
        for n in range(topics)
    ]
    largest = max(corpus.days, key=lambda d: len(corpus.days[d]))
    library = [
        LibraryEntry(i, str(corpus.papers[i]["title"]), str(corpus.papers[i]["abstract"]), "x:1")
        for i in sorted(corpus.papers)[:RUN_LIBRARY]
    ]
    cases = [
        (f"{topics} topics x {RUN_SHOWN} papers, no For you", (), outcomes),
        (
            f"{topics} topics x {RUN_SHOWN} papers + For you over the largest day "
            f"({largest}, {len(corpus.days[largest])} papers)",
            tuple(paper(i) for i in corpus.days[largest]),
            outcomes,
        ),
        (
            f"For you alone over the newest {FOR_YOU_POOL} papers",
            tuple(paper(i) for i in ordered[-FOR_YOU_POOL:]),
            [],
        ),
    ]
    rows = []
    for name, announced, shown in cases:
        best, scored = math.inf, 0
        for _ in range(3):
            ranking._STEMS.clear()
            start = time.process_time()
            ranker = Ranker(
                relevance.scorer(library),
                "relevance",
                for_you_count=10 if announced else 0,
                announced=announced,
                day="2026-07-01" if announced else None,
            )
            view = ranker.view(shown)
            # the run shows every shown paper's why (README, result JSON), and only theirs
            for score in view.shown(view.apply(shown)).values():
                score.why()
            best = min(best, time.process_time() - start)
            scored = len(view.scores)
        rows.append((name, best, scored))
    return rows


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--users", type=int, default=300, help="users of the half (default 300)")
    parser.add_argument("--half", choices=("tune", "test"), default="test")
    parser.add_argument("--tune", action="store_true", help="print the tuning grid instead")
    parser.add_argument(
        "--tune-cold", action="store_true", help="print the cold-start grid instead"
    )
    parser.add_argument("--no-svm", action="store_true", help="leave the sklearn baseline out")
    parser.add_argument("--no-cold", action="store_true", help="leave the cold-start rows out")
    parser.add_argument("--only-cold", action="store_true", help="print only the cold-start rows")
    parser.add_argument("--speed", action="store_true", help="print only the speed rows")
    args = parser.parse_args(list(argv) if argv is not None else None)
    path = args.data or find_data()
    if path is None:
        print(f"no {DATA_NAME} under a shared/ranking/ folder above {__file__}", file=sys.stderr)
        return 2
    corpus = load(path)
    if args.speed:
        print(f"load average {os.getloadavg()[0]:.1f}")
        for name, seconds, scored in run_speed(corpus):
            print(
                f"{name}: {scored} papers scored against a {RUN_LIBRARY}-paper library "
                f"in {seconds:.2f} s CPU"
            )
        seconds, pool, library = speed(corpus)
        print(f"rank(): {pool} papers against a {library}-paper library in {seconds:.2f} s")
        return 0
    halves = users(corpus)
    people = halves[args.half][: args.users]
    days = sum(len(u.days) for u in people)
    print(
        f"{len(corpus.papers)} papers, {len(corpus.days)} days, cut-off {CUTOFF}; eligible users "
        f"{len(halves['tune'])} tune + {len(halves['test'])} test; seed {SEED}; "
        f"{args.half} half: {len(people)} users, {days} ranked days, median pool "
        f"{statistics.median(len(corpus.days[d]) for u in people for d, _ in u.days):.0f}"
    )
    if args.tune_cold:
        tune_cold(corpus, people)
        return 0
    if args.tune:
        tune(corpus, people)
        return 0
    svm = None if args.no_svm else make_svm(corpus)
    started = time.perf_counter()
    if not args.only_cold:
        main_rows(corpus, people, svm)
    if not args.no_cold:
        cold_rows(corpus, people, svm)
    print(f"\nall rows in {time.perf_counter() - started:.0f} s")
    return 0


SVM_NAME = "tf-idf + LinearSVC vs random negatives (sklearn)"


def main_rows(corpus: Corpus, people: Sequence[User], svm: Scorer | None) -> None:
    """Every ranker on ``people``, and ours against LinearSVC on the same users."""
    scorers: dict[str, Scorer] = {"ours (tf-idf centroid + 3-NN − pool)": ours}
    if svm is not None:
        scorers[SVM_NAME] = svm
    scorers.update(
        {
            "tf-idf centroid": centroid,
            "tf-idf time-decayed mean similarity": zad_decay,
            "tf-idf max similarity (kNN)": knn_max,
            "BM25, library's top terms as a query": keyword_bm25,
            "random": random_scores,
        }
    )
    results = evaluate(corpus, people, scorers)
    print("\n".join(table(results)))
    first = next(iter(scorers))
    if svm is not None:
        point, lo, hi = paired_ratio(results[first], results[SVM_NAME], 0)
        print(f"\nR@10 ours / LinearSVC, same users: {point:.3f} [{lo:.3f}, {hi:.3f}]")
    else:
        print("\n(scikit-learn not installed: the LinearSVC baseline is left out)")


def cold_rows(corpus: Corpus, people: Sequence[User], svm: Scorer | None) -> None:
    """The library cut to its 1, 3 and 10 newest papers, with intervals."""
    cold_scorers: dict[str, Scorer] = {"ours": ours, "tf-idf centroid": centroid}
    if svm is not None:
        cold_scorers["LinearSVC"] = svm
    print("\nCold start (library cut to its newest papers):")
    print("| library | ranker | R@10 [95% CI] | MRR [95% CI] |\n|---|---|---|---|")
    for newest in (1, 3, 10):
        cold = evaluate(corpus, people, cold_scorers, newest=newest)
        for name, per_user in cold.items():
            (lo, hi), (mlo, mhi) = bootstrap(per_user, 0), bootstrap(per_user, 2)
            print(
                f"| {newest} | {name} | {mean_of(per_user, 0):.3f} [{lo:.3f}, {hi:.3f}] "
                f"| {mean_of(per_user, 2):.3f} [{mlo:.3f}, {mhi:.3f}] |",
                flush=True,
            )


if __name__ == "__main__":
    raise SystemExit(main())
