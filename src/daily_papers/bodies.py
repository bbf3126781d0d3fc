"""Markdown bodies for the digest issue and the update pull request, always within GitHub's limit.

GitHub refuses an issue or pull-request body longer than 65,536 characters (``body is too
long (maximum is 65536 characters)``, JasonEtco/create-an-issue#123); DailyArXiv's digest hit it
(zezhishao/DailyArXiv#24) and coped by listing only 15 papers per keyword with no abstracts.
Here the body degrades step by step instead, so a normal day keeps every detail and a huge
first run still opens a valid issue:

1. every paper in full (title link, first-version date, comment, abstract in ``<details>``);
2. abstracts dropped from the end of the list backwards;
3. the remaining papers, again from the end, shrunk to a bare title link;
4. papers cut from the end, replaced by "and N more — see README" linking the README.

Papers are grouped by topic, topics in the order first given, so cuts fall on the last topics.
The builders are pure functions of their arguments (no clock, no I/O).

Length is counted in UTF-16 code units: never less than the code-point count a Ruby
``String#length`` check measures (GitHub does not document its unit; *inferred*), and equal to
what JavaScript tools such as create-pull-request measure, so a body that fits this count
fits GitHub's either way.  Every paper text goes through
:mod:`daily_papers.escape` escaping and is capped in length first, so paper text cannot
create structure (headings, lists, HTML, comments) or push one item past the limit, and
``@`` / ``#`` get a zero-width space so paper text cannot mention users or reference issues.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from daily_papers.defaults import BODY_LIMIT, ISSUE_TITLE, SUMMARY_MAX_CHARS
from daily_papers.errors import ConfigError
from daily_papers.escape import (
    defuse_mentions,
    escape_cell,
    escape_link_text,
    escape_text,
    escape_url,
    one_line,
)
from daily_papers.models import Paper
from daily_papers.template_context import FOR_YOU

__all__ = [
    "BODY_LIMIT",
    "DIGEST_MARKER",
    "MIN_LIMIT",
    "PULL_REQUEST_MARKER",
    "body_length",
    "digest_body",
    "digest_title",
    "pull_request_body",
]

#: Smallest ``limit`` accepted: room for the fixed parts (marker, summary, notes, README link).
MIN_LIMIT = 4_000
#: Hidden first line of every digest body: tells a digest apart from other issues that happen
#: to carry the same label, for people and for tools.
DIGEST_MARKER = "<!-- daily-papers:digest -->"


def commit_marker(sha: str) -> str:
    """The hidden line naming the published commit a digest announces (hex only)."""
    return f"<!-- daily-papers:commit {''.join(c for c in sha if c in '0123456789abcdef')} -->"


#: Hidden first line of the update pull request's body.
PULL_REQUEST_MARKER = "<!-- daily-papers:pull-request -->"

# Caps applied before escaping, so no single item can eat the body (arXiv titles stay far
# below these; abstracts are limited to 1,920 characters by arXiv's submission form).
_TITLE_CAP = 300
_COMMENT_CAP = 300
_ABSTRACT_CAP = 2_500
_TOPIC_CAP = 200
_URL_CAP = 1_000
_FAILED_LIST_CAP = 50
_COUNT_ROWS_CAP = 100


def body_length(text: str) -> int:
    """Length as GitHub's limit is checked, conservatively: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cap(text: str | None, cap: int) -> str:
    """One line, at most ``cap`` characters (an ellipsis marks a cut)."""
    line = one_line(text)
    return line if len(line) <= cap else line[: cap - 1].rstrip() + "…"


def _text(value: str | None, cap: int) -> str:
    """Paper or topic text for running Markdown: capped, escaped, defused."""
    return escape_text(defuse_mentions(_cap(value, cap)))


def _cell(value: str | None, cap: int) -> str:
    """Text for a table cell: capped, escaped, defused."""
    return escape_cell(defuse_mentions(_cap(value, cap)))


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _readme_link(readme_url: str, text: str = "README") -> str:
    """``[README](url)``, or plain ``README`` when the URL is empty or absurdly long."""
    url = escape_url(readme_url)
    if not url or len(url) > _URL_CAP:
        return text
    return f"[{text}]({url})"


