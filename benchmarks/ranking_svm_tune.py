"""Tune a per-run linear SVM (``benchmarks/ranking_svm.py``) on the tune half of the ranking
benchmark, alone and mixed with the shipped score.

Negatives are what a run holds without a download: the day's pool itself (``pool``), the pool
less the shipped mix's top ``TRIM`` (``pooltrim``), the previous announcement day's papers
(``prev``) or ``RANDOM`` random papers from before the cut-off (``random``, the LinearSVC row's
own negatives); the last two stand in for the papers the data file keeps from earlier runs.
Every variant is scored on the same users in the same run as the shipped mix (``--linearsvc``
adds sklearn's row); ``--dump`` keeps the per-user metrics so rounds on fresh users can be
pooled.  Usage: ``.venv/bin/python benchmarks/ranking_svm_tune.py --skip S --users N``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import ranking as bench  # noqa: E402
from benchmarks import ranking_svm  # noqa: E402
from daily_papers import ranking  # noqa: E402


def _zscores(values: Sequence[float]) -> list[float]:
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) or 1.0
    return [(v - mean) / spread for v in values]


def _weigh(counts: ranking.Features, idf: dict[str, float], unseen: float) -> dict[str, float]:
    vector = {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


#: Pool papers the shipped mix ranks highest, left out of the negatives by ``pooltrim``.
TRIM = 10
#: Random papers from before the cut-off that ``random`` trains against (as LinearSVC's row).
RANDOM = 500


class Margins:
    """Each case's SVM margins per (negatives, C), trained once and shared by the mixes."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str, str, float], list[float]] = {}
        self.seconds = 0.0
        self._earlier: list[str] = []

    def earlier(self, corpus: bench.Corpus) -> list[str]:
        if not self._earlier:
            self._earlier = sorted(
                i for d, ids in corpus.days.items() if d < bench.CUTOFF for i in ids
            )
        return self._earlier

    def get(self, case: bench.Case, negatives: str, c: float) -> list[float]:
        key = (case.user.name, case.day, negatives, c)
        found = self.cache.get(key)
        if found is None:
            parts = case.parts
            started = time.perf_counter()
            neg: list[dict[str, float]] = []
            if negatives == "pooltrim":  # the pool less its TRIM best by the shipped mix
                shipped = ranking.mix(parts)
                best = set(sorted(range(len(shipped)), key=lambda i: -shipped[i])[:TRIM])
                neg.extend(v for i, v in enumerate(parts.vectors) if i not in best)
            elif "pool" in negatives:
                neg.extend(parts.vectors)
            if negatives == "random":  # stands in for the data file's stored papers
                rng = random.Random(f"{bench.SEED}:neg:{case.user.name}")
                unseen = max(parts.idf.values())
                own = set(case.library)
                picked = rng.sample(self.earlier(case.corpus), RANDOM + len(own))
                neg += [
                    _weigh(case.corpus.feats(i), parts.idf, unseen)
                    for i in [i for i in picked if i not in own][:RANDOM]
                ]
            if "prev" in negatives:
                days = sorted(case.corpus.days)
                earlier = days[days.index(case.day) - 1]
                unseen = max(parts.idf.values())
                neg += [
                    _weigh(case.corpus.feats(i), parts.idf, unseen)
                    for i in case.corpus.days[earlier]
                    if i not in set(case.library)
                ]
            model = ranking_svm.train(parts.library, neg, c=c)
            found = [model.margin(v) for v in parts.vectors]
            self.seconds += time.perf_counter() - started
            self.cache[key] = found
        return found


def variants(
    margins: Margins, negative_sets: Sequence[str], costs: Sequence[float], shares: Sequence[float]
) -> dict[str, bench.Scorer]:
    out: dict[str, bench.Scorer] = {"shipped mix": bench.ours}
    for negatives in negative_sets:
        for c in costs:

            def alone(case: bench.Case, n: str = negatives, c: float = c) -> list[float]:
                return margins.get(case, n, c)

            out[f"svm {negatives} C={c}"] = alone
            for share in shares:

                def mixed(
                    case: bench.Case, n: str = negatives, c: float = c, s: float = share
                ) -> list[float]:
                    svm = _zscores(margins.get(case, n, c))
                    shipped = _zscores(ranking.mix(case.parts))
                    return [s * a + (1 - s) * b for a, b in zip(svm, shipped, strict=True)]

                out[f"svm {negatives} C={c} z-mix {share}"] = mixed

                def unpenalised(
                    case: bench.Case, n: str = negatives, c: float = c, s: float = share
                ) -> list[float]:
                    svm = _zscores(margins.get(case, n, c))
                    near = _zscores(ranking.mix(case.parts, pool_penalty=0.0))
                    return [s * a + (1 - s) * b for a, b in zip(svm, near, strict=True)]

                out[f"svm {negatives} C={c} z-mix {share} with the mix minus its pool penalty"] = (
                    unpenalised
                )

                def neighbours(
                    case: bench.Case, n: str = negatives, c: float = c, s: float = share
                ) -> list[float]:
                    svm = _zscores(margins.get(case, n, c))
                    near = _zscores(ranking.mix(case.parts, centroid_share=0.0, pool_penalty=0.0))
                    return [s * a + (1 - s) * b for a, b in zip(svm, near, strict=True)]

                out[f"svm {negatives} C={c} z-mix {share} with the 3-NN part only"] = neighbours
    return out


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--skip", type=int, default=0, help="tune users to skip first")
    parser.add_argument("--linearsvc", action="store_true", help="add sklearn's LinearSVC row")
    parser.add_argument("--dump", type=Path, help="write the per-user metrics as JSON here")
    parser.add_argument("--negatives", nargs="+", default=["pool", "prev"])
    parser.add_argument("--costs", nargs="+", type=float, default=[0.1, 1.0, 10.0])
    parser.add_argument("--shares", nargs="+", type=float, default=[0.3, 0.5, 0.7])
    args = parser.parse_args(list(argv) if argv is not None else None)
    corpus = bench.found_corpus()
    if corpus is None:
        return 2
    people = bench.tune_users(corpus, args.skip, args.users)
    print(f"tune half, users {args.skip}..{args.skip + len(people)}, ", end="")
    print(f"{sum(len(u.days) for u in people)} ranked days")
    margins = Margins()
    scorers = variants(margins, args.negatives, args.costs, args.shares)
    linear = bench.make_svm(corpus) if args.linearsvc else None
    if linear is not None:
        scorers[bench.SVM_NAME] = linear
    results = bench.evaluate(corpus, people, scorers)
    if args.dump:
        args.dump.write_text(json.dumps(results), encoding="utf-8")
    rows = sorted(results.items(), key=lambda kv: -bench.mean_of(kv[1], 0))
    base = results["shipped mix"]
    for name, per_user in rows:
        point, lo, hi = bench.paired_ratio(per_user, base, 0)
        print(
            f"{name}: R@10 {bench.mean_of(per_user, 0):.3f} MRR {bench.mean_of(per_user, 2):.3f}"
            f" ratio to shipped {point:.3f} [{lo:.3f}, {hi:.3f}]"
        )
    print(f"SVM training + scoring: {margins.seconds:.1f} s for {len(margins.cache)} fits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
