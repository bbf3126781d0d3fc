"""The For you selection the data file keeps between runs (its ``for_you`` key).

For you ranks the day's whole announcement, and on a day arXiv announces nothing (a weekend)
there is none to rank: ranking something else would change the table once that day.  So the
last announcement's selection is kept with each paper's whole record (most of them are in no
topic, so nowhere else in the file), its score and why, the library it was ranked against and
the announcement's day.  A run without a new announcement shows it unchanged, or re-ranks those
same papers when the library changed (:mod:`daily_papers.ranked_view`).

Stored as (one paper a line)::

    "for_you": {
      "day": "2026-11-26",
      "library": "sha256:…",
      "papers": [
        {…Paper.to_json()…, "closest": "…" or null, "score": 0.123456, "terms": ["…"]},
      ]
    },

The key is absent when nothing is kept (no ``for-you-count``, no library, the API route).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from daily_papers.errors import DataFileError
from daily_papers.models import PAPER_KEYS, Paper

__all__ = ["Checks", "KeptForYou", "KeptPaper", "fingerprint", "kept_lines", "read_kept"]

_TOP_KEYS = frozenset({"day", "library", "papers"})
_PAPER_KEYS = frozenset(PAPER_KEYS) | {"closest", "score", "terms"}


@dataclass(frozen=True)
class KeptPaper:
    """One kept For you paper: its record, and its score and why as they were shown."""

    paper: Paper
    score: float
    closest: str | None
    terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.paper.to_json(),
            "closest": self.closest,
            "score": self.score,
            "terms": list(self.terms),
        }


@dataclass(frozen=True)
class KeptForYou:
    """The selection of the announcement of ``day``, ranked against the library whose
    :func:`fingerprint` is ``library``; best first, before ``readme-max-bytes`` cut it."""

    day: str
    library: str
    papers: tuple[KeptPaper, ...]


def fingerprint(texts: Sequence[tuple[str, str, str]]) -> str:
    """A short stable hash of the library as ranking reads it (key, title, abstract, in
    order): equal fingerprints mean the kept scores are still the library's."""
    data = json.dumps(list(texts), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def kept_lines(kept: KeptForYou | None) -> list[str]:
    """The data file's lines of ``kept`` (none when nothing is kept), one paper a line."""
    if kept is None:
        return []

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))

    lines = [
        '  "for_you": {',
        f'    "day": {compact(kept.day)},',
        f'    "library": {compact(kept.library)},',
    ]
    papers = [compact(p.to_json()) for p in kept.papers]
    if papers:
        lines += ['    "papers": [', ",\n".join(f"      {p}" for p in papers), "    ]"]
    else:
        lines.append('    "papers": []')
    return [*lines, "  },"]


class Checks(Protocol):
    """The data file validator's checks (each raises a DataFileError naming ``where``)."""

    def fail(self, where: str, problem: str) -> DataFileError: ...

    def text(self, value: Any, where: str) -> str: ...

    def keys(self, value: Any, allowed: frozenset[str], where: str) -> Mapping[str, Any]: ...

    def day(self, value: Any, where: str) -> str: ...

    def text_list(self, value: Any, where: str) -> list[str]: ...

    def record(self, data: Mapping[str, Any], where: str) -> Paper: ...

    def fingerprint(self, value: Any, where: str) -> str: ...


def read_kept(value: Any, checks: Checks) -> KeptForYou:
    """The ``for_you`` key validated as strictly as the rest of the file."""
    where = "field 'for_you'"
    data = checks.keys(value, _TOP_KEYS, where)
    day = checks.day(data["day"], f"{where}, field 'day'")
    library = checks.fingerprint(data["library"], f"{where}, field 'library'")
    papers_raw = data["papers"]
    if not isinstance(papers_raw, list):
        raise checks.fail(f"{where}, field 'papers'", "must be a list")
    papers = []
    for index, item in enumerate(papers_raw, start=1):
        at = f"{where}, paper {index}"
        fields = checks.keys(item, _PAPER_KEYS, at)
        paper = checks.record(fields, at)
        at = f"{at} ({paper.id})"
        score = fields["score"]
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise checks.fail(f"{at}, field 'score'", "must be a number")
        closest = fields["closest"]
        if closest is not None:
            closest = checks.text(closest, f"{at}, field 'closest'")
        terms = tuple(checks.text_list(fields["terms"], f"{at}, field 'terms'"))
        papers.append(KeptPaper(paper, float(score), closest, terms))
    return KeptForYou(day=day, library=library, papers=tuple(papers))
