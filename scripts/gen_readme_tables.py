"""Generate the README's inputs table from the option table and its outputs table from
``action.yml``.

The tables live between ``<!-- action-inputs:start -->`` / ``<!-- action-inputs:end -->`` and
``<!-- action-outputs:start -->`` / ``<!-- action-outputs:end -->``, spliced in by
:func:`daily_papers.splice.splice` like the papers themselves.  The inputs come from
:data:`daily_papers.options.OPTIONS` (which ``tests/test_action_metadata.py`` checks
``action.yml`` against); CI runs ``--check`` and the same test does too, so a changed input
without a regenerated README fails.

Usage::

    python scripts/gen_readme_tables.py README.md           # rewrite the tables in place
    python scripts/gen_readme_tables.py --check README.md   # exit 1 if they are stale
    python scripts/gen_readme_tables.py --print             # print both tables
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from daily_papers import option_row, options, splice
from daily_papers.errors import DailyPapersError
from daily_papers.escape import escape_trusted_cell

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("action-inputs", "action-outputs")


def load_action(path: Path) -> dict[str, Any]:
    """Parse ``action.yml`` (PyYAML ``safe_load``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return data


def _cell(text: object) -> str:
    """One table cell of trusted Markdown from ``action.yml``."""
    return escape_trusted_cell(str(text))


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inputs_table(inputs: Sequence[option_row.Option] = options.inputs()) -> str:
    """``| Input | Default | Description |``, one row per input in the option table's order."""
    rows = ["| Input | Default | Description |", "| --- | --- | --- |"]
    for row in inputs:
        default = row.action_default
        shown = _cell(_code(default)) if default else "*(empty)*"
        rows.append(f"| `{row.input}` | {shown} | {_cell(row.description)} |")
    return "\n".join(rows) + "\n"


def outputs_table(action: Mapping[str, Any]) -> str:
    """``| Output | Description |``, one row per output in ``action.yml`` order."""
    rows = ["| Output | Description |", "| --- | --- |"]
    for name, spec in (action.get("outputs") or {}).items():
        rows.append(f"| `{name}` | {_cell(spec.get('description', ''))} |")
    return "\n".join(rows) + "\n"


def render_readme(text: str, action: Mapping[str, Any], *, path: str = "README.md") -> str:
    """The README with both tables regenerated (a ReadmeError for missing or bad markers)."""
    text = splice.splice(text, inputs_table(), marker="action-inputs", path=path)
    return splice.splice(text, outputs_table(action), marker="action-outputs", path=path)


def main(argv: list[str] | None = None) -> int:
    """Tiny CLI around :func:`render_readme`; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readme", nargs="?", type=Path, default=ROOT / "README.md")
    parser.add_argument("--action", type=Path, default=ROOT / "action.yml")
    parser.add_argument("--check", action="store_true", help="fail if the tables are stale")
    parser.add_argument("--print", action="store_true", help="print the tables and exit")
    args = parser.parse_args(argv)
    action = load_action(args.action)
    if args.print:
        sys.stdout.write(f"{inputs_table()}\n{outputs_table(action)}")
        return 0
    current = args.readme.read_text(encoding="utf-8")
    try:
        wanted = render_readme(current, action, path=str(args.readme))
    except DailyPapersError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if wanted == current:
        return 0
    if args.check:
        sys.stderr.write(
            f"{args.readme}: the inputs/outputs tables differ from the option table or "
            f"{args.action.name}; "
            "run `python scripts/gen_readme_tables.py` to regenerate them.\n"
        )
        return 1
    args.readme.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
