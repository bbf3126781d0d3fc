"""A BibTeX file of the papers shown in the README block, one ``@misc`` entry per paper.

Readers of a paper list want to cite from it; a ``.bib`` next to the README is the form every
reference manager imports.  The file is committed with the README, so it must not change when
the papers do not: entries are sorted by key, fields come in a fixed order, and nothing in it
depends on the run (no date, no version).

Each entry::

    @misc{arXiv:2401.00001,
      title = {{Deep} {Learning} for $\\omega$-Regular {Games}},
      author = {Ada Lovelace and Alan Turing},
      year = {2024},
      eprint = {2401.00001},
      archivePrefix = {arXiv},
      primaryClass = {cs.LG},
      url = {https://arxiv.org/abs/2401.00001},
      doi = {10.48550/arXiv.2401.00001}
    }

* the key is ``arXiv:`` and the versionless id, with ``/`` of old-style ids replaced by
  ``_`` (``arXiv:hep-th_9901001``): stable across versions and runs, unique per paper;
* every title word with a capital is braced, so bibliography styles that lower-case titles
  keep ``GitHub``, ``LLMs`` and names as written; LaTeX in the title is kept;
* ``&``, ``%``, ``#`` and ``_`` outside ``$...$`` are escaped; braces are always balanced,
  plain and escaped ones each on their own (an unmatched one becomes ``\\textbraceleft{}`` /
  ``\\textbraceright{}``), and a lone trailing backslash is ``\\textbackslash{}``, so BibTeX,
  pybtex and bibtexparser read every entry alike;
* identifier fields (``doi``, ``url``, ``eprint``) lose braces, whitespace and backslashes;
* ``doi`` is the paper's own DOI when it has one, else arXiv's DataCite DOI.

Pure: papers in, bytes out (UTF-8, LF, one blank line between entries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from daily_papers.models import Paper, keep_newest

__all__ = ["ARXIV_DOI_PREFIX", "bibtex_key", "render_bibtex"]

#: arXiv registers a DataCite DOI for every paper: this prefix plus the versionless id.
ARXIV_DOI_PREFIX = "10.48550/arXiv."

_SPECIAL = frozenset("&%#_")
_AND = re.compile(r"\band\b", re.IGNORECASE)


def bibtex_key(paper: Paper) -> str:
    """``arXiv:<versionless id>``, ``/`` replaced by ``_`` (keys cannot hold every character)."""
    return "arXiv:" + paper.id.replace("/", "_")


def _math_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each ``$...$`` / ``$$...$$`` span; a lone trailing ``$`` is text."""
    spans: list[tuple[int, int]] = []
    index = 0
    while True:
        start = _unescaped(text, "$", index)
        if start < 0:
            return spans
        double = text.startswith("$$", start)
        opener = "$$" if double else "$"
        end = text.find(opener, start + len(opener))
        while end > 0 and text[end - 1] == "\\":
            end = text.find(opener, end + 1)
        if end < 0:
            return spans
        spans.append((start, end + len(opener)))
        index = end + len(opener)


def _unescaped(text: str, char: str, start: int) -> int:
    index = text.find(char, start)
    while index > 0 and text[index - 1] == "\\":
        index = text.find(char, index + 1)
    return index


def _escape_specials(text: str) -> str:
    """Backslash ``& % # _`` outside math unless already escaped; a stray ``$`` too."""
    spans = _math_spans(text)
    out: list[str] = []
    position = 0
    for start, end in [*spans, (len(text), len(text))]:
        for index in range(position, start):
            char = text[index]
            escaped = index > 0 and text[index - 1] == "\\"
            if (char in _SPECIAL or char == "$") and not escaped:
                out.append("\\")
            out.append(char)
        out.append(text[start:end])
        position = end
    return "".join(out)


