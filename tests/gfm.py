"""Render Markdown as github.com does (cmark-gfm) and describe the resulting structure.

GitHub's renderer is cmark-gfm; the ``cmarkgfm`` wheel is the same C library.  The ``UNSAFE``
option keeps raw HTML such as ``<details>`` (github.com keeps it too; without the option every
tag becomes ``<!-- raw HTML omitted -->``); the GFM tagfilter still neutralises ``<script>``.
GitHub's later HTML sanitizer, math and mention passes are not reproducible offline, so the
tests check *structure*: tables, rows, cells, balanced ``<details>``, and the visible text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options


def to_html(markdown: str) -> str:
    """HTML from cmark-gfm with GitHub's extensions and raw HTML kept."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return html


@dataclass
class Cell:
    """One ``<td>``/``<th>``: its visible text and the HTML tags opened/closed inside it."""

    text: str = ""
    opened: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)

    def balanced(self, tag: str) -> bool:
        return self.opened.get(tag, 0) == self.closed.get(tag, 0)


@dataclass
class Table:
    header: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Shape:
    """What a rendered document contains, as far as the tests care."""

    tables: list[Table] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    list_items: list[str] = field(default_factory=list)
    start_tags: dict[str, int] = field(default_factory=dict)
    end_tags: dict[str, int] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


class _ShapeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape = Shape()
        self._cell: Cell | None = None
        self._in_head = False
        self._text_sink: list[str] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.start_tags[tag] = self.shape.start_tags.get(tag, 0) + 1
        if tag == "table":
            self.shape.tables.append(Table())
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head and self.shape.tables:
            self.shape.tables[-1].rows.append([])
        elif tag in ("td", "th"):
            self._cell = Cell()
            table = self.shape.tables[-1]
            (table.header if self._in_head else table.rows[-1]).append(self._cell)
        elif self._cell is not None:
            self._cell.opened[tag] = self._cell.opened.get(tag, 0) + 1
        if tag in ("h1", "h2", "h3", "li"):
            self._buffer = []
            self._text_sink = self._buffer

    def handle_endtag(self, tag: str) -> None:
        self.shape.end_tags[tag] = self.shape.end_tags.get(tag, 0) + 1
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th"):
            self._cell = None
        elif self._cell is not None:
            self._cell.closed[tag] = self._cell.closed.get(tag, 0) + 1
        if tag in ("h1", "h2", "h3"):
            self.shape.headings.append("".join(self._buffer))
            self._text_sink = None
        elif tag == "li":
            self.shape.list_items.append("".join(self._buffer))
            self._text_sink = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._text_sink is not None:
            self._text_sink.append(data)

    def handle_comment(self, data: str) -> None:
        self.shape.comments.append(data)


def shape_of(markdown: str) -> Shape:
    """Render ``markdown`` with cmark-gfm and describe what came out."""
    parser = _ShapeParser()
    parser.feed(to_html(markdown))
    parser.close()
    return parser.shape
