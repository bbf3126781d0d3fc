"""The command line's grammar: every subcommand, option, default and example, in one parser.

The parser raises instead of exiting (only ``__main__`` exits) and writes ``--help`` to the
stream it is given, so tests read the help like a person would.  Defaults come from
:mod:`daily_papers.defaults` and are shown in the help.  The action's entry point is a hidden
subcommand: it is for ``action.yml``, not for people.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn, TextIO

from daily_papers import __version__, defaults
from daily_papers.errors import ConfigError
from daily_papers.render import BUILTIN_TEMPLATES, DEFAULT_COLUMNS, TABLE_COLUMNS
from daily_papers.settings import MODES
from daily_papers.sources.routing import SOURCES

__all__ = ["COMMANDS", "ParserExit", "build_parser"]

#: The subcommands people use (``action`` is hidden).
COMMANDS = ("search", "update")

_DESCRIPTION = "Keep a README up to date with the newest arXiv papers for a list of keywords."

_MAIN_EXAMPLES = """\
examples:
  daily-papers search "language model uncertainty" --max-count 5
  daily-papers update README.md -k "diffusion model" -k "reward model" --dry-run
  daily-papers update README.md --topics-file topics.yml --repo octo/papers --mode pull-request

Run "daily-papers COMMAND --help" for a command's options.
"""

_SEARCH_EXAMPLES = """\
examples:
  daily-papers search "graph neural network" --category cs.LG
  daily-papers search 'ti:"reward model" ANDNOT abs:survey' --json
"""

_UPDATE_EXAMPLES = """\
examples:
  daily-papers update README.md -k "diffusion model" --max-count 20
  daily-papers update README.md --topics-file topics.yml --dry-run
  GITHUB_TOKEN=... daily-papers update README.md -k "reward model" --repo octo/papers

