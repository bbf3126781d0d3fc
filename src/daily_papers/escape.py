"""The one escaper: remote text (paper data, error bodies) made safe for where it is shown.

Markdown contexts (table cell, inline text, link text, URL) are for the README, summaries and
issue/PR bodies; :func:`console_text` is for log lines and terminal output.

Titles, abstracts, comments and author names come from arXiv and may contain anything: LaTeX
(``$p(u | x)$``, ``\\alpha``, ``x_1``), HTML-looking text (``<script>``, ``<!--``), ampersands,
non-ASCII names, stray newlines.  DailyArXiv pasted them in raw and one ``|`` in an abstract
broke its table for two weeks.  The functions
here turn such text into Markdown that github.com renders as *exactly that text*, on one line,
without creating structure.  The PR/issue-body builders import them too, which is why this
module has no jinja2 dependency.

Decisions, and the cmark-gfm facts (GitHub's renderer; checked with the ``cmarkgfm`` wheel in
``tests/test_escape.py``) they rely on:

* **One line.**  A GFM table row ends at the first line break, and a blank line inside
  ``<details>`` ends the table, so every run of whitespace (``str.split`` whitespace: newlines,
  tabs, ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1f``, NEL, U+2028/2029, NBSP ...) becomes one
  space and the ends are stripped.  Other C0/C1 control characters and lone surrogates are
  dropped (cmark turns NUL into U+FFFD; XML 1.0 forbids them; surrogates cannot be UTF-8).
  Newlines become spaces, not ``<br>``: arXiv's line breaks are hard wrapping, not meaning
  (DailyArXiv does the same).
* **Pipes.**  cmark-gfm splits a row on every ``|`` that is not written ``\\|`` -- *before*
  inline parsing, so even inside code spans and raw HTML -- and silently drops surplus cells,
  which can leave a ``<details>`` unclosed.  ``|`` is always written ``\\|``.
* **Backslashes.**  ``\\`` is written ``\\\\``.  Markdown treats ``\\`` before ASCII
  punctuation as an escape, so ``\\{`` would otherwise render as ``{`` and a trailing ``\\``
  would pair with the next character we emit.  With the doubling, cmark-gfm shows the original
  text (``\\alpha`` stays ``\\alpha``) and the table scanner still sees ``\\\\\\|`` as a
  backslash plus an escaped pipe (verified: it renders ``\\|``).  github.com applies these
  Markdown escapes *before* its MathJax pass (microsoft/vscode#208430: ``$\\{a\\}$`` loses its
  braces on GitHub, ``$\\\\{a\\\\}$`` keeps them), so doubling is also what keeps
  ``$\\{x\\}$`` intact as math there.  *Inferred from that report, not observable offline.*
* **Emphasis, code, links, strikethrough.**  ``*``, ``_``, backtick, ``[``, ``]`` and ``~``
  are backslash-escaped.  Besides changing the look, they can pair *across* our own HTML: a
  backtick in a comment's 5-character summary and another in the full comment would make a
  code span that swallows ``</summary><p>``.  For the same math reason as above, ``\\_`` and
  ``\\*`` reach MathJax as ``_`` and ``*``.  ``$`` is left alone so github.com still renders
  inline math; cmark-gfm itself leaves math literal.
* **HTML.**  ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;``, ``&gt;``.  So no tag (the GFM
  tagfilter only neutralises a few, and ``UNSAFE`` rendering -- needed for ``<details>`` --
  keeps the rest), no comment, and above all no ``<!-- NAME:end -->`` marker can ever appear in
  the output: paper text cannot forge or break the README markers.  ``&`` is escaped so that
  ``&alpha;`` in an abstract shows as written instead of becoming an entity.  Quotes are not
  escaped: these functions make *Markdown text*, not HTML attribute values.
* **URLs.**  GFM's autolink extension turns ``https://...``/``www.`` text into links using the
  *raw* source, so escapes inside would show (``github.com/a/my\\_repo``, verified).  URLs in
  text are therefore emitted as explicit ``[url](url)`` links (escaped text, percent-encoded
  destination; trailing ``.,:;!?*_~'"`` and an unbalanced ``)`` stay outside, as in GFM), and a
  URL prefix that leads nowhere gets its trigger broken (``www\\.``).  A ``!`` right before such
  a link is escaped (``![`` would be an image).  Inside link text (:func:`escape_link_text`)
  nothing is linked: cmark-gfm does not autolink there and links cannot nest.
* **Non-ASCII** is kept as is (names like "Ramírez" and symbols like "α" are fine in UTF-8
  Markdown).
* **Block starts** matter only outside tables (:func:`escape_text`): ``#`` is always escaped
  (a trailing ``#`` run would be eaten as a heading's closing sequence) and a leading ``-``,
  ``+``, ``=`` or ``1.``/``1)`` is escaped so list items cannot nest lists or rules.

Not reproducible offline and therefore not handled: GitHub's own post-processing of
``@mentions``, ``#123`` references and ``:emoji:`` (harmless in a README; PR/issue bodies may
want to wrap such text in code spans), and its HTML sanitizer.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from daily_papers.defaults import README_RENDER_LIMIT

__all__ = [
    "console_text",
    "defuse_mentions",
    "escape_cell",
    "escape_link_text",
    "escape_text",
    "escape_trusted_cell",
    "escape_url",
    "neutral_bidi",
    "one_line",
    "size_warning",
]


# Characters that have inline Markdown meaning in cmark-gfm and are escaped with a backslash
# (str.translate maps each input character once, so escapes are never escaped again).
_BACKSLASH_ESCAPED = "\\`*_[]|~"
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_TABLE = str.maketrans(
    {**{c: "\\" + c for c in _BACKSLASH_ESCAPED}, **_HTML_ESCAPES},
)
_TEXT = str.maketrans(
    {**{c: "\\" + c for c in _BACKSLASH_ESCAPED + "#"}, **_HTML_ESCAPES},
)
# Text that GFM's autolink extension would turn into a link.  It takes the *raw* source text as
# the URL, so escapes in it would show (``a\\_b``); such URLs are emitted as explicit
# ``[text](href)`` links instead, whose text is escaped normally.  A URL stops at characters that
# real URLs practically never contain but that matter to Markdown or LaTeX (``\\url{...}``).
_URL = re.compile(r"(https?://|ftp://|www\.)[^\s<>|\\`{}\[\]\"]*", re.IGNORECASE)
_URL_BODY = re.compile(r"[^\W_]")
_URL_TRAILING = "?!.,:;*_~'\""
# A line starting with one of these could open a list, a thematic break or an ordered list.
_LEADING_BLOCK = re.compile(r"^(?:[-+=]|\d{1,9}[.)])")

# Characters kept as they are in a URL: RFC 3986 unreserved and reserved characters plus "%"
# (to keep existing percent-escapes), minus "(" and ")" (they end or unbalance a Markdown
# link destination) and "'" (kept out for HTML attribute hygiene).  Everything else --
# spaces, "|", "\\", "<", ">", '"', backtick, braces, non-ASCII -- is percent-encoded (UTF-8).
_URL_SAFE = "-._~:/?#[]@!$&*+,;=%"


#: Explicit embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder
#: what follows them up to the end of the line or cell, so remote text could show one thing
#: and be another ("Trojan Source").  Always dropped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Implicit marks (LRM, RLM, ALM): legitimate only next to right-to-left letters; in other
#: text they can only move digits and punctuation around, so they are dropped there.
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def neutral_bidi(text: str) -> str:
    """``text`` without bidirectional controls, and without bidi marks unless it holds
    right-to-left letters.  Applied where remote text enters (:class:`~daily_papers.models.Paper`)
    and in :func:`one_line`, so no output can show reordered text."""
    if text.isprintable():  # every bidi control and mark is a format character (Cf)
        return text
    text = _BIDI_CONTROLS.sub("", text)
    if _BIDI_MARKS.search(text):
        unmarked = _BIDI_MARKS.sub("", text)  # RLM and ALM are right-to-left themselves
        if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in unmarked):
            text = unmarked
    return text


def one_line(text: str | None) -> str:
    """Drop control characters, bidi controls and lone surrogates, collapse whitespace runs
    to one space, strip.

    ``None`` gives ``""``.  This is the only normalisation; everything else is escaping.
    """
    if not text:
        return ""
    if not text.isprintable():
        text = "".join(
            ch
            for ch in neutral_bidi(text)
            if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")
        )
    return " ".join(text.split())


def _escaped(text: str, table: dict[int, str]) -> str:
    return text.translate(table)


def _url_end(candidate: str) -> int:
    """Where a URL found in text really ends, following GFM's autolink rules: trailing
    ``?!.,:;*_~'"`` are punctuation of the sentence, and so is a ``)`` without its ``(``."""
    end = len(candidate)
    while end:
        char = candidate[end - 1]
        if char in _URL_TRAILING or (
            char == ")" and candidate.count(")", 0, end) > candidate.count("(", 0, end)
        ):
            end -= 1
        else:
            break
    return end


