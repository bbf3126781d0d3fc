"""The data file: the JSON state that remembers each topic's papers between runs.

Why a state file at all: arXiv answers only "the newest N", so a topic whose fetch fails
must still show its previous papers, and "new papers" means ids not present before.  The
file is deterministic (sorted keys, topics in configuration order, papers newest first,
two-space indentation, trailing newline) so daily diffs stay small and an unchanged run
writes identical bytes.

Format (``schema`` 1; each paper on one line)::

    {
      "generator": "daily-papers",
      "last_update": "2026-11-26",
      "schema": 1,
      "topics": [
        {"fingerprint": "sha256:…", "name": "…", "query": "…",
         "papers": [{…Paper.to_json()…, "first_seen": "2026-11-26"}, …]}
      ]
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from daily_papers.errors import DataFileError
from daily_papers.models import Paper, StoredPaper

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class TopicState:
    """One topic as stored: the query it was fetched with and its papers, newest first."""

    name: str
    fingerprint: str
    query: str
    papers: tuple[StoredPaper, ...]


@dataclass(frozen=True)
class State:
    """The whole data file; ``topics`` keeps configuration order."""

    topics: tuple[TopicState, ...] = ()
    last_update: str | None = None

    def topic(self, name: str) -> TopicState | None:
        """The stored state of ``name``, or None when the topic is new."""
        for topic in self.topics:
            if topic.name == name:
                return topic
        return None

    def all_ids(self) -> frozenset[str]:
        """Every paper id stored under any topic (to tell which papers are new)."""
        return frozenset(p.paper.id for t in self.topics for p in t.papers)


def load_state(data: bytes | None, *, path: str) -> State:
    """Parse the data file; ``None`` (no file yet) is an empty state.

    A file that exists but cannot be understood is an error rather than an empty state:
    treating it as empty would silently drop every topic's papers.
    """
    if data is None:
        return State()
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(
            f"Data file {path} is not valid JSON ({exc}).",
            "Fix or delete it (deleting starts every topic afresh).",
        ) from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA_VERSION:
        found = raw.get("schema") if isinstance(raw, dict) else None
        raise DataFileError(
            f"Data file {path} has schema {found!r}, but this daily-papers reads schema "
            f"{SCHEMA_VERSION}.",
            "Use a daily-papers version that matches it, or delete the file to start afresh.",
        )
    try:
        topics = tuple(_topic_from_json(t) for t in raw.get("topics", []))
        last_update = raw.get("last_update")
        if last_update is not None and not isinstance(last_update, str):
            raise TypeError("last_update must be a string")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(
            f"Data file {path} is damaged ({type(exc).__name__}: {exc}).",
            "Fix or delete it (deleting starts every topic afresh).",
        ) from None
    return State(topics=topics, last_update=last_update)


def _topic_from_json(data: dict[str, Any]) -> TopicState:
    papers = []
    for item in data["papers"]:
        first_seen = str(item["first_seen"])
        fields = {k: v for k, v in item.items() if k != "first_seen"}
        papers.append(StoredPaper(paper=Paper.from_json(fields), first_seen=first_seen))
    return TopicState(
        name=str(data["name"]),
        fingerprint=str(data["fingerprint"]),
        query=str(data["query"]),
        papers=tuple(papers),
    )


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def dump_state(state: State) -> bytes:
    """Serialise deterministically (see the module docstring), one line per paper.

    One line per paper keeps a daily diff to the lines of the papers that changed, and lets
    the C JSON encoder do the work: ``json.dumps(indent=...)`` runs the pure-Python encoder,
    whose millions of small chunks made a 200-topic state peak at hundreds of megabytes.
    """
    lines = [
        "{",
        '  "generator": "daily-papers",',
        f'  "last_update": {_compact(state.last_update)},',
        f'  "schema": {SCHEMA_VERSION},',
    ]
    if not state.topics:
        lines.append('  "topics": []')
    else:
        lines.append('  "topics": [')
        for t_index, topic in enumerate(state.topics):
            lines += [
                "    {",
                f'      "fingerprint": {_compact(topic.fingerprint)},',
                f'      "name": {_compact(topic.name)},',
            ]
            papers = [
                _compact({**stored.paper.to_json(), "first_seen": stored.first_seen})
                for stored in topic.papers
            ]
            if papers:
                lines.append('      "papers": [')
                lines += [f"        {p}," for p in papers[:-1]]
                lines += [f"        {papers[-1]}", "      ],"]
            else:
                lines.append('      "papers": [],')
            lines.append(f'      "query": {_compact(topic.query)}')
            lines.append("    }," if t_index < len(state.topics) - 1 else "    }")
        lines.append("  ]")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")
