"""Read arXiv's answers: an API page (Atom 1.0) into :class:`~daily_papers.models.Paper` values.

The only module that imports feedparser (:func:`parse_feed` also serves the announcement
feeds), so replacing the parser later touches one file.  It does no I/O: the client hands it
the response bytes.

What the parser defends against (all seen on the live API, see the arXiv user manual
https://info.arxiv.org/help/api/user-manual.html):

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
  only arXiv category names are kept;
* ids are checked against arXiv's two id formats (:mod:`daily_papers.arxiv.ids`): an entry
  whose ``<id>`` is anything else (a CR, a path, a huge string) is skipped with a warning and
  the rest of the page is kept;
* arXiv's extension elements are found by their namespace URI, not by the prefix the feed
  happens to bind it to (feedparser names unknown-namespace keys after the document's
  prefix, so ``xmlns:ax=…`` would otherwise silently lose the primary category);
* a v1 entry without ``<published>`` takes its ``<updated>`` (they are the same submission),
  but a later version without it is skipped: its first-version date is unknown and would
  be invented otherwise.

Warnings quote remote text with ``repr`` and :func:`~daily_papers.escape.console_text`, so no
control character reaches a log line.

Before feedparser sees a body, every run of more than :data:`~daily_papers.defaults.MAX_REMOTE_RUN`
bytes without a space or tag bracket is cut to that length (:func:`bound_runs`): feedparser's
author regex is quadratic in such runs, and a hostile page would otherwise parse for minutes,
outside the request deadline and the run's budget, which count only time spent in requests.
An API entry's ``<author>`` and ``<category>`` elements past
:data:`~daily_papers.defaults.MAX_AUTHORS` and :data:`~daily_papers.defaults.MAX_CATEGORIES`
are dropped before parsing too (:func:`bound_elements`; a feed item's categories alike).

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

from daily_papers import defaults
from daily_papers.arxiv.ids import split_version
from daily_papers.escape import console_text
from daily_papers.models import (
    ARXIV_ABS_URL,
    ARXIV_PDF_URL,
    Paper,
    Shortened,
    keep_newest,
    over_caps,
)
from daily_papers.query.build import is_category

__all__ = [
    "ARXIV_NS",
    "ITEM_LIMITS",
    "OPENSEARCH_NS",
    "AtomPage",
    "Bounded",
    "MalformedFeedError",
    "bound_elements",
    "bound_runs",
    "capped_paper",
    "cut_names",
    "parse_page",
]

#: arXiv's extension namespace (primary_category, comment, journal_ref, doi).
ARXIV_NS = "http://arxiv.org/schemas/atom"
#: OpenSearch 1.1 (totalResults, startIndex, itemsPerPage).
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
_ENTRY_ID = re.compile(r"https?://(?:export\.)?arxiv\.org/abs/(?P<id>[^\s]{1,80})")
_WHITESPACE = re.compile(r"\s+")
_RUN = re.compile(rb"[^\s<>]{%d,}" % (defaults.MAX_REMOTE_RUN + 1))
#: A character reference cut in two (``&am``, ``&#12``) at the end of a shortened run.
_CUT_REFERENCE = re.compile(rb"&[#\w]*$")
#: Longest piece of a rejected remote value quoted in a warning.
_QUOTE_CHARS = 80
#: What a tag cut by :func:`bound_elements` is called in a warning.
_CUT_NAMES = {"author": "authors", "category": "categories"}


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
    entry that could not become a paper; ``shortened`` names each paper a cap cut (before
    feedparser or where the paper was made).  ``error`` is arXiv's message when the feed is the
    API error feed (then ``papers`` is empty).
    """

    total_results: int | None
    start_index: int | None
    items_per_page: int | None
    papers: tuple[Paper, ...]
    skipped: tuple[str, ...] = ()
    error: str | None = None
    entry_count: int = 0
    shortened: tuple[Shortened, ...] = ()


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


def _quote(value: object) -> str:
    """A remote value for a warning: repr-quoted, shortened, one clean line."""
    text = repr(str(value))
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1] + "…"
    return console_text(text)


def _entry_id(raw: str) -> tuple[str, int] | None:
    """``(id, version)`` from an entry's ``<id>`` URL, or None unless both are valid."""
    match = _ENTRY_ID.fullmatch(raw.strip())
    if match is None:
        return None
    split = split_version(match["id"])
    if split is None or split[1] is None:
        return None
    return split[0], split[1]


def _prefixes(namespaces: Mapping[str, str], uri: str, default: str) -> tuple[str, ...]:
    """The prefixes a document binds to ``uri`` (feedparser keys use them)."""
    found = tuple(prefix for prefix, bound in namespaces.items() if bound == uri and prefix)
    return found or ((default,) if namespaces.get(default) in (None, uri) else ())


def _field(data: Mapping[str, Any], prefixes: tuple[str, ...], name: str) -> Any:
    for prefix in prefixes:
        value = data.get(f"{prefix}_{name}")
        if value is not None:
            return value
    return None


