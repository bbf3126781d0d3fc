"""The data file: the JSON state that remembers each topic's papers between runs.

Why a state file at all: arXiv answers only "the newest N", so a topic whose fetch fails
must still show its previous papers, and "new papers" means ids not present before.  The
file is deterministic (sorted keys, topics in configuration order, papers newest first,
two-space indentation, trailing newline) so daily diffs stay small and an unchanged run
writes identical bytes.

Format (``schema`` 8; each paper, summary and library text on one line; every field required
but ``for_you`` and ``scores``, nothing else allowed)::

    {
      "announcements": {"cs": "2026-11-26", …},   # per archive: the last feed consumed
      "feed_counts": {"cs": 722, …},             # per archive: items in that last feed
      "feed_only": ["2611.01234", …],            # papers still described by the feed alone
      "for_you": {"day": …, "library": …, "papers": […]},  # only with For you: kept_for_you
      "generator": "daily-papers",
      "last_update": "2026-11-26",
      "library_cache": {"2401.01234": {"abstract": "…", "title": "…"},
                        "2401.99999": {"not_found": "2026-11-26"}, …},
      "schema": 8,
      "scores": {"day": …, "library": …, "papers": {…}},  # only with scores shown: kept_for_you
      "summaries": {"2611.01234v2": {"language": "English", "model": "…", "text": "…"}, …},
      "topics": [
        {"fingerprint": "sha256:…", "name": "…", "query": "…",
         "papers": [{…Paper.to_json()…, "first_seen": "2026-11-26"}, …]}
      ]
    }

Older schemas load through :data:`MIGRATIONS`; a newer schema is refused (an older
daily-papers must not rewrite a file it does not understand).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from daily_papers.arxiv.ids import is_arxiv_id
from daily_papers.errors import DataFileError
from daily_papers.escape import console_text
from daily_papers.kept_for_you import KeptForYou, KeptScores, read_kept, read_scores
from daily_papers.models import PAPER_KEYS, Paper, StoredPaper, Summary, is_day, is_timestamp

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "LibraryCached",
    "LibraryText",
    "Migration",
    "NotFound",
    "State",
    "TopicState",
    "load_state",
]

#: The schema this version writes.  Bump it when the format changes, and add the step
#: from the previous schema to :data:`MIGRATIONS`.
SCHEMA_VERSION = 8

#: One upgrade step of the raw JSON document, from schema *n* to *n + 1*.
Migration = Callable[[dict[str, Any]], dict[str, Any]]

#: ``MIGRATIONS[n]`` upgrades a schema-*n* document to schema *n + 1* (``load_state`` sets the
#: new ``schema``).  Steps work on plain JSON values, before validation, so each one only has
#: to know its two schemas; the document it returns is validated as the next schema.
MIGRATIONS: dict[int, Migration] = {
    # 2 adds what reading the announcement feeds remembers; a schema-1 file has read none,
    # so the first run backfills every topic through the API exactly as schema 1 did.
    1: lambda document: {**document, "announcements": {}, "feed_only": []},
    # 3 adds the cache of one-line summaries (by versioned id); a schema-2 file has none.
    2: lambda document: {**document, "summaries": {}},
    # 4 adds each archive's item count in its last feed, which sizes the next run's feed
    # groups; a schema-3 file has none, so its groups are sized from the recorded counts.
    3: lambda document: {**document, "feed_counts": {}},
    # 5 adds the titles and abstracts fetched for library entries that had only an arXiv id;
    # a schema-4 file has none, so the next run with a library fetches them once.
    4: lambda document: {**document, "library_cache": {}},
    # 6 may keep the last announcement's For you selection (an optional key); a schema-5 file
    # keeps none, so its next day without announcement ranks as schema 5 did.
    5: lambda document: document,
    # 7 may keep the last announcement's scores of the topics' papers (an optional key); a
    # schema-6 file keeps none, so its next day without announcement scores as schema 6 did.
    6: lambda document: document,
    # 8 may record, in ``library_cache``, the day arXiv knew no paper for a library id, so
    # that it is not asked again every run; a schema-7 file records none, so each such id is
    # asked once more, as schema 7 did.
    7: lambda document: document,
}

_TOP_KEYS = frozenset(
    {
        "announcements",
        "feed_counts",
        "feed_only",
        "generator",
        "last_update",
        "library_cache",
        "schema",
        "for_you",
        "scores",
        "summaries",
        "topics",
    }
)
_SUMMARY_KEYS = frozenset({"language", "model", "text"})
_LIBRARY_TEXT_KEYS = frozenset({"abstract", "title"})
_NOT_FOUND_KEYS = frozenset({"not_found"})
_VERSIONED_ID = re.compile(r"(.+)v([1-9][0-9]*)")
_TOPIC_KEYS = frozenset({"fingerprint", "name", "papers", "query"})
_PAPER_FIELDS = frozenset(PAPER_KEYS) | {"first_seen"}
_OPTIONAL_TEXT = ("comment", "journal_ref", "doi")
_TEXT = ("title", "abstract", "primary_category", "abs_url", "pdf_url")
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{16}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NONE: frozenset[str] = frozenset()
_FIX_HINT = "Fix that field or delete the file (deleting starts every topic afresh)."


@dataclass(frozen=True)
class TopicState:
    """One topic as stored: the query it was fetched with and its papers, newest first."""

    name: str
    fingerprint: str
    query: str
    papers: tuple[StoredPaper, ...]


@dataclass(frozen=True)
class LibraryText:
    """What arXiv gave for a library entry the file named only by id: kept so that each
    such entry costs one request the first time, never again."""

    title: str
    abstract: str


@dataclass(frozen=True)
class NotFound:
    """A library id arXiv answered nothing for, and the day (YYYY-MM-DD) it did: kept so
    that the id is asked again only after a retry interval, not on every run."""

    not_found: str


#: What ``library_cache`` keeps of one id: arXiv's text, or the day it knew no paper.
LibraryCached = LibraryText | NotFound


@dataclass(frozen=True)
class State:
    """The whole data file; ``topics`` keeps configuration order."""

    topics: tuple[TopicState, ...] = ()
    last_update: str | None = None
    #: Per archive (``cs``), the announcement date (YYYY-MM-DD) of the last feed consumed.
    announcements: tuple[tuple[str, str], ...] = ()
    #: Per archive, the items its last consumed feed listed (sizes the next feed groups).
    feed_counts: tuple[tuple[str, int], ...] = ()
    #: Ids whose metadata still comes from a feed (the API index lagged); asked for again.
    feed_only: frozenset[str] = frozenset()
    #: One-line summaries by versioned id (``2611.01234v2``), of papers shown.
    summaries: Mapping[str, Summary] = field(default_factory=dict)
    #: Title and abstract by versionless id, for library entries the files give no abstract.
    #: An id arXiv knew nothing about is kept as :class:`NotFound` (the day it was asked).
    library_cache: Mapping[str, LibraryCached] = field(default_factory=dict)
    #: The last announcement's For you selection (None: none kept).
    for_you: KeptForYou | None = None
    #: The last announcement's scores of the topics' papers (None: none kept).
    scores: KeptScores | None = None

    @property
    def last_consumed(self) -> dict[str, date]:
        """:attr:`announcements` as dates."""
        return {archive: date.fromisoformat(day) for archive, day in self.announcements}

    @property
    def is_new(self) -> bool:
        """True for a data file that does not exist yet (or holds nothing)."""
        return not self.topics and not self.announcements

    def topic(self, name: str) -> TopicState | None:
        """The stored state of ``name``, or None when the topic is new."""
        for topic in self.topics:
            if topic.name == name:
                return topic
        return None

    def all_ids(self) -> frozenset[str]:
        """Every paper id stored under any topic (to tell which papers are new)."""
        return frozenset(p.paper.id for t in self.topics for p in t.papers)


#: The last file read and what it gave: a run reads the data file when it fetches and again
#: when it builds the update, and for 200 topics each validation takes over a second that
#: no wait between arXiv requests hides.  A :class:`State` is frozen, so sharing it is safe.
_last_loaded: list[tuple[bytes, str, State]] = []


def load_state(data: bytes | None, *, path: str) -> State:
    """Parse, migrate and strictly validate the data file; ``None`` (no file) is empty.

    A file that exists but cannot be understood is an error rather than an empty state:
    treating it as empty would silently drop every topic's papers.  Nothing is coerced: a
    string where a list belongs, a number as a string, an invalid id or date, or a lone
    surrogate is a :class:`~daily_papers.errors.DataFileError` naming the topic and field.
    The same bytes read again give the same state without a second validation.
    """
    if data is None:
        return State()
    if _last_loaded and _last_loaded[0][0] == data and _last_loaded[0][1] == path:
        return _last_loaded[0][2]
    state = _load(data, path=path)
    _last_loaded[:] = [(bytes(data), path, state)]
    return state


def _load(data: bytes, *, path: str) -> State:
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: JSONDecodeError, and an integer too long to convert; RecursionError:
        # nesting deeper than the parser's stack.
        raise DataFileError(
            f"Data file {path} is not valid JSON ({console_text(str(exc))[:120]}).",
            "Fix or delete it (deleting starts every topic afresh).",
        ) from None
    document = _migrate(raw, path)
    return _Validator(path).state(document)


def _migrate(raw: Any, path: str) -> dict[str, Any]:
    """``raw`` upgraded to :data:`SCHEMA_VERSION` through :data:`MIGRATIONS`."""
    found = raw.get("schema") if isinstance(raw, dict) else None
    oldest = min([*MIGRATIONS, SCHEMA_VERSION])
    if not isinstance(raw, dict) or type(found) is not int or not oldest <= found <= SCHEMA_VERSION:
        newer = type(found) is int and found > SCHEMA_VERSION
        raise DataFileError(
            f"Data file {path} has schema {console_text(repr(found))[:40]}, but this "
            f"daily-papers reads schemas {oldest} to {SCHEMA_VERSION}.",
            "Update daily-papers to read it."
            if newer
            else "Use a daily-papers version that matches it, or delete the file to start afresh.",
        )
    document: dict[str, Any] = raw
    version: int = found
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
        document["schema"] = version
    return document


class _Validator:
    """Checks one document against the current schema; every error names where it is."""

    def __init__(self, path: str) -> None:
        self.path = path
        # Each paper validated so far, by id, with the JSON object it was read from: a
        # paper several topics show is stored once per topic (200 topics keep 20,000 entries
        # of about 600 papers), and an entry equal to a validated one is valid too.
        self._papers: dict[str, tuple[dict[str, Any], StoredPaper]] = {}

    def fail(self, where: str, problem: str) -> DataFileError:
        return DataFileError(f"Data file {self.path}: {where} {problem}.", _FIX_HINT)

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {_json_type(value)}")
        if _SURROGATE.search(value):
            raise self.fail(where, "contains a lone surrogate (not valid Unicode)")
        return value

    def keys(
        self,
        value: Any,
        allowed: frozenset[str],
        where: str,
        optional: frozenset[str] = frozenset(),
    ) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object, not {_json_type(value)}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(where, f"has the unknown field {console_text(repr(unknown[0]))[:60]}")
        missing = sorted(allowed - optional - set(value))
        if missing:
            raise self.fail(where, f"lacks the field {missing[0]!r}")
        return value

    def day(self, value: Any, where: str) -> str:
        text = self.text(value, where)
        if not is_day(text):
            raise self.fail(where, f"is not a YYYY-MM-DD date ({console_text(repr(text))[:40]})")
        return text

    def state(self, document: dict[str, Any]) -> State:
        self.keys(document, _TOP_KEYS, "the top level", optional=frozenset({"for_you", "scores"}))
        self.text(document["generator"], "field 'generator'")
        last_update = document["last_update"]
        if last_update is not None:
            self.day(last_update, "field 'last_update'")
        topics_raw = document["topics"]
        if not isinstance(topics_raw, list):
            raise self.fail("field 'topics'", f"must be a list, not {_json_type(topics_raw)}")
        topics: list[TopicState] = []
        names: set[str] = set()
        for index, item in enumerate(topics_raw, start=1):
            topic = self.topic(item, index)
            if topic.name in names:
                raise self.fail(f"topic {_name(topic.name)}", "appears twice")
            names.add(topic.name)
            topics.append(topic)
        announcements = self.announcements(document["announcements"])
        feed_only = document["feed_only"]
        if not isinstance(feed_only, list):
            raise self.fail("field 'feed_only'", f"must be a list, not {_json_type(feed_only)}")
        for index, pid in enumerate(feed_only, start=1):
            if not is_arxiv_id(self.text(pid, f"field 'feed_only' item {index}")):
                raise self.fail(f"field 'feed_only' item {index}", "is not an arXiv id")
        return State(
            topics=tuple(topics),
            last_update=last_update,
            announcements=announcements,
            feed_counts=self.feed_counts(document["feed_counts"]),
            feed_only=frozenset(feed_only),
            summaries=self.summaries(document["summaries"]),
            library_cache=self.library_cache(document["library_cache"]),
            for_you=read_kept(document["for_you"], self) if "for_you" in document else None,
            scores=read_scores(document["scores"], self) if "scores" in document else None,
        )

    def summaries(self, value: Any) -> dict[str, Summary]:
        if not isinstance(value, dict):
            raise self.fail("field 'summaries'", f"must be an object, not {_json_type(value)}")
        found: dict[str, Summary] = {}
        for key, item in value.items():
            where = f"field 'summaries' {console_text(repr(key))[:40]}"
            versioned = _VERSIONED_ID.fullmatch(self.text(key, where))
            if versioned is None or not is_arxiv_id(versioned.group(1)):
                raise self.fail(where, "is not a versioned arXiv id like 2611.01234v2")
            data = self.keys(item, _SUMMARY_KEYS, where)
            texts = {name: self.text(data[name], f"{where}, field {name!r}") for name in data}
            found[key] = Summary(**texts)
        return found

    def library_cache(self, value: Any) -> dict[str, LibraryCached]:
        if not isinstance(value, dict):
            raise self.fail("field 'library_cache'", f"must be an object, not {_json_type(value)}")
        found: dict[str, LibraryCached] = {}
        for key, item in value.items():
            where = f"field 'library_cache' {console_text(repr(key))[:40]}"
            if not is_arxiv_id(self.text(key, where)):
                raise self.fail(where, "is not a versionless arXiv id like 2401.01234")
            if isinstance(item, dict) and "not_found" in item:
                data = self.keys(item, _NOT_FOUND_KEYS, where)
                found[key] = NotFound(self.day(data["not_found"], f"{where}, field 'not_found'"))
                continue
            data = self.keys(item, _LIBRARY_TEXT_KEYS, where)
            title = self.text(data["title"], f"{where}, field 'title'")
            abstract = self.text(data["abstract"], f"{where}, field 'abstract'")
            found[key] = LibraryText(title=title, abstract=abstract)
        return found

    def announcements(self, value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise self.fail("field 'announcements'", f"must be an object, not {_json_type(value)}")
        pairs = []
        for archive, day in value.items():
            where = f"field 'announcements' {console_text(repr(archive))[:40]}"
            self.text(archive, where)
            pairs.append((archive, self.day(day, where)))
        return tuple(sorted(pairs))

    def feed_counts(self, value: Any) -> tuple[tuple[str, int], ...]:
        if not isinstance(value, dict):
            raise self.fail("field 'feed_counts'", f"must be an object, not {_json_type(value)}")
        pairs = []
        for archive, count in value.items():
            where = f"field 'feed_counts' {console_text(repr(archive))[:40]}"
            self.text(archive, where)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise self.fail(where, "must be a whole number of items, 0 or more")
            pairs.append((archive, count))
        return tuple(sorted(pairs))

    def topic(self, item: Any, index: int) -> TopicState:
        where = f"topic {index}"
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            where = f"topic {_name(item['name'])}"
        data = self.keys(item, _TOPIC_KEYS, where)
        name = self.text(data["name"], f"{where}, field 'name'")
        fingerprint = self.fingerprint(data["fingerprint"], f"{where}, field 'fingerprint'")
        query = self.text(data["query"], f"{where}, field 'query'")
        papers_raw = data["papers"]
        if not isinstance(papers_raw, list):
            raise self.fail(
                f"{where}, field 'papers'", f"must be a list, not {_json_type(papers_raw)}"
            )
        papers = tuple(self.paper(p, f"{where}, paper {i}") for i, p in enumerate(papers_raw, 1))
        return TopicState(name=name, fingerprint=fingerprint, query=query, papers=papers)

    def fingerprint(self, value: Any, where: str) -> str:
        text = self.text(value, where)
        if not _FINGERPRINT.fullmatch(text):
            raise self.fail(where, "is not sha256:<16 hex digits>")
        return text

    def paper(self, item: Any, where: str) -> StoredPaper:
        seen = self._seen(item)
        if seen is not None:
            return seen
        data = self.keys(item, _PAPER_FIELDS, where)
        paper = self.record(data, where)
        first_seen = self.day(data["first_seen"], f"{where} ({paper.id}), field 'first_seen'")
        stored = StoredPaper(paper=paper, first_seen=first_seen)
        self._papers[paper.id] = (item, stored)
        return stored

    def record(self, data: Mapping[str, Any], where: str) -> Paper:
        """A paper's record (its :data:`PAPER_KEYS`), wherever the file keeps one."""
        paper_id = self.text(data["id"], f"{where}, field 'id'")
        if not is_arxiv_id(paper_id):
            raise self.fail(f"{where}, field 'id'", f"is not an arXiv id ({_name(paper_id)})")
        where = f"{where} ({paper_id})"
        version = data["version"]
        if type(version) is not int or version < 1:
            raise self.fail(f"{where}, field 'version'", "must be a whole number from 1")
        texts = {key: self.text(data[key], f"{where}, field {key!r}") for key in _TEXT}
        optional = {
            key: None if data[key] is None else self.text(data[key], f"{where}, field {key!r}")
            for key in _OPTIONAL_TEXT
        }
        lists = {
            key: self.text_list(data[key], f"{where}, field {key!r}")
            for key in ("authors", "categories")
        }
        times = {
            key: self.timestamp(data[key], f"{where}, field {key!r}")
            for key in ("published", "updated")
        }
        return Paper.from_json(
            {"id": paper_id, "version": version, **texts, **optional, **lists, **times}
        )

    def _seen(self, item: Any) -> StoredPaper | None:
        """The paper already validated from an equal JSON object, or None.

        Equal JSON values have equal types, except that ``1``, ``1.0`` and ``true`` are equal
        numbers: ``version``, the one number, must also be an ``int`` here.
        """
        if type(item) is not dict or type(paper_id := item.get("id")) is not str:
            return None
        seen = self._papers.get(paper_id)
        if seen is None or seen[0] != item or type(item["version"]) is not int:
            return None
        return seen[1]

    def text_list(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of strings, not {_json_type(value)}")
        return [self.text(item, f"{where}, item {i}") for i, item in enumerate(value, 1)]

    def timestamp(self, value: Any, where: str) -> str:
        text = self.text(value, where)
        if not is_timestamp(text):
            raise self.fail(
                where, f"is not a YYYY-MM-DDTHH:MM:SSZ time ({console_text(repr(text))[:40]})"
            )
        return text


def _name(text: str) -> str:
    return console_text(repr(text))[:80]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
