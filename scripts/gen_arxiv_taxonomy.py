"""Generate ``src/daily_papers/data/arxiv-taxonomy.json`` from arXiv's own taxonomy.

arXiv defines its groups, archives, categories and category aliases in the arXiv/arxiv-base
repository, file ``arxiv/taxonomy/definitions.py``.  That file is Python literals (constructor
calls with constant keyword arguments), so this script reads it with :mod:`ast` instead of
importing it: no arxiv-base code (or its pydantic dependency) is needed or copied, only the
facts.  daily-papers never runs this script; it ships the JSON it writes.

Usage (point it at a local copy of the file and name the commit it came from)::

    git -C arxiv-base show <commit>:arxiv/taxonomy/definitions.py > /tmp/definitions.py
    python scripts/gen_arxiv_taxonomy.py /tmp/definitions.py --commit <commit>
    python scripts/gen_arxiv_taxonomy.py /tmp/definitions.py --commit <commit> --check
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "daily_papers" / "data" / "arxiv-taxonomy.json"
REPOSITORY = "arXiv/arxiv-base"
SOURCE_PATH = "arxiv/taxonomy/definitions.py"


def _literal(node: ast.expr) -> Any:
    """A constant, or ``date(y, m, d)`` as ``YYYY-MM-DD``; anything else is an error."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "date":
        year, month, day = (ast.literal_eval(arg) for arg in node.args)
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ast.literal_eval(node)


def _constructors(node: ast.expr) -> dict[str, dict[str, Any]]:
    """``{"key": Archive(id=..., ...), ...}`` as ``{"key": {"id": ..., ...}}``."""
    if not isinstance(node, ast.Dict):
        raise ValueError(f"expected a dict literal at line {node.lineno}")
    result: dict[str, dict[str, Any]] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None or not isinstance(value, ast.Call):
            raise ValueError(f"unexpected entry at line {node.lineno}")
        result[str(ast.literal_eval(key))] = {
            str(kw.arg): _literal(kw.value) for kw in value.keywords if kw.arg is not None
        }
    return result


def read_definitions(source: str) -> dict[str, Any]:
    """The top-level assignments of definitions.py that the taxonomy needs."""
    wanted = {"GROUPS", "ARCHIVES", "CATEGORIES", "ARCHIVES_SUBSUMED", "CATEGORY_ALIASES"}
    found: dict[str, Any] = {}
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name, value = statement.target.id, statement.value
        elif (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            name, value = statement.targets[0].id, statement.value
        else:
            continue
        if name not in wanted or value is None:
            continue
        if name in {"GROUPS", "ARCHIVES", "CATEGORIES"}:
            found[name] = _constructors(value)
        else:
            found[name] = ast.literal_eval(value)
    missing = wanted - found.keys()
    if missing:
        raise ValueError(f"definitions.py lacks {', '.join(sorted(missing))}")
    return found


def build_taxonomy(definitions: dict[str, Any], commit: str) -> dict[str, Any]:
    """The JSON document: provenance, then archives, categories, aliases and subsumed archives.

    Test groups (``grp_test``, ``grp_bad``) are left out: nobody follows the ``test`` archive.
    """
    test_groups = {key for key, group in definitions["GROUPS"].items() if group.get("is_test")}
    archives = {
        key: {
            "name": archive["full_name"],
            "group": archive["in_group"],
            "active": bool(archive["is_active"]),
        }
        for key, archive in sorted(definitions["ARCHIVES"].items())
        if archive["in_group"] not in test_groups
    }
    categories = {
        key: {
            "name": category["full_name"],
            "archive": category["in_archive"],
            "active": bool(category["is_active"]),
        }
        for key, category in sorted(definitions["CATEGORIES"].items())
        if category["in_archive"] in archives
    }
    return {
        "provenance": {
            "repository": REPOSITORY,
            "path": SOURCE_PATH,
            "commit": commit,
            "generator": "scripts/gen_arxiv_taxonomy.py",
        },
        "archives": archives,
        "categories": categories,
        "aliases": dict(sorted(definitions["CATEGORY_ALIASES"].items())),
        "subsumed": dict(sorted(definitions["ARCHIVES_SUBSUMED"].items())),
    }


def render(taxonomy: dict[str, Any]) -> str:
    """Stable, diff-friendly JSON text."""
    return json.dumps(taxonomy, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("definitions", type=Path, help="a local copy of definitions.py")
    parser.add_argument("--commit", required=True, help="the arxiv-base commit it came from")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    args = parser.parse_args(argv)
    text = render(
        build_taxonomy(read_definitions(args.definitions.read_text("utf-8")), args.commit)
    )
    if args.check:
        current = args.output.read_text("utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; rerun without --check", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(text)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
