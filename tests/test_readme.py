"""README.md is the front door: keep its commands, example workflow and markers true."""

from __future__ import annotations

import re
from pathlib import Path

from daily_papers import splice

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

INSTALL_AND_RUN = (
    "python3 -m venv .venv && .venv/bin/pip install . && "
    '.venv/bin/daily-papers update README.md -k "large language model"'
)
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
    ".venv/bin/python -m pytest --full"
)


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    assert INSTALL_AND_RUN in README
    assert TEST_COMMAND in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'" in ci
    assert ".venv/bin/python -m pytest --full" in ci


def test_example_workflow_block_is_the_example_file() -> None:
    match = re.search(
        r"<!-- example-workflow:start -->\n```yaml\n(.*?)```\n<!-- example-workflow:end -->",
        README,
        re.DOTALL,
    )
    assert match, "README lost its example-workflow block"
    example = (ROOT / ".github" / "examples" / "daily-papers.yml").read_text(encoding="utf-8")
    assert match.group(1) == example


def test_readme_has_exactly_one_live_block_so_the_local_command_works() -> None:
    block = splice.current_block(README, path="README.md")
    assert "Thank you to arXiv for use of its open access interoperability." in block
    assert "| **Title** | **Date** | **Abstract** | **Comment** |" in block
