"""A size cap that cuts a paper is said, not silent: named by the parsers, once in the run's
warnings (at most five named) and counted in the result JSON's ``shortened_papers``.

Every answer here is SYNTHETIC: the recorded API page
``api-2026-all_testing-relevance-start0-max10.xml`` and the recorded 2024-11-28 feed's items
(tests/rss_synthetic.py), edited so that single entries exceed one cap each.
"""

from __future__ import annotations

import json
import re

from daily_papers.arxiv.announcement_feed import parse_announcement
from daily_papers.arxiv.api_page import parse_page
from daily_papers.defaults import MAX_AUTHOR_CHARS, MAX_AUTHORS, MAX_CATEGORIES, MAX_FIELD_CHARS
from daily_papers.models import Shortened, shortened_warning
from tests.fakes.arxiv_server import fixture_bytes
from tests.feed_world import QUERY, THU, World
from tests.helpers import letters
from tests.rss_synthetic import recorded_items, synthetic_feed

API_PAGE = "api-2026-all_testing-relevance-start0-max10.xml"
#: Words, not one run: the pre-parser run bound (300 bytes) must not be what cuts them.
LONG_TEXT = "overlong " * (MAX_FIELD_CHARS // 9 + 10)
LONG_NAME = "Name " * (MAX_AUTHOR_CHARS // 5 + 10)


def _many_categories(count: int) -> bytes:
    return b"".join(b'<category term="cs.%s"/>' % letters(n).encode() for n in range(count))


def _many_authors(count: int) -> bytes:
    return b"".join(
        b"<author><name>Author %s</name></author>" % letters(n).encode() for n in range(count)
    )


def _entries(body: bytes) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rb"<entry>.*?</entry>", body, re.S)]


def _edit_entry(entry: bytes, edit: str) -> bytes:
    """One entry exceeding the cap ``edit`` names."""
    end = entry.rindex(b"</entry>")
    if edit == "authors":
        return entry[:end] + _many_authors(MAX_AUTHORS + 3) + entry[end:]
    if edit == "categories":
        return entry[:end] + _many_categories(MAX_CATEGORIES + 3) + entry[end:]
    if edit == "author names":
        extra = b"<author><name>%s</name></author>" % LONG_NAME.encode()
        return entry[:end] + extra + entry[end:]
    tag = {"title": b"title", "abstract": b"summary", "comment": b"arxiv:comment"}[edit]
    return re.sub(
        rb"<%s>.*?</%s>" % (tag, tag),
        lambda _m: b"<%s>%s</%s>" % (tag, LONG_TEXT.encode(), tag),
        entry,
        count=1,
        flags=re.S,
    )


#: What each of the page's first seven entries is edited to exceed (the last three are not).
EDITS = ("authors", "categories", "title", "abstract", "author names", "comment", "title")


def hostile_page() -> bytes:
    """The recorded page with entries 1–7 over one cap each (synthetic)."""
    body = fixture_bytes(API_PAGE)
    spans = _entries(body)
    pieces, last = [], 0
    for (start, end), edit in zip(spans, EDITS, strict=False):
        pieces += [body[last:start], _edit_entry(body[start:end], edit)]
        last = end
    return b"".join([*pieces, body[last:]])


def test_the_api_parser_names_each_paper_a_cap_cut_and_what() -> None:
    recorded = parse_page(fixture_bytes(API_PAGE))
    assert recorded.shortened == ()  # real answers are under every cap
    page = parse_page(hostile_page())
    assert [p.versioned_id for p in page.papers] == [p.versioned_id for p in recorded.papers]
    ids = [p.versioned_id for p in recorded.papers]
    assert page.shortened == tuple(
        Shortened(pid, (edit,)) for pid, edit in zip(ids, EDITS, strict=False)
    )
    first, second, third = page.papers[:3]
    assert len(first.authors) == MAX_AUTHORS
    assert first.authors[:3] == recorded.papers[0].authors  # the first ones kept, in order
    assert len(second.categories) == MAX_CATEGORIES
    assert len(third.title) == MAX_FIELD_CHARS
    assert max(len(a) for a in page.papers[4].authors) == MAX_AUTHOR_CHARS


