"""Topics from -k options and from a YAML topics file; every mistake is one clear sentence."""

from __future__ import annotations

import pytest

from daily_papers import topics as topics_config
from daily_papers.errors import ConfigError, QueryError
from daily_papers.option_row import check_count


def test_phrase_and_advanced_keywords() -> None:
    topics = topics_config.topics_from_keywords(
        ["language  model uncertainty", 'ti:"graph neural" AND cat:cs.LG'], max_count=7
    )
    assert [t.name for t in topics] == [
        "language model uncertainty",
        'ti:"graph neural" AND cat:cs.LG',
    ]
    assert topics[0].query == (
        '(ti:"language model uncertainty" OR abs:"language model uncertainty")'
    )
    assert 'ti:"graph neural" AND cat:cs.LG' in topics[1].query
    assert all(t.max_count == 7 for t in topics)


@pytest.mark.parametrize("value", ["0", "2001", "abc", "", "1.5", True, None, -3])
def test_max_count_out_of_range(value: object) -> None:
    with pytest.raises(ConfigError, match="1 to 2000"):
        check_count(value, source="--max-count")


def test_max_count_accepts_bounds() -> None:
    assert check_count("1", source="--max-count") == 1
    assert check_count(2000, source="--max-count") == 2000


def test_topics_file_full_format() -> None:
    text = """
max-count: 50
categories: [cs.CL]
topics:
  - language model uncertainty
  - name: Diffusion
    keywords: [diffusion model, score matching]
    categories: [cs.CV, cs.LG]
    exclude: [survey]
    max-count: 30
  - name: Custom
    query: 'ti:"graph neural network"'
"""
    topics = topics_config.topics_from_file(text, path="topics.yml")
    assert [t.name for t in topics] == ["language model uncertainty", "Diffusion", "Custom"]
    assert [t.max_count for t in topics] == [50, 30, 50]
    assert "cat:cs.CL" in topics[0].query
    diffusion = topics[1].query
    assert '(ti:"diffusion model" OR abs:"diffusion model")' in diffusion
    assert "cat:cs.CV" in diffusion
    assert "cat:cs.CL" not in diffusion
    assert 'ANDNOT (ti:"survey" OR abs:"survey")' in diffusion
    assert topics[2].query.startswith('(ti:"graph neural network")')


def test_topics_file_bare_list() -> None:
    topics = topics_config.topics_from_file("- alpha beta\n- gamma\n", path="t.yml", max_count=5)
    assert [t.name for t in topics] == ["alpha beta", "gamma"]
    assert [t.max_count for t in topics] == [5, 5]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("topics: [", "not valid YAML (line"),
        ("{}", "at least one topic"),
        ("topics: []", "at least one topic"),
        ("colour: red\ntopics: [a]", "unknown top-level key 'colour'"),
        ("- name: X\n  keyword: [a]", "unknown key 'keyword'"),
        ("- name: X", "needs 'keywords', 'query' or 'authors'"),
        ("- name: X\n  query: a\n  keywords: [b]", "has both 'query' and 'keywords'"),
        ("- name: X\n  keywords: []", "'keywords' is empty"),
        ("- name: X\n  keywords: [a]\n  max-count: 0", "'max-count' must be a whole number"),
        ("- [nested, list]", "must be a phrase or a mapping"),
        ("- name: X\n  query: '(ti:a'", "parenthes"),
    ],
)
def test_topics_file_errors_name_the_file(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        topics_config.topics_from_file(text, path="my-topics.yml")
    assert fragment in str(info.value)
    if not isinstance(info.value, QueryError):
        assert "my-topics.yml" in str(info.value)


def test_yaml_tags_cannot_run_code() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        topics_config.topics_from_file("- !!python/object/apply:os.system ['true']", path="t.yml")


def test_no_topics_and_duplicates() -> None:
    with pytest.raises(ConfigError, match="No topics given"):
        topics_config.check_topics([])
    topics = topics_config.topics_from_keywords(["Alpha", "alpha"])
    with pytest.raises(ConfigError, match="listed twice"):
        topics_config.check_topics(topics)


def test_empty_keyword_and_unbalanced_quote() -> None:
    with pytest.raises(ConfigError, match="empty"):
        topics_config.topics_from_keywords(["   "])
    with pytest.raises(QueryError):
        topics_config.topics_from_keywords(['ti:"open quote'])
