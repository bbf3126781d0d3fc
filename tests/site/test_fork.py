"""The search index built in a forked child beside the HTML: same files, and no child left.

The test process runs loopback servers in threads, so :func:`can_fork_index` refuses here
and the forked path runs in a fresh interpreter, where the process has one thread.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from daily_papers.site import render as render_site
from tests.fakes.arxiv_server import FakeArxiv
from tests.test_cli_update import README, served, update_args

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["served"]

_PRELUDE = """
import multiprocessing, os, sys
from daily_papers.site import render as render_site
from tests.fakes.arxiv_server import FakeArxiv
from tests.test_cli_update import README, served, update_args
from tests.site_data import site_files
assert render_site.can_fork_index(), "one thread on Linux: the child must be used"
"""


def _python(script: str, cwd: Path) -> str:
    """Run ``script`` in a fresh interpreter (one thread) that imports the project; its
    standard output, after asserting it succeeded."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'src'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run(script: str) -> str:
    return _python(_PRELUDE + script, ROOT)


needs_fork = pytest.mark.skipif(
    sys.platform != "linux", reason="the index is built in a child on Linux only"
)


@needs_fork
def test_the_forked_index_gives_the_same_files_as_the_serial_one() -> None:
    out = _run(
        """
import tempfile
mark = os.path.join(tempfile.mkdtemp(), "child-pid")
original = render_site._send_search_index
def spy(*args):
    with open(mark, "w") as out:  # the child leaves its pid behind
        out.write(str(os.getpid()))
    original(*args)
render_site._send_search_index = spy
forked = site_files()
with open(mark) as found:
    assert int(found.read()) != os.getpid(), "the index was not built in a child"
render_site.can_fork_index = lambda: False
serial = site_files()
assert forked == serial
assert any(name.startswith("search/s/") for name in forked)
assert multiprocessing.active_children() == []
print("same", len(forked))
"""
    )
    assert out.startswith("same ")


@needs_fork
def test_a_child_that_dies_leaves_the_index_to_the_parent() -> None:
    out = _run(
        """
render_site._send_search_index = lambda *args: os._exit(3)
dead = site_files()
render_site.can_fork_index = lambda: False
assert dead == site_files()
print("rebuilt")
"""
    )
    assert out == "rebuilt\n"


@needs_fork
def test_a_failing_page_render_stops_the_child() -> None:
    out = _run(
        """
import time
def slow(*args):
    time.sleep(600)
render_site._send_search_index = slow
def broken(*args):
    raise RuntimeError("a template bug")
render_site._pages = broken
try:
    site_files()
except RuntimeError:
    pass
assert multiprocessing.active_children() == [], "the child outlived the failed build"
print("stopped")
"""
    )
    assert out == "stopped\n"


def _gone(pid: int) -> bool:
    """No such process, or a zombie (ended, waiting for a reaper)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


@needs_fork
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_the_index_child_dies_with_a_killed_parent(tmp_path: Path, signal_name: str) -> None:
    """A parent killed mid-build (no cleanup runs) takes its index child with it."""
    mark, log = tmp_path / "child-pid", tmp_path / "stderr"
    script = (
        _PRELUDE
        + f"""
import time
def endless(plan):
    with open({str(mark)!r} + ".tmp", "w") as out:
        out.write(str(os.getpid()))
    os.rename({str(mark)!r} + ".tmp", {str(mark)!r})
    time.sleep(600)
render_site.search_index = endless  # the child's work never ends
render_site._pages = lambda *args: time.sleep(600)  # nor does the parent's
site_files()
"""
    )
    with log.open("wb") as err:
        parent = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONPATH": f"{ROOT}:{ROOT / 'src'}", "PATH": "/usr/bin:/bin"},
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():
            assert parent.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(mark.read_text())
        assert child != parent.pid
        assert not _gone(child)
        parent.send_signal(getattr(signal, signal_name))
        parent.wait(timeout=30)
        deadline = time.monotonic() + 5
        while not _gone(child):
            assert time.monotonic() < deadline, f"the child {child} outlived its parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait, daemon=True)
    worker.start()
    try:
        assert not render_site.can_fork_index()
    finally:
        release.set()
        worker.join()


@needs_fork
def test_a_real_update_run_builds_its_index_in_a_child(tmp_path: Path, served: FakeArxiv) -> None:
    """After the run has talked to arXiv (whose request watchdogs are timer threads), the
    site phase still finds the process single-threaded, so the forked path is the one used."""
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    verdict = tmp_path / "verdict"
    args = update_args(readme, served, "--archive", str(tmp_path / "archive"))
    args += ["--site-dir", str(tmp_path / "_site"), "--site-url", "https://octo.github.io/p/"]
    script = f"""
import sys, threading
from daily_papers.site import render as render_site
from tests.fakes.arxiv_server import FakeArxiv
from tests.test_cli_update import README, served, update_args
from daily_papers.cli import run
original = render_site.can_fork_index
def spy():
    allowed = original()
    with open({str(verdict)!r}, "a") as out:
        out.write(f"{{allowed}} {{threading.active_count()}}\\n")
    return allowed
render_site.can_fork_index = spy
sys.exit(run({args!r}, {{}}, stdout=sys.stdout, stderr=sys.stderr))
"""
    _python(script, tmp_path)
    assert verdict.read_text() == "True 1\n"
    assert (tmp_path / "_site" / "search" / "manifest.json").is_file()
