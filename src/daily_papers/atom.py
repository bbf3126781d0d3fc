"""Parse one arXiv API response page (Atom 1.0) into :class:`~daily_papers.models.Paper` values.

This is the only module that imports feedparser, so replacing the parser later touches one
file.  It does no I/O: the client hands it the response bytes.

What the parser defends against (all seen on the live API, see the arXiv user manual
https://info.arxiv.org/help/api/user-manual.html §3.3 and ``docs`` in the repository):

* identify papers by ``<entry><id>`` only — ``http://arxiv.org/abs/<id>v<N>``, old-style ids
  contain a slash (``astro-ph/0601001v1``);
* the abs and PDF URLs are derived from the id, never from ``<link>``: from 2025-11-11 to
  2025-11-14 the new backend emitted links without ``rel``/``title`` and feedparser then
  reports the PDF link as ``entry.link`` (lukasschwab/arxiv.py#181);
* ``entry.author`` is the *last* author; the list is ``entry.authors``;
* the paper titled ``0`` (arXiv 2104.12255) is a real title, so titles are tested with
  ``is None``/emptiness, never truthiness;
* the old backend padded id_list answers with bogus empty ``<entry>`` elements (no id,
  title or dates; lukasschwab/arxiv.py#82): they are skipped with a warning in
  :attr:`AtomPage.skipped`;
* an API error comes back as a feed with one entry titled ``Error`` whose id lies under
  ``/api/errors`` — with HTTP 400 on the new backend, HTTP 200 on the old one
  (arXiv/arxiv-search#257): :attr:`AtomPage.error` carries arXiv's message;
* the old backend also listed MSC/ACM codes (``35``, ``28A80 (Primary) …``) as categories;
  only arXiv category names are kept.

Malformed XML raises :class:`MalformedFeedError` (a ``ValueError``): the client treats it as
a transient failure and retries, since truncated bodies happen when a connection drops.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import feedparser

from daily_papers.models import Paper
from daily_papers.query import is_category

__all__ = ["AtomPage", "MalformedFeedError", "parse_page"]

_ENTRY_ID = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/(?P<id>.+?)v(?P<version>\d+)$")
_WHITESPACE = re.compile(r"\s+")


class MalformedFeedError(ValueError):
    """The body is not a well-formed Atom feed (truncated, HTML, plain text...)."""


@dataclass(frozen=True)
class AtomPage:
    """One parsed response page.

    ``total_results``, ``start_index`` and ``items_per_page`` are the OpenSearch values
    (``None`` when absent); ``items_per_page`` echoes the requested ``max_results``, not the
    entry count.  ``entry_count`` is the number of ``<entry>`` elements received, bogus ones
    included — the client advances ``start`` by it.  ``papers`` keeps arXiv's order, with a
    paper listed twice reduced to its highest version.  ``skipped`` holds one warning per
    entry that could not become a paper.  ``error`` is arXiv's message when the feed is the
    API error feed (then ``papers`` is empty).
    """

    total_results: int | None
    start_index: int | None
    items_per_page: int | None
    papers: tuple[Paper, ...]
    skipped: tuple[str, ...] = ()
    error: str | None = None
    entry_count: int = 0


def _text(value: Any) -> str | None:
    """Whitespace-collapsed text, or ``None`` when missing or blank."""
    if value is None:
        return None
    collapsed = _WHITESPACE.sub(" ", str(value)).strip()
    return collapsed or None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _datetime(parsed: Any) -> datetime | None:
    # feedparser's *_parsed values are UTC struct_times.
    if not isinstance(parsed, time.struct_time):
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)


def _is_error_entry(entry: Mapping[str, Any]) -> bool:
    # A real paper could be titled "Error": only an entry without a paper id counts.
    entry_id = str(entry.get("id") or "").strip()
    if "/api/errors" in entry_id:
        return True
    return entry.get("title") == "Error" and _ENTRY_ID.match(entry_id) is None


def _categories(entry: Mapping[str, Any], primary: str) -> tuple[str, ...]:
    terms = [_text(tag.get("term")) for tag in entry.get("tags") or ()]
    names = [t for t in terms if t is not None and is_category(t)]
    if primary and primary not in names:
        names.insert(0, primary)
    return tuple(dict.fromkeys(names))


def _paper(entry: Mapping[str, Any], position: int) -> Paper | str:
    """A :class:`Paper`, or the warning explaining why the entry was skipped."""
    raw_id = entry.get("id")
    if raw_id is None or not str(raw_id).strip():
        return f"skipped entry {position}: it has no <id> (a bogus empty entry)"
    match = _ENTRY_ID.match(str(raw_id).strip())
    if match is None:
        return f"skipped entry {position}: unrecognised id {raw_id!r}"
    paper_id, version = match["id"], int(match["version"])
    title = _text(entry.get("title"))
    if title is None:
        return f"skipped entry {position} ({paper_id}): it has no title"
    published = _datetime(entry.get("published_parsed"))
    updated = _datetime(entry.get("updated_parsed"))
    published = published or updated  # a v1 entry has both equal; tolerate one missing
    updated = updated or published
    if published is None or updated is None:
        return f"skipped entry {position} ({paper_id}): it has no dates"
    primary_field = entry.get("arxiv_primary_category")
    primary = _text(primary_field.get("term")) if isinstance(primary_field, Mapping) else None
    categories = _categories(entry, primary or "")
    authors = tuple(
        name for name in (_text(a.get("name")) for a in entry.get("authors") or ()) if name
    )
    versioned = f"{paper_id}v{version}"
    return Paper(
        id=paper_id,
        version=version,
        title=title,
        abstract=_text(entry.get("summary")) or "",
        authors=authors,
        published=published,
        updated=updated,
        primary_category=primary or (categories[0] if categories else ""),
        categories=categories,
        comment=_text(entry.get("arxiv_comment")),
        journal_ref=_text(entry.get("arxiv_journal_ref")),
        doi=_text(entry.get("arxiv_doi")),
        abs_url=f"https://arxiv.org/abs/{versioned}",
        pdf_url=f"https://arxiv.org/pdf/{versioned}",
    )


def parse_page(body: bytes) -> AtomPage:
    """Parse one API response body.

    Raises :class:`MalformedFeedError` when the body is not well-formed Atom (the client
    retries those).  Never raises for odd entries: they are skipped and reported in
    :attr:`AtomPage.skipped`.
    """
    parsed = feedparser.parse(body)
    exception = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exception, feedparser.CharacterEncodingOverride):
        raise MalformedFeedError(f"the response is not well-formed XML ({exception})")
    if parsed.get("version") != "atom10":
        raise MalformedFeedError("the response is XML but not an Atom feed")
    feed = parsed.feed
    entries = list(parsed.entries)
    total = _int(feed.get("opensearch_totalresults"))
    start = _int(feed.get("opensearch_startindex"))
    per_page = _int(feed.get("opensearch_itemsperpage"))

    errors = [e for e in entries if _is_error_entry(e)]
    if errors:
        message = _text(errors[0].get("summary")) or _text(errors[0].get("id")) or "unknown error"
        return AtomPage(total, start, per_page, (), (), message, len(entries))

    papers: dict[str, Paper] = {}
    skipped: list[str] = []
    for position, entry in enumerate(entries, start=1):
        result = _paper(entry, position)
        if isinstance(result, str):
            skipped.append(result)
            continue
        previous = papers.get(result.id)
        if previous is None or result.version > previous.version:
            # Replacing a dict value keeps the first position: arXiv's order is preserved.
            papers[result.id] = result
    return AtomPage(
        total, start, per_page, tuple(papers.values()), tuple(skipped), None, len(entries)
    )
