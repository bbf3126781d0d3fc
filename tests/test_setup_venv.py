"""scripts/setup-venv.sh: Python check, private venv, reuse, and the step output.

The script runs against a copy of itself in a temporary "action directory" whose lock file is
empty, so no package is downloaded; the real lock is installed by the act end-to-end tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.venv

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "setup-venv.sh"


@pytest.fixture
def action_dir(tmp_path: Path) -> Path:
    action = tmp_path / "action"
    (action / "scripts").mkdir(parents=True)
    (action / "requirements").mkdir()
    shutil.copy2(SCRIPT, action / "scripts" / "setup-venv.sh")
    (action / "requirements" / "action.txt").write_text("# nothing to install\n")
    return action


def run_setup(action: Path, path: str, tool_cache: Path | None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "HOME": str(action.parent), "GITHUB_ACTION_PATH": str(action)}
    env["GITHUB_OUTPUT"] = str(action.parent / "output")
    if tool_cache is not None:
        env["RUNNER_TOOL_CACHE"] = str(tool_cache)
    bash = shutil.which("bash") or "/bin/bash"
    return subprocess.run(
        [bash, str(action / "scripts" / "setup-venv.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python_path() -> str:
    """PATH with a real Python >= 3.10 (the one running the tests) and the basic tools."""
    return os.pathsep.join([str(Path(sys.executable).resolve().parent), "/usr/bin", "/bin"])


def test_creates_then_reuses_a_private_venv(action_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "toolcache"
    first = run_setup(action_dir, python_path(), cache)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Created the daily-papers environment" in first.stdout
    output = (tmp_path / "output").read_text(encoding="utf-8")
    assert output.startswith("python=")
    python = Path(output.strip().removeprefix("python="))
    assert python.is_relative_to(cache / "daily-papers")
    assert (python.parent.parent / ".complete").exists()
    version = subprocess.run(
        [str(python), "-c", "import sys; print(sys.prefix != sys.base_prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"  # a real venv, not the host interpreter

    second = run_setup(action_dir, python_path(), cache)
    assert second.returncode == 0, second.stderr
    assert "Reusing the daily-papers environment" in second.stdout
    assert (tmp_path / "output").read_text(encoding="utf-8").splitlines()[-1] == f"python={python}"


def test_a_changed_lock_file_gets_a_new_venv(action_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "toolcache"
    assert run_setup(action_dir, python_path(), cache).returncode == 0
    (action_dir / "requirements" / "action.txt").write_text("# changed\n")
    again = run_setup(action_dir, python_path(), cache)
    assert "Created the daily-papers environment" in again.stdout
    assert len(list((cache / "daily-papers").glob("venv-*"))) == 2


def test_without_tool_cache_the_venv_lives_in_the_action_dir(action_dir: Path) -> None:
    done = run_setup(action_dir, python_path(), None)
    assert done.returncode == 0, done.stderr
    assert list((action_dir / ".action-venv").glob("venv-py*/.complete"))


def test_an_old_python_gets_a_friendly_error(action_dir: Path, tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for name in ("python3", "python"):
        fake = fake_bin / name
        fake.write_text(
            '#!/bin/sh\ncase "$1" in --version) echo "Python 3.8.10";; *) exit 1;; esac\n'
        )
        fake.chmod(0o755)
    head = shutil.which("head")
    assert head is not None
    (fake_bin / "head").symlink_to(head)  # the only external tool used before the check
    done = run_setup(action_dir, str(fake_bin), tmp_path / "tc")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(
        "::error title=daily-papers setup::daily-papers needs Python 3.10"
    )
    assert "found: Python 3.8.10" in done.stdout
    assert not (tmp_path / "tc").exists()


def start_setup(action: Path, cache: Path, output: Path) -> subprocess.Popen[str]:
    env = {
        "PATH": python_path(),
        "HOME": str(action.parent),
        "GITHUB_ACTION_PATH": str(action),
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TOOL_CACHE": str(cache),
    }
    bash = shutil.which("bash") or "/bin/bash"
    return subprocess.Popen(
        [bash, str(action / "scripts" / "setup-venv.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_setups_share_one_complete_venv(action_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "toolcache"
    jobs = 4
    outputs = [tmp_path / f"output-{n}" for n in range(jobs)]
    procs = [start_setup(action_dir, cache, out) for out in outputs]
    results = [p.communicate(timeout=180) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stdout + stderr
    pythons = {out.read_text(encoding="utf-8").strip() for out in outputs}
    assert len(pythons) == 1  # every job uses the same venv
    python = Path(pythons.pop().removeprefix("python="))
    assert python.exists()
    root = cache / "daily-papers"
    venvs = list(root.glob("venv-*"))
    assert len(venvs) == 1
    assert (venvs[0] / ".complete").exists()
    assert not list(root.glob("tmp-*"))  # losers discarded their copies
    assert not list(venvs[0].glob("tmp-*"))  # nothing was moved *into* the winner
    created = sum("Created the daily-papers environment" in out for out, _ in results)
    assert created == 1
    reused = sum(("meanwhile" in out) or ("Reusing" in out) for out, _ in results)
    assert reused == jobs - 1


def test_a_stale_incomplete_venv_is_replaced(action_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "toolcache"
    assert run_setup(action_dir, python_path(), cache).returncode == 0
    (venv,) = (cache / "daily-papers").glob("venv-*")
    (venv / ".complete").unlink()  # as if an older job died half-way
    (venv / "half-written").write_text("x")
    again = run_setup(action_dir, python_path(), cache)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Created the daily-papers environment" in again.stdout
    assert (venv / ".complete").exists()
    assert not (venv / "half-written").exists()
    assert not list((cache / "daily-papers").glob("stale-*"))


def test_installs_wheels_only_with_hashes() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    (args,) = [line for line in text.splitlines() if line.lstrip().startswith("--require-hashes")]
    assert "--no-deps" in args
    assert "--only-binary :all:" in args