def _is_error_entry(entry: Mapping[str, Any]) -> bool:
    # A real paper could be titled "Error": only an entry without a paper id counts.
    entry_id = str(entry.get("id") or "").strip()
    if "/api/errors" in entry_id:
        return True
    return entry.get("title") == "Error" and _entry_id(entry_id) is None


def _categories(entry: Mapping[str, Any], primary: str) -> tuple[str, ...]:
    terms = [_text(tag.get("term")) for tag in entry.get("tags") or ()]
    names = [t for t in terms if t is not None and is_category(t)]
    if primary and primary not in names:
        names.insert(0, primary)
    return tuple(dict.fromkeys(names))


def _paper(
    entry: Mapping[str, Any], position: int, arxiv: tuple[str, ...], cut: frozenset[str]
) -> tuple[Paper, tuple[str, ...]] | str:
    """A :class:`Paper` with what the caps cut of it (``cut``: the tags bounding dropped),
    or the warning explaining why the entry was skipped."""
    raw_id = entry.get("id")
    if raw_id is None or not str(raw_id).strip():
        return f"skipped entry {position}: it has no <id> (a bogus empty entry)"
    parsed_id = _entry_id(str(raw_id))
    if parsed_id is None:
        return f"skipped entry {position}: {_quote(raw_id)} is not an arXiv id"
    paper_id, version = parsed_id
    title = _text(entry.get("title"))
    if title is None:
        return f"skipped entry {position} ({paper_id}): it has no title"
    published = _datetime(entry.get("published_parsed"))
    updated = _datetime(entry.get("updated_parsed"))
    if published is None and version > 1:
        return (
            f"skipped entry {position} ({paper_id}v{version}): it has no <published> date, "
            "and the first version's date is not known"
        )
    published = published or updated  # v1: the first version is this version
    updated = updated or published
    if published is None or updated is None:
        return f"skipped entry {position} ({paper_id}): it has no dates"
    primary_field = _field(entry, arxiv, "primary_category")
    primary = _text(primary_field.get("term")) if isinstance(primary_field, Mapping) else None
    if primary is not None and not is_category(primary):
        primary = None
    categories = _categories(entry, primary or "")
    authors = tuple(
        name for name in (_text(a.get("name")) for a in entry.get("authors") or ()) if name
    )
    texts = {
        "abstract": _text(entry.get("summary")) or "",
        "comment": _text(_field(entry, arxiv, "comment")),
        "journal_ref": _text(_field(entry, arxiv, "journal_ref")),
        "doi": _text(_field(entry, arxiv, "doi")),
    }
    return capped_paper(
        paper_id,
        version,
        title,
        texts,
        authors=authors,
        categories=categories,
        primary=primary,
        published=published,
        updated=updated,
        cut=cut,
    )


def capped_paper(
    paper_id: str,
    version: int,
    title: str,
    texts: Mapping[str, str | None],
    *,
    authors: tuple[str, ...],
    categories: tuple[str, ...],
    primary: str | None,
    published: datetime,
    updated: datetime,
    cut: frozenset[str],
) -> tuple[Paper, tuple[str, ...]]:
    """The :class:`Paper` either parser read (``texts``: its ``abstract`` and whichever of
    ``comment``, ``journal_ref`` and ``doi`` its format carries) with what was cut of it, so
    both report a cut by the same names and in the same order."""
    versioned = f"{paper_id}v{version}"
    paper = Paper(
        id=paper_id,
        version=version,
        title=title,
        abstract=texts.get("abstract") or "",
        authors=authors,
        published=published,
        updated=updated,
        primary_category=primary or (categories[0] if categories else ""),
        categories=categories,
        comment=texts.get("comment"),
        journal_ref=texts.get("journal_ref"),
        doi=texts.get("doi"),
        abs_url=ARXIV_ABS_URL + versioned,
        pdf_url=ARXIV_PDF_URL + versioned,
    )
    return paper, cut_names(cut, over_caps({"title": title, **texts}, authors, categories))


def cut_names(bounded: frozenset[str], made: tuple[str, ...]) -> tuple[str, ...]:
    """What was cut of one paper, once each: the tags bounding dropped, then the caps."""
    return tuple(dict.fromkeys((*(_CUT_NAMES[t] for t in sorted(bounded)), *made)))


def _shorten(match: re.Match[bytes]) -> bytes:
    run = match.group(0)[: defaults.MAX_REMOTE_RUN]
    run = _CUT_REFERENCE.sub(b"", run)
    # Never end inside a UTF-8 sequence: drop a trailing non-ASCII character whole.
    end = len(run)
    while end and 0x80 <= run[end - 1] < 0xC0:
        end -= 1
    if end and run[end - 1] >= 0xC0:
        end -= 1
    return run[:end]


def bound_runs(body: bytes) -> bytes:
    """``body`` with every run of more than :data:`~daily_papers.defaults.MAX_REMOTE_RUN`
    bytes without whitespace or ``<``/``>`` cut to that length, at a character boundary.

    One linear pass; real answers are unchanged (their longest run is under 200 bytes).
    """
    return _RUN.sub(_shorten, body)


