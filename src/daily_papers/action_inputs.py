"""Turn the action's inputs into a ``daily-papers update`` command line.

A composite action gets no ``INPUT_*`` variables (only the ``inputs`` context exists; see
https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs and
actions/runner#665), and pasting ``${{ inputs.x }}`` into a ``run:`` script is a script-injection
hole.  So ``action.yml`` hands every input to the ``Run`` step as an environment variable
``DAILY_PAPERS_<INPUT_IN_UPPER_SNAKE>`` and this module turns that environment into the very argv a
user would type locally.  The action therefore has no behaviour of its own to drift from the CLI.

:data:`INPUTS` are the rows of :data:`daily_papers.options.OPTIONS` that have an input: each
row's kind says how its text becomes arguments.  ``tests/test_action_metadata.py`` checks
``action.yml`` against them (names, defaults, descriptions, every one wired through ``env:``),
and the README's inputs table is generated from them, so the three cannot drift apart.

Parsing rules: booleans are exactly ``true``/``false``, lists split on commas or newlines,
and every error is one sentence naming the input as the user wrote it.  Values are checked
once, when the settings are read (:func:`daily_papers.cli.run` has them name the input).  An
input that is absent or empty means "use the default".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from daily_papers import options
from daily_papers.arguments import build_parser
from daily_papers.errors import ConfigError
from daily_papers.option_row import MODES, Kind, Option, input_env_name
from daily_papers.settings import RunSettings, update_settings

__all__ = [
    "INPUTS",
    "SECRET_ENVS",
    "TOKEN_ENV",
    "action_settings",
    "input_env_name",
    "inputs_to_argv",
    "split_keywords",
    "split_list",
]

INPUTS: tuple[Option, ...] = options.inputs()
"""Every input of ``action.yml``, in the order the argv is built."""

TOKEN_ENV = input_env_name("github-token")
"""The variable holding the token; argv only ever names it (``--token-env``), so the token never
appears in a process listing or a log line that echoes the command."""

SECRET_ENVS: tuple[str, ...] = tuple(row.env for row in INPUTS if row.kind is Kind.TOKEN)
"""Every variable holding a secret input (the GitHub token, the summarising key): masked."""

_LIST_SPLIT = re.compile(r"[,\r\n]+")
_LINES = re.compile(r"\r\n|\r|\n")


def _raw(env: Mapping[str, str], name: str) -> str:
    return env.get(input_env_name(name), "").strip()


def parse_bool(name: str, value: str, *, default: bool) -> bool:
    """Exactly ``true`` or ``false`` (empty = ``default``); anything else is an error.

    ``!= "false"`` style parsing silently turns ``False``/``no``/``0`` into true; we refuse.
    """
    if value == "":
        return default
    if value == "true":
        return True
    if value == "false":
        return False
    raise ConfigError(f"input `{name}` must be true or false, got {value!r}.")


def split_list(value: str) -> list[str]:
    """Split a comma- or newline-separated list; blanks are dropped, items stripped."""
    return [item.strip() for item in _LIST_SPLIT.split(value) if item.strip()]


def split_keywords(value: str) -> list[str]:
    """Keywords are one per line; a single line is instead split on commas.

    Several lines keep their commas (an advanced arXiv query may contain one); for a single
    keyword that itself contains a comma, use two lines or a topics file.
    """
    # Only CR/LF end a line: str.splitlines() would also split on U+2028 and friends.
    lines = [line.strip() for line in _LINES.split(value) if line.strip()]
    if len(lines) == 1:
        return split_list(lines[0])
    return lines


def _arguments(row: Option, value: str) -> list[str]:
    """The arguments one input becomes; ``value`` is the input's text, stripped."""
    name, flag = row.input, row.flag
    if row.kind is Kind.KEYWORDS:
        return [f"{flag}={keyword}" for keyword in split_keywords(value)]
    if row.kind is Kind.LIST:
        return [f"{flag}={item}" for item in split_list(value)]
    if row.kind is Kind.FLAG:
        assert name is not None
        wanted = parse_bool(name, value, default=row.negated)
        return [flag] if wanted != row.negated else []
    if row.kind is Kind.MODE:
        mode = value or str(row.default)
        if mode not in MODES:
            raise ConfigError(f"input `{name}` must be one of {', '.join(MODES)}, got {value!r}.")
        # dry-run still reads the target repository but publishes nothing.
        return ["--dry-run" if mode == "dry-run" else f"{flag}={mode}"]
    if row.kind is Kind.TOKEN:
        # Named only when the command line would look in another variable by default.
        return [f"{flag}={row.env}"] if row.env != row.default else []
    if row.kind is Kind.SECRET_LINES:
        return []  # read from its environment variable when the settings are built
    # Text, paths, counts, numbers, columns, choices: checked once, when the settings are read
    # (naming the input); an empty input means the option's default.
    return [f"{flag}={value}"] if value else []


def inputs_to_argv(env: Mapping[str, str], *, result_json: str | None = None) -> list[str]:
    """Build ``["update", README, options...]`` from the ``DAILY_PAPERS_*`` environment.

    ``--github-annotations`` is always passed (the action runs inside a runner) and
    ``--result-json`` when ``result_json`` is given; callers may append further options.
    Every value is attached to its flag (``--marker=x``), so no input, even one starting with
    ``-``, can be read as another option; a README path starting with ``-`` is refused.

    Raises :class:`ConfigError` naming the first invalid input.
    """
    argv: list[str] = ["update"]
    for row in INPUTS:
        assert row.input is not None
        value = _raw(env, row.input)
        if row.kind is Kind.POSITIONAL:
            readme = value or str(row.default)
            if readme.startswith("-"):
                raise ConfigError(f"input `{row.input}` must be a file path, got {readme!r}.")
            argv.insert(1, readme)
        else:
            argv.extend(_arguments(row, value))
    if not split_keywords(_raw(env, "keywords")) and not _raw(env, "topics-file"):
        raise ConfigError(
            "input `keywords` or `topics-file` must be set.",
            "Add for example `keywords: large language model` to the step's `with:`.",
        )
    argv.append("--github-annotations")
    if result_json is not None:
        argv.append(f"--result-json={result_json}")
    return argv


def action_settings(env: Mapping[str, str], *, result_json: str | None = None) -> RunSettings:
    """The run's settings from the inputs, through the command line a user would type; an
    invalid value's error names its input (``input `max-count```), not its flag."""
    values = vars(build_parser().parse_args(inputs_to_argv(env, result_json=result_json)))
    return update_settings(values, env, label=lambda row: row.input_label)