def _paper_url(paper: Paper) -> str:
    return escape_url(paper.link)


def _title_link(paper: Paper) -> str:
    title = escape_link_text(defuse_mentions(_cap(paper.title, _TITLE_CAP))) or escape_link_text(
        paper.id
    )
    return f"[{title}]({_paper_url(paper)})"


# --------------------------------------------------------------------------- titles


def digest_title(template: str, today: date) -> str:
    """The digest issue title: ``template`` with ``{date}`` replaced by ``today``.

    ``{date}`` gives ``YYYY-MM-DD``; a strftime format may follow a colon
    (``Papers of {date:%B %d, %Y}``).  ``{{`` and ``}}`` are literal braces.  Any other
    placeholder, attribute access or unbalanced brace is a :class:`ConfigError`, because the
    template comes from the user and a typo should fail before anything is published.
    """
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(
            f"The issue title template {template!r} is not valid: {exc}.",
            "Use {date} for the date and write literal braces as {{ and }}.",
        ) from exc
    for _literal, name, _spec, conversion in fields:
        if name is None:
            continue
        if name != "date" or conversion is not None:
            raise ConfigError(
                f"The issue title template {template!r} uses the unknown placeholder "
                f"{{{name}}}; only {{date}} is available.",
                "Use {date} (or {date:%B %d, %Y}) and write literal braces as {{ and }}.",
            )
    try:
        title = one_line(template.format(date=today))
    except ValueError as exc:
        raise ConfigError(
            f"The issue title template {template!r} has a bad date format: {exc}.",
            "Use a strftime format such as {date:%Y-%m-%d}.",
        ) from exc
    if not title:
        raise ConfigError(
            "The issue title template gives an empty title.",
            f"Use text such as {ISSUE_TITLE!r}.",
        )
    return title


# --------------------------------------------------------------------------- fitting


def _group_by_topic(new: Sequence[tuple[str, Paper]]) -> list[tuple[str, Paper]]:
    """Stable grouping: topics in order of first appearance, papers in given order."""
    order: dict[str, list[Paper]] = {}
    for topic, paper in new:
        order.setdefault(topic, []).append(paper)
    return [(topic, paper) for topic, papers in order.items() for paper in papers]


class _Layout:
    """Assembles a body from per-paper variants (most to least detailed) and cut points.

    ``cuts`` is non-decreasing: papers ``[0, cuts[0])`` are shown at variant 0 (most detail),
    ``[cuts[0], cuts[1])`` at variant 1 and so on; papers from ``cuts[-1]`` on are left out
    and counted in the tail.  ``head`` gets True when some listed paper lost detail.
    """

    def __init__(
        self,
        items: Sequence[tuple[str, tuple[str, ...]]],
        *,
        head: Callable[[bool], str],
        heading: Callable[[str], str],
        tail: Callable[[int], str],
    ) -> None:
        self.items = items
        self.head = head
        self.heading = heading
        self.tail = tail

    def build(self, cuts: Sequence[int]) -> str:
        parts = [self.head(cuts[0] < cuts[-1])]
        current: str | None = None
        listed = 0
        for index, (topic, variants) in enumerate(self.items):
            level = next((j for j, cut in enumerate(cuts) if index < cut), None)
            if level is None:
                break
            if topic != current:
                parts.append(self.heading(topic))
                current = topic
            parts.append(variants[level])
            listed += 1
        omitted = len(self.items) - listed
        if omitted:
            parts.append(self.tail(omitted))
        return "\n\n".join(p for p in parts if p) + "\n"


def _largest_fitting(low: int, high: int, fits: Callable[[int], bool]) -> int:
    """Largest ``k`` in ``[low, high]`` with ``fits(k)``, given ``fits(low)``.

    ``fits`` need only be monotone on ``[low, high - 1]``: ``high`` is tried on its own because
    reaching it can remove a note or the tail and so make the body *shorter*.
    """
    if fits(high):
        return high
    while low < high - 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def _fit(layout: _Layout, levels: int, limit: int, fallback: str) -> str:
    """The most detailed body within ``limit``: maximise papers listed, then detail."""
    count = len(layout.items)
    cuts = [0] * levels

    position = levels - 1

    def fits_with(value: int) -> bool:
        trial = cuts.copy()
        trial[position] = value
        return body_length(layout.build(trial)) <= limit

    if not fits_with(0):
        return fallback
    # Most papers listed at the least detail first (the last cut), then more detail for the
    # leading papers (the earlier cuts), each as large as still fits.
    for position in range(levels - 1, -1, -1):
        upper = cuts[position + 1] if position + 1 < levels else count
        cuts[position] = _largest_fitting(cuts[position], upper, fits_with)
    body = layout.build(cuts)
    return body if body_length(body) <= limit else fallback


