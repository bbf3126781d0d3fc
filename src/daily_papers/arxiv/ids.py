"""arXiv identifiers: the two formats arXiv has issued, checked strictly.

Every id that comes from a remote answer or the data file is checked here before it is used
as a key, printed or put in a URL: an ``<id>`` carrying a CR, a ``../`` or a 40 KB string
must not become a paper.  The formats are those of https://info.arxiv.org/help/arxiv_identifier.html:

* new style (since April 2007) ``YYMM.NNNN`` up to 1412 and ``YYMM.NNNNN`` from 1501,
  starting at ``0704.0001``;
* old style (1991 to March 2007) ``archive[.SC]/YYMMNNN``, e.g. ``hep-th/9901001`` or
  ``math.GT/0309136``.

A version suffix ``vN`` (N >= 1) is accepted where noted.  Nothing here does I/O.
"""

from __future__ import annotations

import re

__all__ = ["is_arxiv_id", "split_version"]

_MONTH = r"(?:0[1-9]|1[0-2])"
# 0704-0712, 0801-1412 with four digits; 1501 onwards with five.  Number 0 is never issued.
_NEW_4 = rf"(?:07(?:0[4-9]|1[0-2])|(?:0[89]|1[0-4]){_MONTH})\.(?!0000)\d{{4}}"
_NEW_5 = rf"(?:1[5-9]|[2-9]\d){_MONTH}\.(?!00000)\d{{5}}"
# Archives are lower-case words joined by hyphens (hep-th, cond-mat, q-bio); the optional
# subject class is two upper-case letters (math.GT).  Years 91-99 and 00-07.
_OLD = rf"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{{2}})?/(?:9[1-9]|0[0-7]){_MONTH}(?!000)\d{{3}}"
_ID = re.compile(rf"(?:{_NEW_4}|{_NEW_5}|{_OLD})")
_VERSIONED = re.compile(rf"(?P<id>{_ID.pattern})(?:v(?P<version>[1-9]\d{{0,3}}))?")


def is_arxiv_id(text: str, *, versioned: bool = False) -> bool:
    """True when ``text`` is exactly one arXiv id (with an optional ``vN`` if ``versioned``)."""
    if versioned:
        return _VERSIONED.fullmatch(text) is not None
    return _ID.fullmatch(text) is not None


def split_version(text: str) -> tuple[str, int | None] | None:
    """``("2104.12255", 2)`` for ``2104.12255v2``, ``(id, None)`` without a version.

    ``None`` when ``text`` is not a (versioned) arXiv id.
    """
    match = _VERSIONED.fullmatch(text)
    if match is None:
        return None
    version = match["version"]
    return match["id"], None if version is None else int(version)
