"""Render the papers of each topic into the Markdown block that goes between the README markers.

This is the only module that imports jinja2.  Three built-in templates ship with the package
(``templates/*.md.j2`` at the top of the repository, copied to ``daily_papers/templates`` in
the wheel):

``default``
    The DailyArXiv ("seed") format: ``Last update: YYYY-MM-DD``, then per topic ``## <topic>``
    and a ``| **Title** | **Date** | **Abstract** | **Comment** |`` table whose abstract sits in
    ``<details><summary>Show</summary><p>...</p></details>`` and whose comment, when longer
    than 20 characters, is folded as ``<details><summary>Accep...</summary><p>...</p></details>``.
    A topic without papers shows ``No papers yet.`` instead of an empty table.  Ends with
    arXiv's requested credit line.  ``columns`` (:data:`TABLE_COLUMNS`, checked by
    :func:`parse_columns`) picks and orders the table's columns; :data:`DEFAULT_COLUMNS` gives
    the seed format byte for byte.  ``code`` lists the code links and the project page,
    ``venue`` the venue, ``authors`` the short author list, ``categories`` all categories.
``compact``
    The same table without the abstract column (Title | Date | Comment): about a fifth of the
    size, for many topics or a large ``max-count`` (GitHub stops rendering a README at 512,000
    bytes, see :func:`daily_papers.escape.size_warning`).  The comment cell also shows the
    venue and the first code link when the paper has them.
``list``
    One bullet per paper: linked title, date (and venue), up to five authors ("et al."
    after), the first code link, comment.

Users may pass their own Jinja2 template (a file path, or its text read from a repository).
It is one self-contained file: ``include``/``extends``/``import`` are not available, so a
template behaves the same on a laptop and in the action, which reads it through the GitHub API.

**Context** (all values are plain data; paper text is *never* template source, so ``{{`` in an
abstract is just text):

``topics``
    Sequence of topics, each with ``name`` (str) and ``papers`` (sequence, newest first).
``last_update``
    ``YYYY-MM-DD`` (UTC), passed in by the caller.
``columns``
    The table columns chosen (a tuple of :data:`TABLE_COLUMNS` names, default
    :data:`DEFAULT_COLUMNS`); the built-in ``default`` template uses it.
``credit``
    ``"Thank you to arXiv for use of its open access interoperability."`` -- arXiv's API terms
    ask for this acknowledgement; keep it in custom templates.
``generator``, ``version``
    ``"daily-papers"`` and the package version (not used by the built-ins: a version in the
    README would make every upgrade commit).

Each paper has every :class:`~daily_papers.models.Paper` field (``id``, ``version``,
``title``, ``abstract``, ``authors`` (tuple), ``published``/``updated`` (aware UTC datetimes),
``primary_category``, ``categories``, ``comment``/``journal_ref``/``doi`` (str or None),
``abs_url``, ``pdf_url``) plus:

``date``          ``YYYY-MM-DD`` (UTC) of the first version (``published``)
``updated_date``  ``YYYY-MM-DD`` (UTC) of the latest version
``url``           abs page of the latest version (``abs_url``, else built from id and version)
``pdf``           PDF of the latest version (``pdf_url``, else built)
``versioned_id``  e.g. ``2401.00001v2``
``authors_short`` up to five authors joined with ", ", then ``et al.``
``code_links``    repository URLs (GitHub, GitLab), then Hugging Face models, datasets and
                  spaces, found in the abstract and comment (tuple, maybe empty;
                  :mod:`daily_papers.links`)
``project_page``  the first ``*.github.io`` page mentioned, or None
``venue``         where the paper is published or accepted ("ICST 2023", "Phys. Rev. B"), from
                  the journal_ref or the comment, or None (:mod:`daily_papers.venue`)

**Filters** (autoescaping is off; escape every piece of paper text explicitly):

``cell``          text for a table cell (:func:`daily_papers.escape.escape_cell`); URLs in
                  it become links
``text``          text outside tables: headings, list items (``escape_text``); URLs become links
``link_text``     text inside ``[...](...)`` such as a linked title, in or outside tables
                  (``escape_link_text``: URLs stay text, a link cannot contain a link)
``url``           a link destination (``escape_url``)
``date``          a datetime as ``YYYY-MM-DD`` in UTC
``comment_cell``  the seed's comment cell: empty, the comment, or the folded ``<details>``
``link_label``    a short name for a code link (``Owner/Repo``, ``datasets/owner/name``);
                  escape it with ``link_text``

The environment uses :class:`jinja2.StrictUndefined` (a misspelt name is an error, not an empty
string), ``trim_blocks``/``lstrip_blocks`` (block tags on their own lines leave no blank
lines) and ``keep_trailing_newline``.  It is the *immutable sandboxed* environment because a
template may come from a repository whose contributors are not the person running the tool:
it can format data, not call into Python.  Errors become
:class:`~daily_papers.errors.TemplateError` naming the template and line.
"""

