"""What a README template sees: the topics and papers as plain data, and the column list.

Kept apart from :mod:`daily_papers.render` (which compiles and runs the template with jinja2)
so the option table, the settings and the site can name the templates and columns without
importing jinja2.  The built-in ``default`` template with :data:`DEFAULT_COLUMNS` writes *the
classic Daily Papers table*: the four-column table (Title, Date, Abstract folded in
``<details>``, Comment) of the fork-and-edit "Daily Papers" repositories this action replaces,
byte for byte, so a repository moving over keeps its README.


**Context** (all values are plain data; paper text is *never* template source, so ``{{`` in an
abstract is just text):

``topics``
    Sequence of topics, each with ``name`` (str), ``papers`` (sequence, newest first),
    ``page_url`` (the topic's page on the paper site, or None) and ``more`` (how many papers
    the data file keeps beyond those shown, left out by ``readme-max-papers`` or
    ``readme-max-bytes``; on the site when there is one).
``for_you``
    None, or the For you section (``for-you-count`` with a ``library``): a topic whose
    ``papers`` are the day's best against the library, best first, each with ``score`` and
    ``why``; the built-in templates show it first.
``last_update``
    ``YYYY-MM-DD`` (UTC), passed in by the caller.
``site_url``
    The paper site's address when a site is built, else None.
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
``url``           abs page of this version, built from the id (never from remote text)
``pdf``           PDF of this version, built the same way
``versioned_id``  e.g. ``2401.00001v2``
``authors_short`` up to five authors joined with ", ", then ``et al.``
``code_links``    repository URLs (GitHub, GitLab), then Hugging Face models, datasets and
                  spaces, found in the abstract and comment (tuple, maybe empty;
                  :mod:`daily_papers.links`)
``project_page``  the first ``*.github.io`` page mentioned, or None
``venue``         where the paper is published or accepted ("ICST 2023", "Phys. Rev. B"), from
                  the journal_ref or the comment, or None (:mod:`daily_papers.venue`)
``tldr``          the one-line summary (``summarize`` option) or None; remote text written by
                  a model, so escape it like the abstract (``link_text`` keeps URLs as text)
``score``, ``why`` with a ``library``: the paper's score (a float) and a short why (the
                  closest library paper and shared words; escape it), else None

**Filters** (autoescaping is off; escape every piece of paper text explicitly):

``cell``          text for a table cell (:func:`daily_papers.escape.escape_cell`); URLs in
                  it become links
``text``          text outside tables: headings, list items (``escape_text``); URLs become links
``link_text``     text inside ``[...](...)`` such as a linked title, in or outside tables
                  (``escape_link_text``: URLs stay text, a link cannot contain a link)
``url``           a link destination (``escape_url``)
``date``          a datetime as ``YYYY-MM-DD`` in UTC
``comment_cell``  the classic table's comment cell: empty, the comment, or it folded in
                  ``<details>``
``link_label``    a short name for a code link (``Owner/Repo``, ``datasets/owner/name``);
                  escape it with ``link_text``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property

from daily_papers.errors import ConfigError
from daily_papers.escape import escape_cell, one_line
from daily_papers.links import PaperLinks, links_in
from daily_papers.models import Paper, newest_first_key
from daily_papers.suggest import did_you_mean
from daily_papers.venue import venue_of

__all__ = [
    "BUILTIN_TEMPLATES",
    "COMMENT_FOLD_LENGTH",
    "CREDIT",
    "DEFAULT_COLUMNS",
    "FOR_YOU",
    "PAPER_NAMES",
    "SHORT_AUTHORS",
    "TABLE_COLUMNS",
    "RenderTopic",
    "TemplatePaper",
    "TemplateTopic",
    "comment_cell",
    "parse_columns",
    "template_topics",
]

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
    "tldr",
)
#: The classic Daily Papers table's columns: with these ``default`` writes that table byte for
#: byte.
DEFAULT_COLUMNS: tuple[str, ...] = ("title", "date", "abstract", "comment")

#: The For you section's heading (``for-you-count``).
FOR_YOU = "For you"

#: arXiv's API Terms of Use ask services to acknowledge arXiv with this sentence.
CREDIT = "Thank you to arXiv for use of its open access interoperability."

#: The classic table folds comments *longer* than this many characters into ``<details>``.
COMMENT_FOLD_LENGTH = 20
#: ... showing this many characters of the comment followed by ``...`` as the summary.
COMMENT_SUMMARY_LENGTH = 5
#: ``authors_short`` lists at most this many authors before ``et al.``.
SHORT_AUTHORS = 5


@dataclass(frozen=True)
class RenderTopic:
    """One topic to render: its display name and papers (newest first; re-sorted anyway)."""

    name: str
    papers: tuple[Paper, ...]
    page_url: str | None = None  # the topic's page on the paper site
    more: int = 0  # papers the data file keeps beyond those shown
    #: One-line summaries by versioned id; a paper without one is shown as without summaries.
    summaries: Mapping[str, str] = field(default_factory=dict)
    ranked: bool = False  # papers are in the library's order: keep it
    #: Each ranked paper's score and why, by arXiv id (only when a library is given).
    scores: Mapping[str, tuple[float, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplatePaper:
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
    tldr: str | None = None
    score: float | None = None
    why: str | None = None

    # Derived from the text only when a template asks: the classic table never does.
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
    def of(
        cls, paper: Paper, tldr: str | None = None, score: tuple[float, str] | None = None
    ) -> TemplatePaper:
        """Build the view of ``paper`` (URLs are arxiv.org links built from the id)."""
        values = {f.name: getattr(paper, f.name) for f in fields(Paper)}
        authors = list(paper.authors[:SHORT_AUTHORS])
        if len(paper.authors) > SHORT_AUTHORS:
            authors.append("et al.")
        return cls(
            **values,
            date=paper.published_day,
            updated_date=paper.updated_day,
            url=paper.link,
            pdf=paper.pdf_link,
            versioned_id=paper.versioned_id,
            authors_short=", ".join(authors),
            tldr=tldr,
            score=None if score is None else score[0],
            why=None if score is None else score[1],
        )


@dataclass(frozen=True)
class TemplateTopic:
    """What a template sees as a topic."""

    name: str
    papers: tuple[TemplatePaper, ...]
    page_url: str | None = None
    more: int = 0


def template_topics(topics: Sequence[RenderTopic]) -> tuple[TemplateTopic, ...]:
    """The template's ``topics``: papers re-sorted newest first (first-version date, then id)
    so every caller gets the documented order, unless ranked against a library."""
    return tuple(
        TemplateTopic(
            name=topic.name,
            papers=tuple(
                TemplatePaper.of(p, topic.summaries.get(p.versioned_id), topic.scores.get(p.id))
                for p in (
                    topic.papers
                    if topic.ranked
                    else sorted(topic.papers, key=newest_first_key, reverse=True)
                )
            ),
            page_url=topic.page_url,
            more=topic.more,
        )
        for topic in topics
    )


#: What a template can read from a paper and a topic (for did-you-mean hints).
PAPER_NAMES: tuple[str, ...] = (
    *(f.name for f in fields(TemplatePaper)),
    "code_links",
    "project_page",
    "venue",
)
TOPIC_NAMES: tuple[str, ...] = tuple(f.name for f in fields(TemplateTopic))


def comment_cell(comment: str | None) -> str:
    """The classic table's comment cell: ``""`` when empty; the escaped comment when at most
    20 characters; else ``<details><summary>FIRST5...</summary><p>COMMENT</p></details>``.

    Lengths and the 5-character cut are measured on the comment with its whitespace
    collapsed, *before* escaping, so an escape sequence is never cut in half.
    """
    text = one_line(comment)
    if len(text) <= COMMENT_FOLD_LENGTH:
        return escape_cell(text)
    head = text[:COMMENT_SUMMARY_LENGTH]
    # keep a cut-off trailing space as the classic table does ("This ..."); escaping strips it
    summary = escape_cell(head) + (" " if head.endswith(" ") else "")
    return f"<details><summary>{summary}...</summary><p>{escape_cell(text)}</p></details>"


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
            guess = did_you_mean(name, TABLE_COLUMNS)
            raise ConfigError(
                f"The column {name!r} is not a column of the table.{' ' + guess if guess else ''}",
                f"Choose from: {allowed}.",
            )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ConfigError(
            f"The column list names {', '.join(map(repr, repeated))} more than once.",
            "Name each column once.",
        )
    return columns
