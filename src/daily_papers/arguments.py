"""The command line's grammar: every subcommand, option, default and example, in one parser.

The parser raises instead of exiting (only ``__main__`` exits) and writes ``--help`` to the
stream it is given, so tests read the help like a person would.  The options are the rows of
:data:`daily_papers.options.OPTIONS` (defaults from :mod:`daily_papers.defaults`, shown in the
help); the parser only splits the command line, :mod:`daily_papers.settings` checks the
values.  The action's entry point is a hidden subcommand: it is for ``action.yml``, not for
people.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn, TextIO

from daily_papers import __version__, options
from daily_papers.errors import ConfigError
from daily_papers.option_row import SEARCH, UPDATE, Kind, Option

__all__ = ["COMMANDS", "ParserExit", "build_parser"]

#: The subcommands people use (``action`` is hidden).
COMMANDS = (SEARCH, UPDATE)

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


def _add_row(target: Any, row: Option, *, top_level: bool = False) -> None:
    """One table row as an argparse argument; values stay text, checked when settings are read."""
    if row.dest == "verbose":
        default = False if top_level else argparse.SUPPRESS
        target.add_argument("-v", "--verbose", action="store_true", default=default, help=row.help)
        return
    if row.kind is Kind.POSITIONAL:
        metavar = row.flag if row.flag != row.dest else None
        target.add_argument(row.dest, metavar=metavar, help=row.help)
        return
    flags = [row.short, row.flag] if row.short else [row.flag]
    options: dict[str, Any] = {"help": row.help}
    if row.dest != row.flag.lstrip("-").replace("-", "_"):
        options["dest"] = row.dest
    if row.kind is Kind.FLAG:
        options["action"] = "store_false" if row.negated else "store_true"
    elif row.kind in (Kind.KEYWORDS, Kind.LIST, Kind.SECRET_LINES):
        options.update(action="append", default=[])
    else:
        if row.choices:
            options["choices"] = row.choices
        if row.default is not None:
            options["default"] = row.default
    target.add_argument(*flags, **options)


def _add_command(sub: Any, command: str, **parser_options: Any) -> None:
    """A subcommand whose arguments are the table's rows, in their help groups."""
    parser = sub.add_parser(command, formatter_class=_Formatter, **parser_options)
    groups: dict[str, Any] = {}
    for row in options.for_command(command):
        if row.group is None:
            _add_row(parser, row)
            continue
        if row.group not in groups:
            groups[row.group] = parser.add_argument_group(row.group)
        _add_row(groups[row.group], row)


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
    [verbose] = (row for row in options.for_command(SEARCH) if row.dest == "verbose")
    _add_row(parser, verbose, top_level=True)
    sub = parser.add_subparsers(
        dest="command", metavar="{" + ",".join(COMMANDS) + "}", parser_class=Parser
    )
    _add_command(
        sub,
        SEARCH,
        help="print the newest papers for one query",
        description="Print the newest arXiv papers for one phrase or advanced query.",
        epilog=_SEARCH_EXAMPLES,
    )
    _add_command(
        sub,
        UPDATE,
        help="rewrite the README block between the markers",
        description="Fetch the newest papers per topic and rewrite the README between its "
        "two marker lines; write locally or publish through the GitHub API.",
        epilog=_UPDATE_EXAMPLES,
    )
    sub.add_parser("action")  # hidden: the composite action's entry point
    return parser
