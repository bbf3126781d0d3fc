"""Topic → arXiv query: phrases are quoted, advanced queries validated, output deterministic."""

from __future__ import annotations

import pytest

from daily_papers.errors import QueryError
from daily_papers.query import (
    build_query,
    is_advanced,
    is_category,
    phrase_clause,
    topic_query,
    validate_advanced,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("language model uncertainty", False),
        ("graph neural networks and transformers", False),  # lower-case "and" is a word
        ("Origins of ORCA", False),  # operator only as a whole word
        ("ti:transformer", True),
        ("abs:diffusion", True),
        ("au:del_maestro", True),
        ("cat:cs.CL", True),
        ("co:accepted", True),
        ("jr:Nature", True),
        ("rn:CERN", True),
        ("all:electron", True),
        ("id:2101.00001", True),
        ("electron AND proton", True),
        ("electron OR proton", True),
        ("electron ANDNOT proton", True),
        ('"exact phrase"', True),
        ("large language model (LLM)", True),
        ("mixed-precision: a survey", False),  # a colon alone is not a field prefix
    ],
)
def test_is_advanced(text: str, expected: bool) -> None:
    assert is_advanced(text) is expected


def test_phrase_clause_quotes_title_or_abstract() -> None:
    assert phrase_clause("large language model") == (
        '(ti:"large language model" OR abs:"large language model")'
    )


def test_phrase_clause_collapses_whitespace_and_strips_quotes() -> None:
    assert phrase_clause('  large\n  "language"\tmodel ') == (
        '(ti:"large language model" OR abs:"large language model")'
    )


@pytest.mark.parametrize("phrase", ["", "   ", '""', '" "'])
def test_phrase_clause_rejects_empty(phrase: str) -> None:
    with pytest.raises(QueryError, match="empty"):
        phrase_clause(phrase)


def test_validate_advanced_normalises_whitespace() -> None:
    assert validate_advanced('  au:del_maestro \n AND  ti:"quantum  criticality" ') == (
        'au:del_maestro AND ti:"quantum criticality"'
    )


@pytest.mark.parametrize(
    "query",
    [
        "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)",
        "cat:math.CA AND ti:diffuse",
        "submittedDate:[202401010000 TO 202402010000] AND cat:cs.CL",
        "((ti:a OR ti:b) AND (abs:c))",
        'ti:"graph neural network"',
        "ti:(transformer attention) AND cat:cs.CL",
    ],
)
def test_validate_advanced_accepts_valid_queries(query: str) -> None:
    assert validate_advanced(query) == query


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ('ti:"unbalanced', "unbalanced double quote"),
        ("(ti:a OR ti:b", "unclosed parenthesis"),
        ("ti:a OR ti:b)", "never opened"),
        ("ti:a AND ()", "empty parentheses"),
        ("AND ti:a", "nothing before it"),
        ("ti:a OR", "dangling operator"),
        ("ti:a AND OR ti:b", "nothing before it"),
        ("(ti:a AND) OR ti:b", "dangling operator"),
        ("( OR ti:a)", "nothing before it"),
        ("ti: AND abs:b", "no term"),
        ('ti:""', "no term"),
    ],
)
def test_validate_advanced_rejects_broken_queries(query: str, problem: str) -> None:
    with pytest.raises(QueryError, match=problem) as info:
        validate_advanced(query)
    # The sentence names the topic so the user can find it in a long topics file.
    if query.strip():
        assert " ".join(query.split()) in info.value.message
    assert info.value.hint is not None


def test_quotes_protect_parentheses_and_operators() -> None:
    assert validate_advanced('ti:"a (b" AND abs:"OR"') == 'ti:"a (b" AND abs:"OR"'


def test_build_query_single_phrase() -> None:
    assert build_query(phrases=["diffusion model"]) == (
        '(ti:"diffusion model" OR abs:"diffusion model")'
    )


def test_build_query_phrases_categories_and_exclusions() -> None:
    query = build_query(
        phrases=["graph neural network", "message passing", "graph neural network"],
        categories=["cs.LG", " stat.ML ", "cs.LG"],
        exclude=["survey", "quantum chemistry"],
    )
    assert query == (
        '((ti:"graph neural network" OR abs:"graph neural network") OR '
        '(ti:"message passing" OR abs:"message passing")) '
        "AND (cat:cs.LG OR cat:stat.ML) "
        'ANDNOT (ti:"survey" OR abs:"survey") '
        'ANDNOT (ti:"quantum chemistry" OR abs:"quantum chemistry")'
    )


def test_build_query_advanced_is_parenthesised() -> None:
    assert build_query(advanced="ti:a OR ti:b", categories=["hep-th"]) == (
        "(ti:a OR ti:b) AND cat:hep-th"
    )


def test_build_query_is_deterministic() -> None:
    kwargs = {"phrases": ["b", "a"], "categories": ["math.CA", "cs.CL"], "exclude": ["x"]}
    assert build_query(**kwargs) == build_query(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"phrases": ["a"], "advanced": "ti:b"}],
)
def test_build_query_needs_exactly_one_source(kwargs: dict[str, object]) -> None:
    with pytest.raises(QueryError, match="exactly one"):
        build_query(**kwargs)  # type: ignore[arg-type]


def test_build_query_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError):
        build_query(phrases="not a list")


@pytest.mark.parametrize(
    "category",
    ["cs.CL", "hep-th", "math.CA", "q-bio.NC", "astro-ph.CO", "cond-mat.stat-mech", "cs"],
)
def test_valid_categories(category: str) -> None:
    assert is_category(category)
    assert build_query(phrases=["x"], categories=[category]).endswith(f"AND cat:{category}")


@pytest.mark.parametrize("category", ["", "CS.CL", "cs CL", "cs.CL)", "35", "I.2.7", "cat:cs.CL"])
def test_invalid_categories(category: str) -> None:
    assert not is_category(category)
    with pytest.raises(QueryError, match="not an arXiv category"):
        build_query(phrases=["x"], categories=[category])


def test_exclude_phrase_must_not_be_empty() -> None:
    with pytest.raises(QueryError, match="empty"):
        build_query(phrases=["x"], exclude=["  "])


def test_topic_query_picks_phrase_or_advanced() -> None:
    assert topic_query("language model uncertainty") == (
        '(ti:"language model uncertainty" OR abs:"language model uncertainty")'
    )
    assert topic_query("ti:transformer AND cat:cs.CL") == "(ti:transformer AND cat:cs.CL)"
    assert topic_query("x", categories=["cs.CL"], exclude=["y"]) == (
        '(ti:"x" OR abs:"x") AND cat:cs.CL ANDNOT (ti:"y" OR abs:"y")'
    )


def test_topic_query_validates_advanced_before_any_request() -> None:
    with pytest.raises(QueryError, match="unclosed parenthesis"):
        topic_query("(ti:transformer")