def _with_links(line: str, table: dict[int, str]) -> str:
    """Escape ``line``, turning the URLs in it into explicit ``[url](url)`` links.

    A URL prefix that does not lead to a usable URL (``www.`` alone, ``http://.``) gets its
    autolink trigger broken instead (``www\\.``, ``http\\://``): cmark-gfm would otherwise
    autolink it together with the raw escapes that follow.
    """
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        prefix = match.group(1)
        url = match.group(0)[: _url_end(match.group(0))]
        before = _escaped(line[position : match.start()], table)
        if not _URL_BODY.search(url, len(prefix)):
            parts.append(before + _break_trigger(prefix))
            position = match.start() + len(prefix)
            continue
        if before.endswith("!"):  # "![" would make the link an image
            before = before[:-1] + "\\!"
        # schemes are case-blind but checks for "https://" are not: the link gets a lower one
        href = prefix.lower() + url[len(prefix) :] if "://" in prefix else "http://" + url
        parts.append(before)
        parts.append(f"[{_escaped(url, _TABLE)}]({escape_url(href)})")
        position = match.start() + len(url)
    parts.append(_escaped(line[position:], table))
    return "".join(parts)


def _break_trigger(prefix: str) -> str:
    """``www.`` -> ``www\\.`` and ``http://`` -> ``http\\://``: same text, no autolink."""
    if prefix.endswith("."):
        return prefix[:-1] + "\\."
    return prefix[:-3] + "\\://"


