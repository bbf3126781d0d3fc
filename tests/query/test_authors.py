"""Authors to follow: the query asks for surnames, the matcher keeps only the named people.

Checked against the recorded ``au:del_maestro`` answers (see tests/fixtures/matcher/PROVENANCE.md),
which list the same person as "Adrian Del Maestro" and "A. Del Maestro".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_papers import topics as topic_config
from daily_papers.app import fetch_topics
from daily_papers.arxiv.api_page import parse_page
from daily_papers.errors import ConfigError
from daily_papers.models import Paper
from daily_papers.query.authors import author_query, by_followed_authors

FIXTURES = Path(__file__).parents[1] / "fixtures" / "matcher"
DEL_MAESTRO = parse_page(
    (FIXTURES / "api-2016-au_del_maestro-10entries-arxivpy.xml").read_bytes()
).papers


class Recorded:
    """Stands in for the arXiv client: answers every search with one recorded page."""

    def __init__(self, papers: tuple[Paper, ...]) -> None:
        self.papers = papers
        self.queries: list[str] = []

    def search(self, query: str, max_count: int, *, topic: str | None = None) -> list[Paper]:
        self.queries.append(query)
        return list(self.papers[:max_count])


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("Adrian Del Maestro", 'au:"del maestro"'),
        ("Del Maestro, Adrian", 'au:"del maestro"'),
        ("Rémy Dubertrand", "au:dubertrand"),
        ("Ludwig van der Waals", 'au:"van der waals"'),
    ],
)
def test_the_query_asks_for_the_surname(name: str, term: str) -> None:
    assert author_query(name) == term


def test_a_topic_of_authors_alone_and_with_keywords() -> None:
    text = """
topics:
  - name: Group
    authors: [Adrian Del Maestro]
  - name: Group on criticality
    keywords: [quantum criticality]
    authors: [Adrian Del Maestro, Bernd Rosenow]
"""
    alone, both = topic_config.topics_from_file(text, path="topics.yml")
    assert alone.query == '(au:"del maestro")'
    assert alone.authors == ("Adrian Del Maestro",)
    assert both.query == (
        '(((ti:"quantum criticality" OR abs:"quantum criticality")) AND '
        '(au:"del maestro" OR au:rosenow))'
    )
    assert (
        alone.fingerprint
        != topic_config.topics_from_file(
            "- name: Group\n  authors: [Bernd Rosenow]\n", path="t.yml"
        )[0].fingerprint
    )


def test_recorded_papers_are_kept_only_when_the_followed_person_wrote_them() -> None:
    (topic,) = topic_config.topics_from_file(
        "- name: G\n  authors: [Adrian Del Maestro]\n", path="t.yml"
    )
    client = Recorded(DEL_MAESTRO)
    kept = fetch_topics(client, [topic])["G"]
    assert isinstance(kept, list)
    assert len(kept) == len(DEL_MAESTRO) == 10  # both spellings of his name
    names = {a for p in DEL_MAESTRO for a in p.authors if "Maestro" in a}
    assert {"Adrian Del Maestro", "A. Del Maestro"} <= names
    (other,) = topic_config.topics_from_file("- name: G\n  authors: [B. Del Maestro]\n", path="t")
    assert fetch_topics(Recorded(DEL_MAESTRO), [other])["G"] == []  # another initial


def test_a_paper_by_someone_else_with_the_surname_is_dropped() -> None:
    paper = DEL_MAESTRO[0]
    assert by_followed_authors(("Adrian Del Maestro",), paper)
    assert not by_followed_authors(("Adrian Maestro",), paper)
    assert by_followed_authors((), paper)  # nobody followed: everything stays


def test_a_typo_in_a_topic_key_suggests_the_key() -> None:
    with pytest.raises(ConfigError) as caught:
        topic_config.topics_from_file("- name: x\n  author: [A B]\n", path="t.yml")
    assert caught.value.hint == "Did you mean 'authors'?"
    with pytest.raises(ConfigError) as caught:
        topic_config.topics_from_file("max_count: 3\ntopics: [x]\n", path="t.yml")
    assert caught.value.hint == "Did you mean 'max-count'?"
