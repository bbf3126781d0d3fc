"""Replace the text between two marker comments in a README, touching nothing else.

A README names the place for the papers with two HTML comments, by default::

    <!-- daily-papers:start -->
    <!-- daily-papers:end -->

``--marker NAME`` makes them ``<!-- NAME:start -->`` / ``<!-- NAME:end -->`` so several blocks
can live in one file.  Rules, each learned from a README that another tool destroyed:

* **Slicing, never regex replacement.**  The new text is joined with ``str`` slices, so LaTeX
  backslashes in abstracts (``\\alpha``, ``\\1``) are never read as replacement-template escapes
  (simonw's ``re.sub`` pattern turned ``\\alpha`` into BEL + ``lpha``).
* **Exactly one start and one end, end after start**, found with plain ``str.find``.  Missing,
  single, duplicated or reversed markers are a :class:`~daily_papers.errors.ReadmeError` that
  names the file and prints the two lines to add; nothing is written.  An empty or odd marker
  name is a :class:`~daily_papers.errors.ConfigError` (an empty marker once let another tool
  replace a whole README).
* **Markers may sit anywhere** -- on their own lines (recommended) or inside a line.  Only the
  exact comment text counts; a near miss (other case or spacing) is reported in the error to
  help.  Because the count covers the whole file, a README that *shows* the markers in a code
  block must spell them differently there (e.g. with ``&lt;!--``).
* **Everything outside the markers is kept byte for byte**: BOM, CRLF, tabs, a missing final
  newline.  The markers themselves are kept too.
* **Line endings**: the new block uses ``\\r\\n`` when the line the start marker is on ends in
  ``\\r\\n`` (else the first line ending of the file; else ``\\n``), so a CRLF README does not
  get a mixed-ending diff.
* **Layout**: exactly one line ending after the start marker and one before the end marker;
  an empty block gives the two markers on consecutive lines.  Hence splicing is idempotent.
* The block must not contain either marker (a user template could print it); that would break
  the next run, so it is a :class:`~daily_papers.errors.TemplateError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from daily_papers.errors import ConfigError, ReadmeError, TemplateError

__all__ = ["DEFAULT_MARKER", "current_block", "marker_lines", "splice"]

DEFAULT_MARKER = "daily-papers"

# Letters, digits, "_", "." and single "-" (HTML comments must not contain "--"); first
# character alphanumeric; short enough to type.
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.]|-(?!-)){0,63}")


def marker_lines(name: str = DEFAULT_MARKER) -> tuple[str, str]:
    """The two marker comments for ``name``: ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.

    Raises ConfigError unless ``name`` is 1-64 letters, digits, ``_``, ``.`` or single ``-``
    starting with a letter or digit (no ``--``, no ``>``, no spaces: the name sits inside an
    HTML comment).
    """
    if not _NAME.fullmatch(name):
        raise ConfigError(
            f"The marker name {name!r} is not usable inside an HTML comment.",
            "Use 1-64 letters, digits, '_', '.' or single '-' starting with a letter or digit, "
            f"e.g. {DEFAULT_MARKER!r}.",
        )
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


@dataclass(frozen=True)
class _Span:
    """Where the markers are: ``inner_start``/``inner_end`` delimit the text between them."""

    inner_start: int
    inner_end: int


def _line_number(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    index = text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + len(needle))
    return found


def _near_misses(text: str, name: str, exact: tuple[str, str]) -> list[str]:
    """Comments that look like our markers but differ in case or spacing, with line numbers."""
    pattern = re.compile(r"<!--\s*" + re.escape(name) + r"\s*:\s*(?:start|end)\s*-->", re.I)
    return [
        f"line {_line_number(text, m.start())}: {m.group(0)}"
        for m in pattern.finditer(text)
        if m.group(0) not in exact
    ]


def _locate(text: str, marker: str, path: str) -> _Span:
    start, end = marker_lines(marker)
    add = f"Add these two lines where the papers should appear:\n{start}\n{end}"
    starts, ends = _occurrences(text, start), _occurrences(text, end)
    if len(starts) == 1 and len(ends) == 1 and starts[0] < ends[0]:
        return _Span(starts[0] + len(start), ends[0])

    if not starts and not ends:
        problem = f"{path} has no {start} / {end} markers"
    elif len(starts) > 1 or len(ends) > 1:
        lines = ", ".join(str(_line_number(text, i)) for i in sorted(starts + ends))
        problem = f"{path} has {len(starts)} {start} and {len(ends)} {end} markers (lines {lines})"
        add = f"Keep exactly one of each, in this order:\n{start}\n{end}"
    elif not starts or not ends:
        missing, present = (start, ends) if not starts else (end, starts)
        problem = (
            f"{path} has no {missing} marker to go with the one on line "
            f"{_line_number(text, present[0])}"
        )
    else:
        problem = (
            f"{path} has its {end} marker (line {_line_number(text, ends[0])}) before its "
            f"{start} marker (line {_line_number(text, starts[0])})"
        )
        add = f"Put them in this order:\n{start}\n{end}"
    near = _near_misses(text, marker, (start, end))
    if near:
        problem += "; these comments look similar but do not match exactly: " + "; ".join(near)
    raise ReadmeError(problem + ".", add)


def _line_ending(text: str, index: int) -> str:
    """``\\r\\n`` if the line containing ``index`` ends with CRLF (or, failing that, the file's
    first line does), else ``\\n``."""
    newline = text.find("\n", index)
    if newline == -1:
        newline = text.find("\n")
    if newline > 0 and text[newline - 1] == "\r":
        return "\r\n"
    return "\n"


def current_block(text: str, *, marker: str = DEFAULT_MARKER, path: str = "README.md") -> str:
    """The text between the markers now, exactly as it is (including the line endings).

    Raises ReadmeError (markers missing, duplicated or reversed) or ConfigError (bad name).
    """
    span = _locate(text, marker, path)
    return text[span.inner_start : span.inner_end]


def splice(text: str, block: str, *, marker: str = DEFAULT_MARKER, path: str = "README.md") -> str:
    """Return ``text`` with everything between the markers replaced by ``block``.

    Leading and trailing newlines of ``block`` are dropped and its ``\\n``/``\\r\\n`` endings
    unified; it is laid out as ``START<eol>block<eol>END`` with the README's line ending
    (``START<eol>END`` when empty).
    Everything before the start marker's last character and after the end marker's first is
    returned unchanged.  ``path`` only names the file in errors.
    """
    span = _locate(text, marker, path)
    start, end = marker_lines(marker)
    for line in (start, end):
        if line in block:
            raise TemplateError(
                f"The text rendered for {path} contains the marker {line} itself, which would "
                "break the next update.",
                "Remove the marker text from the template.",
            )
    eol = _line_ending(text, span.inner_start - len(start))
    # Each str operation below copies the block; skip the ones with nothing to do, because a
    # block of tens of megabytes with non-ASCII text costs four bytes per character per copy.
    body = block.replace("\r\n", "\n").replace("\r", "\n") if "\r" in block else block
    body = body.strip("\n")
    if eol != "\n":
        body = body.replace("\n", eol)
    middle = (eol, body, eol) if body else (eol,)
    return "".join((text[: span.inner_start], *middle, text[span.inner_end :]))
