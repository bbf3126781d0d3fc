"""A linear SVM trained per run on sparse tf-idf vectors, in pure Python (no numpy).

The library is the positive class; the negatives are papers the run already holds (the day's
pool, most of which is not the reader's, or papers kept from earlier days), so nothing is
downloaded.  Training solves the dual of the L2-regularised squared-hinge SVM by coordinate
descent (one dual variable at a time, each step closed-form and clipped at zero), which
converges in a handful of passes over a few hundred short documents: cheap enough in pure
Python to train once per ranked pool.  A constant feature stands in for the bias.

It lives in ``benchmarks/`` and not in the package because it did not earn its place: mixed
with the shipped score it was level with it on the tune half, and trained per topic it would
cost several times what ranking costs now (``benchmarks/RESULTS.md``, "A per-run linear SVM").

Deterministic: the visiting order of every pass comes from a seeded generator, and every dot
product runs in the vector's own term order, so the same inputs give the same weights.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["BIAS_TERM", "LinearModel", "train"]

#: The term every vector carries implicitly with weight 1: its weight is the bias.
BIAS_TERM = "\x00bias"
#: Passes over the training set (the dual objective barely moves after these).
PASSES = 8
#: The seed of the visiting order.
SEED = 20261207

Vector = Mapping[str, float]


@dataclass(frozen=True)
class LinearModel:
    """A separating hyperplane: ``weights`` per term, the bias under :data:`BIAS_TERM`."""

    weights: dict[str, float]

    def margin(self, vector: Vector) -> float:
        """The signed distance-like score of one vector (higher: more like the positives)."""
        weights = self.weights
        total = weights.get(BIAS_TERM, 0.0)
        for term, value in vector.items():
            found = weights.get(term)
            if found is not None:
                total += found * value
        return total


def train(
    positives: Sequence[Vector],
    negatives: Sequence[Vector],
    *,
    c: float = 1.0,
    balanced: bool = True,
    passes: int = PASSES,
    seed: int = SEED,
) -> LinearModel:
    """The squared-hinge SVM of ``positives`` against ``negatives`` (``c``: the cost of a
    margin violation; ``balanced``: each class's cost scaled so both classes weigh the same,
    since a library of ten papers faces hundreds of negatives)."""
    samples = [(v, 1.0) for v in positives] + [(v, -1.0) for v in negatives]
    if not positives or not negatives:
        return LinearModel({})
    total = len(samples)
    cost_pos = c * total / (2 * len(positives)) if balanced else c
    cost_neg = c * total / (2 * len(negatives)) if balanced else c
    # the squared hinge adds 1/(2C) to each diagonal entry of the dual's matrix
    diag = [0.5 / (cost_pos if label > 0 else cost_neg) for _, label in samples]
    norms = [
        sum(x * x for x in v.values()) + 1.0 + d for (v, _), d in zip(samples, diag, strict=True)
    ]
    alpha = [0.0] * total
    weights: dict[str, float] = {}
    order = list(range(total))
    rng = random.Random(seed)
    items = [tuple(v.items()) for v, _ in samples]
    bias = 0.0
    for _ in range(passes):
        rng.shuffle(order)
        for i in order:
            label = samples[i][1]
            score = bias
            for term, value in items[i]:
                score += weights.get(term, 0.0) * value
            gradient = label * score - 1.0 + diag[i] * alpha[i]
            if alpha[i] == 0.0 and gradient >= 0.0:
                continue
            new = max(alpha[i] - gradient / norms[i], 0.0)
            step = (new - alpha[i]) * label
            if step == 0.0:
                continue
            alpha[i] = new
            bias += step
            for term, value in items[i]:
                weights[term] = weights.get(term, 0.0) + step * value
    weights[BIAS_TERM] = bias
    return LinearModel(weights)
