"""Tests for the Atom feed writer: golden bytes, a feedparser round trip of every field,
byte-stability of unchanged runs, and well-formed XML whatever the paper text holds."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers.arxiv.api_page import parse_page
from daily_papers.atom_feed import ATOM_NS, CATEGORY_SCHEME, render_feed
from daily_papers.errors import ConfigError
from daily_papers.models import Paper
from tests import papers

GOLDEN = Path(__file__).parent / "golden" / "feed.xml"
REAL = (
    Path(__file__).parent
    / "fixtures"
    / "notify"
    / "api-2026-all_testing-relevance-start0-max100.xml"
)
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
A = f"{{{ATOM_NS}}}"


def utc(  # noqa: PLR0917 - mirrors datetime()
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


#: The feed tests' synthetic papers: the one factory with this module's defaults.
make_paper = functools.partial(
    papers.make_paper, title="A title", authors=("Ada Lovelace",), primary="cs.LG"
)


# Metadata modelled on real arXiv entries (CC0 metadata); the texts are shortened.
PAPERS = (
    make_paper(
        "2503.21676",
        version=2,
        published=utc(2025, 3, 27, 17, 59, 59),
        updated=utc(2025, 4, 2, 9, 0, 1),
        title="Shape of <Motion>: 4D Reconstruction & Tracking",
        abstract='Monocular "dynamic" reconstruction with x < y & z > w.',
        authors=("Qianqian Wang", "Vickie Ye", "Hang Gao"),
        primary="cs.CV",
        categories=("cs.CV", "cs.GR"),
    ),
    make_paper(
        "2503.20001",
        published=utc(2025, 3, 26, 12, 0, 0),
        title="Naïve Bayes für Übersetzung — 日本語 ✓",
        abstract="Unicode survives: ü, ß, 漢字, emoji 🧪.",
        authors=("Jürgen Müller",),
        primary="cs.CL",
        categories=("cs.CL", "cs.LG", "stat.ML"),
    ),
    make_paper(
        "hep-th/9901001",
        published=utc(1999, 1, 4, 8, 30, 0),
        updated=utc(1999, 2, 1, 8, 30, 0),
        version=3,
        title="An old-style identifier",
        abstract="Checks ids with a slash.",
        authors=("A. Author", "B. Author"),
        primary="hep-th",
        categories=("hep-th",),
    ),
)
FEED_ARGS = {
    "feed_id": "https://github.com/octo/papers/blob/main/README.md",
    "link": "https://github.com/octo/papers/blob/main/README.md",
}


def render(papers: tuple[Paper, ...] | list[Paper] = PAPERS, **kwargs: object) -> bytes:
    args: dict[str, object] = {**FEED_ARGS, **kwargs}
    return render_feed(papers, **args)  # type: ignore[arg-type]


def test_golden_file() -> None:
    # To refresh after an intended format change, write render() to GOLDEN and review the diff.
    assert render() == GOLDEN.read_bytes()


def test_bytes_are_deterministic_and_shaped() -> None:
    first = render()
    assert first == render(list(reversed(PAPERS)))  # input order does not matter
    assert first.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns=')
    assert first.endswith(b"</feed>\n")
    assert b"\r" not in first
    first.decode("utf-8")  # valid UTF-8


def test_round_trip_every_field_through_feedparser() -> None:
    parsed = feedparser.parse(render())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.title == "daily-papers"
    assert feed.id == FEED_ARGS["feed_id"]
    assert feed.updated == "2025-04-02T09:00:01Z"  # newest entry `updated`
    links = {link.rel: link for link in feed.links}
    assert links["alternate"].href == FEED_ARGS["link"]
    assert "self" not in links
    assert feed.generator == "daily-papers"

    assert [e.id for e in parsed.entries] == [
        "https://arxiv.org/abs/2503.21676",
        "https://arxiv.org/abs/2503.20001",
        "https://arxiv.org/abs/hep-th/9901001",
    ]
    for entry, paper in zip(parsed.entries, PAPERS, strict=True):
        assert entry.id == f"https://arxiv.org/abs/{paper.id}"  # no version
        assert entry.title == paper.title
        assert entry.title_detail.type == "text/plain"
        assert entry.link == paper.abs_url
        entry_links = {link.rel: link for link in entry.links}
        assert entry_links["alternate"].href == paper.abs_url
        assert entry_links["related"].href == paper.pdf_url
        assert entry_links["related"].type == "application/pdf"
        assert [a.name for a in entry.authors] == list(paper.authors)
        assert entry.summary == paper.abstract
        assert entry.summary_detail.type == "text/plain"
        assert [t.term for t in entry.tags] == list(paper.categories)
        assert {t.scheme for t in entry.tags} == {CATEGORY_SCHEME}
        assert entry.published == paper.published.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert entry.updated == paper.updated.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert utc(*entry.published_parsed[:6]) == paper.published
        assert utc(*entry.updated_parsed[:6]) == paper.updated
        assert RFC3339_UTC.match(entry.published)
        assert RFC3339_UTC.match(entry.updated)


def test_round_trip_of_real_papers() -> None:
    # 100 real papers from a recorded arXiv response (tests/fixtures/notify/PROVENANCE.md).
    papers = parse_page(REAL.read_bytes()).papers
    out = render(papers, max_entries=100)
    parsed = feedparser.parse(out)
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_id = {f"https://arxiv.org/abs/{p.id}": p for p in papers}
    assert len(parsed.entries) == len(by_id)
    expected_order = sorted(by_id.values(), key=lambda p: (p.published, p.id), reverse=True)
    assert [e.id for e in parsed.entries] == [
        f"https://arxiv.org/abs/{p.id}" for p in expected_order
    ]
    for entry in parsed.entries:
        paper = by_id[entry.id]
        assert entry.title == paper.title
        assert entry.link == paper.abs_url
        assert [a.name for a in entry.authors] == list(paper.authors)
        assert entry.summary == paper.abstract
        assert entry.tags[0].term == paper.primary_category
        assert sorted(t.term for t in entry.tags) == sorted(
            {paper.primary_category, *paper.categories}
        )
        assert utc(*entry.published_parsed[:6]) == paper.published
        assert utc(*entry.updated_parsed[:6]) == paper.updated
    assert render(papers, previous=out) == out


def test_unchanged_run_is_byte_identical_with_previous() -> None:
    first = render()
    assert render(previous=first) == first
    assert render(previous=render(previous=first)) == first


def test_feed_updated_changes_when_a_newer_entry_arrives() -> None:
    first = render()
    newer = make_paper("2504.00001", published=utc(2025, 4, 3), title="New")
    second = render([*PAPERS, newer], previous=first)
    assert second != first
    assert feedparser.parse(second).feed.updated == "2025-04-03T00:00:00Z"


def test_feed_updated_never_moves_backwards() -> None:
    first = render()
    without_newest = render(PAPERS[1:], previous=first)
    assert feedparser.parse(without_newest).feed.updated == "2025-04-02T09:00:01Z"
    # Without the previous feed the value is derived from the entries alone.
    assert feedparser.parse(render(PAPERS[1:])).feed.updated == "2025-03-26T12:00:00Z"


@pytest.mark.parametrize("junk", [b"", b"not xml", b"<feed/>", b"<rss><updated>x</updated></rss>"])
def test_unreadable_previous_feed_is_ignored(junk: bytes) -> None:
    assert render(previous=junk) == render()


def test_dedupe_keeps_newest_version_and_sort_and_cut() -> None:
    old = make_paper("2503.21676", version=1, published=utc(2025, 3, 27, 17, 59, 59))
    out = render([old, *PAPERS, old], max_entries=2)
    entries = feedparser.parse(out).entries
    assert [e.id for e in entries] == [
        "https://arxiv.org/abs/2503.21676",
        "https://arxiv.org/abs/2503.20001",
    ]
    assert entries[0].link.endswith("v2")
    # Same published time: the id breaks the tie, newest-first means larger id first.
    t = utc(2025, 1, 1)
    tied = render([make_paper("2501.00001", published=t), make_paper("2501.00002", published=t)])
    assert [e.id[-10:] for e in feedparser.parse(tied).entries] == ["2501.00002", "2501.00001"]


def test_default_max_entries_is_100() -> None:
    base = utc(2025, 1, 1)
    many = [make_paper(f"2501.{i:05d}", published=base + timedelta(minutes=i)) for i in range(150)]
    entries = feedparser.parse(render(many)).entries
    assert len(entries) == 100
    assert entries[0].id.endswith("2501.00149")
    assert entries[-1].id.endswith("2501.00050")


def test_empty_feed_is_valid_and_stable() -> None:
    out = render([])
    parsed = feedparser.parse(out)
    assert not parsed.bozo
    assert parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00Z"
    assert render([], previous=out) == out


def test_entry_without_authors_gets_feed_level_author() -> None:
    lonely = make_paper("2501.00001", published=utc(2025, 1, 1), authors=())
    root = ET.fromstring(render([lonely]))
    assert root.find(f"{A}author/{A}name") is not None
    assert root.find(f"{A}entry/{A}author") is None
    assert ET.fromstring(render()).find(f"{A}author") is None  # not needed otherwise


def test_max_entries_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="positive"):
        render(max_entries=0)


def test_control_characters_are_stripped_and_markup_escaped() -> None:
    nasty = make_paper(
        "2501.00001",
        published=utc(2025, 1, 1),
        title="a\x00b\x08c\x1fd\x7fe\x85f <i>&amp;</i> ]]> \ud800g",
        abstract="tab\there\r\nnewline \ufffe\uffff end",
        authors=('"Quoted" <Name> & co\x0b',),
    )
    out = render([nasty], link='https://x.test/?a=1&b="2"')
    root = ET.fromstring(out)  # well-formed
    entry = root.find(f"{A}entry")
    assert entry is not None
    assert entry.findtext(f"{A}title") == "abcdef <i>&amp;</i> ]]> g"
    assert entry.findtext(f"{A}summary") == "tab\there\r\nnewline  end"
    assert entry.findtext(f"{A}author/{A}name") == '"Quoted" <Name> & co'
    link = root.find(f"{A}link")
    assert link is not None
    assert link.get("href") == 'https://x.test/?a=1&b="2"'


xml_text = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=60) | st.text(
    st.sampled_from(list("<>&\"'\r\n\t]]\x00\x1b\x7f\x85\ufeff\ufffe\ud800 日🧪")), max_size=60
)


@settings(max_examples=150, deadline=None)
@given(
    title=xml_text,
    abstract=xml_text,
    author=xml_text,
    category=xml_text,
    link=xml_text,
)
def test_adversarial_text_stays_well_formed(
    title: str, abstract: str, author: str, category: str, link: str
) -> None:
    paper = make_paper(
        "2501.00001",
        published=utc(2025, 1, 1),
        title=title,
        abstract=abstract,
        authors=(author,),
        primary=category,
        categories=(category,),
    )
    out = render([paper], link=link)
    root = ET.fromstring(out)
    assert root.tag == f"{A}feed"
    assert len(root.findall(f"{A}entry")) == 1
    parsed = feedparser.parse(out)
    assert not parsed.bozo, parsed.get("bozo_exception")
    # Text with only allowed characters comes back exactly (ElementTree does no trimming).
    if re.fullmatch("[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*", title):
        assert root.findtext(f"{A}entry/{A}title") == title
