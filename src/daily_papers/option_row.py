"""What one option is: its kind of value, its row type, and the checks every value passes once.

:mod:`daily_papers.options` is the table of rows; this module is the row's shape and how a
value is read, so the table itself stays data.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

from daily_papers import defaults
from daily_papers.errors import ConfigError
from daily_papers.template_context import parse_columns

__all__ = [
    "MODES",
    "SEARCH",
    "UPDATE",
    "Kind",
    "Option",
    "check_bytes",
    "check_count",
    "check_score",
    "check_seconds",
    "input_env_name",
]

MODES = ("commit", "pull-request", "dry-run")
"""How the update is published (the ``mode`` input; ``dry-run`` becomes ``--dry-run``)."""

SEARCH, UPDATE = "search", "update"


class Kind(enum.Enum):
    """What a row's value is, which decides its argparse shape, its input parsing and its check."""

    POSITIONAL = "positional"  # one required argument (the README path, the query)
    TEXT = "text"  # free text; empty = not given
    PATH = "path"  # a file or folder path; empty = not given
    URL = "url"  # an address; given but empty is an error (checked with its fallback)
    KEYWORDS = "keywords"  # repeatable; the input is one per line, or one comma-separated line
    LIST = "list"  # repeatable; the input is a comma/newline list
    COUNT = "count"  # a whole number from 1 to the limit
    TOP = "top"  # a whole number from 0 (off) to the limit
    SCORE = "score"  # a ranking score (any finite number); empty = not given
    BYTES = "bytes"  # a whole number of bytes; 0 = no limit
    NUMBER = "number"  # zero or more seconds
    COLUMNS = "columns"  # a column list of the default table
    CHOICE = "choice"  # one of ``choices``
    FLAG = "flag"  # present or not; the input is exactly ``true``/``false``
    MODE = "mode"  # the publish mode (``dry-run`` is a flag of its own on the command line)
    TOKEN = "token"  # the input reaches argv only as the name of its environment variable
    SECRET_LINES = "secret-lines"  # repeatable; the input (one a line) never reaches argv


@dataclass(frozen=True)
class Option:
    """One option: the CLI flag, the action input, and where its value goes."""

    flag: str  # ``--max-count``; a positional's metavar (``README_PATH``)
    dest: str  # the parser's attribute (decides the help's metavar)
    kind: Kind
    help: str
    default: Any = None
    field: str | None = None  # ``section.name`` in the settings, ``None``: not a setting
    input: str | None = None  # the action input, ``None``: command line only
    description: str = ""  # the input's description in action.yml and the README
    input_default: str | None = None  # action.yml's default when it is not ``default`` as text
    recorded: bool = False  # the result JSON's ``options`` block records the value
    group: str | None = None  # the help section
    commands: tuple[str, ...] = (UPDATE,)
    short: str | None = None
    choices: tuple[str, ...] = ()
    negated: bool = False  # a FLAG that turns the setting off (``--no-fail-on-partial``)

    @property
    def env(self) -> str:
        """The environment variable ``action.yml`` sets for the input."""
        assert self.input is not None
        return input_env_name(self.input)

    @property
    def action_default(self) -> str:
        """The input's default as ``action.yml`` spells it."""
        if self.input_default is not None:
            return self.input_default
        if self.kind is Kind.FLAG:
            return "true" if self.negated else "false"
        if self.default is None or self.default == []:
            return ""
        return str(self.default)

    @property
    def label(self) -> str:
        """How errors name the option at a terminal."""
        return self.flag

    @property
    def input_label(self) -> str:
        """How errors name the option in the action."""
        return f"input `{self.input}`" if self.input else self.flag

    @property
    def json_key(self) -> str:
        """The key of the value in the result JSON's ``options`` block."""
        return (self.input or self.dest).replace("-", "_")

    def read(self, value: Any, label: str) -> Any:
        """The parsed value's checked, typed form (``label`` names the option in errors)."""
        if self.kind is Kind.COUNT:
            return None if value is None else check_count(value, source=label)
        if self.kind is Kind.TOP:
            return check_count(value, source=label, lowest=0)
        if self.kind is Kind.SCORE:
            return None if value in (None, "") else check_score(value, source=label)
        if self.kind is Kind.BYTES:
            return check_bytes(value, source=label)
        if self.kind is Kind.NUMBER:
            return check_seconds(value, source=label)
        if self.kind is Kind.COLUMNS:
            return parse_columns(value)
        if self.kind in (Kind.KEYWORDS, Kind.LIST, Kind.SECRET_LINES):
            return tuple(value)
        if self.kind is Kind.PATH:
            return value or None
        return value


def input_env_name(name: str) -> str:
    """``pr-labels`` → ``DAILY_PAPERS_PR_LABELS``."""
    return "DAILY_PAPERS_" + name.replace("-", "_").upper()


def check_count(value: object, *, source: str, lowest: int = 1) -> int:
    """``value`` as a whole number from ``lowest`` to the limit, or a ConfigError naming
    ``source``."""
    limit = defaults.MAX_COUNT_LIMIT
    text = str(value).strip() if isinstance(value, (int, str)) else None
    wrong = f"{source} must be a whole number from {lowest} to {limit}, got {value!r}."
    if isinstance(value, bool) or text is None or not (text.isascii() and text.isdigit()):
        raise ConfigError(wrong)
    number = int(text)
    if not lowest <= number <= limit:
        raise ConfigError(wrong)
    return number


def check_score(value: object, *, source: str) -> float:
    """A ranking score such as ``0.05`` (scores are relative and may be below 0), or a
    ConfigError naming ``source``."""
    try:
        score = float(str(value).strip())
    except ValueError:
        score = math.nan
    if isinstance(value, bool) or not math.isfinite(score):
        raise ConfigError(
            f"{source} must be a number such as 0.05 (see the README: Papers for you), "
            f"got {value!r}."
        )
    return score


def check_bytes(value: object, *, source: str) -> int:
    """A size in bytes, a whole number from 0 (no limit) up, or a ConfigError naming ``source``."""
    text = str(value).strip() if isinstance(value, (int, str)) else None
    if isinstance(value, bool) or not text or not (text.isascii() and text.isdigit()):
        raise ConfigError(
            f"{source} must be a whole number of bytes such as 500000 (0 = no limit), "
            f"got {value!r}."
        )
    return int(text)


def check_seconds(value: object, *, source: str) -> float:
    """Zero or more seconds (``3``, ``0.5``), or a ConfigError naming ``source``."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(f"{source} must be zero or more seconds like 3 or 0.5, got {value!r}.")
    return seconds