from __future__ import annotations

import difflib
import importlib.resources
import logging
import re
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from daily_papers import __version__
from daily_papers.errors import ConfigError, TemplateError
from daily_papers.escape import (
    escape_cell,
    escape_link_text,
    escape_text,
    escape_url,
    one_line,
)
from daily_papers.links import PaperLinks, link_label, links_in
from daily_papers.models import Paper, newest_first_key
from daily_papers.venue import venue_of

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = [
    "BUILTIN_TEMPLATES",
    "COMMENT_FOLD_LENGTH",
    "CREDIT",
    "DEFAULT_COLUMNS",
    "TABLE_COLUMNS",
    "PaperView",
    "RenderTopic",
    "Renderer",
    "TopicView",
    "builtin_template_dir",
    "comment_cell",
    "parse_columns",
]

logger = logging.getLogger(__name__)

BUILTIN_TEMPLATES: tuple[str, ...] = ("default", "compact", "list")

#: The columns the built-in ``default`` table can show (``--columns``, input ``columns``).
TABLE_COLUMNS: tuple[str, ...] = (
    "title",
    "date",
    "abstract",
    "comment",
    "code",
    "venue",
    "authors",
    "categories",
)
#: The seed's columns: with these the ``default`` output is the seed format, byte for byte.
DEFAULT_COLUMNS: tuple[str, ...] = ("title", "date", "abstract", "comment")

#: The most characters a rendered block may have: far above what GitHub renders (the 200-topic
#: benchmark renders 32 MB), low enough that a runaway template cannot exhaust memory.
MAX_BLOCK_CHARS = 50_000_000

_MISSING_ATTRIBUTE = re.compile(r"'daily_papers\.render\.(\w+) object' has no attribute '(\w+)'")

#: arXiv's API Terms of Use ask services to acknowledge arXiv with this sentence.
CREDIT = "Thank you to arXiv for use of its open access interoperability."

#: The seed folds comments *longer* than this many characters into ``<details>``.
COMMENT_FOLD_LENGTH = 20
#: ... showing this many characters of the comment followed by ``...`` as the summary.
COMMENT_SUMMARY_LENGTH = 5
#: ``authors_short`` lists at most this many authors before ``et al.``.
SHORT_AUTHORS = 5

_SUFFIX = ".md.j2"


def builtin_template_dir() -> Traversable:
    """Where the built-in ``*.md.j2`` files are.

    A wheel carries them as package data in ``daily_papers/templates`` (hatch
    ``force-include`` in pyproject.toml), found with :mod:`importlib.resources` so zipped or
    relocated installs work.  In the source tree and in an editable install the package
    directory is ``src/daily_papers`` and has no ``templates`` folder; the files live in the
    repository's top-level ``templates/`` (two levels above this file), where the composite
    action and contributors find them too.
    """
    packaged = importlib.resources.files("daily_papers") / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class RenderTopic:
    """One topic to render: its display name and papers (newest first; re-sorted anyway)."""

    name: str
    papers: tuple[Paper, ...]
    page_url: str | None = None  # the topic's page on the paper site
    more: int = 0  # papers the data file keeps beyond those shown (they are on the site)


@dataclass(frozen=True)
class PaperView:
    """What a template sees as a paper: every Paper field plus ready-made display values."""

    id: str
    version: int
    title: str
    abstract: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    primary_category: str
    categories: tuple[str, ...]
    comment: str | None
    journal_ref: str | None
    doi: str | None
    abs_url: str
    pdf_url: str
    date: str
    updated_date: str
    url: str
    pdf: str
    versioned_id: str
    authors_short: str

    # Derived from the text only when a template asks: the seed format never does.
    @cached_property
    def _links(self) -> PaperLinks:
        return links_in(self.abstract, self.comment)

    @property
    def code_links(self) -> tuple[str, ...]:
        """Repository, then Hugging Face URLs from the abstract and comment."""
        return self._links.code

    @property
    def project_page(self) -> str | None:
        """The first ``*.github.io`` page mentioned, or None."""
        return self._links.project_page

    @cached_property
    def venue(self) -> str | None:
        """The venue the journal_ref or comment states, or None."""
        return venue_of(self.journal_ref, self.comment)

    @classmethod
    def of(cls, paper: Paper) -> PaperView:
        """Build the view of ``paper`` (URLs fall back to arxiv.org links built from the id)."""
        values = {f.name: getattr(paper, f.name) for f in fields(Paper)}
        authors = list(paper.authors[:SHORT_AUTHORS])
        if len(paper.authors) > SHORT_AUTHORS:
            authors.append("et al.")
        return cls(
            **values,
            date=_date(paper.published),
            updated_date=_date(paper.updated),
            url=paper.link,
            pdf=paper.pdf_link,
            versioned_id=paper.versioned_id,
            authors_short=", ".join(authors),
        )