def _check_limit(limit: int) -> None:
    if limit < MIN_LIMIT:
        raise ValueError(f"limit must be at least {MIN_LIMIT}, got {limit}")


# --------------------------------------------------------------------------- digest issue


def _digest_variants(paper: Paper, tldr: str | None = None, mark: str = "") -> tuple[str, str, str]:
    """Full, without abstract, bare link — each a Markdown list item.

    A For you paper's ``mark`` (score and why) follows the date; a one-line summary
    (model-written, so its URLs stay text) follows the comment."""
    line = f"- **{_title_link(paper)}** ({paper.published:%Y-%m-%d})"
    if mark:
        line += f" · {_text(mark, _COMMENT_CAP)}"
    comment = _text(paper.comment, _COMMENT_CAP)
    if comment:
        line += f" — {comment}"
    summary = escape_link_text(defuse_mentions(_cap(tldr, SUMMARY_MAX_CHARS)))
    if summary:
        line += f"<br>TL;DR: {summary}"
    abstract = _text(paper.abstract, _ABSTRACT_CAP)
    # The blank lines let GitHub render the abstract as Markdown inside the collapsed block
    # (an HTML block ends at a blank line); the two-space indent keeps it in the list item.
    full = (
        f"{line}\n\n  <details><summary>Abstract</summary>\n\n  {abstract}\n\n  </details>"
        if abstract
        else line
    )
    return full, line, f"- {_title_link(paper)}"


#: The For you group's key in a layout: a name no topic has (a fresh object's repr, never shown).
_FOR_YOU = str(object())


def digest_body(
    new: Sequence[tuple[str, Paper]],
    *,
    readme_url: str,
    commit_sha: str | None = None,
    limit: int = BODY_LIMIT,
    summaries: Mapping[str, str] | None = None,
    for_you: Sequence[tuple[Paper, str]] = (),
) -> str:
    """The digest issue body for ``new`` (topic name, paper) pairs, at most ``limit`` long.

    ``summaries`` (by versioned id) adds each paper's one-line summary when it has one.
    ``for_you`` (paper, its score and why) comes first, under its own heading, in that order.

    Starts with :data:`DIGEST_MARKER` and, with ``commit_sha``, the hidden line
    :func:`commit_marker` that says which published update the digest announces; one ``##``
    heading per topic (topics in the order first given), then a list item per paper: bold
    title link to the latest version, the first-version date, the comment, and the abstract
    collapsed in ``<details>``.  When that
    is too long, detail is shed as the module docstring describes.  ``limit`` below
    :data:`MIN_LIMIT` is a programming error (``ValueError``).
    """
    _check_limit(limit)
    grouped = _group_by_topic(new)
    readme = _readme_link(readme_url)
    total = len(grouped)
    marker = (
        DIGEST_MARKER if commit_sha is None else f"{DIGEST_MARKER}\n{commit_marker(commit_sha)}"
    )
    per_topic: dict[str, int] = {}
    for topic, _paper in grouped:
        per_topic[topic] = per_topic.get(topic, 0) + 1

    def head(reduced: bool) -> str:
        text = (
            f"{marker}\n**{_plural(total, 'new paper')}** in "
            f"{_plural(len(per_topic), 'topic')} since the last update; the {readme} lists "
            "all papers."
        )
        if reduced:
            text += (
                "\n\n_Some abstracts or details are left out to stay within GitHub's "
                f"{BODY_LIMIT:,}-character limit._"
            )
        return text

    def heading(topic: str) -> str:
        if topic is _FOR_YOU:
            return f"## {FOR_YOU} ({len(for_you):,} best against your library)"
        name = _text(topic, _TOPIC_CAP) or "(unnamed topic)"
        return f"## {name} ({per_topic[topic]:,} new)"

    def tail(omitted: int) -> str:
        return f"… and {omitted:,} more — see {readme}."

    texts = summaries or {}
    layout = _Layout(
        [
            (_FOR_YOU, _digest_variants(paper, texts.get(paper.versioned_id), mark))
            for paper, mark in for_you
        ]
        + [
            (topic, _digest_variants(paper, texts.get(paper.versioned_id)))
            for topic, paper in grouped
        ],
        head=head,
        heading=heading,
        tail=tail,
    )
    fallback = f"{marker}\n**{_plural(total, 'new paper')}** — see the {readme}.\n"
    return _fit(layout, 3, limit, fallback)


