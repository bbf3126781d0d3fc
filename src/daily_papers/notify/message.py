"""The pure core of notifications: one message per channel, in its format and within its limit.

A chat channel is read on a phone: a message says how many papers are new per topic, lists the
top titles with their links (a paper found by several topics once, with its topics), and ends
with "+N more" and the links to the README, the digest issue and the site.  It is never split
into a flood: the list is shortened until title and body fit the channel's limit together
(some services count the title in the body's limit).  ``full`` lists every paper that fits.

Paper text is hostile until escaped for the channel's format: ``markdown`` (Discord, Feishu)
escapes Markdown and HTML and defuses ``@`` mentions, ``html`` (Telegram) escapes HTML, and
``text`` (Slack, WeCom, e-mail, webhooks) is one plain line per item, which those services show
as written.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from daily_papers import defaults
from daily_papers.escape import defuse_mentions, escape_link_text, escape_url, one_line

__all__ = ["STYLES", "Digest", "Message", "NewPaper", "compose"]

STYLES = ("text", "markdown", "html")
"""The formats a message is written in (the adapter picks one per service)."""

#: What a channel puts between the title and the body when it counts them together.
_JOIN = 2


@dataclass(frozen=True)
class NewPaper:
    """A new paper as a message lists it: once, with every topic that found it."""

    title: str
    link: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """What a run has to tell: the new papers in order, counts, failures and where to read."""

    day: date
    papers: tuple[NewPaper, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # (topic, new papers) for topics with news
    failed: tuple[tuple[str, str], ...] = ()  # (topic, a few words) for topics that failed
    links: tuple[tuple[str, str], ...] = ()  # ("README", url), ("digest issue", url), ...
    failure: str | None = None  # the run stopped with this sentence before publishing


@dataclass(frozen=True)
class Message:
    """A title and a body in one channel's format."""

    title: str
    body: str

    @property
    def length(self) -> int:
        """Characters the channel counts against its limit (title and body together)."""
        return len(self.title) + _JOIN + len(self.body)


class _Style:
    """How text, links and list items are written in one format."""

    def __init__(self, name: str) -> None:
        if name not in STYLES:
            raise ValueError(f"unknown message style {name!r}")
        self.name = name

    def text(self, value: str) -> str:
        if self.name == "markdown":
            return escape_link_text(defuse_mentions(one_line(value)))
        if self.name == "html":
            return html.escape(one_line(value), quote=False)
        return one_line(value)

    def link(self, label: str, url: str) -> str:
        if self.name == "markdown":
            return f"[{self.text(label)}]({escape_url(url)})"
        if self.name == "html":
            return f'<a href="{html.escape(url, quote=True)}">{self.text(label)}</a>'
        return f"{one_line(label)}: {one_line(url)}"

    def paper(self, paper: NewPaper) -> str:
        topics = ", ".join(paper.topics)
        if self.name == "text":
            return f"• {one_line(paper.title)} ({one_line(topics)}) {one_line(paper.link)}"
        return f"• {self.link(paper.title, paper.link)} ({self.text(topics)})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _title(digest: Digest) -> str:
    if digest.failure is not None:
        return f"daily-papers failed — {digest.day.isoformat()}"
    new = len(digest.papers)
    return f"daily-papers: {_plural(new, 'new paper')} — {digest.day.isoformat()}"


def _head(digest: Digest, style: _Style) -> list[str]:
    lines: list[str] = []
    if digest.failure is not None:
        lines.append(style.text(f"The run stopped before publishing: {digest.failure}"))
    elif digest.counts:
        counts = " · ".join(f"{name}: {count}" for name, count in digest.counts)
        lines.append(style.text(counts))
    else:
        lines.append("No new papers today.")
    if digest.failed:
        names = ", ".join(f"{name} ({status})" for name, status in digest.failed)
        lines.append(
            style.text(
                f"{_plural(len(digest.failed), 'topic')} failed and kept its papers: {names}"
            )
        )
    return lines


def _tail(digest: Digest, style: _Style, hidden: int) -> list[str]:
    links = " · ".join(style.link(label, url) for label, url in digest.links)
    if hidden:
        return [f"+{hidden} more" + (f": {links}" if links else "")]
    return [links] if links else []


def _render(digest: Digest, style: _Style, shown: int) -> Message:
    lines = _head(digest, style)
    papers = digest.papers[:shown]
    if papers:
        lines.append("")
        lines += [style.paper(p) for p in papers]
    tail = _tail(digest, style, len(digest.papers) - len(papers))
    if tail:
        lines += ["", *tail]
    return Message(_title(digest), "\n".join(lines))


def compose(digest: Digest, *, style: str, form: str, limit: int) -> Message:
    """The message for one channel: ``short`` lists the top papers, ``full`` all that fit.

    The number of papers shown is the largest whose message fits ``limit`` (a binary search:
    the length grows with it); when even the counts are too long, the body is cut at a line.
    """
    chosen = _Style(style)
    most = len(digest.papers)
    if form == "short":
        most = min(most, defaults.NOTIFY_SHORT_PAPERS)
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if _render(digest, chosen, middle).length <= limit:
            low = middle
        else:
            high = middle - 1
    message = _render(digest, chosen, low)
    if message.length <= limit:
        return message
    title = message.title[: max(0, limit - _JOIN)]
    room = limit - len(title) - _JOIN - 1  # one for the ellipsis
    if room <= 0:
        return Message(title, "")
    cut = message.body[:room]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return Message(title, cut + "…")
