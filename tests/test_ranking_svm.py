"""The per-run linear SVM: it separates what it is trained on, reaches the one optimum of its
(strictly convex) objective whatever the visiting order, and is reproducible."""

from __future__ import annotations

from benchmarks import ranking_svm


def _unit(terms: dict[str, float]) -> dict[str, float]:
    norm = sum(v * v for v in terms.values()) ** 0.5
    return {t: v / norm for t, v in terms.items()}


POSITIVES = [
    _unit({"graph": 2, "neural": 1}),
    _unit({"graph": 1, "attention": 1}),
    _unit({"graph": 1, "molecule": 2}),
]
NEGATIVES = [
    _unit({"galaxy": 2, "cluster": 1}),
    _unit({"galaxy": 1, "neural": 1}),
    _unit({"quantum": 1, "cluster": 1}),
    _unit({"quantum": 2, "attention": 1}),
    _unit({"protein": 1, "molecule": 1}),
]


def test_separable_training_set_is_separated_with_a_margin() -> None:
    model = ranking_svm.train(POSITIVES, NEGATIVES, c=10.0, passes=200)
    assert all(model.margin(v) > 0.5 for v in POSITIVES)
    assert all(model.margin(v) < -0.5 for v in NEGATIVES)
    # the shared word of the positives carries the most weight; an unseen word none
    assert max(model.weights, key=lambda t: model.weights[t]) == "graph"
    assert model.margin({"unseen": 1.0}) == model.weights[ranking_svm.BIAS_TERM]


def test_the_optimum_does_not_depend_on_the_visiting_order() -> None:
    first = ranking_svm.train(POSITIVES, NEGATIVES, c=1.0, passes=300, seed=1)
    second = ranking_svm.train(POSITIVES, NEGATIVES, c=1.0, passes=300, seed=2)
    assert first.weights.keys() == second.weights.keys()
    for term, weight in first.weights.items():
        assert abs(weight - second.weights[term]) < 1e-6, term


def test_a_handful_of_passes_is_near_the_optimum_and_reproducible() -> None:
    exact = ranking_svm.train(POSITIVES, NEGATIVES, c=1.0, passes=300)
    quick = ranking_svm.train(POSITIVES, NEGATIVES, c=1.0)
    again = ranking_svm.train(POSITIVES, NEGATIVES, c=1.0)
    assert quick == again
    probe = _unit({"graph": 1, "galaxy": 1, "quantum": 1})
    assert abs(quick.margin(probe) - exact.margin(probe)) < 0.05


def test_a_smaller_cost_gives_a_flatter_model() -> None:
    soft = ranking_svm.train(POSITIVES, NEGATIVES, c=0.01, passes=200)
    hard = ranking_svm.train(POSITIVES, NEGATIVES, c=10.0, passes=200)
    assert abs(soft.weights["graph"]) < abs(hard.weights["graph"])


def test_without_one_class_there_is_no_model() -> None:
    assert ranking_svm.train(POSITIVES, []).weights == {}
    assert ranking_svm.train([], NEGATIVES).margin({"graph": 1.0}) == 0.0


def test_the_weights_satisfy_the_squared_hinge_optimality_condition() -> None:
    # at the optimum of 1/2 |w|^2 + sum_i C_i max(0, 1 - y_i f(x_i))^2 (the bias a weight on
    # a constant feature), w = sum_i 2 C_i max(0, 1 - y_i f(x_i)) y_i x_i
    model = ranking_svm.train(POSITIVES, NEGATIVES, c=0.5, passes=500)
    total = len(POSITIVES) + len(NEGATIVES)
    expected: dict[str, float] = {ranking_svm.BIAS_TERM: 0.0}
    for vectors, label in ((POSITIVES, 1.0), (NEGATIVES, -1.0)):
        cost = 0.5 * total / (2 * len(vectors))
        for vector in vectors:
            slack = max(0.0, 1.0 - label * model.margin(vector))
            for term, value in (*vector.items(), (ranking_svm.BIAS_TERM, 1.0)):
                expected[term] = expected.get(term, 0.0) + 2 * cost * slack * label * value
    for term, weight in expected.items():
        assert abs(model.weights.get(term, 0.0) - weight) < 1e-6, term
