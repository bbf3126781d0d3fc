"""The ranker on real recorded papers: its speed work changes no score, its features are the
words and bigrams it documents, and a cold library weighs the day's pool less."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from daily_papers import ranking, relevance
from daily_papers.library import LibraryEntry
from tests.papers import TESTING_100, recorded_papers

GOLDEN = Path(__file__).parent / "fixtures" / "ranking" / "testing100-scores.json"


def _documents(count: int) -> tuple[list[ranking.Document], list[ranking.Document]]:
    papers = recorded_papers(TESTING_100)
    docs = [ranking.Document(p.id, p.title, p.abstract) for p in papers]
    return docs[:count], docs[count:]


def test_scores_and_whys_are_byte_identical_to_the_recorded_ones() -> None:
    papers = recorded_papers(TESTING_100)
    library = [
        LibraryEntry(p.id, p.title, p.abstract, f"lib.bib:{n}") for n, p in enumerate(papers[:12])
    ]
    ranking._STEMS.clear()
    scores = relevance.scorer(library)(papers[12:])
    got = {k: [repr(s.value), s.closest, list(s.terms)] for k, s in scores.items()}
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(got) == list(json.loads(GOLDEN.read_text(encoding="utf-8")))


def test_features_are_stems_and_bigrams_in_order_with_the_title_weighed() -> None:
    document = ranking.Document("x", "Sparse tomography", "Priors of the sparse tomography.")
    features = ranking.document_features(document)
    assert features == Counter({"spars": 3, "tomographi": 3, "spars tomographi": 3, "prior": 1})
    # a stop word breaks a bigram; the first occurrence fixes the order sums run in
    assert list(features) == ["spars", "spars tomographi", "tomographi", "prior"]
    assert ranking.document_features(ranking.Document("y", "", "")) == Counter()


def test_a_cold_library_weighs_the_days_pool_less() -> None:
    for size, penalty in ((3, ranking.COLD_POOL_PENALTY), (12, ranking.POOL_PENALTY)):
        library, pool = _documents(size)
        parts = ranking.components(
            [ranking.document_features(d) for d in library],
            [ranking.document_features(d) for d in pool],
        )
        ranked = {r.key: r.score for r in ranking.rank(library, pool)}
        scores = [ranked[d.key] for d in pool]
        assert scores == ranking.mix(parts, pool_penalty=penalty)
        other = ranking.POOL_PENALTY + ranking.COLD_POOL_PENALTY - penalty
        assert scores != ranking.mix(parts, pool_penalty=other)
    assert relevance.COLD_START == ranking.COLD_LIBRARY