@dataclass(frozen=True)
class TopicView:
    """What a template sees as a topic."""

    name: str
    papers: tuple[PaperView, ...]
    page_url: str | None = None
    more: int = 0


def _date(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d")


def _raise_if_undefined(value: object) -> None:
    """A misspelt name reaches a filter as StrictUndefined; report *that*, not a type error
    (converting StrictUndefined to text raises its UndefinedError naming the attribute)."""
    if isinstance(value, jinja2.Undefined):
        str(value)


def _text_arg(value: object, filter_name: str) -> str | None:
    """Accept text (or None, or a number) for an escaping filter; anything else is a mistake."""
    _raise_if_undefined(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError(
        f"the '{filter_name}' filter takes text, not {type(value).__name__}; "
        f"join lists first, e.g. p.authors | join(', ') | {filter_name}"
    )


def _filter_cell(value: object) -> str:
    return escape_cell(_text_arg(value, "cell"))


def _filter_link_text(value: object) -> str:
    return escape_link_text(_text_arg(value, "link_text"))


def _filter_text(value: object) -> str:
    return escape_text(_text_arg(value, "text"))


def _filter_url(value: object) -> str:
    return escape_url(_text_arg(value, "url"))


def _filter_date(value: object) -> str:
    _raise_if_undefined(value)
    if isinstance(value, datetime):
        return _date(value)
    raise TypeError(f"the 'date' filter takes a datetime, not {type(value).__name__}")


def comment_cell(comment: str | None) -> str:
    """The seed's comment cell: ``""`` when empty; the escaped comment when at most 20
    characters; else ``<details><summary>FIRST5...</summary><p>COMMENT</p></details>``.

    Lengths and the 5-character cut are measured on the comment with its whitespace
    collapsed, *before* escaping, so an escape sequence is never cut in half.
    """
    text = one_line(comment)
    if len(text) <= COMMENT_FOLD_LENGTH:
        return escape_cell(text)
    head = text[:COMMENT_SUMMARY_LENGTH]
    # keep a cut-off trailing space as the seed does ("This ..."); escaping would strip it
    summary = escape_cell(head) + (" " if head.endswith(" ") else "")
    return f"<details><summary>{summary}...</summary><p>{escape_cell(text)}</p></details>"


def _filter_comment_cell(value: object) -> str:
    return comment_cell(_text_arg(value, "comment_cell"))


def _filter_link_label(value: object) -> str:
    return link_label(_text_arg(value, "link_label") or "")


def parse_columns(value: str | Sequence[str]) -> tuple[str, ...]:
    """Check a column list (``"title,date,code"`` or a sequence of names) against
    :data:`TABLE_COLUMNS`; names are case-insensitive, separated by commas or spaces."""
    names = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    columns = tuple(name.strip().lower() for name in names if name.strip())
    allowed = ", ".join(TABLE_COLUMNS)
    if not columns:
        raise ConfigError("The column list is empty.", f"Name one or more of: {allowed}.")
    for name in columns:
        if name not in TABLE_COLUMNS:
            close = difflib.get_close_matches(name, TABLE_COLUMNS, n=1)
            guess = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"The column {name!r} is not a column of the table.{guess}",
                f"Choose from: {allowed}.",
            )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ConfigError(
            f"The column list names {', '.join(map(repr, repeated))} more than once.",
            "Name each column once.",
        )
    return columns


def _load_source(template: str) -> str:
    if template in BUILTIN_TEMPLATES:
        location = builtin_template_dir() / f"{template}{_SUFFIX}"
        try:
            return location.read_text(encoding="utf-8")
        except OSError as exc:  # a broken installation, not a user mistake
            raise TemplateError(
                f"The built-in template {template} is missing from {location} ({exc}).",
                "Reinstall daily-papers.",
            ) from exc
    names = ", ".join(BUILTIN_TEMPLATES)
    close = difflib.get_close_matches(template, BUILTIN_TEMPLATES, n=1)
    hint = f"Did you mean {close[0]!r}? " if close else ""
    raise ConfigError(
        f"The template {template!r} is not a built-in template ({names}).",
        f"{hint}Pass one of the built-in names or the path of a Jinja2 template file.",
    )


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line an exception was raised from (jinja2 rewrites tracebacks so that
    frames of template code carry the template's filename and line numbers)."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename or frame.name == "top-level template code":
            line = frame.lineno
    return line


class Renderer:
    """A compiled template; :meth:`render` turns topics into the block between the markers.

    ``template`` is a built-in name (:data:`BUILTIN_TEMPLATES`) or the path of a template
    file.  With ``source``, that text is the template and ``template`` only names it in
    errors (e.g. ``owner/repo:.github/papers.md.j2``).  The template is compiled here, so a
    syntax error surfaces before anything is fetched.
    """

    def __init__(
        self,
        template: str = "default",
        *,
        source: str | None = None,
        columns: str | Sequence[str] = DEFAULT_COLUMNS,
    ) -> None:
        self.name = template
        self.columns = parse_columns(columns)
        if self.columns != DEFAULT_COLUMNS and source is None and template in ("compact", "list"):
            raise ConfigError(
                f"The built-in template {template} has fixed columns; columns apply to the "
                "default template (and to custom templates that use them).",
                "Drop the column list or use the default template.",
            )
        text = _load_source(template) if source is None else source
        self._env = ImmutableSandboxedEnvironment(
            loader=jinja2.DictLoader({template: text}),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(
            cell=_filter_cell,
            text=_filter_text,
            link_text=_filter_link_text,
            url=_filter_url,
            date=_filter_date,
            comment_cell=_filter_comment_cell,
            link_label=_filter_link_label,
        )
        logger.debug("compiling template %s (%d characters)", template, len(text))
        try:
            self._template = self._env.get_template(template)
        except jinja2.TemplateSyntaxError as exc:
            raise self._error(exc, "has a syntax error") from exc

    def _error(self, exc: BaseException, what: str) -> TemplateError:
        line = _template_line(exc, self._template_filename())
        where = f" on line {line}" if line is not None else ""
        detail = (getattr(exc, "message", None) or str(exc)).rstrip(".")
        hint = "Fix the template; README section Templates lists the names and filters."
        missing = _MISSING_ATTRIBUTE.search(detail)
        if missing:
            owner, name = missing.group(1), missing.group(2)
            known = {"PaperView": _PAPER_NAMES, "TopicView": ("name", "papers")}.get(owner, ())
            detail = f"{'a paper' if owner == 'PaperView' else 'a topic'} has no {name!r}"
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                hint = f"Did you mean {close[0]!r}? " + hint
        return TemplateError(f"The template {self.name} {what}{where}: {detail}.", hint)

    def _template_filename(self) -> str | None:
        template = getattr(self, "_template", None)
        return None if template is None else template.filename

    def _bounded(self, chunks: Iterator[str]) -> str:
        """Join the template's output, stopping at :data:`MAX_BLOCK_CHARS` characters."""
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_BLOCK_CHARS:
                raise TemplateError(
                    f"The template {self.name} produced more than {MAX_BLOCK_CHARS:,} "
                    "characters; nothing was written.",
                    "Lower max-count, or fix a loop in the template.",
                )
            parts.append(chunk)
        return "".join(parts)

    def render(
        self, topics: Sequence[RenderTopic], *, last_update: str, site_url: str | None = None
    ) -> str:
        """The Markdown for the topics, without markers, ending with exactly one newline.

        Papers are re-sorted newest first (first-version date, then id) so every caller gets
        the documented order.
        """
        views = tuple(
            TopicView(
                name=topic.name,
                papers=tuple(
                    PaperView.of(p)
                    for p in sorted(topic.papers, key=newest_first_key, reverse=True)
                ),
                page_url=topic.page_url,
                more=topic.more,
            )
            for topic in topics
        )
        try:
            text = self._bounded(
                self._template.generate(
                    topics=views,
                    columns=self.columns,
                    last_update=last_update,
                    site_url=site_url,
                    credit=CREDIT,
                    generator="daily-papers",
                    version=__version__,
                )
            )
        except TemplateError:
            raise
        except jinja2.UndefinedError as exc:
            raise self._error(exc, "uses an undefined name") from exc
        except Exception as exc:  # a user template can fail in any filter or expression
            raise self._error(exc, "failed") from exc
        return text.rstrip("\n") + "\n"


#: What a template can read from a paper (for did-you-mean hints).
_PAPER_NAMES: tuple[str, ...] = (
    *(f.name for f in fields(PaperView)),
    "code_links",
    "project_page",
    "venue",
)
