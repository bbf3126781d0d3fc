"""Parsing rss.arxiv.org announcement feeds: the recorded feeds of 2024-11-28, plus SYNTHETIC
variants built from the recording's own XML by tests/rss_synthetic.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path

import pytest

from daily_papers.arxiv.announcement_feed import (
    Announcement,
    parse_announcement,
    split_authors,
)
from daily_papers.arxiv.api_page import MalformedFeedError
from daily_papers.errors import ArxivQueryError
from tests.rss_synthetic import (
    ALL_ARCHIVES,
    EMPTY,
    ERROR,
    as_type,
    recorded,
    recorded_items,
    synthetic_feed,
)

API_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv"


@cache
def _recorded() -> Announcement:
    return parse_announcement(recorded(ALL_ARCHIVES))


def _item(paper_id: str) -> tuple[str, object]:
    for item in _recorded().items:
        if item.paper.id == paper_id:
            return item.announce_type, item.paper
    raise AssertionError(paper_id)


# --- the recorded all-archives feed -------------------------------------------------------------


def test_recorded_feed_date_and_counts() -> None:
    feed = _recorded()
    assert feed.date == date(2024, 11, 28)
    assert feed.item_count == 1504
    assert len(feed.items) == 1504
    assert feed.skipped == ()
    assert Counter(i.announce_type for i in feed.items) == {"new": 926, "replace": 569, "cross": 9}
    assert len(feed.new_papers) == 935
    assert len(feed.replacements) == 569
    assert not feed.is_empty


def test_recorded_item_becomes_an_api_shaped_paper() -> None:
    kind, paper = _item("2411.17700")
    assert kind == "new"
    assert paper.to_json() == {  # type: ignore[attr-defined]
        "id": "2411.17700",
        "version": 1,
        "title": "Exploring the Impact of Generative AI on Cross-Border E-Commerce Brand "
        "Building in Chinese Tianjin's Manufacturing Sector",
        "abstract": paper.abstract,  # type: ignore[attr-defined]
        "authors": ["Jun Cui"],
        "published": "2024-11-28T05:00:00Z",  # the announcement, midnight Eastern
        "updated": "2024-11-28T05:00:00Z",
        "primary_category": "cs.CY",
        "categories": ["cs.CY"],
        "comment": None,  # the feed has none
        "journal_ref": None,
        "doi": None,
        "abs_url": "https://arxiv.org/abs/2411.17700v1",
        "pdf_url": "https://arxiv.org/pdf/2411.17700v1",
    }
    assert paper.abstract.startswith("This study investigates the influence")  # type: ignore[attr-defined]


def _xml_descriptions() -> dict[str, str]:
    """Each item's description text as ElementTree (no HTML handling at all) reads it."""
    root = ET.fromstring(recorded(ALL_ARCHIVES))
    result = {}
    for item in root.iter("item"):
        guid = item.findtext("guid") or ""
        result[re.sub(r"^oai:arXiv\.org:(.+)v\d+$", r"\1", guid)] = item.findtext("description")
    return {k: v or "" for k, v in result.items()}


def test_abstracts_are_the_description_without_its_prefix_and_unsanitised() -> None:
    descriptions = _xml_descriptions()
    for paper in (item.paper for item in _recorded().items):
        raw = descriptions[paper.id]
        assert "Announce Type" not in paper.abstract
        assert not paper.abstract.startswith("arXiv:")
        expected = " ".join(raw.split("\nAbstract:", 1)[1].split())
        assert paper.abstract == expected, paper.id
    # feedparser's HTML sanitiser would have made this "<s><1" (seen on this recording)
    assert any("$\\frac{1}{3}<s<1$" in p.abstract for p in _recorded().new_papers)


def test_versions_come_from_the_guid() -> None:
    versions = Counter(item.paper.version for item in _recorded().items)
    assert versions[1] > 900
    for item in _recorded().items:
        assert item.paper.abs_url.endswith(f"{item.paper.id}v{item.paper.version}")
    replaced = [item.paper for item in _recorded().items if not item.is_new]
    assert all(paper.version >= 2 for paper in replaced)


def test_categories_journal_refs_and_dois() -> None:
    papers = [item.paper for item in _recorded().items]
    assert all(p.categories and p.primary_category == p.categories[0] for p in papers)
    assert sum(p.doi is not None for p in papers) == 111
    assert sum(p.journal_ref is not None for p in papers) == 97


def test_no_author_keeps_an_affiliation_or_tex() -> None:
    for item in _recorded().items:
        for name in item.paper.authors:
            assert name
            assert name == name.strip()
            assert not set(name) & set("(){}\\"), (item.paper.id, name)


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        # affiliations hold commas and "and"; one string, eight authors
        ("Tianliang Yan", ("Tianliang Yan", "Yubao Liu", "Leonid Prokhorov", "Jiri Smetana")),
        # TeX accents, braced and unbraced
        ("Benjamin R", ("Mohammed Riadh Berramdane", "Alexandre Battiston", "Michele Bardi")),
        ("Patrik Penc", ("Patrik Penc", "Cătălin Paşcu Moca", "Örs Legeza", "Tomaž Prosen")),
        ("Przemys", ("Martyna Poziomska", "Marian Dovgialo", "Przemysław Olbratowski")),
        # a one-name author is written with a leading space
        ("Krishna Shende", ("Krishna Shende", "Kavita Dorai", "Arvind")),
        # the suffix the API leaves out
        ("Aleteia Araujo", ("Aleteia Araujo", "Breno Costa", "Joao Bachiega")),
        # "(for The CHIME/FRB Collaboration)" is an affiliation
        ("Aaron B. Pearlman", ("Aaron B. Pearlman",)),
    ],
)
def test_recorded_author_strings(needle: str, expected: tuple[str, ...]) -> None:
    matches = [
        item.paper.authors
        for item in _recorded().items
        if any(a.startswith(needle) for a in item.paper.authors)
        or (needle == "Benjamin R" and "Benjamin Rémy" in item.paper.authors)
    ]
    assert matches, needle
    assert matches[0][: len(expected)] == expected
    if needle == "Tianliang Yan":
        assert len(matches[0]) == 8
    if needle == "Benjamin R":
        assert "Benjamin Rémy" in matches[0]


