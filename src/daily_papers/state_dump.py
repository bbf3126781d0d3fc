"""The data file written: the bytes :mod:`daily_papers.state` reads back, deterministic.

Sorted keys, topics in configuration order, one paper, summary or library text a line, so a
daily diff touches only the lines of what changed and an unchanged run writes identical bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from daily_papers.kept_for_you import KeptForYou, KeptScores
from daily_papers.models import StoredPaper
from daily_papers.state import SCHEMA_VERSION, State

__all__ = ["dump_state"]


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _object_lines(name: str, items: Mapping[str, object]) -> list[str]:
    """A top-level object of dataclass values, one sorted key a line (small diffs)."""
    if not items:
        return [f'  "{name}": {{}},']
    entries = [f"    {_compact(key)}: {_compact(vars(items[key]))}" for key in sorted(items)]
    return [f'  "{name}": {{', ",\n".join(entries), "  },"]


def _kept_lines(
    name: str, kept: KeptForYou | KeptScores, papers: list[str], pair: str
) -> list[str]:
    """A kept key's lines: its day and library, then ``papers`` one a line inside ``pair``'s
    brackets (``[]`` for a list, ``{}`` for an object)."""
    opening, closing = pair[0], pair[1]
    lines = [
        f'  "{name}": {{',
        f'    "day": {_compact(kept.day)},',
        f'    "library": {_compact(kept.library)},',
    ]
    if papers:
        body = ",\n".join(f"      {p}" for p in papers)
        lines += [f'    "papers": {opening}', body, f"    {closing}"]
    else:
        lines.append(f'    "papers": {pair}')
    return [*lines, "  },"]


def _for_you_lines(kept: KeptForYou | None) -> list[str]:
    """The data file's lines of ``kept`` (none when nothing is kept), one paper a line."""
    if kept is None:
        return []
    return _kept_lines("for_you", kept, [_compact(p.to_json()) for p in kept.papers], "[]")


def _scores_lines(kept: KeptScores | None) -> list[str]:
    """The data file's lines of ``kept`` (none when nothing is kept), one paper a line, by id."""
    if kept is None:
        return []
    papers = [
        f"{_compact(pid)}: {_compact(kept.papers[pid].to_json())}" for pid in sorted(kept.papers)
    ]
    return _kept_lines("scores", kept, papers, "{}")


def dump_state(state: State) -> bytes:
    """Serialise deterministically (see the module docstring), one line per paper.

    One line per paper keeps a daily diff to the lines of the papers that changed, and lets
    the C JSON encoder do the work: ``json.dumps(indent=...)`` runs the pure-Python encoder,
    whose millions of small chunks made a 200-topic state peak at hundreds of megabytes.
    A paper several topics show is one object, so its line is encoded once.
    """
    # By the paper object's identity: the state holds every paper for as long as this runs.
    lines_of: dict[tuple[int, str], str] = {}

    def line(stored: StoredPaper) -> str:
        key = (id(stored.paper), stored.first_seen)
        found = lines_of.get(key)
        if found is None:
            found = _compact({**stored.paper.to_json(), "first_seen": stored.first_seen})
            lines_of[key] = found
        return found

    lines = [
        "{",
        f'  "announcements": {_compact(dict(state.announcements))},',
        f'  "feed_counts": {_compact(dict(state.feed_counts))},',
        f'  "feed_only": {_compact(sorted(state.feed_only))},',
        *_for_you_lines(state.for_you),
        '  "generator": "daily-papers",',
        f'  "last_update": {_compact(state.last_update)},',
    ]
    lines += _object_lines("library_cache", state.library_cache)
    lines.append(f'  "schema": {SCHEMA_VERSION},')
    lines += _scores_lines(state.scores)
    lines += _object_lines("summaries", state.summaries)
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
            papers = [line(stored) for stored in topic.papers]
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
