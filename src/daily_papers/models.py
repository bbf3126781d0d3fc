"""Plain values shared by every layer: papers, topics and per-topic outcomes.

All are frozen dataclasses so they compare by value and can be shared between the
fetching, merging and rendering code without defensive copies.  No I/O happens here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from daily_papers.defaults import (
    MAX_AUTHOR_CHARS,
    MAX_AUTHORS,
    MAX_CATEGORIES,
    MAX_FIELD_CHARS,
)
from daily_papers.escape import console_text, neutral_bidi

#: The keys of a paper's JSON form (the data file, ``search --json``), in order; the data file
#: is validated against exactly these.
PAPER_KEYS: tuple[str, ...] = (
    "id",
    "version",
    "title",
    "abstract",
    "authors",
    "published",
    "updated",
    "primary_category",
    "categories",
    "comment",
    "journal_ref",
    "doi",
    "abs_url",
    "pdf_url",
)

#: Where arXiv serves a paper's abstract page and PDF; the one place these URLs are built.
ARXIV_ABS_URL = "https://arxiv.org/abs/"
ARXIV_PDF_URL = "https://arxiv.org/pdf/"


def format_timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, second precision (arXiv's own format)."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_day(moment: datetime) -> str:
    """``YYYY-MM-DD`` of ``moment`` in UTC: the one way every output shows a date."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d")


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def is_day(text: object) -> bool:
    """Whether ``text`` is exactly a real ``YYYY-MM-DD`` day, as every stored file writes it."""
    if not isinstance(text, str) or not _DAY.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_timestamp(text: object) -> bool:
    """Whether ``text`` is exactly a real time as :func:`format_timestamp` writes it."""
    if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text):
        return False
    try:
        parse_timestamp(text)
    except ValueError:
        return False
    return True