def _element_end(body: bytes, at: int, stop: int, tag: bytes) -> int:
    """Where the ``tag`` element starting at ``at`` ends (-1: it is not one, or unclosed)."""
    if body[at + len(tag) + 1 : at + len(tag) + 2] not in (b">", b"/", b" ", b"\t", b"\n", b"\r"):
        return -1
    close = body.find(b">", at, stop)
    if close < 0:
        return -1
    if body[close - 1 : close] == b"/":
        return close + 1
    end = body.find(b"</" + tag + b">", close, stop)
    return -1 if end < 0 else end + len(tag) + 3


@dataclass(frozen=True)
class Bounded:
    """A body after :func:`bound_elements`, and what it dropped: per container (``entry``,
    ``item``), counted from 1 in document order as feedparser lists them, the tags it cut."""

    body: bytes
    cut: Mapping[int, frozenset[str]]


def bound_elements(body: bytes, container: bytes, limits: Mapping[bytes, int]) -> Bounded:
    """``body`` with each ``container`` element (``entry``, ``item``) holding at most
    ``limits[tag]`` elements of each ``tag`` (the first ones).  feedparser spends about 0.1 ms
    per author and is quadratic in an entry's categories (4,000 took 0.55 s), so a hostile
    entry would parse for minutes outside every deadline.  One forward pass per tag; real
    answers are returned as they are.  The containers cut are reported, so the run can say
    which papers lost authors or categories."""
    cut: dict[int, set[str]] = {}
    for tag, most in limits.items():
        opening = b"<" + tag
        if body.count(opening) <= most:
            continue
        pieces: list[bytes] = []
        kept_from = position = number = 0
        while (start := body.find(b"<" + container, position)) >= 0:
            number += 1
            stop = body.find(b"</" + container + b">", start)
            stop = len(body) if stop < 0 else stop
            count, at = 0, start
            while (at := body.find(opening, at, stop)) >= 0:
                end = _element_end(body, at, stop, tag)
                if end < 0:
                    at += len(opening)
                    continue
                count += 1
                if count > most:
                    pieces.append(body[kept_from:at])
                    kept_from = end
                    cut.setdefault(number, set()).add(tag.decode())
                at = end
            position = stop + 1
        pieces.append(body[kept_from:])
        body = b"".join(pieces)
    return Bounded(body, {number: frozenset(tags) for number, tags in cut.items()})


#: The elements bounded in an API entry and in a feed item before parsing.
_ENTRY_LIMITS = {b"author": defaults.MAX_AUTHORS, b"category": defaults.MAX_CATEGORIES}
ITEM_LIMITS = {b"category": defaults.MAX_CATEGORIES}


def parse_feed(body: bytes, *, version: str, what: str, name: str, **options: Any) -> Any:
    """feedparser's result for ``body``, or :class:`MalformedFeedError` when it is not
    well-formed XML (an encoding override is fine) or not a feed of ``version``.

    Shared by both of arXiv's formats: the API's Atom pages and the announcement feeds.
    """
    parsed = feedparser.parse(bound_runs(body), **options)
    exception = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exception, feedparser.CharacterEncodingOverride):
        raise MalformedFeedError(f"{what} is not well-formed XML ({exception})")
    if parsed.get("version") != version:
        raise MalformedFeedError(f"{what} is XML but not {name}")
    return parsed


def parse_page(body: bytes) -> AtomPage:
    """Parse one API response body.

    Raises :class:`MalformedFeedError` when the body is not well-formed Atom (the client
    retries those).  Never raises for odd entries: they are skipped and reported in
    :attr:`AtomPage.skipped`.
    """
    bounded = bound_elements(body, b"entry", _ENTRY_LIMITS)
    parsed = parse_feed(
        bounded.body,
        version="atom10",
        what="the response",
        name="an Atom feed",
    )
    feed = parsed.feed
    entries = list(parsed.entries)
    namespaces: Mapping[str, str] = parsed.get("namespaces") or {}
    arxiv = _prefixes(namespaces, ARXIV_NS, "arxiv")
    opensearch = _prefixes(namespaces, OPENSEARCH_NS, "opensearch")
    total = _int(_field(feed, opensearch, "totalresults"))
    start = _int(_field(feed, opensearch, "startindex"))
    per_page = _int(_field(feed, opensearch, "itemsperpage"))

    errors = [e for e in entries if _is_error_entry(e)]
    if errors:
        message = _text(errors[0].get("summary")) or _text(errors[0].get("id")) or "unknown error"
        return AtomPage(total, start, per_page, (), (), message, len(entries))

    papers: dict[str, Paper] = {}
    skipped: list[str] = []
    cut: dict[str, Shortened] = {}
    for position, entry in enumerate(entries, start=1):
        result = _paper(entry, position, arxiv, bounded.cut.get(position, frozenset()))
        if isinstance(result, str):
            skipped.append(result)
            continue
        paper, what = result
        if what:
            cut[paper.versioned_id] = Shortened(paper.versioned_id, what)
        keep_newest((paper,), into=papers)  # a replaced record keeps arXiv's position
    kept = tuple(papers.values())
    shortened = tuple(cut[p.versioned_id] for p in kept if p.versioned_id in cut)
    return AtomPage(total, start, per_page, kept, tuple(skipped), None, len(entries), shortened)
