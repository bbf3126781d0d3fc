"""Turn the action's inputs into a ``daily-papers update`` command line.

A composite action gets no ``INPUT_*`` variables (only the ``inputs`` context exists; see
https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs and
actions/runner#665), and pasting ``${{ inputs.x }}`` into a ``run:`` script is a script-injection
hole.  So ``action.yml`` hands every input to the ``Run`` step as an environment variable
``DAILY_PAPERS_<INPUT_IN_UPPER_SNAKE>`` and this module turns that environment into the very argv a
user would type locally.  The action therefore has no behaviour of its own to drift from the CLI.

:data:`INPUTS` is the single table input name → CLI flag.  ``tests/test_action_metadata.py``
checks it against ``action.yml`` (same names, every one wired through ``env:``), and the README's
inputs table is generated from ``action.yml``, so the three cannot drift apart.

Parsing rules follow the habits of careful actions (create-pull-request, the Trail of Bits
actions): booleans are exactly ``true``/``false``, lists split on commas or newlines, numbers are
range-checked, and every error is one sentence naming the input as the user wrote it.  An input
that is absent or empty means "use the default".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from daily_papers.errors import ConfigError
from daily_papers.settings import MODES, check_count

ENV_PREFIX = "DAILY_PAPERS_"
"""Prefix of every environment variable that carries an input."""

TOKEN_ENV = "DAILY_PAPERS_GITHUB_TOKEN"
"""The variable holding the token; argv only ever names it (``--token-env``), so the token never
appears in a process listing or a log line that echoes the command."""


class Kind(enum.Enum):
    """How an input's text becomes command-line arguments."""

    README = "readme"  # the positional README path
    KEYWORDS = "keywords"  # one per line, or one comma-separated line → -k per item
    TEXT = "text"  # one flag with the value
    LIST = "list"  # comma/newline list → the flag once per item
    COUNT = "count"  # whole number from 1 to the limit
    FLAG_IF_TRUE = "flag-if-true"  # boolean; the flag when true
    FLAG_IF_FALSE = "flag-if-false"  # boolean; the flag when false
    MODE = "mode"  # commit | pull-request | dry-run
    TOKEN = "token"  # passed by variable name only
    NUMBER = "number"  # non-negative decimal (seconds)


@dataclass(frozen=True)
class InputSpec:
    """One action input: its kebab-case name, how it is parsed, and the CLI flag it becomes."""

    name: str
    kind: Kind
    flag: str | None = None

    @property
    def env(self) -> str:
        """The environment variable ``action.yml`` sets for this input."""
        return input_env_name(self.name)


def input_env_name(name: str) -> str:
    """``pr-labels`` → ``DAILY_PAPERS_PR_LABELS``."""
    return ENV_PREFIX + name.replace("-", "_").upper()


INPUTS: tuple[InputSpec, ...] = (
    InputSpec("keywords", Kind.KEYWORDS, "--keyword"),
    InputSpec("topics-file", Kind.TEXT, "--topics-file"),
    InputSpec("max-count", Kind.COUNT, "--max-count"),
    InputSpec("categories", Kind.LIST, "--category"),
    InputSpec("readme-path", Kind.README),
    InputSpec("marker", Kind.TEXT, "--marker"),
    InputSpec("template", Kind.TEXT, "--template"),
    InputSpec("data-file", Kind.TEXT, "--data-file"),
    InputSpec("feed-path", Kind.TEXT, "--feed"),
    InputSpec("feed-count", Kind.COUNT, "--feed-count"),
    InputSpec("columns", Kind.TEXT, "--columns"),
    InputSpec("bibtex-path", Kind.TEXT, "--bibtex"),
    InputSpec("archive-path", Kind.TEXT, "--archive"),
    InputSpec("site-dir", Kind.TEXT, "--site-dir"),
    InputSpec("site-url", Kind.TEXT, "--site-url"),
    InputSpec("readme-max-papers", Kind.COUNT, "--readme-max-papers"),
    InputSpec("mode", Kind.MODE, "--mode"),
    InputSpec("branch", Kind.TEXT, "--branch"),
    InputSpec("commit-message", Kind.TEXT, "--commit-message"),
    InputSpec("pr-branch", Kind.TEXT, "--pr-branch"),
    InputSpec("pr-title", Kind.TEXT, "--pr-title"),
    InputSpec("pr-labels", Kind.LIST, "--label"),
    InputSpec("issue", Kind.FLAG_IF_TRUE, "--issue"),
    InputSpec("issue-title", Kind.TEXT, "--issue-title"),
    InputSpec("issue-labels", Kind.LIST, "--issue-label"),
    InputSpec("issue-close-previous", Kind.FLAG_IF_TRUE, "--issue-close-previous"),
    InputSpec("fail-on-partial", Kind.FLAG_IF_FALSE, "--no-fail-on-partial"),
    InputSpec("github-token", Kind.TOKEN, "--token-env"),
    InputSpec("repository", Kind.TEXT, "--repo"),
    InputSpec("api-url", Kind.TEXT, "--api-url"),
    InputSpec("arxiv-api-url", Kind.TEXT, "--arxiv-url"),
    InputSpec("arxiv-source", Kind.TEXT, "--arxiv-source"),
    InputSpec("arxiv-rss-url", Kind.TEXT, "--arxiv-rss-url"),
    InputSpec("internal-be-careful-arxiv-delay", Kind.NUMBER, "--arxiv-delay"),
)
"""Every input of ``action.yml``, in the order the argv is built.  ``internal-be-careful-*``
inputs exist for tests against loopback fakes (the arXiv delay is arXiv's terms of use; don't
lower it against the real API)."""