def parse_timestamp(text: str) -> datetime:
    """Inverse of :func:`format_timestamp`; accepts ``Z`` or an explicit offset."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


@dataclass(frozen=True)
class Paper:
    """One arXiv paper as the API describes its latest version.

    ``id`` is the base identifier without version (``2503.21676`` or ``hep-th/9901001``);
    ``published`` is the first version's submission time and ``updated`` this version's,
    both timezone-aware UTC.  Text fields have whitespace collapsed but LaTeX kept.
    """

    id: str
    version: int
    title: str
    abstract: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    primary_category: str
    categories: tuple[str, ...]
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    abs_url: str = ""
    pdf_url: str = ""

    def __post_init__(self) -> None:
        """Remote text enters here, from a feed, the API or a stored file: bidi controls are
        neutralised once (:func:`~daily_papers.escape.neutral_bidi`), so every output (README,
        site, Atom, digest, BibTeX, JSON) shows the text in its real order; each text field,
        the author and category lists and each name are cut to their caps (in
        :mod:`daily_papers.defaults`), so no later step pays for a hostile field's length."""
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if value and len(value) > MAX_FIELD_CHARS:
                value = value[:MAX_FIELD_CHARS]
                object.__setattr__(self, name, value)
            if value and not value.isascii():  # isascii is O(1); bidi controls are not ASCII
                object.__setattr__(self, name, neutral_bidi(value))
        authors = self.authors
        if len(authors) > MAX_AUTHORS or any(len(a) > MAX_AUTHOR_CHARS for a in authors):
            authors = tuple(a[:MAX_AUTHOR_CHARS] for a in authors[:MAX_AUTHORS])
        if not all(a.isascii() for a in authors):
            authors = tuple(neutral_bidi(a) for a in authors)
        if authors is not self.authors:
            object.__setattr__(self, "authors", authors)
        if len(self.categories) > MAX_CATEGORIES:
            object.__setattr__(self, "categories", self.categories[:MAX_CATEGORIES])

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``daily-papers search --json`` and the data file, dates in UTC."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "published": format_timestamp(self.published),
            "updated": format_timestamp(self.updated),
            "primary_category": self.primary_category,
            "categories": list(self.categories),
            "comment": self.comment,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
            "abs_url": self.abs_url,
            "pdf_url": self.pdf_url,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Paper:
        """Rebuild a paper from :meth:`to_json` output (raises KeyError/ValueError/TypeError)."""
        return cls(
            id=str(data["id"]),
            version=int(data["version"]),
            title=str(data["title"]),
            abstract=str(data["abstract"]),
            authors=tuple(str(a) for a in data["authors"]),
            published=parse_timestamp(str(data["published"])),
            updated=parse_timestamp(str(data["updated"])),
            primary_category=str(data["primary_category"]),
            categories=tuple(str(c) for c in data["categories"]),
            comment=None if data.get("comment") is None else str(data["comment"]),
            journal_ref=None if data.get("journal_ref") is None else str(data["journal_ref"]),
            doi=None if data.get("doi") is None else str(data["doi"]),
            abs_url=str(data.get("abs_url") or ""),
            pdf_url=str(data.get("pdf_url") or ""),
        )

    @property
    def versioned_id(self) -> str:
        """``2503.21676v2``: the id of exactly this version."""
        return f"{self.id}v{self.version}"

    @property
    def published_day(self) -> str:
        """``YYYY-MM-DD`` (UTC) of the first version: the date every table and list shows."""
        return utc_day(self.published)

    @property
    def updated_day(self) -> str:
        """``YYYY-MM-DD`` (UTC) of this version."""
        return utc_day(self.updated)

    @property
    def link(self) -> str:
        """The abstract page of this version, built from the (validated) id, never taken
        from remote text, so no link anywhere can point somewhere else."""
        return ARXIV_ABS_URL + self.versioned_id

    @property
    def pdf_link(self) -> str:
        """The PDF of this version, built from the id like :attr:`link`."""
        return ARXIV_PDF_URL + self.versioned_id

    @property
    def stable_link(self) -> str:
        """The abstract page without version: it always shows the newest version."""
        return ARXIV_ABS_URL + self.id

    def supersedes(self, other: Paper) -> bool:
        """True when this record should replace ``other`` for the same paper id.

        The highest version wins; for the same version the later ``updated`` wins, and an
        equal one with different metadata (arXiv corrected a field) wins too, so a refetch
        refreshes the row.  The one rule every merge (state, feed, archive, pages) applies.
        """
        if self.version != other.version:
            return self.version > other.version
        if self.updated != other.updated:
            return self.updated > other.updated
        return self != other

    def replaces(self, other: Paper, *, other_from_feed: bool) -> bool:
        """:meth:`supersedes`, and also: ``other`` is a feed's provisional description (no
        comment, the announcement as its dates) and this is the API's record of the same
        version or a newer one.  The one rule of when a feed-only record gives way."""
        return self.supersedes(other) or (other_from_feed and self.version >= other.version)


#: The text fields a paper cuts to :data:`~daily_papers.defaults.MAX_FIELD_CHARS`.
TEXT_FIELDS: tuple[str, ...] = ("title", "abstract", "comment", "journal_ref", "doi")
#: Most shortened papers a warning names; the result JSON lists them all.
NAMED_SHORTENED = 5


def over_caps(
    texts: Mapping[str, str | None], authors: Sequence[str], categories: Sequence[str]
) -> tuple[str, ...]:
    """What :class:`Paper` would cut of these values: the names of the text fields over
    their cap, ``authors``, ``author names`` and ``categories``.  The parsers ask before
    they make a paper, so a cut is reported where the remote text entered and ``Paper``
    itself stays a plain value."""
    cut = [name for name, value in texts.items() if value and len(value) > MAX_FIELD_CHARS]
    if len(authors) > MAX_AUTHORS:
        cut.append("authors")
    if any(len(name) > MAX_AUTHOR_CHARS for name in authors[:MAX_AUTHORS]):
        cut.append("author names")
    if len(categories) > MAX_CATEGORIES:
        cut.append("categories")
    return tuple(cut)


@dataclass(frozen=True)
class Shortened:
    """A paper a cap shortened as it arrived: its versioned id and what was cut (field
    names, ``authors``, ``author names``, ``categories``)."""

    versioned_id: str
    what: tuple[str, ...]