def _balance(text: str) -> str:
    """Make every brace readable alike by BibTeX and by parsers that skip ``\\{``/``\\}``.

    BibTeX and pybtex count every brace; bibtexparser ignores one right after a backslash.
    Both agree when the escaped braces pair among themselves and the plain ones among
    themselves, so each kind is balanced on its own: an unmatched one becomes
    ``\\textbraceleft{}`` / ``\\textbraceright{}``.  A brace after ``\\\\`` (a line break)
    gets a space between, and a lone trailing backslash, which would escape the field's
    closing brace, becomes ``\\textbackslash{}``.
    """
    out: list[str] = []
    open_at: dict[bool, list[int]] = {False: [], True: []}
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1 : index + 2]
            if following == "":
                out.append("\\textbackslash{}")
            elif following == "\\":
                out.append("\\\\ " if text[index + 2 : index + 3] in ("{", "}") else "\\\\")
            elif following in "{}":
                _brace(out, open_at[True], "\\" + following)
            else:
                out.append(char + following)
            index += 2
            continue
        if char in "{}":
            _brace(out, open_at[False], char)
        else:
            out.append(char)
        index += 1
    for index in open_at[False] + open_at[True]:
        out[index] = "\\textbraceleft{}"
    return "".join(out)


def _brace(out: list[str], open_at: list[int], brace: str) -> None:
    """Append ``brace`` (plain or escaped), pairing a closing one with its kind's last opener."""
    if brace.endswith("{"):
        open_at.append(len(out))
        out.append(brace)
    elif open_at:
        open_at.pop()
        out.append(brace)
    else:
        out.append("\\textbraceright{}")


def _tex_text(text: str) -> str:
    return _balance(_escape_specials(" ".join(text.split())))


def _words(text: str) -> list[str]:
    """Split at spaces that are outside braces and math, so no group is cut in two."""
    words: list[str] = []
    current: list[str] = []
    depth, math = 0, False
    for index, char in enumerate(text):
        escaped = index > 0 and text[index - 1] == "\\"
        if char == "$" and not escaped:
            math = not math
        elif char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth -= 1
        if char == " " and depth == 0 and not math:
            words.append("".join(current))
            current = []
        else:
            current.append(char)
    words.append("".join(current))
    return [w for w in words if w]


def _title(text: str) -> str:
    """Brace each word holding a capital (outside a command name) so styles keep its case."""
    words = _words(_tex_text(text))
    braced = []
    for word in words:
        letters = re.sub(r"\\[A-Za-z]+", "", word)
        protect = any(ch.isupper() for ch in letters) and not (
            word.startswith("{") and word.endswith("}") and _balance(word[1:-1]) == word[1:-1]
        )
        braced.append("{" + word + "}" if protect else word)
    return " ".join(braced)


def _author(name: str) -> str:
    """One name; a name containing the word "and" (a collaboration) is braced whole."""
    text = _tex_text(name)
    return "{" + text + "}" if _AND.search(text) else text


def _plain(value: str) -> str:
    """A URL or identifier field: no braces, no whitespace (they would end the field) and no
    backslash (a trailing one escapes the closing brace; none belongs in a DOI or URL)."""
    return re.sub(r"[\s{}\\]", "", value)


def _entry(paper: Paper) -> str:
    doi = _plain(paper.doi.split()[0]) if paper.doi and paper.doi.split() else ""
    fields = (
        ("title", _title(paper.title)),
        ("author", " and ".join(_author(a) for a in paper.authors if a.strip())),
        ("year", f"{paper.published.year:04d}"),
        ("eprint", _plain(paper.id)),
        ("archivePrefix", "arXiv"),
        ("primaryClass", _plain(paper.primary_category)),
        ("url", _plain(paper.stable_link)),
        ("doi", doi or ARXIV_DOI_PREFIX + _plain(paper.id)),
    )
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n"


def render_bibtex(papers: Iterable[Paper]) -> bytes:
    """The ``.bib`` bytes for ``papers``: one entry per id (its newest version), by key."""
    unique = keep_newest(papers)
    entries = [_entry(p) for p in sorted(unique.values(), key=bibtex_key)]
    return "\n".join(entries).encode("utf-8")
