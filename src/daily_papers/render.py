"""Render the papers of each topic into the Markdown block that goes between the README markers.

This is the only module that imports jinja2.  Three built-in templates ship with the package
(``templates/*.md.j2`` at the top of the repository, copied to ``daily_papers/templates`` in
the wheel):

``default``
    The classic Daily Papers table (:mod:`daily_papers.template_context`): ``Last update:
    YYYY-MM-DD``, then per topic ``## <topic>``
    and a ``| **Title** | **Date** | **Abstract** | **Comment** |`` table whose abstract sits in
    ``<details><summary>Show</summary><p>...</p></details>`` and whose comment, when longer
    than 20 characters, is folded as ``<details><summary>Accep...</summary><p>...</p></details>``.
    A topic without papers shows ``No papers yet.`` instead of an empty table.  Ends with
    arXiv's requested credit line.  ``columns`` (:data:`TABLE_COLUMNS`, checked by
    :func:`parse_columns`) picks and orders the table's columns; :data:`DEFAULT_COLUMNS` gives
    that table byte for byte.  ``code`` lists the code links and the project page,
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

**Context**: :mod:`daily_papers.template_context` lists every name and filter a template can
use; paper text is *never* template source, so ``{{`` in an abstract is just text.

The environment uses :class:`jinja2.StrictUndefined` (a misspelt name is an error, not an empty
string), ``trim_blocks``/``lstrip_blocks`` (block tags on their own lines leave no blank
lines) and ``keep_trailing_newline``.  It is the *immutable sandboxed* environment because a
template may come from a repository whose contributors are not the person running the tool:
it can format data, not call into Python.  Errors become
:class:`~daily_papers.errors.TemplateError` naming the template and line.
"""

from __future__ import annotations

import importlib.resources
import logging
import re
import sys
import traceback
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from daily_papers import __version__
from daily_papers.errors import ConfigError, TemplateError
from daily_papers.escape import escape_cell, escape_link_text, escape_text, escape_url
from daily_papers.links import link_label
from daily_papers.models import utc_day
from daily_papers.suggest import did_you_mean
from daily_papers.template_context import (
    BUILTIN_TEMPLATES,
    CREDIT,
    DEFAULT_COLUMNS,
    PAPER_NAMES,
    TOPIC_NAMES,
    RenderTopic,
    comment_cell,
    template_topics,
)

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["MAX_BLOCK_CHARS", "Renderer", "builtin_template_dir"]

logger = logging.getLogger(__name__)

#: The most characters a rendered block may have: far above what GitHub renders (the 200-topic
#: benchmark renders 32 MB), low enough that a runaway template cannot exhaust memory.
MAX_BLOCK_CHARS = 50_000_000

_MISSING_ATTRIBUTE = re.compile(
    r"'daily_papers\.template_context\.(\w+) object' has no attribute '(\w+)'"
)

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
        return utc_day(value)
    raise TypeError(f"the 'date' filter takes a datetime, not {type(value).__name__}")


def _filter_comment_cell(value: object) -> str:
    return comment_cell(_text_arg(value, "comment_cell"))


def _filter_link_label(value: object) -> str:
    return link_label(_text_arg(value, "link_label") or "")


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
    guess = did_you_mean(template, BUILTIN_TEMPLATES)
    hint = f"{guess} " if guess else ""
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
        columns: tuple[str, ...] = DEFAULT_COLUMNS,
    ) -> None:
        self.name = template
        self.columns = columns  # checked once, where the option is read (parse_columns)
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
            known = {"TemplatePaper": PAPER_NAMES, "TemplateTopic": TOPIC_NAMES}.get(owner, ())
            detail = f"{'a paper' if owner == 'TemplatePaper' else 'a topic'} has no {name!r}"
            guess = did_you_mean(name, known)
            if guess:
                hint = f"{guess} {hint}"
        return TemplateError(f"The template {self.name} {what}{where}: {detail}.", hint)

    def _template_filename(self) -> str | None:
        template = getattr(self, "_template", None)
        return None if template is None else template.filename

    def _bounded(self, chunks: Iterator[str], stop_after: int | None) -> str | None:
        """Join the template's output: None once it passes ``stop_after`` characters, an error
        past :data:`MAX_BLOCK_CHARS`."""
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if stop_after is not None and size > stop_after:
                return None
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

        Papers are re-sorted newest first (:func:`~daily_papers.template_context.template_topics`).
        """
        text = self.render_within(
            topics, max_chars=None, last_update=last_update, site_url=site_url
        )
        assert text is not None  # without max_chars the output is never given up
        return text

    def render_within(
        self,
        topics: Sequence[RenderTopic],
        *,
        max_chars: int | None,
        last_update: str,
        site_url: str | None = None,
        for_you: RenderTopic | None = None,
    ) -> str | None:
        """:meth:`render`, or None as soon as the output passes ``max_chars`` characters.

        Fitting the README under ``readme-max-bytes`` only needs to know that a candidate is
        too long; giving up there keeps 1,000 topics from rendering tens of megabytes first.
        """
        try:
            text = self._bounded(
                self._template.generate(
                    topics=template_topics(topics),
                    for_you=template_topics([for_you])[0] if for_you is not None else None,
                    columns=self.columns,
                    last_update=last_update,
                    site_url=site_url,
                    credit=CREDIT,
                    generator="daily-papers",
                    version=__version__,
                ),
                max_chars,
            )
        except TemplateError:
            raise
        except jinja2.UndefinedError as exc:
            raise self._error(exc, "uses an undefined name") from exc
        except Exception as exc:  # a user template can fail in any filter or expression
            raise self._error(exc, "failed") from exc
        return None if text is None else text.rstrip("\n") + "\n"
