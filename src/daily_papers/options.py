"""Every option of the command line and every input of the action, one row each.

A row names the flag, the action input (if any), the kind of value, the default (from
:mod:`daily_papers.defaults`), the help, whether the result JSON records it and the settings
field it fills.  Generated from :data:`OPTIONS`: the argument parser
(:mod:`daily_papers.arguments`), the action's inputs-to-argv step
(:mod:`daily_papers.action_inputs`), the README's inputs table
(``scripts/gen_readme_tables.py``), the result JSON's ``options`` block and the settings
(:mod:`daily_papers.settings`).  ``tests/test_action_metadata.py`` checks ``action.yml``
against it, so a new input is a row here, its ``action.yml`` entry, its settings field and its
consumer.

The row's shape and its checks live in :mod:`daily_papers.option_row`.  Each value is read
and checked once, by :meth:`Option.read`, with an error that names the option as the user
wrote it: ``--max-count`` at a terminal, ``input `max-count``` in the action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from daily_papers import defaults
from daily_papers.notify.outcome import NOTIFY_FORMATS, NOTIFY_ON
from daily_papers.option_row import (
    MODES,
    SEARCH,
    UPDATE,
    Kind,
    Option,
)
from daily_papers.sources.routing import SOURCES
from daily_papers.template_context import BUILTIN_TEMPLATES, DEFAULT_COLUMNS, TABLE_COLUMNS

__all__ = ["OPTIONS", "for_command", "inputs", "read_fields", "recorded"]

_TOPICS = "topics"
_WRITTEN = "what is written"
_SITE = "the paper site"
_RUN = "the run"
_ARXIV = "arXiv"
_REMOTE = "publishing through the GitHub API"
_NOTIFY = "notifications"
_SUMMARIES = "one-line summaries"

OPTIONS: tuple[Option, ...] = (
    Option(
        "README_PATH",
        "readme",
        Kind.POSITIONAL,
        "the README to update",
        default=defaults.README_PATH,
        field="readme_path",
        input="readme-path",
        description="Path of the README to update in the target repository.",
    ),
    Option(
        "--keyword",
        "keywords",
        Kind.KEYWORDS,
        "a topic: a phrase or an advanced arXiv query (repeatable)",
        short="-k",
        default=[],
        field="topics.keywords",
        input="keywords",
        description="Topics to follow, one per line (a single line is split on commas). A plain "
        "phrase is searched as an exact phrase in titles and abstracts; a topic with a field "
        "prefix (`ti:`, `abs:`, `cat:`), an upper-case `AND`/`OR`/`ANDNOT`, quotes or "
        "parentheses is passed to arXiv as a query. Needed unless `topics-file` is set.",
        group=_TOPICS,
    ),
    Option(
        "--topics-file",
        "topics_file",
        Kind.PATH,
        "YAML file listing topics (README: Topics file)",
        field="topics.topics_file",
        input="topics-file",
        description="Path of a YAML topics file (per-topic `name`, `query` or `keywords`, "
        "`categories`, `exclude`, `max-count`, `sort`), read from the target repository at "
        "`branch`.",
        group=_TOPICS,
    ),
    Option(
        "--max-count",
        "max_count",
        Kind.COUNT,
        "papers per topic (1-2000)",
        default=defaults.MAX_COUNT,
        field="topics.max_count",
        input="max-count",
        description="Papers kept per topic, a whole number from 1 to 2000.",
        group=_TOPICS,
    ),
    Option(
        "--category",
        "category",
        Kind.LIST,
        "restrict every topic (repeatable)",
        default=[],
        field="topics.categories",
        input="categories",
        description="arXiv categories (comma or newline separated, e.g. `cs.CL, cs.LG`) that "
        "every keyword is limited to. Empty = all categories.",
        group=_TOPICS,
    ),
    Option(
        "--exclude",
        "exclude",
        Kind.LIST,
        "exclude a phrase (repeatable)",
        default=[],
        field="topics.exclude",
        input="exclude",
        description="Phrases (comma or newline separated) that no topic may show: a paper "
        "whose title or abstract holds one is left out of every keyword topic. Empty = none.",
        group=_TOPICS,
    ),
    Option(
        "--template",
        "template",
        Kind.TEXT,
        f"built-in template ({', '.join(BUILTIN_TEMPLATES)}) or a template file",
        default=defaults.TEMPLATE,
        field="template",
        input="template",
        description="A built-in style (`default`: tables with collapsed abstracts, `compact`: "
        "tables without abstracts, `list`: a bullet list with authors) or the path of a Jinja2 "
        "template file in the target repository.",
        recorded=True,
        group=_WRITTEN,
    ),
    Option(
        "--columns",
        "columns",
        Kind.COLUMNS,
        f"columns of the default table, from {', '.join(TABLE_COLUMNS)}",
        default=",".join(DEFAULT_COLUMNS),
        field="columns",
        input="columns",
        description="Columns of the built-in `default` table, comma separated, from `title`, "
        "`date`, `abstract`, `comment`, `code`, `venue`, `authors`, `categories`, `tldr` (the "
        "one-line summary, see `summarize`). Empty = "
        "`title,date,abstract,comment` (the classic Daily Papers table).",
        input_default="",
        recorded=True,
        group=_WRITTEN,
    ),
    Option(
        "--marker",
        "marker",
        Kind.TEXT,
        "marker name",
        default=defaults.MARKER,
        field="marker",
        input="marker",
        description="Marker name: the tables go between `<!-- NAME:start -->` and "
        "`<!-- NAME:end -->`, which must already be in the README.",
        group=_WRITTEN,
    ),
    Option(
        "--readme-max-bytes",
        "readme_max_bytes",
        Kind.BYTES,
        "largest README to write, in bytes (0: no limit); topics show fewer papers to fit",
        default=defaults.README_MAX_BYTES,
        field="readme_max_bytes",
        input="readme-max-bytes",
        description="Largest README to write, in bytes (GitHub shows only the first 512,000). "
        "When every paper would not fit, each topic shows the same share of its newest papers "
        "and a line saying how many more there are (linking to its site page when there is a "
        "site); the data file keeps them all. `0` = no limit.",
        recorded=True,
        group=_WRITTEN,
    ),
    Option(
        "--data-file",
        "data_file",
        Kind.PATH,
        "JSON data file (default: <marker>.json beside the README)",
        field="data_path",
        input="data-file",
        description="Path of the JSON data file holding the state. Empty = `<marker>.json` "
        "beside the README.",
        group=_WRITTEN,
    ),
    Option(
        "--feed",
        "feed",
        Kind.PATH,
        "also write an Atom feed to this path",
        field="feed.path",
        input="feed-path",
        description="Path of an Atom feed of the newest papers to write with the README. "
        "Empty = no feed.",
        recorded=True,
        group=_WRITTEN,
    ),
    Option(
        "--feed-count",
        "feed_count",
        Kind.COUNT,
        "entries in the feed",
        default=defaults.FEED_COUNT,
        field="feed.count",
        input="feed-count",
        description="Entries in the Atom feed, a whole number from 1 to 2000.",
        group=_WRITTEN,
    ),
    Option(
        "--bibtex",
        "bibtex",
        Kind.PATH,
        "also write a BibTeX file of the papers shown",
        field="bibtex_path",
        input="bibtex-path",
        description="Path of a BibTeX file with one `@misc` entry per paper shown, written in "
        "the same commit as the README. Empty = no BibTeX file.",
        recorded=True,
        group=_WRITTEN,
    ),
    Option(
        "--library",
        "library",
        Kind.LIST,
        "your papers or reading list (BibTeX, CSL JSON or arXiv ids) to rank against (repeatable)",
        default=[],
        field="library",
        input="library",
        description="Paths of your own papers or reading list in the repository, one per line: "
        "a BibTeX export (Zotero, JabRef, Google Scholar), a CSL-JSON export or a text file of "
        "arXiv ids or URLs (README: Papers for you). Empty = no ranking.",
        recorded=True,
        group=_TOPICS,
    ),
    Option(
        "--sort",
        "sort",
        Kind.CHOICE,
        "order of each topic's papers: date (newest first) or relevance (needs --library)",
        default=defaults.SORT,
        choices=defaults.SORTS,
        field="sort",
        input="sort",
        description="How each topic's papers are ordered: `date` (newest first) or "
        "`relevance` (best first against `library`, which it needs). A topic's `sort:` in the "
        "topics file overrides it. Empty = `date`.",
        input_default="",
        recorded=True,
        group=_TOPICS,
    ),
    Option(
        "--min-score",
        "min_score",
        Kind.SCORE,
        "with --library: leave out papers scoring below this (relevance topics, For you)",
        field="min_score",
        input="min-score",
        description="With `library`: papers scoring below this number are not shown in topics "
        "sorted by relevance nor in For you, so a quiet day shows fewer papers (README: Papers "
        "for you). Empty = no threshold.",
        recorded=True,
        group=_TOPICS,
    ),
    Option(
        "--for-you-count",
        "for_you_count",
        Kind.TOP,
        "with --library: a first table of the day's N best papers, keyword match or not",
        default=defaults.FOR_YOU_COUNT,
        field="for_you_count",
        input="for-you-count",
        description="With `library`: a For you table first in the README with the day's "
        "best papers against the library, including papers no topic matched (README: Papers "
        "for you). 0 = no such table.",
        recorded=True,
        group=_TOPICS,
    ),
    Option(
        "--for-you-category",
        "for_you_categories",
        Kind.LIST,
        "For you ranks only these categories' papers (repeatable)",
        default=[],
        field="for_you_categories",
        input="for-you-categories",
        description="arXiv categories (comma or newline separated, e.g. `cs.CL, cs.LG`) For "
        "you takes its papers from; their feeds are read even if no topic needs them. Empty = "
        "every archive the topics touch.",
        recorded=True,
        group=_TOPICS,
    ),
    Option(
        "--archive",
        "archive",
        Kind.PATH,
        "keep every paper ever shown in this folder (JSON Lines per month)",
        field="archive_dir",
        input="archive-path",
        description="Folder that keeps every paper ever shown (one JSON Lines file per month, "
        "plus `months.json`), committed with the README. Empty = no archive.",
        recorded=True,
        group=_SITE,
    ),
    Option(
        "--site-dir",
        "site_dir",
        Kind.PATH,
        "build the searchable paper site into this folder",
        field="site.directory",
        input="site-dir",
        description="Folder on the runner to build the searchable paper site into, for "
        "`actions/upload-pages-artifact`; nothing of it is committed. Empty = no site.",
        recorded=True,
        group=_SITE,
    ),
    Option(
        "--site-url",
        "site_url",
        Kind.TEXT,
        "the site's address (default with --site-dir: https://OWNER.github.io/REPO/)",
        field="site.url",
        input="site-url",
        description="The paper site's address; the README links to it and to each topic's "
        "page. Empty = `https://OWNER.github.io/REPO/` when `site-dir` is set, else no links.",
        recorded=True,
        group=_SITE,
    ),
    Option(
        "--readme-max-papers",
        "readme_max_papers",
        Kind.COUNT,
        "show only the newest N papers per topic in the README, the rest on the site",
        field="readme_max_papers",
        input="readme-max-papers",
        description="Show only the newest N papers per topic in the README, with a link to the "
        "topic's site page for the rest (the data file still keeps `max-count`). Needs the "
        "site. Empty = all.",
        recorded=True,
        group=_SITE,
    ),
    Option(
        "--dry-run",
        "dry_run",
        Kind.FLAG,
        "show what would change, write nothing",
        default=False,
        field="dry_run",
        group=_RUN,
    ),
    Option(
        "--result-json",
        "result_json",
        Kind.PATH,
        "write the run's result as JSON to this path",
        field="result_json",
        group=_RUN,
    ),
    Option(
        "--no-fail-on-partial",
        "fail_on_partial",
        Kind.FLAG,
        "exit 0 instead of 3 when some topics failed",
        default=True,
        negated=True,
        field="fail_on_partial",
        input="fail-on-partial",
        description="`true` fails the step (exit status 3) when some topics could not be "
        "fetched; the topics that worked are published either way.",
        group=_RUN,
    ),
    Option(
        "--github-annotations",
        "github_annotations",
        Kind.FLAG,
        "print warnings and errors as GitHub Actions annotations",
        default=False,
        field="annotations",
        group=_RUN,
    ),
    Option("-v/--verbose", "verbose", Kind.FLAG, "log each request", group=_RUN),
    # ``search`` (its rows sit here so that its help lists them before the arXiv group).
    Option(
        "query",
        "query",
        Kind.POSITIONAL,
        'a phrase ("language model") or an advanced arXiv query',
        commands=(SEARCH,),
    ),
    Option(
        "--max-count",
        "max_count",
        Kind.COUNT,
        "how many papers (1-2000)",
        default=defaults.SEARCH_COUNT,
        field="max_count",
        commands=(SEARCH,),
    ),
    Option(
        "--category",
        "category",
        Kind.LIST,
        "restrict to a category",
        default=[],
        field="categories",
        commands=(SEARCH,),
    ),
    Option(
        "--exclude",
        "exclude",
        Kind.LIST,
        "exclude a phrase",
        default=[],
        field="exclude",
        commands=(SEARCH,),
    ),
    Option(
        "--json",
        "json",
        Kind.FLAG,
        "print a JSON array instead",
        default=False,
        field="json",
        commands=(SEARCH,),
    ),
    # The arXiv options both commands share.
    Option(
        "--arxiv-url",
        "arxiv_url",
        Kind.URL,
        f"arXiv API endpoint (default: ${defaults.ARXIV_API_URL_ENV} or {defaults.ARXIV_API_URL})",
        field="arxiv.url",
        input="arxiv-api-url",
        description=f"arXiv API URL. Empty = `{defaults.ARXIV_API_URL}`.",
        group=_ARXIV,
        commands=(SEARCH, UPDATE),
    ),
    Option(
        "--arxiv-delay",
        "arxiv_delay",
        Kind.NUMBER,
        "seconds between two arXiv requests (arXiv's terms of use; lower it only for mirrors "
        "and tests)",
        default=defaults.ARXIV_DELAY,
        field="arxiv.delay",
        input="internal-be-careful-arxiv-delay",
        description="Testing only: seconds between arXiv requests. Empty = 3, as arXiv's terms "
        "of use ask; never lower it against the real arXiv.",
        input_default="",
        group=_ARXIV,
        commands=(SEARCH, UPDATE),
    ),
    Option(
        "--page-size",
        "page_size",
        Kind.COUNT,
        "papers per arXiv request",
        default=defaults.ARXIV_PAGE_SIZE,
        field="arxiv.page_size",
        group=_ARXIV,
        commands=(SEARCH, UPDATE),
    ),
    Option("-v/--verbose", "verbose", Kind.FLAG, "log each request", commands=(SEARCH,)),
    Option(
        "--arxiv-source",
        "arxiv_source",
        Kind.CHOICE,
        "announcement feeds with API backfill (auto), feeds only (rss), or the API only",
        default=defaults.ARXIV_SOURCE,
        choices=SOURCES,
        field="arxiv.source",
        input="arxiv-source",
        description="Where papers come from. `auto`: arXiv's daily announcement feeds (a few "
        "requests for any number of topics, fresh at announcement time), backfilled through "
        "the API whenever a day could be missed. `rss`: the feeds only, never a backfill. "
        "`api`: one API search per topic. Empty = `auto`.",
        input_default="",
        recorded=True,
        group=_ARXIV,
    ),
    Option(
        "--arxiv-rss-url",
        "arxiv_rss_url",
        Kind.URL,
        f"announcement feeds (default: ${defaults.ARXIV_RSS_URL_ENV} or {defaults.ARXIV_RSS_URL})",
        field="arxiv.rss_url",
        input="arxiv-rss-url",
        description=f"arXiv announcement feeds URL. Empty = `{defaults.ARXIV_RSS_URL}`.",
        group=_ARXIV,
    ),
    Option(
        "--summarize",
        "summarize",
        Kind.CHOICE,
        "write a one-line summary per paper: off, github-models or openai (--summarize-url)",
        default=defaults.SUMMARIZE,
        choices=defaults.SUMMARIZE_PROVIDERS,
        field="summarize.provider",
        input="summarize",
        description="One-line summaries (a `tldr` column, the compact and list templates, "
        "the digest, the feed and the site): `off`, `github-models` (the workflow's token, "
        "`permissions: models: read`) or `openai` (any OpenAI-compatible endpoint at "
        "`summarize-url`, key in `summarize-key`). A paper without a summary is shown as "
        "before. Empty = `off`.",
        input_default="",
        recorded=True,
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-model",
        "summarize_model",
        Kind.TEXT,
        "the model (default: "
        + ", ".join(f"{k} {v}" for k, v in defaults.SUMMARIZE_MODELS.items())
        + ")",
        field="summarize.model",
        input="summarize-model",
        description="The model that writes the summaries. Empty = "
        + ", ".join(f"`{v}` ({k})" for k, v in defaults.SUMMARIZE_MODELS.items())
        + ".",
        recorded=True,
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-language",
        "summarize_language",
        Kind.TEXT,
        "the summaries' language",
        default=defaults.SUMMARIZE_LANGUAGE,
        field="summarize.language",
        input="summarize-language",
        description="Language of the summaries, e.g. `Chinese` or `Deutsch`; a summary in "
        "another script is refused, not shown. Empty = `English`.",
        input_default="",
        recorded=True,
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-url",
        "summarize_url",
        Kind.TEXT,
        "base URL of the OpenAI-compatible endpoint (…/v1); /chat/completions is appended",
        field="summarize.url",
        input="summarize-url",
        description="Base URL of the OpenAI-compatible API for `openai`, e.g. "
        "`https://api.openai.com/v1` or `http://localhost:11434/v1` (Ollama); "
        "`/chat/completions` is appended. Empty = "
        f"`{defaults.GITHUB_MODELS_URL}` for `github-models`.",
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-key-env",
        "summarize_key_env",
        Kind.TOKEN,
        "environment variable holding the endpoint's key (github-models falls back to the "
        "GitHub token)",
        default=defaults.SUMMARIZE_KEY_ENV,
        input="summarize-key",
        description="Key of the `openai` endpoint: pass a secret, e.g. the expression of "
        "`secrets.OPENAI_API_KEY`; it is masked and never on a command line. Empty "
        "with `github-models` = `github-token`.",
        input_default="",
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-max-requests",
        "summarize_max_requests",
        Kind.COUNT,
        "most summarising requests per run (each carries up to "
        f"{defaults.SUMMARIZE_BATCH} abstracts)",
        default=defaults.SUMMARIZE_MAX_REQUESTS,
        field="summarize.max_requests",
        input="summarize-max-requests",
        description="Most requests per run, each carrying up to "
        f"{defaults.SUMMARIZE_BATCH} abstracts; papers left over are summarised on the next "
        "run.",
        recorded=True,
        group=_SUMMARIES,
    ),
    Option(
        "--summarize-seconds",
        "summarize_seconds",
        Kind.NUMBER,
        "time budget of all summarising in a run, in seconds",
        default=defaults.SUMMARIZE_SECONDS,
        field="summarize.seconds",
        input="summarize-time-budget",
        description="Seconds all summarising may take in a run; what is left waits for the "
        "next run.",
        input_default=f"{defaults.SUMMARIZE_SECONDS:g}",
        recorded=True,
        group=_SUMMARIES,
    ),
    Option(
        "--repo",
        "repo",
        Kind.TEXT,
        "OWNER/NAME: read and publish through the GitHub API",
        field="repository.full_name",
        input="repository",
        description="Target repository as `owner/name`.",
        input_default="${{ github.repository }}",
        group=_REMOTE,
    ),
    Option(
        "--branch",
        "branch",
        Kind.TEXT,
        "base branch (default: the repository's default)",
        field="repository.branch",
        input="branch",
        description="Branch to read from and commit to (the pull request's base). Empty = the "
        "default branch.",
        group=_REMOTE,
    ),
    Option(
        "--mode",
        "mode",
        Kind.MODE,
        "how to publish (dry-run: nowhere)",
        default="commit",
        choices=MODES,
        field="repository.mode",
        input="mode",
        description="`commit` (one commit on `branch`), `pull-request` (a pull request from "
        "`pr-branch`), or `dry-run` (read and render, publish nothing).",
        group=_REMOTE,
    ),
    Option(
        "--token-env",
        "token_env",
        Kind.TOKEN,
        "environment variable holding the token",
        default=defaults.TOKEN_ENV,
        input="github-token",
        description="Token for the GitHub API. Needs `contents: write`, plus "
        "`pull-requests: write` in pull-request mode and `issues: write` for labels and the "
        "digest issue.",
        input_default="${{ github.token }}",
        group=_REMOTE,
    ),
    Option(
        "--api-url",
        "api_url",
        Kind.TEXT,
        f"GitHub API URL (default: ${defaults.GITHUB_API_URL_ENV} or {defaults.GITHUB_API_URL})",
        field="repository.api_url",
        input="api-url",
        description="GitHub REST API URL (set automatically on GitHub Enterprise Server).",
        input_default="${{ github.api_url }}",
        group=_REMOTE,
    ),
    Option(
        "--commit-message",
        "commit_message",
        Kind.TEXT,
        "message of the commit",
        default=defaults.COMMIT_MESSAGE,
        field="repository.commit_message",
        input="commit-message",
        description="Commit message.",
        group=_REMOTE,
    ),
    Option(
        "--pr-branch",
        "pr_branch",
        Kind.TEXT,
        "branch of the pull request",
        default=defaults.PR_BRANCH,
        field="repository.pr_branch",
        input="pr-branch",
        description="Branch rebuilt on each run in pull-request mode.",
        group=_REMOTE,
    ),
    Option(
        "--pr-title",
        "pr_title",
        Kind.TEXT,
        "title of the pull request",
        default=defaults.PR_TITLE,
        field="repository.pr_title",
        input="pr-title",
        description="Pull request title.",
        group=_REMOTE,
    ),
    Option(
        "--label",
        "labels",
        Kind.LIST,
        "pull request label",
        default=[],
        field="repository.labels",
        input="pr-labels",
        description="Labels for the pull request (comma or newline separated); created when "
        "missing.",
        group=_REMOTE,
    ),
    Option(
        "--issue",
        "issue",
        Kind.FLAG,
        "open a digest issue of new papers",
        default=False,
        input="issue",
        description="`true` opens a digest issue listing the new papers (needs "
        "`issues: write`); no issue when nothing is new.",
        group=_REMOTE,
    ),
    Option(
        "--issue-title",
        "issue_title",
        Kind.TEXT,
        "digest title; {date} is replaced",
        default=defaults.ISSUE_TITLE,
        field="digest.title",
        input="issue-title",
        description="Title of the digest issue. Empty = `New papers — YYYY-MM-DD`.",
        input_default="",
        group=_REMOTE,
    ),
    Option(
        "--issue-label",
        "issue_labels",
        Kind.LIST,
        "digest label",
        default=[],
        field="digest.labels",
        input="issue-labels",
        description="Labels for the digest issue (comma or newline separated); created when "
        "missing.",
        group=_REMOTE,
    ),
    Option(
        "--issue-close-previous",
        "issue_close_previous",
        Kind.FLAG,
        "close the previous digest (found by --issue-label)",
        default=False,
        field="digest.close_previous",
        input="issue-close-previous",
        description="`true` closes the previous digest issue when a new one is opened.",
        group=_REMOTE,
    ),
    Option(
        "--notify",
        "notify",
        Kind.SECRET_LINES,
        f"a channel URL (slack://, discord://, tgram://, feishu://, mailtos://, json://, …; "
        f"repeatable; default: ${defaults.NOTIFY_ENV}, one a line)",
        default=[],
        field="notify.urls",
        input="notify",
        description="Channels to tell about new papers, one apprise URL a line (`slack://…`, "
        "`discord://…`, `tgram://…`, `feishu://…`, `wecombot://…`, `mailtos://…`, `json://…`). "
        "Pass it from a secret such as `secrets.DAILY_PAPERS_NOTIFY`. Empty = no notifications.",
        group=_NOTIFY,
    ),
    Option(
        "--notify-on",
        "notify_on",
        Kind.CHOICE,
        "when channels hear of a run",
        default=defaults.NOTIFY_ON,
        choices=NOTIFY_ON,
        field="notify.on",
        input="notify-on",
        description="`new`: only when the run shows new papers; `always`: every run; "
        "`failure`: new papers, and also a failed run with the reason.",
        group=_NOTIFY,
    ),
    Option(
        "--notify-format",
        "notify_format",
        Kind.CHOICE,
        "short: counts and the top titles; full: every paper that fits",
        default=defaults.NOTIFY_FORMAT,
        choices=NOTIFY_FORMATS,
        field="notify.form",
        input="notify-format",
        description='`short`: counts per topic, the top titles with links and "+N more" with '
        "links to the README, the digest issue and the site; `full`: every new paper that "
        "fits the channel's limit.",
        group=_NOTIFY,
    ),
    Option(
        "--notify-strict",
        "notify_strict",
        Kind.FLAG,
        "exit 3 when a channel fails (the update stays published)",
        default=False,
        field="notify.strict",
        input="notify-strict",
        description="`true` fails the step (exit status 3) when a channel did not take the "
        "message; the update is published either way.",
        group=_NOTIFY,
    ),
)
"""Every option, in the order of the help (and of ``action.yml``'s inputs)."""


def for_command(command: str) -> Iterator[Option]:
    """The rows of one subcommand, in table order."""
    return (row for row in OPTIONS if command in row.commands)


def inputs() -> tuple[Option, ...]:
    """The rows that are action inputs, in ``action.yml`` order."""
    return tuple(row for row in OPTIONS if row.input is not None)


def read_fields(
    command: str, values: Mapping[str, Any], label: Callable[[Option], str]
) -> dict[str, Any]:
    """Every row's value of ``command``, checked once, keyed by its settings field."""
    return {
        row.field: row.read(values.get(row.dest, row.default), label(row))
        for row in for_command(command)
        if row.field is not None
    }


def recorded(settings: object) -> dict[str, object]:
    """The result JSON's ``options`` block: each recorded row's settings field, as resolved
    (a section that is off, such as the summaries, records its rows' defaults)."""
    block: dict[str, object] = {}
    for row in for_command(UPDATE):
        if row.recorded and row.field is not None:
            value: object = settings
            for name in row.field.split("."):
                value = getattr(value, name, None)
                if value is None:
                    value = row.default
                    break
            block[row.json_key] = list(value) if isinstance(value, tuple) else value
    return block
