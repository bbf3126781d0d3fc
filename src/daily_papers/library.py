"""The reader's library: the papers ranking compares each day's papers against.

A library file is what a reference manager exports or what a person types, committed beside the
README:

* BibTeX (Zotero, Mendeley, JabRef, Google Scholar): the arXiv id comes from ``eprint`` (with
  ``archivePrefix``/``eprinttype`` arXiv, or any ``eprint`` that is an arXiv id), an arxiv.org
  ``url``, a ``10.48550/arXiv.`` ``doi``, or a ``journal``/``note``/``howpublished`` such as
  Google Scholar's ``arXiv preprint arXiv:2401.00001``; title and abstract are used when present;
* CSL-JSON (Zotero's "CSL JSON" export): a list of items with ``title``, ``abstract``, ``DOI``,
  ``URL`` and ``number`` (where Zotero keeps ``arXiv:2401.00001``);
* plain text: one arXiv id, ``arXiv:`` id, arxiv.org URL or arXiv DOI a line; ``#`` starts a
  comment.

The format is told by the content (a first ``[``/``{`` is JSON, an ``@`` entry is BibTeX), so
a ``.txt`` holding BibTeX still reads.  Entries are deduplicated by arXiv id (the first with an
abstract wins).  A file that cannot be read is one :class:`~daily_papers.errors.ConfigError`
naming the file and the line.  Pure: names and texts in, entries out.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from daily_papers.arxiv.ids import split_version
from daily_papers.errors import ConfigError

__all__ = ["LibraryEntry", "arxiv_id_in", "read_libraries", "read_library"]

# bibtexparser logs each failed block; the failure becomes our own error instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

_ARXIV_MARK = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.|arxiv:\s*)(?P<id>[A-Za-z.\-]*/?\d[\d.]*(?:v\d+)?)",
    re.IGNORECASE,
)
_BRACES = re.compile(r"[{}]")
_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LibraryEntry:
    """One library paper: its arXiv id (if known), its text and where it was read."""

    arxiv_id: str | None
    title: str
    abstract: str
    where: str  # ``file:line``

    @property
    def key(self) -> str:
        """How the "why" of a ranked paper names it: the arXiv id, else the title."""
        return self.arxiv_id or self.title


def _versionless(candidate: str) -> str | None:
    candidate = candidate.rstrip(".")
    if candidate.lower().endswith(".pdf"):
        candidate = candidate[:-4]
    split = split_version(candidate)
    return split[0] if split else None


def arxiv_id_in(text: str, *, bare: bool = False) -> str | None:
    """The versionless arXiv id ``text`` names (URL, DOI, ``arXiv:`` id; ``bare``: the whole
    text may be the id itself), or ``None``."""
    text = text.strip()
    if bare and (found := _versionless(text)):
        return found
    for match in _ARXIV_MARK.finditer(text):
        if found := _versionless(match.group("id")):
            return found
    return None


def _clean(text: str) -> str:
    """BibTeX/LaTeX markup off a title or abstract (braces, ``\\emph``-style commands)."""
    return _SPACE.sub(" ", _BRACES.sub("", _COMMAND.sub("", text))).strip()


def _bibtex(name: str, text: str) -> list[LibraryEntry]:
    parsed = parse_string(text)
    for block in parsed.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            continue
        assert isinstance(block, ParsingFailedBlock)
        line = (block.start_line or 0) + 1
        raise ConfigError(
            f"Library file {name}: the BibTeX entry at line {line} cannot be "
            "read (unbalanced braces or quotes, or a missing comma); fix it or export the "
            "library again."
        )
    entries: list[LibraryEntry] = []
    for entry in parsed.entries:
        fields = {key.lower(): str(f.value) for key, f in entry.fields_dict.items()}
        prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
        arxiv_id = None
        if "eprint" in fields and prefix in ("", "arxiv"):
            arxiv_id = arxiv_id_in(fields["eprint"], bare=True)
        for key in ("url", "doi", "journal", "note", "howpublished", "eprint"):
            if arxiv_id is None and key in fields:
                arxiv_id = arxiv_id_in(fields[key])
        entries.append(
            LibraryEntry(
                arxiv_id,
                _clean(fields.get("title", "")),
                _clean(fields.get("abstract", "")),
                f"{name}:{(entry.start_line or 0) + 1}",
            )
        )
    return entries


def _csl_json(name: str, text: str) -> list[LibraryEntry]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"Library file {name}: line {error.lineno} is not valid JSON ({error.msg}); export "
            "the library again as CSL JSON."
        ) from None
    if isinstance(items, Mapping):
        items = items.get("items", [items])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise ConfigError(
            f"Library file {name}: a CSL-JSON library is a list of items; export the library "
            "again as CSL JSON."
        )
    entries: list[LibraryEntry] = []
    for index, item in enumerate(items, start=1):
        arxiv_id = None
        for key in ("number", "URL", "DOI", "archive_location", "note", "id"):
            value: Any = item.get(key)
            if arxiv_id is None and isinstance(value, str):
                arxiv_id = arxiv_id_in(value)
        entries.append(
            LibraryEntry(
                arxiv_id,
                _clean(str(item.get("title") or "")),
                _clean(str(item.get("abstract") or "")),
                f"{name}:item {index}",
            )
        )
    return entries


def _plain(name: str, text: str) -> list[LibraryEntry]:
    entries: list[LibraryEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        arxiv_id = arxiv_id_in(line, bare=True)
        if arxiv_id is None:
            raise ConfigError(
                f"Library file {name}: line {number} ({line[:60]!r}) is not an arXiv id, "
                "arxiv.org URL or arXiv DOI; write one a line, or start a comment with #."
            )
        entries.append(LibraryEntry(arxiv_id, "", "", f"{name}:{number}"))
    return entries


def read_library(name: str, text: str) -> list[LibraryEntry]:
    """The entries of one library file (``name`` is how errors and entries name it)."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith(("[", "{")):
        entries = _csl_json(name, stripped)
    elif re.search(r"^\s*@", stripped, re.MULTILINE):
        entries = _bibtex(name, text.lstrip("\ufeff"))
    else:
        entries = _plain(name, stripped)
    return [e for e in entries if e.arxiv_id or e.title or e.abstract]


def read_libraries(files: Iterable[tuple[str, str]]) -> list[LibraryEntry]:
    """Every file's entries, deduplicated by arXiv id (an entry with an abstract wins)."""
    chosen: dict[str, LibraryEntry] = {}
    order: list[str] = []
    for name, text in files:
        for entry in read_library(name, text):
            key = entry.arxiv_id or f"title:{entry.title.lower()}"
            if key not in chosen:
                chosen[key] = entry
                order.append(key)
            elif entry.abstract and not chosen[key].abstract:
                chosen[key] = entry
    return [chosen[key] for key in order]