def escape_cell(text: str | None) -> str:
    """Make ``text`` safe and literal inside a GFM table cell (also inside ``<details><p>``).

    The result is one line, contains no raw ``|``, ``<``, ``>`` or ``&`` (so no HTML, no
    comment and no marker), and renders in cmark-gfm as the input with its whitespace
    collapsed.  URLs (``http(s)://``, ``ftp://``, ``www.``) become explicit links.  ``None``
    gives ``""``.  Do not use it *inside* link text (a link cannot contain a link): use
    :func:`escape_link_text` there.
    """
    return _with_links(one_line(text), _TABLE)


def escape_text(text: str | None) -> str:
    """Like :func:`escape_cell`, for inline text outside tables (headings, list items).

    Additionally escapes ``#`` and a leading ``-``, ``+``, ``=`` or ``1.``/``1)`` so the text
    cannot close a heading early or start a nested list or rule when it begins a line.
    """
    escaped = _with_links(one_line(text), _TEXT)
    match = _LEADING_BLOCK.match(escaped)
    if match:
        end = match.end()
        escaped = escaped[: end - 1] + "\\" + escaped[end - 1 :]
    return escaped


def escape_link_text(text: str | None) -> str:
    """Text for the ``[...]`` of a Markdown link (e.g. a paper title), in or outside tables.

    Same escaping as :func:`escape_cell` but URLs stay text: a link inside link text would
    take precedence and leave the outer ``[`` and ``](...)`` as literal text.  cmark-gfm does
    not autolink inside link text, so the escapes are all processed and the text shows as is.
    """
    return _escaped(one_line(text), _TABLE)


def escape_url(url: str | None) -> str:
    """Percent-encode ``url`` for a Markdown link destination ``(...)``, inside or outside tables.

    arXiv URLs (``https://arxiv.org/abs/2401.00001v2``) pass unchanged.  Spaces, ``(``, ``)``,
    ``|``, ``\\``, ``<``, ``>``, quotes, backticks, control and non-ASCII characters are
    percent-encoded: a space or ``)`` would end the destination, a ``|`` would split a table
    row, a backtick could open a code span that swallows the rest of the cell.  Existing
    ``%XX`` escapes are kept.  The scheme is not checked: callers pass URLs they built.
    """
    if not url:
        return ""
    return quote(url.strip(), safe=_URL_SAFE)


def size_warning(text: str | bytes, *, limit: int = README_RENDER_LIMIT) -> str | None:
    """A warning sentence when ``text`` is larger than GitHub renders, else ``None``.

    github.com shows only the first 512,000 bytes of a README (isaacs/github#1610); the
    DailyArXiv README sits at 378-428 KB with 100 papers per keyword and abstracts, so a few
    more topics push it over.  ``str`` is measured as UTF-8.
    """
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size <= limit:
        return None
    return (
        f"The README is {size:,} bytes, more than the {limit:,} bytes GitHub renders, so the end "
        "of it will not be shown; lower max-count or use the compact template "
        "(--template compact)."
    )


def defuse_mentions(text: str) -> str:
    """Stop GitHub from turning paper text into mentions and issue references; URLs untouched.

    In issue and pull-request bodies github.com links ``@name`` (and notifies that user) and
    turns ``#12`` / ``owner/repo#12`` into cross-references; paper comments such as "workshop
    @ICST" would ping strangers.  Markdown escapes don't help (the filter runs on the rendered
    text), so a zero-width space goes after every ``@`` and ``#`` -- outside URLs, where it
    would break the address (``…/page#section``).  Apply it before escaping.
    """
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        parts.append(_MENTION.sub("\\g<0>\u200b", text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_MENTION.sub("\\g<0>\u200b", text[position:]))
    return "".join(parts)


_MENTION = re.compile("[@#]")


def escape_trusted_cell(text: str) -> str:
    """Our own Markdown (from ``action.yml``) in a table cell: one line, ``|`` escaped, rest kept.

    The text is trusted and may use Markdown on purpose (code spans, links); only what would
    break the table changes.
    """
    return " ".join(text.split()).replace("|", "\\|")


def console_text(text: str | None) -> str:
    """Remote text for one log or terminal line: no control characters, no line breaks.

    A CR, LF or other control character inside paper data or an error body could start a new
    line that the Actions runner reads as a workflow command (``::error``, ``##[...]``), or move
    a terminal's cursor.  Line breaks (also U+2028/2029 and NEL) become spaces, other control
    characters and lone surrogates are dropped, runs of spaces collapse: :func:`one_line`.
    """
    return one_line(text)
