"""``action.yml``, the workflows, the lock file and the README tables agree with each other.

These are the drift checks the Trail of Bits actions lack: an input added to ``action.yml``
but not wired through ``env:``, an output not mapped to a step output, an aggregator job whose
``needs`` forgets a job, a README table that no longer matches the metadata.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from scripts import gen_readme_tables

from daily_papers import defaults
from daily_papers.action_inputs import INPUTS, input_env_name
from daily_papers.errors import ReadmeError
from daily_papers.runner import OUTPUT_NAMES

ROOT = Path(__file__).resolve().parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLE = ROOT / ".github" / "examples" / "daily-papers.yml"
KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
SHA_PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+", re.M)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps_of(document: dict[Any, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return list(document["runs"]["steps"])
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def run_step() -> dict[str, Any]:
    [step] = [s for s in ACTION["runs"]["steps"] if s.get("id") == "run"]
    assert isinstance(step, dict)
    return step


def test_the_readme_tables_match_action_yml() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in gen_readme_tables.SECTIONS:
        assert f"<!-- {name}:start -->" in readme, (
            f"README.md needs the `<!-- {name}:start -->` … `:end -->` markers; run "
            "`python scripts/gen_readme_tables.py` after adding them"
        )
    assert gen_readme_tables.render_readme(readme, ACTION) == readme, (
        "README.md's inputs/outputs tables are stale; run `python scripts/gen_readme_tables.py`"
    )


def test_generated_tables_have_one_row_per_input_and_output() -> None:
    inputs = gen_readme_tables.inputs_table().splitlines()
    outputs = gen_readme_tables.outputs_table(ACTION).splitlines()
    assert len(inputs) == 2 + len(ACTION["inputs"])
    assert len(outputs) == 2 + len(ACTION["outputs"])
    assert (
        "| `github-token` | `${{ github.token }}` |"
        in inputs[2 + list(ACTION["inputs"]).index("github-token")]
    )


def test_the_tables_are_spliced_between_their_markers() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("| `max-count` | `100` |", "| `max-count` | `50` |")
    assert stale != readme
    assert gen_readme_tables.render_readme(stale, ACTION) == readme
    with pytest.raises(ReadmeError, match="action-inputs:start"):
        gen_readme_tables.render_readme("no markers\n", ACTION)


def test_action_yml_inputs_are_the_option_tables_inputs() -> None:
    """Same names in the same order, and each input's default and description from its row."""
    assert list(ACTION["inputs"]) == [row.input for row in INPUTS]
    for row in INPUTS:
        spec = ACTION["inputs"][row.input]
        assert KEBAB.fullmatch(str(row.input)), f"input {row.input} is not kebab-case"
        assert row.description.strip(), f"input {row.input} has no description"
        assert " ".join(spec["description"].split()) == row.description, row.input
        assert spec["default"] == row.action_default, row.input
        assert spec.get("required") is False, f"input {row.input}: required is not enforced anyway"


def test_every_input_reaches_the_script_only_through_env() -> None:
    env = run_step()["env"]
    expected = {input_env_name(name): f"${{{{ inputs.{name} }}}}" for name in ACTION["inputs"]}
    assert {k: v for k, v in env.items() if k != "DAILY_PAPERS_PYTHON"} == expected
    assert env["DAILY_PAPERS_PYTHON"] == "${{ steps.setup.outputs.python }}"