def _feed_item(item: bytes, edit: str) -> bytes:
    if edit == "categories":
        extra = b"".join(b"<category>cs.%s</category>" % letters(n).encode() for n in range(105))
        return item.replace(b"</item>", extra + b"</item>")
    if edit == "authors":
        names = ", ".join(f"Author {letters(n)}" for n in range(MAX_AUTHORS + 2))
        return re.sub(
            rb"<dc:creator>.*?</dc:creator>",
            lambda _m: b"<dc:creator>%s</dc:creator>" % names.encode(),
            item,
            count=1,
            flags=re.S,
        )
    return re.sub(
        rb"<title>.*?</title>",
        lambda _m: b"<title>%s</title>" % LONG_TEXT.encode(),
        item,
        count=1,
        flags=re.S,
    )


def test_the_feed_parser_names_each_paper_a_cap_cut_and_what() -> None:
    items = recorded_items()[:5]
    assert parse_announcement(synthetic_feed(items, day=THU)).shortened == ()
    edited = (
        _feed_item(items[0], "categories"),
        items[1],
        _feed_item(items[2], "authors"),
        _feed_item(items[3], "title"),
        items[4],
    )
    announcement = parse_announcement(synthetic_feed(edited, day=THU))
    papers = [i.paper for i in announcement.items]
    assert len(papers) == 5
    assert announcement.shortened == (
        Shortened(papers[0].versioned_id, ("categories",)),
        Shortened(papers[2].versioned_id, ("authors",)),
        Shortened(papers[3].versioned_id, ("title",)),
    )
    assert len(papers[0].categories) <= MAX_CATEGORIES
    assert len(papers[2].authors) == MAX_AUTHORS
    assert len(papers[3].title) == MAX_FIELD_CHARS


def test_the_warning_names_five_through_the_console_escaper() -> None:
    assert shortened_warning(()) is None
    one = shortened_warning((Shortened("2501.00001v1", ("title", "authors")),))
    assert one == (
        "1 paper from arXiv exceeded the size caps and was shortened (see SECURITY.md): "
        "2501.00001v1 (title, authors)."
    )
    many = [Shortened(f"2501.0000{n}v1", ("abstract",)) for n in range(7)]
    many[0] = Shortened("2501.00000v1\n::error::x", ("abstract",))
    text = shortened_warning(many)
    assert text is not None
    assert "\n" not in text
    assert text.count("(abstract)") == 5
    assert "2501.00005v1" not in text
    assert text.endswith("; and 2 more.")
    assert text.startswith("7 papers from arXiv exceeded the size caps and were shortened")


def test_a_run_warns_once_and_counts_the_shortened_papers(world: World) -> None:
    world.fake.serve_feed(hostile_page(), search_query=QUERY)
    status, out, err, doc = world.update("--arxiv-source", "api", today=THU)
    assert status == 0, err
    ids = [p.versioned_id for p in parse_page(fixture_bytes(API_PAGE)).papers]
    block = doc["shortened_papers"]
    assert block["count"] == len(EDITS)
    assert block["papers"] == [
        {"id": pid, "cut": [edit]} for pid, edit in zip(ids, EDITS, strict=False)
    ]
    said = [w for w in doc["warnings"] if "exceeded the size caps" in w]
    assert len(said) == 1
    assert said[0].endswith("; and 2 more.")
    assert all(pid in said[0] for pid in ids[:5])
    assert err.count("exceeded the size caps") == 1  # on stderr, once
    assert "exceeded the size caps" not in out  # standard output carries data only
    stored = json.loads(world.data.read_text("utf-8"))
    titles = [p["title"] for t in stored["topics"] for p in t["papers"] if "title" in p]
    assert titles
    assert max(len(t) for t in titles) == MAX_FIELD_CHARS  # the long titles, cut


def test_a_run_without_cuts_reports_none(world: World) -> None:
    status, _out, err, doc = world.update("--arxiv-source", "api", today=THU)
    assert status == 0, err
    assert doc["shortened_papers"] == {"count": 0, "papers": []}
    assert "exceeded the size caps" not in err
