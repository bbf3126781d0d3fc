"""Write the optional Atom 1.0 feed of the newest papers across all topics.

Feed readers are the other way people follow papers besides "Watch" on the repository, and
none of the arXiv-to-README projects offers one.  The feed is committed next to the README,
so it must be **byte-stable**: an unchanged run has to produce the same bytes, or every run
would make a commit.  Hence everything here is deterministic: one fixed XML declaration,
fixed element and attribute order, two-space indentation, UTF-8, a trailing newline and no
clock.

The XML is written by hand rather than through :mod:`xml.etree.ElementTree` because the
standard serializer passes through characters XML 1.0 forbids (most C0 controls, lone
surrogates) and so can emit a file no parser accepts; here every text and attribute value
goes through :func:`_clean` and an explicit escaper.  The format is RFC 4287
(https://www.rfc-editor.org/rfc/rfc4287); dates are RFC 3339 in UTC with a ``Z`` suffix.

Entry ids are the arXiv abstract URL **without** version (``https://arxiv.org/abs/<id>``) so
a revised paper keeps its identity in readers; the ``alternate`` link points at the latest
version.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone

from daily_papers.defaults import FEED_COUNT
from daily_papers.errors import ConfigError
from daily_papers.models import (
    Paper,
    format_timestamp,
    keep_newest,
    newest_first_key,
    parse_timestamp,
)

__all__ = [
    "ATOM_NS",
    "CATEGORY_SCHEME",
    "EMPTY_FEED_UPDATED",
    "FEED_TITLE",
    "FOR_YOU_TERM",
    "entry_id",
    "render_feed",
]

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
#: The scheme arXiv itself puts on ``<category>`` in its API feed, kept so readers that
#: group by scheme see the same vocabulary.
CATEGORY_SCHEME = "http://arxiv.org/schemas/atom"
#: The category term of a For you entry (its label: the score and why).
FOR_YOU_TERM = "for-you"
#: The feed's ``<title>``.
FEED_TITLE = "daily-papers"
#: ``<updated>`` of a feed with no entries and no previous feed (any fixed instant keeps the
#: bytes stable; the epoch says "never" most plainly).
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: Agent named in ``<author>`` when some entry has no author: RFC 4287 section 4.1.1 requires
#: a feed-level author unless every entry has its own.
_FALLBACK_AUTHOR = "daily-papers"
_GENERATOR_URI = "https://github.com/daily-papers/daily-papers"

# Characters outside XML 1.0's ``Char`` production (C0 controls except TAB/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) make the document ill-formed; C1 controls (U+007F-U+009F) are
# allowed but "discouraged" (XML 1.0 section 2.2) and are never meaningful in paper metadata.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """Drop characters XML 1.0 forbids or discourages."""
    return _NOT_XML_CHAR.sub("", text)


def _escape_text(text: str) -> str:
    """Escape character data; ``\\r`` as a reference so parsers don't normalise it away."""
    return (
        _clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _escape_attr(text: str) -> str:
    """Escape an attribute value (double-quoted); whitespace controls as references because
    attribute-value normalisation would otherwise turn them into spaces."""
    return _escape_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _element(indent: int, name: str, text: str, attrs: Iterable[tuple[str, str]] = ()) -> str:
    """One line ``<name a="v">text</name>`` at ``indent`` levels."""
    pad = "  " * indent
    attributes = "".join(f' {key}="{_escape_attr(value)}"' for key, value in attrs)
    return f"{pad}<{name}{attributes}>{_escape_text(text)}</{name}>"


def _empty(indent: int, name: str, attrs: Iterable[tuple[str, str]]) -> str:
    """One line ``<name a="v"/>`` at ``indent`` levels."""
    pad = "  " * indent
    attributes = "".join(f' {key}="{_escape_attr(value)}"' for key, value in attrs)
    return f"{pad}<{name}{attributes}/>"


def entry_id(paper: Paper) -> str:
    """The stable entry id: the abstract URL without version, so revisions keep the id."""
    return paper.stable_link


def _select(papers: Sequence[Paper], max_entries: int) -> list[Paper]:
    """Dedupe by id (the newest version wins), newest first by first-version date then id."""
    ordered = sorted(keep_newest(papers).values(), key=newest_first_key, reverse=True)
    return ordered[:max_entries]


def _previous_updated(previous: bytes | None) -> datetime | None:
    """The feed-level ``<updated>`` of the previously written feed, or None if unreadable."""
    if not previous:
        return None
    try:
        root = ET.fromstring(previous)  # our own committed file
        node = root.find(f"{{{ATOM_NS}}}updated")
        if root.tag != f"{{{ATOM_NS}}}feed" or node is None or not node.text:
            raise ValueError("no feed-level <updated>")
        return parse_timestamp(node.text.strip())
    except (ET.ParseError, ValueError) as exc:
        logger.warning("Ignoring the previous feed's <updated> (%s); deriving it afresh.", exc)
        return None


def _feed_updated(entries: Sequence[Paper], previous: bytes | None) -> datetime:
    """The feed's ``<updated>``: the newest entry ``updated``, never earlier than before.

    Derived from the entries instead of a clock so the same entries always give the
    same bytes (no commit on an unchanged run, local and remote renders agree, and a commit
    retried after a non-fast-forward re-renders identically).  The previous feed's value
    is only a floor: RFC 4287 section 4.2.15 makes ``updated`` the last significant change,
    so it must not move backwards when, say, a topic with the newest papers is removed.
    An unchanged entry set gives the same maximum, so the floor never alters such a run.
    """
    derived = max((p.updated for p in entries), default=EMPTY_FEED_UPDATED)
    floor = _previous_updated(previous)
    if floor is not None and floor > derived:
        return floor
    return derived


def _entry_lines(paper: Paper, tldr: str | None = None, mark: str | None = None) -> list[str]:
    lines = ["  <entry>"]
    lines.append(_element(2, "id", entry_id(paper)))
    lines.append(_element(2, "title", paper.title, [("type", "text")]))
    lines.append(
        _empty(2, "link", [("rel", "alternate"), ("type", "text/html"), ("href", paper.link)])
    )
    if paper.pdf_url:
        lines.append(
            _empty(
                2,
                "link",
                [
                    ("rel", "related"),
                    ("type", "application/pdf"),
                    ("title", "pdf"),
                    ("href", paper.pdf_url),
                ],
            )
        )
    lines.append(_element(2, "published", format_timestamp(paper.published)))
    lines.append(_element(2, "updated", format_timestamp(paper.updated)))
    for author in paper.authors:
        lines.extend(["    <author>", _element(3, "name", author), "    </author>"])
    categories = [paper.primary_category] if paper.primary_category else []
    categories += [c for c in paper.categories if c not in categories]
    for category in categories:
        lines.append(_empty(2, "category", [("term", category), ("scheme", CATEGORY_SCHEME)]))
    if mark:
        # A For you paper: marked as the README marks it, by a category readers can filter on.
        lines.append(_empty(2, "category", [("term", FOR_YOU_TERM), ("label", mark)]))
    if tldr:
        # The one-line summary is the entry's summary; the abstract becomes its content.
        lines.append(_element(2, "summary", tldr, [("type", "text")]))
        lines.append(_element(2, "content", paper.abstract, [("type", "text")]))
    else:
        lines.append(_element(2, "summary", paper.abstract, [("type", "text")]))
    lines.append("  </entry>")
    return lines


def render_feed(
    papers: Sequence[Paper],
    *,
    feed_id: str,
    link: str,
    max_entries: int = FEED_COUNT,
    previous: bytes | None = None,
    summaries: Mapping[str, str] | None = None,
    marks: Mapping[str, str] | None = None,
) -> bytes:
    """Render the Atom 1.0 feed of the newest ``max_entries`` papers as UTF-8 bytes.

    ``papers`` is the union over all topics (duplicates allowed: a paper is listed once, its
    newest version winning); entries are ordered newest first by first-version date, then
    id.  ``feed_id`` is the feed's permanent IRI (RFC 4287 section 4.2.6, e.g. the README's
    URL), ``link`` the page readers should open (the repository).  ``previous`` is the feed file
    as committed before this run, used only so the feed ``updated`` never goes backwards
    (see :func:`_feed_updated`).  ``summaries`` (by versioned id) gives an entry a one-line
    summary; ``marks`` (by arXiv id) marks the For you papers with their score and why.  The
    same arguments always give the same bytes.
    """
    if max_entries < 1:
        raise ConfigError(
            f"The feed entry count must be a positive whole number, got {max_entries}.",
            "Set the feed count to 1 or more (the default is 100).",
        )
    entries = _select(papers, max_entries)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}">',
        _element(1, "id", feed_id),
        _element(1, "title", FEED_TITLE, [("type", "text")]),
        _element(1, "updated", format_timestamp(_feed_updated(entries, previous))),
        _empty(1, "link", [("rel", "alternate"), ("type", "text/html"), ("href", link)]),
    ]
    if any(not paper.authors for paper in entries):
        lines.extend(["  <author>", _element(2, "name", _FALLBACK_AUTHOR), "  </author>"])
    lines.append(_element(1, "generator", "daily-papers", [("uri", _GENERATOR_URI)]))
    for paper in entries:
        lines.extend(
            _entry_lines(
                paper, (summaries or {}).get(paper.versioned_id), (marks or {}).get(paper.id)
            )
        )
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
