"""The users' Pages workflow: the README shows exactly .github/examples/pages.yml, and the
workflow builds the site in one job and deploys it with least privilege in another."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".github" / "examples" / "pages.yml"
#: Until the README merges drafts/site-README.md, the draft carries the block.
DRAFT = ROOT / "drafts" / "site-README.md"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_readme_block_is_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme if "<!-- pages-workflow:start -->" in readme or not DRAFT.exists() else None
    if text is None:
        text = DRAFT.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- pages-workflow:start -->\n```yaml\n(.*?)```\n<!-- pages-workflow:end -->",
        text,
        re.DOTALL,
    )
    assert match, "the README (or its draft) lost the pages-workflow block"
    assert match.group(1) == EXAMPLE.read_text(encoding="utf-8")


def test_build_then_deploy_with_least_privilege() -> None:
    workflow = _load(EXAMPLE)
    assert workflow["permissions"] == {}
    update, deploy = workflow["jobs"]["update"], workflow["jobs"]["deploy"]
    assert update["permissions"] == {"contents": "write"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "update"
    assert deploy["environment"]["name"] == "github-pages"
    action, upload = update["steps"]
    assert action["uses"].startswith("daily-papers/daily-papers@")
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == action["with"]["site-dir"]
    assert upload["with"]["include-hidden-files"] is True  # else .nojekyll is left out
    [step] = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@")
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert step["id"] == "deployment"
    for job in (update, deploy):
        assert "timeout-minutes" in job


def test_third_party_actions_are_pinned_by_sha_with_their_version() -> None:
    workflow = _load(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            uses = step["uses"]
            if uses.startswith("daily-papers/"):
                continue
            line = next(x.strip() for x in text.splitlines() if uses in x)
            assert SHA_PIN.match(line.removeprefix("- ").removeprefix("uses: ")), line


def test_example_uses_only_action_inputs() -> None:
    action = _load(ROOT / "action.yml")
    job = _load(EXAMPLE)["jobs"]["update"]
    used = set(job["steps"][0]["with"])
    assert used <= set(action["inputs"])
    assert {"archive-path", "site-dir"} <= used
