"""The four edge cases where the local reading of a query once differed from arXiv's own.

Each is settled by arXiv's search code (the arxiv-search repository), read as a fact, not
copied:

* a leading ``ANDNOT`` and operators in a row: its grammar (search/domain/classic_api/
  query_parser.py) has ``ANDNOT expression`` as a unary expression, and its query adapter
  (search/domain/classic_api/classic_search_query.py, ``fix_multiple_operators``) keeps the
  last of operators in a row before parsing; its query builder (search/services/index/
  classic_api/query_builder.py) negates a unary operand as one term only;
* ``ti:transformer*``: the term keeps its ``*`` (its grammar's term is any run without space,
  quote or parenthesis) and the title query (search/services/index/prepare.py,
  ``_query_title``) sends it unescaped to a ``query_string`` over ``title.english``, whose
  tokens are Porter stems (mappings/DocumentMapping.json): the prefix meets stems;
* ``abs:frechet``: ``abstract.english`` and ``title.english`` use the built-in ``english``
  analyzer and comments and journal references a ``simple`` one (lower case and stop words),
  none with an accent-folding filter, while the all-fields ``combined`` analyzer has
  ``icu_folding`` (mappings/DocumentMapping.json); abstracts are indexed from their UTF-8 form
  (search/process/transform.py).

Papers are real recorded API answers (tests/fixtures/matcher) or SYNTHETIC ones built from a
recorded paper with fields replaced.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from daily_papers.arxiv import taxonomy
from daily_papers.arxiv.api_page import parse_page
from daily_papers.errors import QueryError
from daily_papers.models import Paper
from daily_papers.query import tree
from daily_papers.query.build import validate_advanced
from daily_papers.query.match import compile_query
from daily_papers.query.scope import query_archives

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matcher"


def _recorded(name: str, paper_id: str) -> Paper:
    papers = parse_page((FIXTURES / name).read_bytes()).papers
    return next(p for p in papers if p.id == paper_id)


#: Real: the 2025-11 API answer, whose titles and abstracts are UTF-8 ("Cesàro", "Lévy").
NEW_API = "api-2025-11-newapi-cat_math.CA-AND-ti_diffuse-rsxiv.xml"
#: Real: the 2025-08 answer for the same query, with TeX accents ("L\\'evy").
OLD_API = "api-2025-08-oldapi-cat_math.CA-AND-ti_diffuse-rsxiv.xml"


def _synthetic(**fields: object) -> Paper:
    """SYNTHETIC: the recorded 1704.03514 with the given fields replaced."""
    base = _recorded(NEW_API, "1704.03514")
    defaults: dict[str, object] = {"id": "synthetic.00001", "comment": None}
    defaults.update(fields)
    return replace(base, **defaults)  # type: ignore[arg-type]


def hit(query: str, paper: Paper) -> bool:
    return compile_query(validate_advanced(query)).matches(paper)


# --------------------------------------------------------------------------------------
# 1. A leading ANDNOT (or NOT) is arXiv's unary negation


def test_a_leading_andnot_is_accepted_and_negates_one_term() -> None:
    with_x = _synthetic(title="Alpha waves", abstract="Nothing.")
    without_x = _synthetic(title="Beta waves", abstract="Nothing.")
    for query in ("ANDNOT ti:alpha", "NOT ti:alpha", "(ANDNOT ti:alpha)"):
        assert validate_advanced(query) == query
        assert not hit(query, with_x)
        assert hit(query, without_x)
    assert tree.parse("ANDNOT ti:alpha")[1] == tree.Not(tree.Term("ti", "alpha"))
    # Inside a query too: "a AND ANDNOT b" is "a ANDNOT b".
    assert hit("ti:waves AND ANDNOT ti:alpha", without_x)
    assert not hit("ti:waves AND ANDNOT ti:alpha", with_x)
    # A negation can match anywhere, so every archive's feed is needed.
    assert query_archives("ANDNOT cat:cs.AI") == frozenset(taxonomy.feed_archives())


@pytest.mark.parametrize(
    "query", ["ANDNOT ti:x AND ti:y", "NOT (ti:x OR ti:y)", "ti:a AND (ANDNOT ti:x OR ti:y)"]
)
def test_a_leading_negation_of_more_than_one_term_is_refused(query: str) -> None:
    """arXiv's grammar gives the unary ANDNOT everything to its right; its builder can
    negate only one term, so such a query fails there: refused here with the fix."""
    with pytest.raises(QueryError, match="more than one term") as info:
        validate_advanced(query)
    assert query in info.value.message
    assert info.value.hint is not None
    assert "ANDNOT ti:x" in info.value.hint


# --------------------------------------------------------------------------------------
# 2. Operators in a row: the last one counts


@pytest.mark.parametrize(
    ("query", "reads_as"),
    [
        ("ti:a AND AND ti:b", tree.And(tree.Term("ti", "a"), tree.Term("ti", "b"))),
        ("ti:a AND OR ti:b", tree.Or(tree.Term("ti", "a"), tree.Term("ti", "b"))),
        ("ti:a OR AND ANDNOT ti:b", tree.AndNot(tree.Term("ti", "a"), tree.Term("ti", "b"))),
        ("AND ANDNOT ti:b", tree.Not(tree.Term("ti", "b"))),
    ],
)
def test_operators_in_a_row_keep_the_last(query: str, reads_as: tree.Node) -> None:
    assert tree.parse(query)[1] == reads_as


def test_doubled_operators_match_as_the_last_one() -> None:
    only_a = _synthetic(title="Alpha", abstract="Nothing.")
    both = _synthetic(title="Alpha beta", abstract="Nothing.")
    assert not hit("ti:alpha AND AND ti:beta", only_a)
    assert hit("ti:alpha AND AND ti:beta", both)
    assert hit("ti:alpha AND OR ti:beta", only_a)


@pytest.mark.parametrize("query", ["AND ti:a", "( OR ti:a)", "ANDNOT AND ti:a", "ti:a AND"])
def test_an_operator_run_with_nothing_before_or_after_is_still_refused(query: str) -> None:
    with pytest.raises(QueryError, match=r"nothing before it|dangling"):
        validate_advanced(query)


# --------------------------------------------------------------------------------------
# 3. A trailing * in a fielded title or abstract search meets the stems


def test_a_title_wildcard_meets_stems_not_words() -> None:
    paper = _synthetic(title="Transformers for vision", abstract="Nothing.")
    assert not hit("ti:transformer*", paper)  # the index holds the stem "transform"
    assert hit("ti:transform*", paper)
    assert hit("ti:vis*", paper)
    assert not hit("abs:transformer*", _synthetic(abstract="Transformers."))
    assert hit("abs:transform*", _synthetic(abstract="Transformers."))


def test_an_all_fields_or_comment_wildcard_meets_unstemmed_words() -> None:
    paper = _synthetic(title="Transformers for vision", abstract="Nothing.")
    assert hit("all:transformer*", paper)  # the all-fields index is not stemmed
    assert hit("co:transformer*", _synthetic(comment="Transformers, 12 pages"))
    assert not hit("co:transformer*", _synthetic(comment="Transform, 12 pages"))


# --------------------------------------------------------------------------------------
# 4. Accents: kept by a fielded search, folded by all:


def test_a_fielded_search_keeps_accents_on_real_utf8_answers() -> None:
    cesaro = _recorded(NEW_API, "1704.03514")  # real: "Cesàro" in title and abstract
    levy = _recorded(NEW_API, "1810.03952")  # real: "Lévy" in the abstract
    assert not hit("ti:cesaro", cesaro)
    assert hit("ti:cesàro", cesaro)
    assert hit("ti:Cesàro", cesaro)
    assert not hit("abs:levy", levy)
    assert hit("abs:lévy", levy)
    assert hit('abs:"lévy"', levy)
    assert hit("all:levy", levy)  # the all-fields index folds
    assert hit("all:cesaro", cesaro)
    assert hit("cesaro", cesaro)  # a bare word is all:


def test_tex_accents_are_the_letters_they_stand_for() -> None:
    levy_tex = _recorded(OLD_API, "1810.03952")  # real: "L\\'evy" in the abstract
    assert "\\'" in (levy_tex.abstract or "")
    assert hit("abs:lévy", levy_tex)
    assert not hit("abs:levy", levy_tex)


def test_an_accented_query_word_misses_the_plain_spelling() -> None:
    plain = _synthetic(title="Frechet means", abstract="On the Frechet distance.")
    assert hit("abs:frechet", plain)
    assert not hit("abs:fréchet", plain)
    assert not hit("ti:fréch*", plain)
    accented = _synthetic(title="Fréchet means", abstract="On the Fréchet distance.")
    assert not hit("abs:frechet", accented)
    assert not hit("ti:frech*", accented)
    assert hit("ti:fréch*", accented)
    assert hit("all:frech*", accented)
    assert not hit("co:muller", _synthetic(comment="Talk by Müller"))
    assert hit("co:müller", _synthetic(comment="Talk by Müller"))
