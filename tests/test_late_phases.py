"""A paper that breaks a phase after publishing (site, digest issue, notifications): the
commit stands, the phase leaves that paper out and names it, the outputs are written, the run
is ``partial``, and the next run is not stuck.

The action runs against the loopback fakes; the fault is injected by making the phase's own
per-paper step raise on one real paper of the recorded fixtures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from daily_papers import bodies, venue
from daily_papers.arxiv.api_page import parse_page
from daily_papers.late_phase import Fault, isolate
from daily_papers.notify import message
from daily_papers.site import structure
from tests.action_world import ACTION_README as README
from tests.action_world import ActionWorld, run_action
from tests.fakes.arxiv_server import fixture_bytes
from tests.helpers import REPO, TOPICS

#: One paper of topic alpha's recorded answer: the one every phase is made to fail on.
VICTIM = parse_page(fixture_bytes(TOPICS["alpha"])).papers[0]
SITE = "https://octo.github.io/papers/"
DISCORD = "discord://112233445566/DiscordS3cretToken_x"


def _action(action_world: ActionWorld) -> tuple[int, str, str, dict[str, str]]:
    return run_action(
        action_world,
        DAILY_PAPERS_ARCHIVE_PATH="archive",
        DAILY_PAPERS_SITE_DIR="_site",
        DAILY_PAPERS_SITE_URL=SITE,
        DAILY_PAPERS_ISSUE="true",
        DAILY_PAPERS_NOTIFY=DISCORD,
    )


def _break_on_victim(original: Callable[..., Any], picks: Callable[..., str]) -> Any:
    def broken(*args: Any, **kwargs: Any) -> Any:
        if VICTIM.id in picks(*args, **kwargs):
            raise RecursionError("maximum recursion depth exceeded")
        return original(*args, **kwargs)

    return broken


def _inject(phase: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make each phase's own step for one paper raise (nothing before publishing calls it)."""
    if phase == "site":  # the site's import of the venue finder
        monkeypatch.setattr(
            structure, "venue_of_paper", _break_on_victim(venue.venue, lambda p: p.id)
        )
    elif phase == "digest issue":
        variants = bodies._digest_variants
        monkeypatch.setattr(
            bodies, "_digest_variants", _break_on_victim(variants, lambda p, *_: p.id)
        )
    else:
        line = message._Style.paper
        monkeypatch.setattr(message._Style, "paper", _break_on_victim(line, lambda _s, p: p.link))


@pytest.mark.parametrize("phase", ["site", "digest issue", "notifications"])
def test_a_paper_that_breaks_a_late_phase_is_left_out_and_named(
    action_world: ActionWorld, phase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gh, _arxiv, hooks, tmp = action_world
    _inject(phase, monkeypatch)
    status, out, err, files = _action(action_world)
    assert status == 3, out + err
    published = gh.repos[REPO].file("README.md")
    assert published is not None
    assert published != README.encode()
    assert VICTIM.id.encode() in published  # the commit stands, with the paper
    doc = json.loads(files["result.json"])
    assert doc["status"] == "partial"
    assert doc["changed"] is True
    (fault,) = doc["late_faults"]
    assert fault["phase"] == phase
    assert fault["id"] == VICTIM.id
    assert fault["reason"].startswith("RecursionError: maximum recursion depth")
    warning = f"The {phase} left out paper {VICTIM.id} (RecursionError"
    assert any(warning in w for w in doc["warnings"])
    assert any(line.startswith("::warning") and warning in line for line in out.splitlines())
    assert "result-json<<" in files["output.txt"]
    assert files["summary.md"]
    # the rest of the phase was built, without the paper
    pages = "".join(p.read_text("utf-8") for p in (tmp / "_site" / "topics").rglob("*.html"))
    assert "arxiv.org/abs/" in pages
    assert (VICTIM.id in pages) == (phase != "site")
    (issue,) = gh.repos[REPO].issues
    assert issue.body is not None
    assert (VICTIM.id in issue.body) == (phase != "digest issue")
    (sent,) = hooks.requests
    assert (VICTIM.id in sent.json()["content"]) == (phase != "notifications")
    # the next run is not stuck: it runs to the end and builds the site again (nothing is new,
    # so no digest or message is made this time)
    again, out, err, files = _action(action_world)
    assert again == (3 if phase == "site" else 0), out + err
    later = json.loads(files["result.json"])
    assert later["late_faults"] == (doc["late_faults"] if phase == "site" else [])
    assert later["site_dir"] == "_site"


def test_isolating_finds_each_bad_item_and_builds_the_rest() -> None:
    def build(items: Any) -> list[int]:
        if 3 in items or 11 in items:
            raise ValueError("odd")
        return list(items)

    built, kept, faults = isolate("site", list(range(16)), build, str)
    assert built == [i for i in range(16) if i not in (3, 11)]
    assert kept == tuple(built)
    assert faults == (Fault("site", "3", "ValueError: odd"), Fault("site", "11", "ValueError: odd"))


def test_a_fault_of_no_paper_skips_the_phase_once() -> None:
    calls: list[int] = []

    def build(items: Any) -> None:
        calls.append(len(items))
        raise OSError("disk full")

    built, kept, faults = isolate("site", list(range(1000)), build, str)
    assert (built, kept) == (None, ())
    assert faults == (Fault("site", None, "OSError: disk full"),)
    assert calls == [1000, 0]  # no halving through a thousand papers


def test_a_fault_only_papers_together_make_skips_the_phase() -> None:
    def build(items: Any) -> None:
        if 1 in items and 6 in items:
            raise KeyError("pair")

    built, kept, faults = isolate("site", list(range(8)), build, str)
    assert (built, kept, faults) == (None, (), (Fault("site", None, "KeyError: 'pair'"),))
