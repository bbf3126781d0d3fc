"""The For you selection and the scores the data file keeps between runs (its ``for_you``
and ``scores`` keys).

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

Each day's scores depend on that day's pool of papers, so a topic sorted by relevance would
change order on a weekend too, when the pool is only what is kept.  So the last announcement's
score and why of every paper the topics keep is kept as well, and a run without a new
announcement and with the same library shows them unchanged (a paper without one is scored as
before); a changed library scores everything again.  Stored as (one paper a line)::

    "scores": {
      "day": "2026-11-26",
      "library": "sha256:…",
      "papers": {
        "2611.01234": {"closest": "…" or null, "score": 0.123456, "terms": ["…"]},
      }
    },

That key is absent when the README shows no score (no topic sorted by relevance, no For you),
no library, or on the API route.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from daily_papers.arxiv.ids import is_arxiv_id
from daily_papers.errors import DataFileError
from daily_papers.escape import console_text
from daily_papers.models import PAPER_KEYS, Paper

__all__ = [
    "Checks",
    "KeptForYou",
    "KeptPaper",
    "KeptScore",
    "KeptScores",
    "fingerprint",
    "read_kept",
    "read_scores",
]

_TOP_KEYS = frozenset({"day", "library", "papers"})
_SCORE_KEYS = frozenset({"closest", "score", "terms"})
_PAPER_KEYS = frozenset(PAPER_KEYS) | _SCORE_KEYS


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


@dataclass(frozen=True)
class KeptScore:
    """One paper's score and why as the last announcement day showed them."""

    value: float
    closest: str | None
    terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"closest": self.closest, "score": self.value, "terms": list(self.terms)}


@dataclass(frozen=True)
class KeptScores:
    """The scores of the topics' papers on the announcement of ``day``, against the library
    whose :func:`fingerprint` is ``library``; by arXiv id."""

    day: str
    library: str
    papers: Mapping[str, KeptScore]


def fingerprint(texts: Sequence[tuple[str, str, str]]) -> str:
    """A short stable hash of the library as ranking reads it (key, title, abstract, in
    order): equal fingerprints mean the kept scores are still the library's."""
    data = json.dumps(list(texts), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


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
    day, library, papers_raw = _head(value, checks, where)
    if not isinstance(papers_raw, list):
        raise checks.fail(f"{where}, field 'papers'", "must be a list")
    papers = []
    for index, item in enumerate(papers_raw, start=1):
        at = f"{where}, paper {index}"
        fields = checks.keys(item, _PAPER_KEYS, at)
        paper = checks.record(fields, at)
        kept = _score(fields, checks, f"{at} ({paper.id})")
        papers.append(KeptPaper(paper, kept.value, kept.closest, kept.terms))
    return KeptForYou(day=day, library=library, papers=tuple(papers))


def read_scores(value: Any, checks: Checks) -> KeptScores:
    """The ``scores`` key validated as strictly as the rest of the file."""
    where = "field 'scores'"
    day, library, papers_raw = _head(value, checks, where)
    if not isinstance(papers_raw, dict):
        raise checks.fail(f"{where}, field 'papers'", "must be an object")
    papers = {}
    for pid, item in papers_raw.items():
        at = f"{where}, paper {console_text(repr(pid))[:40]}"
        if not is_arxiv_id(pid):
            raise checks.fail(at, "is not a versionless arXiv id like 2401.01234")
        papers[pid] = _score(checks.keys(item, _SCORE_KEYS, at), checks, at)
    return KeptScores(day=day, library=library, papers=papers)


def _head(value: Any, checks: Checks, where: str) -> tuple[str, str, Any]:
    """The day, library fingerprint and (unchecked) papers both kept keys start with."""
    data = checks.keys(value, _TOP_KEYS, where)
    day = checks.day(data["day"], f"{where}, field 'day'")
    return day, checks.fingerprint(data["library"], f"{where}, field 'library'"), data["papers"]


def _score(fields: Mapping[str, Any], checks: Checks, at: str) -> KeptScore:
    """A kept paper's score, closest library title and shared terms, checked."""
    score = fields["score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise checks.fail(f"{at}, field 'score'", "must be a number")
    closest = fields["closest"]
    if closest is not None:
        closest = checks.text(closest, f"{at}, field 'closest'")
    terms = tuple(checks.text_list(fields["terms"], f"{at}, field 'terms'"))
    return KeptScore(float(score), closest, terms)