_LIST_SPLIT = re.compile(r"[,\r\n]+")
_LINES = re.compile(r"\r\n|\r|\n")
_NUMBER = re.compile(r"\d+(\.\d+)?")


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


def parse_count(name: str, value: str) -> int | None:
    """A count (the rule of :func:`daily_papers.settings.check_count`), or ``None`` if empty."""
    if value == "":
        return None
    return check_count(value, source=f"input `{name}`")


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


def inputs_to_argv(env: Mapping[str, str], *, result_json: str | None = None) -> list[str]:
    """Build ``["update", README, options...]`` from the ``DAILY_PAPERS_*`` environment.

    ``--github-annotations`` is always passed (the action runs inside a runner) and
    ``--result-json`` when ``result_json`` is given; callers may append further options.
    Every value is attached to its flag (``--marker=x``), so no input, even one starting with
    ``-``, can be read as another option; a README path starting with ``-`` is refused.

    Raises :class:`ConfigError` naming the first invalid input.
    """
    argv: list[str] = ["update"]
    readme = _raw(env, "readme-path") or "README.md"
    if readme.startswith("-"):
        raise ConfigError(f"input `readme-path` must be a file path, got {readme!r}.")
    argv.append(readme)
    mode = "commit"
    for spec in INPUTS:
        value = _raw(env, spec.name)
        flag = spec.flag or ""
        if spec.kind is Kind.README:
            continue  # already placed first
        if spec.kind is Kind.KEYWORDS:
            argv.extend(f"{flag}={keyword}" for keyword in split_keywords(value))
        elif spec.kind is Kind.LIST:
            argv.extend(f"{flag}={item}" for item in split_list(value))
        elif spec.kind is Kind.TEXT:
            if value:
                argv.append(f"{flag}={value}")
        elif spec.kind is Kind.COUNT:
            count = parse_count(spec.name, value)
            if count is not None:
                argv.append(f"{flag}={count}")
        elif spec.kind is Kind.NUMBER:
            if value and not _NUMBER.fullmatch(value):
                raise ConfigError(
                    f"input `{spec.name}` must be a number of seconds like 3 or 0.5, got {value!r}."
                )
            if value:
                argv.append(f"{flag}={value}")
        elif spec.kind is Kind.FLAG_IF_TRUE:
            if parse_bool(spec.name, value, default=False):
                argv.append(flag)
        elif spec.kind is Kind.FLAG_IF_FALSE:
            if not parse_bool(spec.name, value, default=True):
                argv.append(flag)
        elif spec.kind is Kind.MODE:
            mode = value or mode
            if mode not in MODES:
                raise ConfigError(
                    f"input `{spec.name}` must be one of {', '.join(MODES)}, got {value!r}."
                )
            # dry-run still reads the target repository but publishes nothing.
            argv.append("--dry-run" if mode == "dry-run" else f"{flag}={mode}")
        elif spec.kind is Kind.TOKEN:  # pragma: no branch - the last kind
            argv.append(f"{flag}={spec.env}")
    if not split_keywords(_raw(env, "keywords")) and not _raw(env, "topics-file"):
        raise ConfigError(
            "input `keywords` or `topics-file` must be set.",
            "Add for example `keywords: large language model` to the step's `with:`.",
        )
    argv.append("--github-annotations")
    if result_json is not None:
        argv.append(f"--result-json={result_json}")
    return argv