def shortened_warning(shortened: Sequence[Shortened]) -> str | None:
    """The run's one warning about papers the caps shortened (None when none was): the
    first :data:`NAMED_SHORTENED` are named with what was cut, so a reader can look them up
    on arXiv rather than trust a silently shorter text."""
    if not shortened:
        return None
    named = "; ".join(
        f"{console_text(s.versioned_id)} ({', '.join(s.what)})" for s in shortened[:NAMED_SHORTENED]
    )
    more = len(shortened) - NAMED_SHORTENED
    rest = f"; and {more} more" if more > 0 else ""
    count = len(shortened)
    return (
        f"{count} paper{'s' if count != 1 else ''} from arXiv exceeded the size caps and "
        f"{'were' if count != 1 else 'was'} shortened (see SECURITY.md): {named}{rest}."
    )


def keep_newest(papers: Iterable[Paper], into: dict[str, Paper] | None = None) -> dict[str, Paper]:
    """Each id once with its newest record (:meth:`Paper.supersedes`), in first-seen order.

    A newer record takes the place of the one it replaces, so a source's order is kept.
    ``into`` continues an earlier call (pages of one answer).
    """
    kept: dict[str, Paper] = {} if into is None else into
    for paper in papers:
        old = kept.get(paper.id)
        if old is None or paper.supersedes(old):
            kept[paper.id] = paper
    return kept


def newest_first_key(paper: Paper) -> tuple[datetime, str]:
    """Sort key for "newest first": first-version date, then id (use with ``reverse=True``)."""
    return (paper.published, paper.id)


@dataclass(frozen=True)
class Topic:
    """One keyword section: its display name, the arXiv query and how many papers to keep."""

    name: str
    query: str
    max_count: int = 100
    #: Authors to follow: the topic keeps only papers by one of them (names as arXiv shows
    #: them; the query finds their surnames, the matcher checks the whole name).
    authors: tuple[str, ...] = ()
    #: ``date`` or ``relevance`` from the topics file's ``sort:``; None: the run's ``sort``.
    #: Not part of the fingerprint: the order changes what is shown, not what is kept.
    sort: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identifies the query and the authors; when they change the topic starts afresh."""
        text = self.query if not self.authors else "\n".join((self.query, *self.authors))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class StoredPaper:
    """A paper kept in the data file, with the UTC date daily-papers first saw it."""

    paper: Paper
    first_seen: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Summary:
    """A paper's one-line summary as the data file keeps it, by versioned id: remote text,
    cleaned and capped when it was received, escaped wherever it is shown."""

    text: str
    language: str  # as the summarize-language option said it (a new language asks again)
    model: str  # which model wrote it (provenance only)


@dataclass(frozen=True)
class TopicOutcome:
    """What happened to one topic in a run (feeds the summary, result JSON and digest)."""

    topic: Topic
    papers: tuple[Paper, ...]  # what is now shown, newest first
    fetched: int  # papers arXiv returned this run (0 when the fetch failed)
    new_ids: tuple[str, ...]  # ids not present anywhere before this run (counted once)
    error: str | None = None  # the failure sentence when the fetch failed
    error_status: str | None = None  # the same in a few words
    dropped: tuple[str, ...] = ()  # ids this topic showed before and no longer shows
    replaced: tuple[str, ...] = ()  # ids now shown in a newer version

    @property
    def failed(self) -> bool:
        """True when the fetch failed and the previous papers were kept."""
        return self.error is not None

    @property
    def kept(self) -> int:
        """How many papers the topic shows after the run."""
        return len(self.papers)


@dataclass(frozen=True)
class FileChange:
    """A file the run wants to write or delete: its path and old/new bytes."""

    path: str
    old: bytes | None
    new: bytes | None  # None: delete the file

    @property
    def changed(self) -> bool:
        """True when the bytes differ (the file is new, changed, or to be deleted)."""
        return self.old != self.new


def new_papers(outcomes: Sequence[TopicOutcome]) -> tuple[tuple[Topic, Paper], ...]:
    """Each paper new in this run once, with the first topic it appeared in, in topic order."""
    seen: set[str] = set()
    found: list[tuple[Topic, Paper]] = []
    by_id = {p.id: p for o in outcomes for p in o.papers}
    for outcome in outcomes:
        for pid in outcome.new_ids:
            if pid not in seen and pid in by_id:
                seen.add(pid)
                found.append((outcome.topic, by_id[pid]))
    return tuple(found)


def failed_topics(outcomes: Sequence[TopicOutcome]) -> tuple[str, ...]:
    """Names of the topics whose fetch failed this run; they kept their previous papers."""
    return tuple(o.topic.name for o in outcomes if o.failed)