@pytest.mark.parametrize("path", [ROOT / "action.yml", *WORKFLOWS, EXAMPLE], ids=lambda p: p.name)
def test_no_expression_inside_run_scripts(path: Path) -> None:
    for step in steps_of(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: step {step.get('name')}"


def test_composite_steps_name_their_shell() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        assert "$GITHUB_ACTION_PATH" in step["run"]
        assert "github.action_path" not in step["run"]


def test_outputs_map_to_the_run_step() -> None:
    assert tuple(ACTION["outputs"]) == OUTPUT_NAMES
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
        assert spec["description"].strip()


def test_action_defaults_match_the_cli_defaults() -> None:
    """Where action.yml spells out a default, it must be the CLI's own default."""
    from daily_papers.arguments import build_parser

    args = vars(build_parser().parse_args(["update", "README.md", "-k", "x"]))
    dests = {
        "max-count": "max_count",
        "marker": "marker",
        "template": "template",
        "feed-count": "feed_count",
        "mode": "mode",
        "commit-message": "commit_message",
        "pr-branch": "pr_branch",
        "pr-title": "pr_title",
    }
    for name, dest in dests.items():
        assert str(args[dest]) == ACTION["inputs"][name]["default"], name
    assert ACTION["inputs"]["readme-path"]["default"] == defaults.README_PATH
    assert ACTION["inputs"]["fail-on-partial"]["default"] == "true"
    assert args["fail_on_partial"] is True


def test_setup_step_feeds_the_run_step() -> None:
    setup, run = ACTION["runs"]["steps"]
    assert setup["id"] == "setup"
    assert setup["run"] == '"$GITHUB_ACTION_PATH/scripts/setup-venv.sh"'
    assert '"$DAILY_PAPERS_PYTHON" -m daily_papers action' in run["run"]
    assert (ROOT / "scripts" / "setup-venv.sh").stat().st_mode & 0o111


@pytest.mark.parametrize("path", [*WORKFLOWS, EXAMPLE], ids=lambda p: p.name)
def test_workflows_grant_least_privilege_and_time_out(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, "grant permissions per job, not per workflow"
    for name, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, f"{path.name}: job {name} has no timeout"
        assert "permissions" in job, f"{path.name}: job {name} has no permissions block"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_third_party_actions_are_pinned_by_sha(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:-\s*)?uses:.*$", text, re.M)
    local = [u for u in uses if "uses: ./" in u]
    assert len(SHA_PIN.findall(text)) + len(local) == len(uses), uses
    for step in steps_of(load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", ["ci.yml", "selftest.yml"])
def test_the_all_green_job_needs_every_other_job(name: str) -> None:
    workflow = load(ROOT / ".github" / "workflows" / name)
    others = set(workflow["jobs"]) - {"all-green"}
    assert set(workflow["jobs"]["all-green"]["needs"]) == others


def test_the_example_workflow_for_users() -> None:
    example = load(EXAMPLE)
    on = example[True]  # YAML 1.1 reads the key `on` as a boolean
    assert on["schedule"] == [{"cron": "30 5 * * 1-5"}]
    assert "workflow_dispatch" in on
    assert example["concurrency"]["cancel-in-progress"] is False
    [job] = example["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    [step] = job["steps"]
    assert step["uses"].startswith("daily-papers/daily-papers@")
    assert set(step["with"]) <= set(ACTION["inputs"])


def test_selftest_uses_the_local_action_after_checkout() -> None:
    selftest = load(ROOT / ".github" / "workflows" / "selftest.yml")
    for name, job in selftest["jobs"].items():
        if name == "all-green":
            continue
        uses = [str(step.get("uses", "")) for step in job["steps"]]
        assert uses[0].startswith("actions/checkout@")
        assert "./" in uses
        for step in job["steps"]:
            if step.get("uses") == "./":
                assert set(step["with"]) <= set(ACTION["inputs"])
                assert step["with"]["mode"] in ("dry-run", "${{ matrix.mode }}")


def test_the_lock_file_pins_versions_and_hashes_of_every_dependency() -> None:
    lock = (ROOT / "requirements" / "action.txt").read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", lock, re.M
    )
    pinned = {name.lower() for name, _, _ in entries}
    requirement_lines = [line for line in lock.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    assert len(requirement_lines) == len(entries), "every requirement needs == and hashes"
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    deps_block = project.split("dependencies = [", 1)[1].split("]", 1)[0]
    for dep in re.findall(r'"([A-Za-z0-9_.-]+)', deps_block):
        assert dep.lower() in pinned, f"{dep} from pyproject.toml is not in requirements/action.txt"


def test_no_input_or_output_description_holds_an_expression() -> None:
    """The runner refuses ``${{ … }}`` in action metadata ("expressions are not allowed here"),
    and so every step of a user's job would fail: a description may name a secret, not use one."""
    texts = [
        (f"{kind} {name}", str(spec.get("description", "")))
        for kind in ("inputs", "outputs")
        for name, spec in ACTION.get(kind, {}).items()
    ]
    assert texts
    assert [where for where, text in texts if "${{" in text] == []