# --------------------------------------------------------------------------- pull request


def pull_request_body(
    new: Sequence[tuple[str, Paper]],
    *,
    counts: Sequence[tuple[str, int, int]],
    readme_url: str,
    failed_topics: Sequence[str] = (),
    since_last_update: int | None = None,
    limit: int = BODY_LIMIT,
) -> str:
    """The update pull request's body, at most ``limit`` long.

    ``since_last_update`` (when the pull request already existed) is how many of the papers
    are new since its previous update, so a reviewer sees what changed since they last looked.

    ``counts`` holds ``(topic, fetched, kept)`` per topic: papers arXiv returned this run and
    papers the README now shows; the new-paper count per topic comes from ``new``.  Failed
    topics are named in a warning (their previous papers stay).  Then the new papers per topic
    as title link + first-version date; when they don't fit, papers are cut from the end and
    "and N more — see README" links the README.
    """
    _check_limit(limit)
    grouped = _group_by_topic(new)
    readme = _readme_link(readme_url)
    new_per_topic: dict[str, int] = {}
    for topic, _paper in grouped:
        new_per_topic[topic] = new_per_topic.get(topic, 0) + 1

    lines = [PULL_REQUEST_MARKER]
    if grouped:
        lines.append(f"This update adds **{_plural(len(grouped), 'new paper')}** to the {readme}.")
    else:
        lines.append(f"No new papers: this update refreshes papers already in the {readme}.")
    if since_last_update is not None:
        since = _plural(since_last_update, "new paper")
        lines.append(f"Since the last update of this pull request: {since}.")
    if counts:
        lines += ["", "| Topic | Fetched | Shown | New |", "| --- | ---: | ---: | ---: |"]
        for topic, fetched, kept in counts[:_COUNT_ROWS_CAP]:
            name = _cell(topic, _TOPIC_CAP)
            lines.append(f"| {name} | {fetched:,} | {kept:,} | {new_per_topic.get(topic, 0):,} |")
        if len(counts) > _COUNT_ROWS_CAP:
            lines.append(f"| … and {len(counts) - _COUNT_ROWS_CAP:,} more topics | | | |")
    if failed_topics:
        names = ", ".join(_text(name, _TOPIC_CAP) for name in failed_topics[:_FAILED_LIST_CAP])
        if len(failed_topics) > _FAILED_LIST_CAP:
            names += f" and {len(failed_topics) - _FAILED_LIST_CAP:,} more"
        lines += [
            "",
            f"**Fetching failed for:** {names}. Their previous papers are kept; see the "
            "workflow log for the errors.",
        ]
    header = "\n".join(lines)

    def heading(topic: str) -> str:
        name = _text(topic, _TOPIC_CAP) or "(unnamed topic)"
        return f"### {name} ({new_per_topic[topic]:,} new)"

    def tail(omitted: int) -> str:
        return f"… and {omitted:,} more — see {readme}."

    layout = _Layout(
        [
            (topic, (f"- {_title_link(paper)} ({paper.published:%Y-%m-%d})",))
            for topic, paper in grouped
        ],
        head=lambda _reduced: header,
        heading=heading,
        tail=tail,
    )
    fallback = (
        f"{PULL_REQUEST_MARKER}\nThis update adds **{_plural(len(grouped), 'new paper')}** — "
        f"see the {readme}.\n"
    )
    return _fit(layout, 1, limit, fallback)
