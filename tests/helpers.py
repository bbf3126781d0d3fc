"""What many test files share: the CLI run in-process, the recorded topics and the test repository.

One copy, so a change of the CLI's signature or of a recording is made once.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from daily_papers import cli

#: The repository every GitHub test works on (in the fake GitHub).
REPO = "octo/papers"

#: Three topics and the recorded arXiv API answer each is served (tests/fixtures/arxiv).
TOPICS: Mapping[str, str] = {
    "alpha": "api-2026-all_testing-relevance-start0-max10.xml",
    "beta": "api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml",
    "gamma": "api-2026-all_testing-relevance-start10-max10-page2.xml",
}

#: The day the CLI tests run on unless they say otherwise.
TODAY = date(2026, 11, 26)


@dataclass(frozen=True)
class Result:
    """One CLI run: exit status, standard output and error, and the result JSON if written."""

    status: int
    out: str
    err: str
    json: dict[str, Any] | None = None


def run_cli(
    *argv: str,
    today: date = TODAY,
    env: Mapping[str, str] | None = None,
    result_json: Path | None = None,
    **hooks: Any,
) -> Result:
    """``daily-papers ARGV`` in-process with its own streams (``hooks`` go to :func:`cli.run`,
    e.g. ``github=``); the result JSON is read back when ``result_json`` names it."""
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(list(argv), dict(env or {}), stdout=out, stderr=err, today=today, **hooks)
    doc = None
    if result_json is not None and result_json.exists():
        doc = json.loads(result_json.read_text("utf-8"))
    return Result(status, out.getvalue(), err.getvalue(), doc)


def action_env(github_token: str, github_url: str, arxiv_url: str, **extra: str) -> dict[str, str]:
    """The environment the action's step gives ``daily-papers action`` for topics alpha and
    beta of :data:`TOPICS` through the API route against the loopback fakes, plus ``extra``."""
    return {
        "DAILY_PAPERS_GITHUB_TOKEN": github_token,
        "DAILY_PAPERS_KEYWORDS": "alpha\nbeta",
        "DAILY_PAPERS_MAX_COUNT": "4",
        "DAILY_PAPERS_REPOSITORY": REPO,
        "DAILY_PAPERS_BRANCH": "main",
        "DAILY_PAPERS_API_URL": github_url,
        "DAILY_PAPERS_ARXIV_API_URL": arxiv_url,
        "DAILY_PAPERS_ARXIV_SOURCE": "api",
        "DAILY_PAPERS_INTERNAL_BE_CAREFUL_ARXIV_DELAY": "0",
        **extra,
    }


def letters(number: int) -> str:
    """``number`` written in letters (a, b, …, ba, …), for generated category and author
    names: category names hold no digits."""
    found = ""
    while True:
        number, digit = divmod(number, 26)
        found = chr(ord("a") + digit) + found
        if not number:
            return found