@pytest.mark.parametrize(
    ("creator", "expected"),
    [
        ("Jun Cui", ("Jun Cui",)),
        ("A. One, B. Two", ("A. One", "B. Two")),
        ("Ann Lee (MIT, USA), Jo\\'e Roe Jr", ("Ann Lee", "Joé Roe")),
        ("Ann Lee (Dept. (Physics), Univ, X), Bo Li", ("Ann Lee", "Bo Li")),
        ("R\\'emy Dubois, Fran\\c{c}ois Petit", ("Rémy Dubois", "François Petit")),
        ("Pawe{\\l} Nowak", ("Paweł Nowak",)),
        ("Gu{\\dh}mundur K. Stef\\'ansson", ("Guðmundur K. Stefánsson",)),  # recorded
        ("Krishna Shende,  Arvind", ("Krishna Shende", "Arvind")),
        ("John Smith III, Bob Jr", ("John Smith", "Bob Jr")),  # a suffix needs a full name
        ("the MeerTRAP collaboration", ("the MeerTRAP collaboration",)),
        ("", ()),
        (" , ,", ()),
        ("Unbalanced (paren, Name", ("Unbalanced",)),
    ],
)
def test_split_authors(creator: str, expected: tuple[str, ...]) -> None:
    assert split_authors(creator) == expected


# --- empty, error and broken feeds --------------------------------------------------------------


def test_empty_feed_means_no_announcement() -> None:
    feed = parse_announcement(recorded(EMPTY))
    assert feed.is_empty
    assert feed.items == ()
    assert feed.date == date(2024, 11, 28)


def test_error_feed_is_a_query_error() -> None:
    with pytest.raises(ArxivQueryError) as caught:
        parse_announcement(recorded(ERROR))
    assert "Bad archive 'astroph'" in caught.value.message
    assert caught.value.url == "http://rss.arxiv.org/rss/astroph"
    assert caught.value.status == 400


@pytest.mark.parametrize(
    "body",
    [
        recorded(ALL_ARCHIVES)[:50_000],  # a dropped connection
        b"<html><body>Service Unavailable</body></html>",
        b"Rate exceeded.",
        b"",
    ],
    ids=["truncated", "html", "text", "empty-body"],
)
def test_malformed_bodies(body: bytes) -> None:
    with pytest.raises(MalformedFeedError):
        parse_announcement(body)


def test_an_api_atom_page_is_not_an_announcement() -> None:
    body = (API_FIXTURES / "api-2026-all_testing-relevance-start0-max10.xml").read_bytes()
    with pytest.raises(MalformedFeedError, match=r"not an RSS 2\.0 feed"):
        parse_announcement(body)


def test_a_feed_without_pubdate_is_malformed() -> None:
    body = re.sub(rb"<pubDate>[^<]*</pubDate>", b"", synthetic_feed(recorded_items()[:2]))
    with pytest.raises(MalformedFeedError, match="pubDate"):
        parse_announcement(body)


# --- SYNTHETIC item variants -------------------------------------------------------------------


def test_other_days_take_the_feeds_own_date() -> None:
    feed = parse_announcement(synthetic_feed(recorded_items()[:3], day=date(2024, 12, 2)))
    assert feed.date == date(2024, 12, 2)
    assert feed.items[0].paper.published == datetime(2024, 12, 2, 5, tzinfo=timezone.utc)


def test_replace_cross_items_are_replacements() -> None:
    items = recorded_items()
    replaced = next(i for i in items if b"<arxiv:announce_type>replace<" in i)
    body = synthetic_feed([items[0], as_type(replaced, "replace-cross")])
    feed = parse_announcement(body)
    assert [i.announce_type for i in feed.items] == ["new", "replace-cross"]
    assert len(feed.new_papers) == 1
    assert len(feed.replacements) == 1
    assert feed.replacements[0].version >= 2


def test_unknown_announce_types_are_skipped_with_a_warning() -> None:
    items = recorded_items()
    feed = parse_announcement(synthetic_feed([as_type(items[0], "absonly"), items[1]]))
    assert len(feed.items) == 1
    assert feed.item_count == 2
    assert "unknown announce type 'absonly'" in feed.skipped[0]


def test_an_item_without_guid_falls_back_to_the_description_id() -> None:
    item = re.sub(rb"<guid[^>]*>[^<]*</guid>", b"", recorded_items()[0])
    feed = parse_announcement(synthetic_feed([item]))
    assert feed.items[0].paper.id == "2411.17700"
    assert feed.items[0].paper.version == 1


def test_an_item_without_any_id_is_skipped() -> None:
    item = re.sub(rb"<guid[^>]*>[^<]*</guid>", b"", recorded_items()[0])
    item = item.replace(b"arXiv:2411.17700v1 ", b"")
    feed = parse_announcement(synthetic_feed([item, recorded_items()[1]]))
    assert len(feed.items) == 1
    assert "no arXiv id" in feed.skipped[0]


def test_a_paper_listed_twice_keeps_its_highest_version() -> None:
    item = recorded_items()[0]
    newer = item.replace(b"2411.17700v1", b"2411.17700v2")
    feed = parse_announcement(synthetic_feed([item, newer]))
    assert [(i.paper.id, i.paper.version) for i in feed.items] == [("2411.17700", 2)]
