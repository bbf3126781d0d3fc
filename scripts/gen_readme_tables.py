"""Generate the README's inputs and outputs tables from ``action.yml``.

The tables live between ``<!-- action-inputs:start -->`` / ``<!-- action-inputs:end -->`` and
``<!-- action-outputs:start -->`` / ``<!-- action-outputs:end -->``.  ``action.yml`` is the one
source of truth; CI runs ``--check`` (and ``tests/test_action_metadata.py`` does the same), so a
changed input without a regenerated README fails.  The same rewrite-between-markers idea as cog.

Usage::

    python scripts/gen_readme_tables.py README.md           # rewrite the tables in place
    python scripts/gen_readme_tables.py --check README.md   # exit 1 if they are stale
    python scripts/gen_readme_tables.py --print             # print both tables
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

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


def inputs_table(action: Mapping[str, Any]) -> str:
    """``| Input | Default | Description |``, one row per input in ``action.yml`` order."""
    rows = ["| Input | Default | Description |", "| --- | --- | --- |"]
    for name, spec in (action.get("inputs") or {}).items():
        default = str(spec.get("default", ""))
        shown = _cell(_code(default)) if default else "*(empty)*"
        rows.append(f"| `{name}` | {shown} | {_cell(spec.get('description', ''))} |")
    return "\n".join(rows) + "\n"


def outputs_table(action: Mapping[str, Any]) -> str:
    """``| Output | Description |``, one row per output in ``action.yml`` order."""
    rows = ["| Output | Description |", "| --- | --- |"]
    for name, spec in (action.get("outputs") or {}).items():
        rows.append(f"| `{name}` | {_cell(spec.get('description', ''))} |")
    return "\n".join(rows) + "\n"


def replace_section(text: str, name: str, body: str) -> str:
    """Put ``body`` between the ``name`` markers, by slicing; everything else is kept."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"the README needs exactly one `{start}` followed by one `{end}` line")
    head = text[: text.index(start) + len(start)]
    tail = text[text.index(end) :]
    return f"{head}\n{body}{tail}"


def render_readme(text: str, action: Mapping[str, Any]) -> str:
    """The README with both tables regenerated."""
    text = replace_section(text, "action-inputs", inputs_table(action))
    return replace_section(text, "action-outputs", outputs_table(action))


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
        sys.stdout.write(f"{inputs_table(action)}\n{outputs_table(action)}")
        return 0
    current = args.readme.read_text(encoding="utf-8")
    try:
        wanted = render_readme(current, action)
    except ValueError as exc:
        sys.stderr.write(f"{args.readme}: {exc}\n")
        return 1
    if wanted == current:
        return 0
    if args.check:
        sys.stderr.write(
            f"{args.readme}: the inputs/outputs tables differ from {args.action.name}; "
            "run `python scripts/gen_readme_tables.py` to regenerate them.\n"
        )
        return 1
    args.readme.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
