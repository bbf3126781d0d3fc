"""SYNTHETIC announcement feeds, built from the structure of the recorded rss.arxiv.org feed.

Only one non-empty feed was ever recorded (every archive, 2024-11-28).  The cases the planning
code needs — other days, ``replace-cross`` items, stale repeats, gaps, more than 2000 items,
feeds for a subset of archives — are made here by editing that recording's own XML: its
channel and ``<item>`` elements are kept byte for byte, only the dates, announce types and the
item selection change.  Every body starts with a ``synthetic`` comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import cache
from pathlib import Path

RSS_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rss"
ALL_ARCHIVES = "rss-2024-11-28-all-archives-aioarxiv.xml"
EMPTY = "rss-2024-11-28-test-archive-empty-aioarxiv.xml"
ERROR = "rss-2024-11-28-error-bad-archive-astroph-aioarxiv.xml"

_ITEM = re.compile(rb"[ \t]*<item>.*?</item>\r?\n?", re.DOTALL)
_RECORDED_PUBDATE = b"Thu, 28 Nov 2024 00:00:00 -0500"
_EASTERN = timezone(timedelta(hours=-5))


def recorded(name: str) -> bytes:
    """A recorded feed body, as served."""
    return (RSS_FIXTURES / name).read_bytes()


@cache
def _parts() -> tuple[bytes, tuple[bytes, ...], bytes]:
    body = recorded(ALL_ARCHIVES)
    items = tuple(match.group(0) for match in _ITEM.finditer(body))
    head = body[: body.index(items[0])]
    tail = body[body.rindex(items[-1]) + len(items[-1]) :]
    return head, items, tail


def recorded_items() -> tuple[bytes, ...]:
    """The recorded ``<item>`` elements, in feed order."""
    return _parts()[1]


def categories_of(item: bytes) -> tuple[str, ...]:
    """The ``<category>`` values of one item."""
    return tuple(c.decode() for c in re.findall(rb"<category>([^<]+)</category>", item))


def pubdate(day: date) -> bytes:
    """``pubDate`` as rss.arxiv.org writes it: midnight Eastern (EST offset, as recorded)."""
    return format_datetime(datetime(day.year, day.month, day.day, tzinfo=_EASTERN)).encode()


def as_type(item: bytes, announce_type: str) -> bytes:
    """The item with another announce type (in both places the feed states it)."""
    item = re.sub(
        rb"<arxiv:announce_type>[^<]*</arxiv:announce_type>",
        b"<arxiv:announce_type>" + announce_type.encode() + b"</arxiv:announce_type>",
        item,
    )
    return re.sub(rb"Announce Type: [\w-]+", b"Announce Type: " + announce_type.encode(), item)


def renumber(item: bytes, new_id: str) -> bytes:
    """The item under another arXiv id (same version), so copies do not collapse."""
    match = re.search(rb"<guid[^>]*>oai:arXiv\.org:(?P<id>.+?)v(?P<v>\d+)</guid>", item)
    assert match is not None
    old = match["id"]
    return item.replace(old, new_id.encode())


def synthetic_feed(
    items: Sequence[bytes],
    *,
    day: date = date(2024, 11, 28),
    label: str = "synthetic",
) -> bytes:
    """A feed with the recorded channel, ``items`` and ``day`` as its announcement date."""
    head, _, tail = _parts()
    head = head.replace(_RECORDED_PUBDATE, pubdate(day))
    comment = f"<!-- {label}: built by tests/rss_synthetic.py from the 2024-11-28 recording -->\n"
    declaration_end = head.index(b"?>") + 2
    head = head[:declaration_end] + b"\n" + comment.encode() + head[declaration_end + 1 :]
    return head + b"".join(i.replace(_RECORDED_PUBDATE, pubdate(day)) for i in items) + tail


def select(keep: Callable[[bytes], bool]) -> tuple[bytes, ...]:
    """The recorded items for which ``keep`` is true."""
    return tuple(item for item in recorded_items() if keep(item))


def oversized(count: int = 2000) -> tuple[bytes, ...]:
    """``count`` distinct items (recorded ones, repeated under fresh ids past the 1504)."""
    items = list(recorded_items())
    serial = 0
    while len(items) < count:
        source = recorded_items()[serial % len(recorded_items())]
        items.append(renumber(source, f"2411.9{serial:04d}"))
        serial += 1
    return tuple(items[:count])
