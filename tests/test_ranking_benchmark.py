"""A small slice of the author-as-user protocol (benchmarks/ranking.py) on the real listings in
``shared/ranking/`` beside the checkout: the ranker must find the readers' own new papers far
more often than chance.  The data is not part of the repository, so the test skips where it is
absent (``.ci/run`` is where that skip must not happen)."""

from __future__ import annotations

import pytest
from benchmarks import ranking as bench

DATA = bench.find_data()
pytestmark = pytest.mark.skipif(
    DATA is None,
    reason=f"no shared/ranking/{bench.DATA_NAME} above the checkout (public data kept outside "
    "the repository; see benchmarks/ranking.py)",
)


def test_twenty_users_rank_their_own_papers_high() -> None:
    assert DATA is not None
    corpus = bench.load(DATA)
    people = bench.users(corpus)["test"][:20]
    results = bench.evaluate(corpus, people, {"ours": bench.ours, "random": bench.random_scores})
    ours, chance = bench.mean_of(results["ours"], 0), bench.mean_of(results["random"], 0)
    assert ours >= 0.25
    assert ours >= 5 * chance