README_PATH is a local file, or with --repo a path inside the repository (read and
published through the GitHub API). Topics from -k and from --topics-file are combined:
the -k topics come first, then the file's.
"""


class ParserExit(Exception):
    """argparse wants to exit (help, version, a bare command): carry the status out."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the examples' layout and shows every option's default (when it has one)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if (
            isinstance(action.default, bool)
            or action.default in (None, [], argparse.SUPPRESS)
            or "(default" in (action.help or "")
        ):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting."""

    stream: TextIO | None = None

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message}.", f"Run '{self.prog} --help' for the options.")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (self.stream or file or sys.stderr).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message)
        raise ParserExit(status)


def _verbose(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log each request"
    )


def _add_arxiv_options(parser: argparse.ArgumentParser) -> Any:
    group = parser.add_argument_group("arXiv")
    group.add_argument(
        "--arxiv-url",
        help=f"arXiv API endpoint (default: ${defaults.ARXIV_API_URL_ENV} or "
        f"{defaults.ARXIV_API_URL})",
    )
    group.add_argument(
        "--arxiv-delay",
        type=float,
        default=defaults.ARXIV_DELAY,
        help="seconds between two arXiv requests (arXiv's terms of use; lower it only for "
        "mirrors and tests)",
    )
    group.add_argument(
        "--page-size", default=str(defaults.ARXIV_PAGE_SIZE), help="papers per arXiv request"
    )
    return group


def _add_search(sub: Any, parser_class: type[_Parser]) -> None:
    search = sub.add_parser(
        "search",
        help="print the newest papers for one query",
        description="Print the newest arXiv papers for one phrase or advanced query.",
        epilog=_SEARCH_EXAMPLES,
        formatter_class=_Formatter,
    )
    search.add_argument("query", help='a phrase ("language model") or an advanced arXiv query')
    search.add_argument(
        "--max-count", default=str(defaults.SEARCH_COUNT), help="how many papers (1-2000)"
    )
    search.add_argument("--category", action="append", default=[], help="restrict to a category")
    search.add_argument("--exclude", action="append", default=[], help="exclude a phrase")
    search.add_argument("--json", action="store_true", help="print a JSON array instead")
    _add_arxiv_options(search)
    _verbose(search, argparse.SUPPRESS)


def _add_update(sub: Any) -> None:
    update = sub.add_parser(
        "update",
        help="rewrite the README block between the markers",
        description="Fetch the newest papers per topic and rewrite the README between its "
        "two marker lines; write locally or publish through the GitHub API.",
        epilog=_UPDATE_EXAMPLES,
        formatter_class=_Formatter,
    )
    update.add_argument("readme", metavar="README_PATH", help="the README to update")
    topics = update.add_argument_group("topics")
    topics.add_argument(
        "-k",
        "--keyword",
        action="append",
        default=[],
        dest="keywords",
        help="a topic: a phrase or an advanced arXiv query (repeatable)",
    )
    topics.add_argument("--topics-file", help="YAML file listing topics (README: Topics file)")
    topics.add_argument(
        "--max-count", default=str(defaults.MAX_COUNT), help="papers per topic (1-2000)"
    )
    topics.add_argument(
        "--category", action="append", default=[], help="restrict every topic (repeatable)"
    )
    topics.add_argument(
        "--exclude", action="append", default=[], help="exclude a phrase (repeatable)"
    )
    output = update.add_argument_group("what is written")
    output.add_argument(
        "--template",
        default=defaults.TEMPLATE,
        help=f"built-in template ({', '.join(BUILTIN_TEMPLATES)}) or a template file",
    )
    output.add_argument(
        "--columns",
        default=",".join(DEFAULT_COLUMNS),
        help=f"columns of the default table, from {', '.join(TABLE_COLUMNS)}",
    )
    output.add_argument("--marker", default=defaults.MARKER, help="marker name")
    output.add_argument(
        "--data-file", help="JSON data file (default: <marker>.json beside the README)"
    )
    output.add_argument("--feed", help="also write an Atom feed to this path")
    output.add_argument(
        "--feed-count", default=str(defaults.FEED_COUNT), help="entries in the feed"
    )
    output.add_argument("--bibtex", help="also write a BibTeX file of the papers shown")
    site = update.add_argument_group("the paper site")
    site.add_argument(
        "--archive", help="keep every paper ever shown in this folder (JSON Lines per month)"
    )
    site.add_argument("--site-dir", help="build the searchable paper site into this folder")
    site.add_argument(
        "--site-url",
        help="the site's address (default with --site-dir: https://OWNER.github.io/REPO/)",
    )
    site.add_argument(
        "--readme-max-papers",
        help="show only the newest N papers per topic in the README, the rest on the site",
    )
    run = update.add_argument_group("the run")
    run.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    run.add_argument("--result-json", help="write the run's result as JSON to this path")
    run.add_argument(
        "--no-fail-on-partial",
        dest="fail_on_partial",
        action="store_false",
        help="exit 0 instead of 3 when some topics failed",
    )
    run.add_argument(
        "--github-annotations",
        action="store_true",
        help="print warnings and errors as GitHub Actions annotations",
    )
    _verbose(run, argparse.SUPPRESS)
    arxiv = _add_arxiv_options(update)
    arxiv.add_argument(
        "--arxiv-source",
        choices=SOURCES,
        default=defaults.ARXIV_SOURCE,
        help="announcement feeds with API backfill (auto), feeds only (rss), or the API only",
    )
    arxiv.add_argument(
        "--arxiv-rss-url",
        help=f"announcement feeds (default: ${defaults.ARXIV_RSS_URL_ENV} or "
        f"{defaults.ARXIV_RSS_URL})",
    )
    remote = update.add_argument_group("publishing through the GitHub API")
    remote.add_argument("--repo", help="OWNER/NAME: read and publish through the GitHub API")
    remote.add_argument("--branch", help="base branch (default: the repository's default)")
    remote.add_argument(
        "--mode", choices=MODES, default="commit", help="how to publish (dry-run: nowhere)"
    )
    remote.add_argument(
        "--token-env", default=defaults.TOKEN_ENV, help="environment variable holding the token"
    )
    remote.add_argument(
        "--api-url",
        help=f"GitHub API URL (default: ${defaults.GITHUB_API_URL_ENV} or "
        f"{defaults.GITHUB_API_URL})",
    )
    remote.add_argument(
        "--commit-message", default=defaults.COMMIT_MESSAGE, help="message of the commit"
    )
    remote.add_argument(
        "--pr-branch", default=defaults.PR_BRANCH, help="branch of the pull request"
    )
    remote.add_argument("--pr-title", default=defaults.PR_TITLE, help="title of the pull request")
    remote.add_argument(
        "--label", action="append", default=[], dest="labels", help="pull request label"
    )
    remote.add_argument("--issue", action="store_true", help="open a digest issue of new papers")
    remote.add_argument(
        "--issue-title", default=defaults.ISSUE_TITLE, help="digest title; {date} is replaced"
    )
    remote.add_argument(
        "--issue-label", action="append", default=[], dest="issue_labels", help="digest label"
    )
    remote.add_argument(
        "--issue-close-previous",
        action="store_true",
        help="close the previous digest (found by --issue-label)",
    )


def build_parser(stream: TextIO | None = None) -> argparse.ArgumentParser:
    """The full argument parser; ``--help``/``--version`` text goes to ``stream``."""

    class Parser(_Parser):
        pass

    Parser.stream = stream
    parser = Parser(
        prog="daily-papers",
        description=_DESCRIPTION,
        epilog=_MAIN_EXAMPLES,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"daily-papers {__version__}")
    _verbose(parser, False)
    sub = parser.add_subparsers(
        dest="command", metavar="{" + ",".join(COMMANDS) + "}", parser_class=Parser
    )
    _add_search(sub, Parser)
    _add_update(sub)
    sub.add_parser("action")  # hidden: the composite action's entry point
    return parser
