"""One grammar for every reader of a topic query: the tokens, the field table, the tree.

Before it, four scanners with three field lists disagreed: ``doi:10.1234/abc`` was sent to arXiv
as the quoted phrase ``(ti:"doi:10.1234/abc" OR abs:"…")`` while the local matcher read it as a
DOI.  These tests pin the shared reading, and that the string sent, the matcher and the
archive scope all follow it.
"""

from __future__ import annotations

import pytest

from daily_papers.errors import QueryError
from daily_papers.query import syntax, tree
from daily_papers.query.build import is_advanced, topic_query
from daily_papers.query.match import compile_query
from daily_papers.query.scope import query_archives
from tests.papers import synthetic_paper


def _kinds(query: str) -> list[tuple[str, str]]:
    return [(t.kind.value, t.text) for t in syntax.tokenize(query)]


def test_tokens_keep_their_places() -> None:
    query = 'ti:"quantum  walk" AND (au:del_maestro OR doi:10.1/a:b)'
    tokens = syntax.tokenize(query)
    assert [query[t.start : t.end] for t in tokens] == [
        "ti:",
        '"quantum  walk"',
        "AND",
        "(",
        "au:",
        "del_maestro",
        "OR",
        "doi:",
        "10.1/a:b",
        ")",
    ]
    assert _kinds("submittedDate:[202401010000 TO 202402010000]") == [
        ("prefix", "submittedDate"),
        ("term", "[202401010000 TO 202402010000]"),
    ]


def test_a_colon_inside_a_term_belongs_to_the_term() -> None:
    assert _kinds("doi:10.1234/abc:def") == [("prefix", "doi"), ("term", "10.1234/abc:def")]
    assert _kinds("ti:x:y") == [("prefix", "ti"), ("term", "x:y")]
    # Not a field: one word, whatever its colon.
    assert _kinds("Nd:YAG https://github.com/a") == [
        ("term", "Nd:YAG"),
        ("term", "https://github.com/a"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "doi:10.1234/abc",
        "title:graph neural",
        "lastUpdatedDate:[202401010000 TO 202402010000]",
        "jr:Nature",
        "ti:x AND abs:y",
        "a ANDNOT b",
        '"exact phrase"',
        "(a)",
    ],
)
def test_advanced_queries_are_recognised_by_every_field(text: str) -> None:
    assert is_advanced(text)


@pytest.mark.parametrize(
    "text", ["language model uncertainty", "Nd:YAG laser", "cats and dogs", "NOT a phrase word"]
)
def test_plain_phrases_stay_phrases(text: str) -> None:
    assert not is_advanced(text)


def test_a_doi_topic_is_sent_as_a_doi_search_and_matched_as_one() -> None:
    """The visible bug of the four scanners: now the string sent and the matcher agree."""
    assert topic_query("doi:10.1103/PhysRevB.1") == "(doi:10.1103/PhysRevB.1)"
    paper = synthetic_paper(1, doi="10.1103/PhysRevB.1", title="Synthetic title")
    assert compile_query(topic_query("doi:10.1103/PhysRevB.1")).matches(paper)
    assert compile_query(topic_query("title:synthetic")).matches(paper)
    assert compile_query(topic_query("lastUpdatedDate:[2024 TO 2025]")).needs_api is not None


def test_a_colon_word_in_a_plain_phrase_is_searched_as_written() -> None:
    assert topic_query("Nd:YAG laser") == '(ti:"Nd:YAG laser" OR abs:"Nd:YAG laser")'


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("tilte:graph AND cat:cs.LG", "Did you mean 'title'?"),
        ("ti:graph AND abstract:neural", "Did you mean 'abs'?"),
        ('ti:x OR authors:"del maestro"', "Did you mean 'au'?"),
        ("author:Smith", "Did you mean 'au'?"),  # a plain phrase, but a field misspelt
        ("tit:graph", "Did you mean 'ti'?"),
    ],
)
def test_a_misspelt_field_is_refused_with_the_field_it_resembles(
    text: str, suggestion: str
) -> None:
    with pytest.raises(QueryError) as caught:
        topic_query(text)
    assert "which is not an arXiv field" in str(caught.value)
    assert caught.value.hint is not None
    assert suggestion in caught.value.hint
    assert "quote them" in caught.value.hint


def test_an_unknown_field_in_a_query_is_refused_even_without_a_near_field() -> None:
    with pytest.raises(QueryError, match="'Nd:', which is not an arXiv field"):
        topic_query("ti:laser AND Nd:YAG")
    topic_query('ti:laser AND "Nd:YAG"')  # quoted: the words, as the hint says
    topic_query("ti:laser AND https://example.org/x")  # a URL is a word


def test_categories_are_checked_wherever_the_tree_has_them() -> None:
    """The old ``cat:`` scanner missed grouped names; the tree gives every word its field."""
    with pytest.raises(QueryError, match=r"'cs\.Al' in the query"):
        topic_query("ti:x AND cat:(cs.CL cs.Al)")
    with pytest.raises(QueryError, match=r"'cs\.Al' in the query"):
        topic_query('ti:x AND cat:"cs.Al"')
    topic_query("ti:x AND cat:cs.*")  # a wildcard is left to arXiv
    topic_query('ti:"cat:dog"')  # inside a phrase: no category


def test_one_precedence_grouping_to_the_right() -> None:
    _query, root = tree.parse("a AND b OR c")
    assert root == tree.And(
        tree.Term("all", "a"), tree.Or(tree.Term("all", "b"), tree.Term("all", "c"))
    )
    _query, root = tree.parse("ti:(x y) AND NOT title:z")
    assert root == tree.AndNot(
        tree.Or(tree.Term("ti", "x"), tree.Term("ti", "y")), tree.Term("ti", "z")
    )
    _query, root = tree.parse("au:(del_maestro smith)")
    assert [t.text for t in tree.terms(root)] == ['"del maestro"', "smith"]


def test_the_sender_the_matcher_and_the_scope_read_one_tree() -> None:
    """``a AND b OR c`` means ``a AND (b OR c)`` to all three readers."""
    built = topic_query("ti:x AND cat:cs.CL OR cat:math.CA")
    assert built == "(ti:x AND cat:cs.CL OR cat:math.CA)"
    assert query_archives(built) == {"cs", "math"}
    paper = synthetic_paper(2, title="y", primary="math.CA")
    # Read left to right with AND first it would match (cat:math.CA alone); arXiv's grouping
    # needs ti:x as well.
    assert compile_query("cat:math.CA").matches(paper)
    assert not compile_query(built).matches(paper)
    assert compile_query(built).matches(synthetic_paper(3, title="x", primary="math.CA"))


def test_author_underscores_are_rewritten_without_touching_other_bytes() -> None:
    assert (
        topic_query('au:del_maestro AND ti:x_y AND au:(van_der_waals OR "de_la_cruz")')
        == '(au:"del maestro" AND ti:x_y AND au:("van der waals" OR "de la cruz"))'
    )
