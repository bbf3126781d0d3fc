"""Which archives' feeds a topic needs: read from the query's tree, as arXiv groups it."""

from __future__ import annotations

import pytest

from daily_papers.arxiv import taxonomy
from daily_papers.query.scope import query_archives

ALL = frozenset(taxonomy.feed_archives())


@pytest.mark.parametrize(
    ("query", "archives"),
    [
        ('(ti:"x" OR abs:"x") AND (cat:cs.CL OR cat:stat.ML)', {"cs", "stat"}),
        ('(ti:"x" OR abs:"x") AND cat:hep-th ANDNOT (ti:"y" OR abs:"y")', {"hep-th"}),
        ("(cat:cs.NA AND ti:x)", {"math"}),  # an alias: its canonical archive's feed lists it
        ("((cat:cs.* OR cat:hep-th) AND au:x)", {"cs", "hep-th"}),
        ("cat:math.MP", {"math-ph"}),
        ('(ti:"x" OR abs:"x")', ALL),  # no categories: every archive
        ("ti:x OR cat:cs.AI", ALL),  # OR-ed with a non-category term
        ("ti:x ANDNOT cat:cs.AI", ALL),  # excluding a category restricts nothing
        # one precedence, grouping to the right: cat:cs.AI OR (ti:x AND cat:cs.CL)
        ("cat:cs.AI OR ti:x AND cat:cs.CL", {"cs"}),
        ("ti:x AND cat:cs.CL OR cat:math.CA", {"cs", "math"}),  # ti:x AND (… OR …)
        ("cat:cs.CL OR cat:math.CA AND ti:x", {"cs", "math"}),
        ("cat:cs.CL OR ti:x ANDNOT cat:math.CA", ALL),  # cs.CL OR (ti:x ANDNOT …)
        ("cat:cs.CL NOT ti:x", {"cs"}),  # NOT is ANDNOT
        ("cat:(cs.CL stat.ML)", {"cs", "stat"}),  # the prefix reaches every word of the group
        ("cat:cs.? AND ti:x", {"cs"}),
        ("cat:nonsense", ALL),
    ],
)
def test_query_archives(query: str, archives: frozenset[str]) -> None:
    assert query_archives(query) == archives
