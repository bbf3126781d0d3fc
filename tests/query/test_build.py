"""Topic → arXiv query: phrases are quoted, advanced queries validated, output deterministic."""

from __future__ import annotations

import re

import pytest

from daily_papers.errors import QueryError
from daily_papers.query.build import (
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
        ("ANDNOT AND ti:a", "nothing before it"),  # of two in a row the later counts
        ("ANDNOT ti:x AND ti:y", "more than one term"),
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
        'ANDNOT ((ti:"survey" OR abs:"survey") OR '
        '(ti:"quantum chemistry" OR abs:"quantum chemistry"))'
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


# -- arXiv's author-underscore rewrite ---------------------------------------------------------
#
# A model of the rule as arXiv/arxiv-search implements it (search/domain/classic_api/
# classic_search_query.py, read 2026-12): the query is split into quoted strings, parentheses,
# operators, field prefixes and words; a prefix before "(" is distributed over the group's
# words; a word without a prefix gets "all:"; then every word right after "au:" is replaced
# by the query's *second token* with "_" turned into " " and quoted — when that second token
# contains an underscore.  Written here from that description, to check what arXiv will do
# with the queries we send.

_MODEL_TOKENS = re.compile(
    r'"[^"]*"|[()]|\b(?:AND|ANDNOT|NOT|OR)\b(?=[()\s]|$)|'
    r"(?:abs|all|au|cat|co|doi|id|jr|rn|submittedDate|ti|title):|[^\"()\s]+"
)


def arxiv_author_rule(query: str) -> list[str]:
    tokens = _MODEL_TOKENS.findall(query)
    is_prefix = [t.endswith(":") and t[:-1].isalpha() for t in tokens]
    # distribute "prefix:(" over the group's words
    out: list[str] = []
    group: list[str | None] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if is_prefix[index] and index + 1 < len(tokens) and tokens[index + 1] == "(":
            group.append(token)
            out.append("(")
            index += 2
            continue
        if token == "(":
            group.append(group[-1] if group else None)
        elif token == ")":
            if group:
                group.pop()
        elif not is_prefix[index] and token not in ("AND", "ANDNOT", "NOT", "OR"):
            previous_is_prefix = bool(out) and out[-1].endswith(":") and out[-1][:-1].isalpha()
            if not previous_is_prefix:
                out.append((group[-1] if group and group[-1] else None) or "all:")
        out.append(token)
        index += 1
    second = out[1] if len(out) > 1 else ""
    if "_" in second:
        replacement = second.replace("_", " ")
        if '"' not in replacement:
            replacement = f'"{replacement}"'
        out = [
            replacement if i > 0 and out[i - 1] == "au:" and not t.endswith(":") else t
            for i, t in enumerate(out)
        ]
    return out


def arxiv_tokens(query: str) -> list[str]:
    """The same split with the author rewrite kept from firing (to compare with)."""
    return [t.replace("\x00", "_") for t in arxiv_author_rule(query.replace("_", "\x00"))]


def test_the_model_reproduces_arxivs_behaviour() -> None:
    assert arxiv_author_rule("au:del_maestro") == ["au:", '"del maestro"']
    # Behind a parenthesis the rewrite never fires: what build_query used to send.
    assert arxiv_author_rule("(au:del_maestro)") == ["(", "au:", "del_maestro", ")"]
    # And it copies the *first* author into every au: term.
    assert arxiv_author_rule("au:del_maestro AND au:smith") == [
        "au:",
        '"del maestro"',
        "AND",
        "au:",
        '"del maestro"',
    ]


@pytest.mark.parametrize(
    ("advanced", "expected"),
    [
        ("au:del_maestro", '(au:"del maestro")'),
        ("au:del_maestro AND au:smith", '(au:"del maestro" AND au:smith)'),
        ("au:smith AND au:del_maestro", '(au:smith AND au:"del maestro")'),
        ('au:"del_maestro"', '(au:"del maestro")'),
        ("au:(del_maestro OR van_der_waals)", '(au:("del maestro" OR "van der waals"))'),
        ("ti:foo_bar AND au:smith", "(ti:foo_bar AND au:smith)"),  # only authors
        ("(au:a_b) ANDNOT ti:x_y", '((au:"a b") ANDNOT ti:x_y)'),
    ],
)
def test_author_underscores_are_rewritten_as_arxiv_means(advanced: str, expected: str) -> None:
    query = build_query(advanced=advanced, categories=["cond-mat.str-el"])
    assert query == expected + " AND cat:cond-mat.str-el"
    # What arXiv's rewrite does to the query we send: nothing, in every case.
    assert arxiv_author_rule(query) == arxiv_tokens(query)
    assert "_" not in "".join(t for t in arxiv_author_rule(query) if t.startswith('"'))


def test_arxiv_would_leave_an_unrewritten_query_wrong() -> None:
    # Negative control for the test above: without our rewrite arXiv keeps the underscore.
    assert "del_maestro" in arxiv_author_rule("(au:del_maestro) AND cat:cond-mat.str-el")


def test_author_of_only_underscores_is_refused() -> None:
    with pytest.raises(QueryError, match="only of underscores"):
        build_query(advanced="au:__")


# -- backslashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["foo\\", "large language model \\"])
def test_a_phrase_ending_in_a_backslash_is_refused(phrase: str) -> None:
    with pytest.raises(QueryError, match="ends with a backslash"):
        phrase_clause(phrase)
    with pytest.raises(QueryError):
        topic_query(phrase)


@pytest.mark.parametrize("query", ['ti:"foo\\"', 'ti:"a\\" AND abs:"b"'])
def test_an_escaped_quote_in_an_advanced_query_is_refused(query: str) -> None:
    with pytest.raises(QueryError, match="backslash before a double quote"):
        validate_advanced(query)


def test_a_backslash_inside_a_phrase_is_fine() -> None:
    assert phrase_clause("a\\b c") == '(ti:"a\\b c" OR abs:"a\\b c")'
