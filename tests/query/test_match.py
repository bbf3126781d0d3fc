"""The local query matcher against real recorded arXiv answers, written rules and properties.

Recall: every paper arXiv returned for a recorded query matches that query here (the query is
in the recording's file name; see tests/fixtures/matcher/PROVENANCE.md).  Precision: papers
from the other recordings do not, except those named below with the reason they truly match.
Edge cases use SYNTHETIC papers: a real recorded paper with its title, abstract or other
fields replaced (``_synthetic``), so a matcher that matches everything fails many tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from daily_papers.arxiv.api_page import parse_page
from daily_papers.errors import QueryError
from daily_papers.models import Paper, Topic
from daily_papers.query.authors import author_matches
from daily_papers.query.build import topic_query
from daily_papers.query.match import (
    CompiledQuery,
    analyse_paper,
    compile_query,
    match_papers,
    matches,
    needs_api,
)
from daily_papers.query.stemmer import stem


def compile_topic(
    text: str,
    *,
    categories: Sequence[str] = (),
    exclude: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> CompiledQuery:
    """A topic as a user writes it, compiled from the query the topic sends to arXiv."""
    built = topic_query(text, categories=categories, exclude=exclude)
    return compile_query(built, aliases=aliases)


FIXTURES = Path(__file__).parents[1] / "fixtures" / "matcher"

#: Each recording and the search_query it answers (from the recording's name and provenance).
RECORDINGS: dict[str, str] = {
    "api-2016-au_del_maestro-10entries-arxivpy.xml": "au:del_maestro",
    "api-2016-au_del_maestro-AND-ti_checkerboard-doi-arxivpy.xml": (
        "au:del_maestro AND ti:checkerboard"
    ),
    "api-2016-au_del_maestro-AND-ti_quantum_criticality-phrase-arxivpy.xml": (
        'au:del_maestro AND ti:"quantum criticality"'
    ),
    "api-2016-au_del_maestro-ANDNOT-group-arxivpy.xml": (
        "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)"
    ),
    "api-2025-08-oldapi-all_electron-AND-all_proton-rsxiv.xml": "all:electron AND all:proton",
    "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml": "all:electron AND all:proton",
    "api-2025-08-oldapi-cat_math.CA-AND-ti_diffuse-rsxiv.xml": "cat:math.CA AND ti:diffuse",
    "api-2025-11-newapi-cat_math.CA-AND-ti_diffuse-rsxiv.xml": "cat:math.CA AND ti:diffuse",
    "api-2026-all_testing-relevance-start0-max100.xml": "testing",
}

#: Papers of other recordings that truly match a query (so arXiv would return them too, past
#: the recorded page): Del Maestro papers from the narrower del_maestro recordings, and
#: 1303.6954, whose abstract says "test" (stem of "testing").
TRUE_CROSS_MATCHES: dict[str, set[str]] = {
    "au:del_maestro": {"1111.2011", "1101.2206"},
    "testing": {"1303.6954"},
}


@cache
def recorded(name: str) -> tuple[Paper, ...]:
    return parse_page((FIXTURES / name).read_bytes()).papers


def all_recorded() -> dict[str, Paper]:
    return {p.id: p for name in RECORDINGS for p in recorded(name)}


def _synthetic(**fields: object) -> Paper:
    """SYNTHETIC: a real recorded paper (1111.2011) with the given fields replaced."""
    base = next(p for p in recorded(next(iter(RECORDINGS))) if p.id == "1303.6954")
    defaults: dict[str, object] = {
        "id": "synthetic.00001",
        "title": "A title",
        "abstract": "An abstract.",
        "comment": None,
        "journal_ref": None,
        "doi": None,
    }
    defaults.update(fields)
    return replace(base, **defaults)  # type: ignore[arg-type]


def hit(query: str, paper: Paper) -> bool:
    return compile_query(query).matches(paper)


# --------------------------------------------------------------------------------------
# Recall and precision on the recordings


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_every_recorded_paper_matches_its_query(name: str) -> None:
    query = compile_query(RECORDINGS[name])
    papers = recorded(name)
    assert papers
    assert [p.id for p in papers if not query.matches(p)] == []


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_papers_of_other_recordings_do_not_match(name: str) -> None:
    query_text = RECORDINGS[name]
    query = compile_query(query_text)
    own = {p.id for other, q in RECORDINGS.items() if q == query_text for p in recorded(other)}
    others = [p for pid, p in all_recorded().items() if pid not in own]
    assert len(others) >= 40  # the negatives are many, so "matches everything" fails here
    wrongly = {p.id for p in others if query.matches(p)}
    assert wrongly == TRUE_CROSS_MATCHES.get(query_text, set())


def test_batch_matching_agrees_with_pairwise_matching() -> None:
    papers = list(all_recorded().values())
    queries = [compile_query(q) for q in dict.fromkeys(RECORDINGS.values())]
    queries += [compile_topic("quantum criticality", categories=["cond-mat.str-el"])]
    queries += [compile_query('ti:"electron-proton" OR abs:"neutron star"')]
    batch = match_papers(queries, papers)
    assert [[p.id for p in found] for found in batch] == [
        [p.id for p in papers if q.matches(p)] for q in queries
    ]
    assert all(batch[:-1])


def test_matches_accepts_a_topic_and_a_query_string() -> None:
    paper = recorded(next(iter(RECORDINGS)))[0]
    assert matches(Topic("Del Maestro", "au:del_maestro"), paper)
    assert matches("au:del_maestro", paper)
    assert not matches(Topic("Checkerboard", "ti:checkerboard"), paper)


# --------------------------------------------------------------------------------------
# Phrases in titles and abstracts


@pytest.mark.parametrize(
    ("phrase", "title", "expected"),
    [
        ("quantum criticality", "Quantum Criticality for Extended Nodes", True),
        ("Quantum CRITICALITY", "quantum criticality for extended nodes", True),
        ("graph-based", "Graph based methods", True),
        ("graph based", "Graph-Based Methods", True),
        ("large language models", "Large Language Models, Revisited", True),
        ("neural networks", "A neural network for tides", True),  # stems: network
        ("diffuse", "Diffusion on manifolds", True),
        ("diffuse", "Diffusive limits", True),
        ("diffuse", "Different limits", False),
        ("theory of everything", "A theory for everything", True),  # a stop word holds a place
        ("theory of everything", "A theory everything", False),
        ("the transformer", "Transformer circuits", True),
        ("network neural", "Neural network pruning", False),  # order matters
        ("quantum criticality", "Quantum phase criticality", False),  # contiguous
        ("Schrödinger equation", 'The Schr\\"odinger equation', True),  # TeX accents
        # A plain phrase searches ti: and abs:, whose index keeps accents (see test_parity).
        ("schrodinger equation", "The Schrödinger equation", False),
        ("schrödinger equation", "The Schrödinger equation", True),
        ("alpha helix", "An $\\alpha$-helix model", True),  # LaTeX words are words
        ("hilbert space", "Hilbert's space of states", True),  # possessive 's dropped
        ("checkerboard", "Checker board lattices", False),
    ],
)
def test_phrase_rules_in_titles(phrase: str, title: str, expected: bool) -> None:
    paper = _synthetic(title=title)
    assert compile_topic(phrase).matches(paper) is expected


def test_phrase_searches_title_or_abstract_only() -> None:
    in_abstract = _synthetic(abstract="We study quantum criticality on trees.")
    in_comment = _synthetic(comment="quantum criticality", journal_ref="quantum criticality")
    topic = compile_topic("quantum criticality")
    assert topic.matches(in_abstract)
    assert not topic.matches(in_comment)
    assert not hit('ti:"quantum criticality"', in_abstract)
    assert hit('abs:"quantum criticality"', in_abstract)


def test_only_stop_words_match_nothing() -> None:
    assert not compile_topic("of the").matches(_synthetic(title="Of the people"))


# --------------------------------------------------------------------------------------
# Advanced queries: grammar, rewriting, fields


def test_operators_group_to_the_right_with_equal_precedence() -> None:
    only_c = _synthetic(title="gamma")
    a_and_c = _synthetic(title="alpha gamma")
    # a AND b OR c  is  a AND (b OR c): "gamma" alone is not enough.
    assert not hit("ti:alpha AND ti:beta OR ti:gamma", only_c)
    assert hit("ti:alpha AND ti:beta OR ti:gamma", a_and_c)
    assert hit("(ti:alpha AND ti:beta) OR ti:gamma", only_c)
    # a ANDNOT b OR c  is  a AND NOT (b OR c).
    assert not hit("ti:alpha ANDNOT ti:beta OR ti:gamma", a_and_c)


def test_rewriting_of_bare_adjacent_and_grouped_terms() -> None:
    language_in_abstract = _synthetic(title="Small models", abstract="A language study.")
    assert hit("ti:large language", language_in_abstract)  # ti:large OR all:language
    assert not hit('ti:"large language"', language_in_abstract)
    assert hit("ti:(tiny small)", language_in_abstract)  # ti:tiny OR ti:small
    assert not hit("ti:(tiny language)", language_in_abstract)
    assert hit("language", language_in_abstract)  # a bare word searches all fields


def test_not_and_and_not_mean_andnot() -> None:
    paper = _synthetic(title="alpha beta")
    assert not hit("ti:alpha NOT ti:beta", paper)
    assert not hit("ti:alpha AND NOT ti:beta", paper)
    assert hit("ti:alpha NOT ti:gamma", paper)
    assert not hit("ti:alpha AND (NOT ti:beta)", paper)  # a unary ANDNOT
    assert hit("ti:alpha AND (NOT ti:gamma)", paper)


def test_author_underscore_means_the_quoted_name_even_in_parentheses() -> None:
    paper = _synthetic(authors=("Massimo Boninsegni", "Adrian Del Maestro"))
    for query in ("au:del_maestro", "(au:del_maestro)", 'au:"del maestro"', "au:Maestro"):
        assert hit(query, paper), query
    assert hit(topic_query("au:del_maestro"), paper)
    assert not hit("au:del_boninsegni", paper)  # the words must be in one author's name
    assert not hit("au:adrian_boninsegni", paper)


@pytest.mark.parametrize(
    ("query", "author", "expected"),
    [
        ('au:"maestro del"', "Adrian Del Maestro", True),  # any order within one name
        ('au:"Adrian Del Maestro"', "A. Del Maestro", True),  # initials (local rule)
        ('au:"Adrian Del Maestro"', "B. Del Maestro", False),
        ("au:del_mae*", "Adrian Del Maestro", True),
        ("au:mae*", "Adrian Del Maestro", True),
        ("au:mue*", "Adrian Del Maestro", False),
        ("au:muller", "Jörg Müller", True),
        ("au:muller", 'J\\"org M\\"uller', True),
        ("au:mueller", "Jörg Müller", True),  # German ue = ü, as arXiv normalises
        ("au:Maestro,A", "Adrian Del Maestro", True),  # surname, initial
        ("au:Maestro,B", "Adrian Del Maestro", False),
    ],
)
def test_author_terms(query: str, author: str, expected: bool) -> None:
    assert hit(query, _synthetic(authors=(author, "Ian Affleck"))) is expected


def test_comment_journal_category_doi_and_all_fields() -> None:
    paper = _synthetic(
        title="Tides",
        comment="12 pages, 3 figures; accepted in Physical Review",
        journal_ref="Phys. Rev. B 85, 115143 (2012)",
        doi="10.1103/PhysRevB.85.115143",
        categories=("cs.LG", "math.CA"),
        primary_category="cs.LG",
    )
    assert hit("co:figures", paper)  # no stemming in comments: "figure" is another word
    assert not hit("co:figure", paper)
    assert hit('jr:"Phys Rev B"', paper)
    assert hit("cat:math.CA", paper)  # a cross-list category counts, not only the primary
    assert hit("cat:math.*", paper)
    assert not hit("cat:math.AP", paper)
    assert hit("doi:10.1103/physrevb.85.115143", paper)
    assert hit("all:figures", paper)
    assert hit("all:math.CA", paper)
    assert not hit("ti:figures", paper)


def test_category_aliases_are_an_optional_mapping() -> None:
    paper = _synthetic(categories=("math.NA",), primary_category="math.NA")
    aliases = {"cs.NA": "math.NA"}
    assert not compile_query("cat:cs.NA").matches(paper)
    assert compile_query("cat:cs.NA", aliases=aliases).matches(analyse_paper(paper, aliases))
    topic = compile_topic("tides", categories=["cs.NA"], aliases=aliases)
    assert topic.matches(replace(paper, title="Tides"))


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("ti:quantum AND submittedDate:[202301010600 TO 202401010600]", "submittedDate"),
        ('lastUpdatedDate:"202301010600 TO 202401010600"', "lastUpdatedDate"),
        ("id:2301.00001", "id:"),
        ("rn:CERN-TH-2023-001 OR ti:tides", "rn:"),
    ],
)
def test_fields_only_the_api_knows_are_routed_to_it(query: str, reason: str) -> None:
    why = needs_api(query)
    assert why is not None
    assert reason in why
    with pytest.raises(ValueError, match="cannot be matched locally"):
        compile_query(query).matches(_synthetic())


def test_local_queries_do_not_need_the_api() -> None:
    assert needs_api(topic_query("graph neural network", categories=["cs.LG"])) is None
    assert needs_api("au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)") is None


@pytest.mark.parametrize(
    "query", ['ti:"open', "ti:a OR", "(ti:a", "ti:*tide", "AND ti:a", "ti:a)", 'ti:""']
)
def test_malformed_queries_raise_query_error(query: str) -> None:
    with pytest.raises(QueryError):
        compile_query(query)


def test_topic_categories_are_validated_as_topic_query_does() -> None:
    with pytest.raises(QueryError):
        compile_topic("tides", categories=["not a category"])


def test_categories_and_exclusions_of_a_topic() -> None:
    paper = _synthetic(
        title="A survey of graph neural networks",
        categories=("stat.ML", "cs.LG"),
        primary_category="stat.ML",
    )
    assert compile_topic("graph neural network", categories=["cs.LG"]).matches(paper)
    assert not compile_topic("graph neural network", categories=["cs.CV"]).matches(paper)
    assert not compile_topic("graph neural network", exclude=["survey"]).matches(paper)
    assert compile_topic("graph neural network", exclude=["benchmark"]).matches(paper)
    built = topic_query("graph neural network", categories=["cs.LG"], exclude=["survey"])
    assert not compile_query(built).matches(paper)


def test_arxiv_groups_to_the_right_so_exclusions_are_built_as_one_group() -> None:
    """arXiv reads ``M ANDNOT E1 ANDNOT E2`` as ``M ANDNOT (E1 ANDNOT E2)``: a paper with only
    the second exclusion would pass.  The built query groups the exclusions, so it means what
    the topic says, as the built topic query does."""
    paper = _synthetic(title="A benchmark of graph neural networks")
    naive = '(ti:"graph neural network" OR abs:"graph neural network") ANDNOT ' + (
        '(ti:"survey" OR abs:"survey") ANDNOT (ti:"benchmark" OR abs:"benchmark")'
    )
    assert compile_query(naive).matches(paper)  # what arXiv makes of the naive form
    built = topic_query("graph neural network", exclude=["survey", "benchmark"])
    assert not compile_query(built).matches(paper)
    assert not compile_topic("graph neural network", exclude=["survey", "benchmark"]).matches(paper)


# --------------------------------------------------------------------------------------
# Author names for "authors to follow"


@pytest.mark.parametrize("name", [n for n in RECORDINGS if "del_maestro" in n])
def test_every_recorded_del_maestro_paper_has_the_author(name: str) -> None:
    for paper in recorded(name):
        assert any(author_matches("Adrian Del Maestro", a) for a in paper.authors), paper.id


def test_no_author_of_other_recordings_is_del_maestro() -> None:
    others = [
        p for n in RECORDINGS if "del_maestro" not in n for p in recorded(n) if p.id != "1303.6954"
    ]
    assert len(others) > 100
    assert not any(author_matches("Adrian Del Maestro", a) for p in others for a in p.authors)


@pytest.mark.parametrize(
    ("wanted", "author", "expected"),
    [
        ("Adrian Del Maestro", "Adrian Del Maestro", True),
        ("Adrian Del Maestro", "A. Del Maestro", True),
        ("Adrian Del Maestro", "adrian del maestro", True),
        ("Adrian Del Maestro", "Adrian G. Del Maestro", True),
        ("A. G. Del Maestro", "Adrian Del Maestro", True),
        ("Adrian Del Maestro", "Del Maestro, Adrian", True),
        ("Del Maestro", "Adrian Del Maestro", True),
        ("Adrian Del Maestro", "B. Del Maestro", False),
        ("Adrian Del Maestro", "Adrian Maestro", False),
        ("Adrian Del Maestro", "Adrian Del Rio", False),
        ("Rémy Dupont", "R\\'emy Dupont", True),
        ("Remy Dupont", "Rémy Dupont", True),
        ("Przemysław Nowak", "Przemys{\\l}aw Nowak", True),
        ("José Raúl Romero", "J. R. Romero", True),
        ("José Raúl Romero", "J. Romero", True),
        ("José Raúl Romero", "J. M. Romero", False),
    ],
)
def test_author_matches(wanted: str, author: str, expected: bool) -> None:
    assert author_matches(wanted, author) is expected


# --------------------------------------------------------------------------------------
# The stemmer


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("agreed", "agre"),
        ("motoring", "motor"),
        ("hopping", "hop"),
        ("filing", "file"),
        ("happy", "happi"),
        ("relational", "relat"),
        ("conditional", "condit"),
        ("generalizations", "gener"),
        ("oscillators", "oscil"),
        ("effective", "effect"),
        ("adoption", "adopt"),
        ("controll", "control"),
        ("diffusion", "diffus"),
        ("diffusive", "diffus"),
        ("diffuse", "diffus"),
        ("is", "is"),
    ],
)
def test_porter_stems(word: str, expected: str) -> None:
    assert stem(word) == expected


# --------------------------------------------------------------------------------------
# Properties


def _words_of_recordings() -> list[str]:
    words = {w for p in all_recorded().values() for w in p.title.split() if w.isalpha()}
    return sorted(words)[:300]


_FIELDS = st.sampled_from(["ti", "abs", "all", "au"])
_TERMS = st.builds(
    lambda field, words, quoted: (
        f'{field}:"{" ".join(words)}"' if quoted else f"{field}:{words[0]}"
    ),
    _FIELDS,
    st.lists(st.sampled_from(_words_of_recordings()), min_size=1, max_size=2),
    st.booleans(),
)
_PAPERS = st.sampled_from(sorted(all_recorded().values(), key=lambda p: p.id))


@settings(max_examples=150, deadline=None)
@given(_TERMS, _TERMS, _PAPERS)
def test_or_is_either_and_andnot_is_and_not(a: str, b: str, paper: Paper) -> None:
    in_a, in_b = hit(a, paper), hit(b, paper)
    assert hit(f"({a}) OR ({b})", paper) == (in_a or in_b)
    assert hit(f"({a}) ANDNOT ({b})", paper) == (in_a and not in_b)
    assert hit(f"({a}) AND ({b})", paper) == (in_a and in_b)


@settings(max_examples=150, deadline=None)
@given(_TERMS, _PAPERS, st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
def test_case_of_the_query_words_changes_nothing(term: str, paper: Paper, case: object) -> None:
    field, _, value = term.partition(":")
    changed_value: str = case(value)  # type: ignore[operator]
    changed = f"{field}:{changed_value}"
    # Upper-case AND, OR, NOT and ANDNOT are operators wherever they stand (as on arXiv).
    operators = {"AND", "OR", "NOT", "ANDNOT"}
    assume(not operators & set((value + " " + changed_value).replace('"', " ").split()))
    assert hit(changed, paper) == hit(term, paper)


def test_upper_case_operator_words_are_operators_even_after_a_prefix() -> None:
    with pytest.raises(QueryError):
        compile_query("ti:NOT")
    assert not hit("ti:not", _synthetic(title="Not a title"))  # a stop word: matches nothing
    assert hit("ti:knot", _synthetic(title="Knot a title"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
@example("Fran\\c cois and R\\'emy")
@example("Przemys{\\l}aw \u0141\u00f3d\u017a, e.g. 3.5 GPT-4o_x")
def test_fast_folding_gives_the_words_of_tex_fold(text: str) -> None:
    """The matcher folds ASCII text with bytes.translate and other text chunk by chunk; both
    must give exactly the words :func:`daily_papers.tex.fold` gives."""
    from daily_papers.query import analysis
    from daily_papers.tex import fold

    expected = ["~" if w in analysis.STOP_WORDS else w for w in fold(text).split()]
    assert analysis.field_tokens(text, english=False) == expected
