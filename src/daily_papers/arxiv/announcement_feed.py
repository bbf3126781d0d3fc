"""Parse one announcement feed of rss.arxiv.org (RSS 2.0) into an :class:`Announcement`.

Parsed with feedparser through :func:`daily_papers.arxiv.api_page.parse_feed`, the one place
feedparser is called; it does no I/O (the client hands it the response bytes) and knows
nothing about topics.  One feed is one day's announcement for a
set of archives or categories.  What it defends against, all seen in recorded feeds:

* the announcement date is the channel's ``<pubDate>`` (midnight in arXiv's time zone,
  ``Thu, 28 Nov 2024 00:00:00 -0500``), taken in the feed's own offset, so it is arXiv's date
  whatever the runner's clock or zone says;
* ``<description>`` starts with ``arXiv:2411.17700v1 Announce Type: new \\nAbstract:``, which
  is not part of the abstract;
* the version is in ``<guid>`` (``oai:arXiv.org:2411.17700v1``); ``<link>`` has none;
* ``<dc:creator>`` is one comma-joined string in TeX (``Benjamin R\\'emy (LEMTA), …``):
  affiliations in parentheses contain commas of their own, a name with no first name comes
  with a leading space, and the suffix (``Jr``) is present — see :func:`split_authors`;
* feedparser treats ``<description>`` as HTML and its sanitiser eats math such as
  ``$\\frac{1}{3}<s<1$`` (it became ``<s><1``), so sanitising is switched off: the text is
  plain, and escaping happens where it is rendered;
* an unknown archive gets an RSS "error feed" (HTTP 400) whose channel title starts with
  ``Feed error for query:`` and whose description is the message: :class:`ArxivQueryError`.

The feed has no comment and no submission dates: the papers carry ``comment=None`` and the
announcement time as ``published``/``updated`` until the API's ``id_list`` fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from daily_papers.arxiv.api_page import (
    ITEM_LIMITS,
    MalformedFeedError,
    bound_elements,
    capped_paper,
    parse_feed,
)
from daily_papers.arxiv.ids import split_version
from daily_papers.errors import ArxivQueryError
from daily_papers.escape import console_text
from daily_papers.models import Paper, Shortened
from daily_papers.query.build import is_category
from daily_papers.tex import decode_accents

__all__ = [
    "NEW_TYPES",
    "REPLACE_TYPES",
    "AnnouncedItem",
    "Announcement",
    "parse_announcement",
    "split_authors",
]

#: Announce types of papers announced that day (shown as new).
NEW_TYPES: frozenset[str] = frozenset({"new", "cross"})
#: Announce types of new versions of older papers (they only update a paper already shown).
REPLACE_TYPES: frozenset[str] = frozenset({"replace", "replace-cross"})

_ERROR_TITLE = "Feed error for query:"
_GUID = re.compile(r"^oai:arXiv\.org:(?P<id>.+?v\d+)$")
_DESCRIPTION_ID = re.compile(r"^\s*arXiv:(?P<id>\S+?v\d+)\b")
#: Longest remote value quoted in a skip warning.
_QUOTE_CHARS = 80
_PREFIX = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:\n\s*)?(?:Abstract:\s*)?"
)
_WHITESPACE = re.compile(r"\s+")
# The API names an author by first and last name only; the feed appends the suffix that arXiv's
# author parser split off (the same rule: a suffix after at least two words).
_SUFFIX = re.compile(r"^(?P<name>.*\S\s+\S+)\s+(?:I|II|III|IV|V|Sr|Jr|Sr\.|Jr\.)$", re.IGNORECASE)


@dataclass(frozen=True)
class AnnouncedItem:
    """One feed item: its ``announce_type`` (``new``, ``cross``, ``replace``,
    ``replace-cross``) and the paper as the feed describes it."""

    announce_type: str
    paper: Paper

    @property
    def is_new(self) -> bool:
        """True for papers announced that day; ``replace*`` items are older papers."""
        return self.announce_type in NEW_TYPES


@dataclass(frozen=True)
class Announcement:
    """One parsed feed.

    ``date`` is the announcement date (the channel's ``pubDate``); ``items`` keep the feed's
    order with a paper listed twice reduced to its highest version; ``item_count`` is the
    number of ``<item>`` elements received (compare it with the 2000-item limit);
    ``skipped`` holds one warning per item that could not become a paper (an id or version
    that is not arXiv's, no title, an unknown announce type); ``unknown_types`` names the
    announce type of each item skipped for that reason, so new types arXiv invents are
    counted and seen rather than silently dropped; ``shortened`` names each kept paper a cap
    cut.
    """

    date: date
    items: tuple[AnnouncedItem, ...]
    item_count: int
    skipped: tuple[str, ...] = ()
    unknown_types: tuple[str, ...] = ()
    shortened: tuple[Shortened, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the feed has no items: no announcement that day (weekend, holiday)."""
        return self.item_count == 0

    @property
    def new_papers(self) -> tuple[Paper, ...]:
        """Papers announced that day (``new`` and ``cross``), in feed order."""
        return tuple(item.paper for item in self.items if item.is_new)

    @property
    def replacements(self) -> tuple[Paper, ...]:
        """New versions of older papers (``replace`` and ``replace-cross``), in feed order."""
        return tuple(item.paper for item in self.items if not item.is_new)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    collapsed = _WHITESPACE.sub(" ", str(value)).strip()
    return collapsed or None


def _split_top_level(text: str) -> list[str]:
    """Split at commas outside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _without_parentheses(text: str) -> str:
    """Drop parenthesised groups (affiliations), nested ones included."""
    result: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            result.append(char)
    return "".join(result)


def split_authors(creator: str) -> tuple[str, ...]:
    """The author names the API gives for a feed's ``<dc:creator>`` string.

    Commas inside parentheses belong to affiliations, which the API lists separately and are
    dropped here; TeX accents become Unicode; a trailing ``Jr``/``Sr``/``II``… after a
    two-word name is dropped (the API names people by first and last name).  Empty pieces
    disappear.  ``"Ann Lee (MIT, USA), Jo\\'e Roe Jr"`` gives ``("Ann Lee", "Joé Roe")``.
    """
    names: list[str] = []
    for piece in _split_top_level(creator):
        name = _text(decode_accents(_without_parentheses(piece)))
        if name is None:
            continue
        suffixed = _SUFFIX.match(name)
        names.append(suffixed["name"] if suffixed else name)
    return tuple(names)


def _announced_at(feed: Mapping[str, Any]) -> datetime:
    """The channel's ``pubDate`` as an aware datetime in the feed's own offset."""
    raw = feed.get("published")
    if not raw:
        raise MalformedFeedError("the announcement feed has no <pubDate>")
    try:
        when = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, OverflowError) as exc:
        raise MalformedFeedError(
            f"the announcement feed's <pubDate> {_quote(raw)} is not a date"
        ) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        when.astimezone(timezone.utc)
    except OverflowError as exc:  # 9999-12-31 in a zone west of UTC
        raise MalformedFeedError(
            f"the announcement feed's <pubDate> {_quote(raw)} is out of range"
        ) from exc
    return when


def _quote(value: object) -> str:
    """A remote value for a warning: repr-quoted, shortened, one clean line."""
    text = repr(str(value))
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1] + "…"
    return console_text(text)


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    terms = (_text(tag.get("term")) for tag in entry.get("tags") or ())
    return tuple(dict.fromkeys(t for t in terms if t is not None and is_category(t)))


def _announce_type(entry: Mapping[str, Any]) -> str:
    """The item's announce type: its ``<arxiv:announce_type>``, else the description's prefix."""
    prefix = _PREFIX.match(str(entry.get("summary") or ""))
    announce_type = str(entry.get("arxiv_announce_type") or (prefix and prefix["type"]) or "")
    return console_text(announce_type.strip().lower()[:_QUOTE_CHARS])


def _item(
    entry: Mapping[str, Any], position: int, when: datetime, cut: frozenset[str]
) -> tuple[AnnouncedItem, tuple[str, ...]] | str:
    """An item with what the caps cut of its paper (``cut``: the tags bounding dropped), or
    the warning explaining why it was skipped."""
    description = str(entry.get("summary") or "")
    guid = str(entry.get("id") or "").strip()
    match = _GUID.match(guid) or _DESCRIPTION_ID.match(description)
    if match is None:
        return f"skipped item {position}: no arXiv id in its <guid> or <description>"
    # Checked like the API's ids: a v0, a 5,000-digit version or a path is not a paper.
    split = split_version(match["id"])
    if split is None or split[1] is None:
        return f"skipped item {position}: {_quote(match['id'])} is not a versioned arXiv id"
    paper_id, version = split[0], split[1]
    title = _text(entry.get("title"))
    if title is None:
        return f"skipped item {position} ({paper_id}): it has no title"
    prefix = _PREFIX.match(description)
    announce_type = _announce_type(entry)
    if announce_type not in NEW_TYPES | REPLACE_TYPES:
        return (
            f"skipped item {position} ({paper_id}): unknown announce type {_quote(announce_type)}"
        )
    abstract = description[prefix.end() :] if prefix else description
    categories = _categories(entry)
    authors = split_authors(str(entry.get("author") or ""))
    texts = {
        "abstract": _text(abstract) or "",
        "journal_ref": _text(entry.get("arxiv_journal_reference")),
        "doi": _text(entry.get("arxiv_doi")),
    }
    paper, shortened = capped_paper(
        paper_id,
        version,
        title,
        texts,
        authors=authors,
        categories=categories,
        primary=None,
        published=when,
        updated=when,
        cut=cut,
    )
    return AnnouncedItem(announce_type, paper), shortened


def parse_announcement(body: bytes) -> Announcement:
    """Parse one feed body.

    Raises :class:`~daily_papers.arxiv.api_page.MalformedFeedError` when the body is not a
    well-formed RSS 2.0 feed with a ``<pubDate>`` (the client retries those), and
    :class:`~daily_papers.errors.ArxivQueryError` for arXiv's error feed (the request itself
    is wrong; retrying cannot help).  Odd items are skipped and reported, never raised.
    """
    # Sanitising would rewrite math in abstracts; see the module docstring.
    bounded = bound_elements(body, b"item", ITEM_LIMITS)
    parsed = parse_feed(
        bounded.body,
        version="rss20",
        what="the announcement feed",
        name="an RSS 2.0 feed",
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed = parsed.feed
    title = _text(feed.get("title")) or ""
    if title.startswith(_ERROR_TITLE):
        url = title[len(_ERROR_TITLE) :].strip()
        message = _text(feed.get("subtitle")) or "no message"
        raise ArxivQueryError(
            f"arXiv's announcement feed refused {url}: {message}",
            hint="daily-papers only asks for archives in arXiv's taxonomy; if this persists, "
            "the packaged taxonomy is out of date.",
            url=url or None,
            status=400,
        )
    announced = _announced_at(feed)
    when = announced.astimezone(timezone.utc)
    items: dict[str, AnnouncedItem] = {}
    skipped: list[str] = []
    unknown: list[str] = []
    cut: dict[str, Shortened] = {}
    entries = list(parsed.entries)
    for position, entry in enumerate(entries, start=1):
        result = _item(entry, position, when, bounded.cut.get(position, frozenset()))
        if isinstance(result, str):
            skipped.append(result)
            if "unknown announce type" in result:
                unknown.append(_announce_type(entry))
            continue
        item, what = result
        if what:
            cut[item.paper.versioned_id] = Shortened(item.paper.versioned_id, what)
        previous = items.get(item.paper.id)
        if previous is None or item.paper.supersedes(previous.paper):
            items[item.paper.id] = item
    kept = tuple(items.values())
    return Announcement(
        announced.date(),
        kept,
        len(entries),
        tuple(skipped),
        tuple(unknown),
        tuple(cut[i.paper.versioned_id] for i in kept if i.paper.versioned_id in cut),
    )
