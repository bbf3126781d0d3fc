"""Tests for the digest-issue flow: first against an in-memory tracker, then end to end through
the real adapter (``GitHubRepo``) against the loopback fake GitHub."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from daily_papers.arxiv.api_page import parse_page
from daily_papers.bodies import BODY_LIMIT, DIGEST_MARKER, body_length
from daily_papers.digest_issue import IssueTracker, open_digest
from daily_papers.errors import ConfigError, GitHubError, GitHubUnreachableError
from daily_papers.github.repo import GitHubRepo
from daily_papers.models import Paper
from daily_papers.publish import IssueRef
from tests.fakes.github_server import FakeGitHub

FIXTURE = (
    Path(__file__).parent
    / "fixtures"
    / "notify"
    / "api-2026-all_testing-relevance-start0-max100.xml"
)
README = "https://github.com/octo/papers/blob/main/README.md"
TITLE = "New papers — 2026-11-26"


def real_papers() -> tuple[Paper, ...]:
    return parse_page(FIXTURE.read_bytes()).papers


def new_pairs(count: int = 3) -> list[tuple[str, Paper]]:
    return [("Testing" if i % 2 else "Fuzzing", p) for i, p in enumerate(real_papers()[:count])]


@dataclass
class _Issue:
    number: int
    title: str
    body: str
    labels: list[str]
    open: bool = True


@dataclass
class MemoryTracker:
    """In-memory stand-in for the GitHub issue endpoints (implements ``IssueTracker``)."""

    issues: list[_Issue] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    fail_close: bool = False
    lose_create_answer: bool = False

    def add(self, title: str, labels: Sequence[str], *, body: str = "") -> int:
        self.issues.append(_Issue(len(self.issues) + 1, title, body, list(labels)))
        return len(self.issues)

    def create_issue(self, title: str, body: str, labels: Sequence[str]) -> IssueRef:
        self.calls.append("create")
        number = self.add(title, labels, body=body)
        if self.lose_create_answer:
            raise GitHubUnreachableError("Could not reach the GitHub API while opening an issue.")
        return IssueRef(number, f"https://github.test/issues/{number}", body)

    def find_recent_issues(self) -> list[IssueRef]:
        self.calls.append("recent")
        return [
            IssueRef(i.number, f"https://github.test/issues/{i.number}", i.body)
            for i in reversed(self.issues)
            if i.open
        ]

    def close_issue(self, number: int) -> None:
        self.calls.append(f"close {number}")
        if self.fail_close:
            raise GitHubError("closing failed", status=500)
        self.issues[number - 1].open = False

    def find_open_issues(self, label: str) -> list[IssueRef]:
        self.calls.append(f"find {label}")
        found = [i for i in self.issues if i.open and label in i.labels]
        return [
            IssueRef(i.number, f"https://github.test/issues/{i.number}", i.body)
            for i in reversed(found)
        ]


def _protocol_check(tracker: MemoryTracker) -> IssueTracker:
    return tracker  # mypy checks MemoryTracker satisfies the Protocol


# --------------------------------------------------------------------------- in memory


def test_opens_digest_with_body_and_labels() -> None:
    tracker = MemoryTracker()
    ref = open_digest(
        _protocol_check(tracker),
        new_pairs(),
        title=TITLE,
        labels=["daily-papers", "papers"],
        readme_url=README,
        close_previous=False,
    )
    assert ref is not None
    assert (ref.number, ref.url) == (1, "https://github.test/issues/1")
    (issue,) = tracker.issues
    assert issue.title == TITLE
    assert issue.labels == ["daily-papers", "papers"]
    assert issue.body.startswith(DIGEST_MARKER)
    assert "**3 new papers** in 2 topics" in issue.body
    assert tracker.calls == ["create"]  # no listing when not closing


def test_nothing_new_opens_nothing() -> None:
    tracker = MemoryTracker()
    ref = open_digest(
        tracker, [], title=TITLE, labels=["daily-papers"], readme_url=README, close_previous=True
    )
    assert ref is None
    assert tracker.calls == []


def test_closes_previous_digests_but_not_others() -> None:
    tracker = MemoryTracker()
    tracker.add("old digest 1", ["daily-papers"], body=DIGEST_MARKER)
    tracker.add("a bug report", ["bug"])
    tracker.add("old digest 2", ["daily-papers", "papers"], body=DIGEST_MARKER)
    ref = open_digest(
        tracker,
        new_pairs(),
        title=TITLE,
        labels=["daily-papers"],
        readme_url=README,
        close_previous=True,
    )
    assert ref is not None
    assert ref.number == 4
    assert [(i.number, i.open) for i in tracker.issues] == [
        (1, False),
        (2, True),
        (3, False),
        (4, True),
    ]
    # Listed before opening, closed after: a failed create leaves the old digests open.
    assert tracker.calls == ["find daily-papers", "create", "close 3", "close 1"]


def test_an_unrelated_issue_with_the_digest_label_stays_open() -> None:
    """Regression: a shared label (DailyArXiv used `documentation`) must not close bug reports."""
    tracker = MemoryTracker()
    tracker.add("How to build the docs", ["documentation"], body="Steps: …")
    tracker.add("New papers — 2026-11-25", ["documentation"], body=DIGEST_MARKER + "\nold")
    ref = open_digest(
        tracker,
        new_pairs(),
        title=TITLE,
        labels=["documentation"],
        readme_url=README,
        close_previous=True,
    )
    assert ref is not None
    assert [(i.number, i.open) for i in tracker.issues] == [(1, True), (2, False), (3, True)]


def test_close_failure_after_create_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    tracker = MemoryTracker(fail_close=True)
    tracker.add("old digest", ["daily-papers"], body=DIGEST_MARKER)
    with caplog.at_level(logging.WARNING, logger="daily_papers.digest_issue"):
        ref = open_digest(
            tracker,
            new_pairs(),
            title=TITLE,
            labels=["daily-papers"],
            readme_url=README,
            close_previous=True,
        )
    assert ref is not None
    assert ref.number == 2
    assert "Could not close the previous digest issue #1" in caplog.text


def test_close_previous_needs_a_label() -> None:
    with pytest.raises(ConfigError, match="label"):
        open_digest(
            MemoryTracker(),
            new_pairs(),
            title=TITLE,
            labels=[],
            readme_url=README,
            close_previous=True,
        )


def test_too_long_digest_is_cut_to_the_limit() -> None:
    tracker = MemoryTracker()
    papers = real_papers()
    new = [(f"Topic {k}", p) for k in range(30) for p in papers]  # 3,000 real entries
    open_digest(
        tracker, new, title=TITLE, labels=["daily-papers"], readme_url=README, close_previous=False
    )
    body = tracker.issues[0].body
    assert body_length(body) <= BODY_LIMIT
    assert "more — see [README](" in body


# --------------------------------------------------------------------------- fake GitHub


def connect(fake: FakeGitHub) -> GitHubRepo:
    return GitHubRepo.connect(
        "octo/papers", token=fake.token, api_url=fake.url, retry=False, throttle=False
    )


def test_github_digest_with_new_papers(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("octo/papers", {"README.md": b"# papers\n"})
    ref = open_digest(
        connect(fake_github),
        new_pairs(5),
        title=TITLE,
        labels=["daily-papers"],
        readme_url=README,
        close_previous=False,
    )
    assert ref is not None
    (issue,) = repo.issues
    assert (ref.number, ref.url) == (issue.number, issue.html_url)
    assert issue.title == TITLE
    assert issue.labels == ["daily-papers"]  # created on the fly
    assert "daily-papers" in repo.labels
    assert issue.body is not None
    assert issue.body.startswith(DIGEST_MARKER)
    for _topic, paper in new_pairs(5):
        assert paper.abs_url in issue.body
    assert [(r.method, r.path) for r in fake_github.writes()] == [
        ("POST", "/repos/octo/papers/issues")
    ]


def test_github_no_digest_when_nothing_new(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("octo/papers", {"README.md": b"# papers\n"})
    ref = open_digest(
        connect(fake_github),
        [],
        title=TITLE,
        labels=["daily-papers"],
        readme_url=README,
        close_previous=True,
    )
    assert ref is None
    assert repo.issues == []
    assert fake_github.requests == []


def test_github_too_long_digest_is_accepted(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("octo/papers", {"README.md": b"# papers\n"})
    new = [(f"Topic {k}", p) for k in range(30) for p in real_papers()]
    ref = open_digest(
        connect(fake_github),
        new,
        title=TITLE,
        labels=["daily-papers"],
        readme_url=README,
        close_previous=False,
    )
    assert ref is not None
    body = repo.issue(ref.number).body
    assert body is not None
    assert body_length(body) <= BODY_LIMIT
    assert "… and " in body
    assert "more — see [README](" in body


def test_github_closes_previous_digest_only(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("octo/papers", {"README.md": b"# papers\n"})
    old = repo.add_issue("New papers — 2026-11-25", body=DIGEST_MARKER, labels=("daily-papers",))
    other = repo.add_issue("Unrelated bug", labels=("bug",))
    closed_before = repo.add_issue("Older digest", labels=("daily-papers",), state="closed")
    pull = repo.add_pull("daily-papers/update", "main", "Update papers")
    ref = open_digest(
        connect(fake_github),
        new_pairs(),
        title=TITLE,
        labels=["daily-papers"],
        readme_url=README,
        close_previous=True,
    )
    assert ref is not None
    assert repo.issue(ref.number).state == "open"
    assert repo.issue(old.number).state == "closed"
    assert repo.issue(other.number).state == "open"
    assert repo.issue(closed_before.number).state == "closed"
    assert repo.pull(pull.number).state == "open"
    writes = [(r.method, r.path) for r in fake_github.writes()]
    assert writes == [
        ("POST", "/repos/octo/papers/issues"),
        ("PATCH", f"/repos/octo/papers/issues/{old.number}"),
    ]


def test_github_missing_issues_permission(fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("octo/papers", {"README.md": b"# papers\n"})
    old = repo.add_issue("Old digest", body=DIGEST_MARKER, labels=("daily-papers",))
    fake_github.token_permissions["issues"] = "read"
    with pytest.raises(GitHubError) as caught:
        open_digest(
            connect(fake_github),
            new_pairs(),
            title=TITLE,
            labels=["daily-papers"],
            readme_url=README,
            close_previous=True,
        )
    assert caught.value.status == 403
    assert "issues: write" in caught.value.message
    assert caught.value.hint is not None
    assert "permissions:" in caught.value.hint
    assert [i.number for i in repo.issues] == [old.number]  # nothing opened
    assert repo.issue(old.number).state == "open"  # nothing closed


def test_a_lost_answer_to_opening_the_digest_finds_it_by_its_commit_not_twice() -> None:
    tracker = MemoryTracker(lose_create_answer=True)
    tracker.add("Someone else's issue", [], body="<!-- daily-papers:commit 0000 -->")
    issue = open_digest(
        tracker,
        [("topic", real_papers()[0])],
        title="Digest",
        labels=[],
        readme_url="https://github.test/o/r/blob/main/README.md",
        close_previous=False,
        commit_sha="abc123" + "0" * 34,
    )
    assert issue is not None
    assert issue.number == 2
    assert tracker.calls.count("create") == 1
    assert "<!-- daily-papers:commit abc123" in (issue.body or "")


def test_a_lost_answer_with_no_such_issue_is_the_error() -> None:
    class Vanishing(MemoryTracker):
        def find_recent_issues(self) -> list[IssueRef]:
            return []

    lost = Vanishing(lose_create_answer=True)
    with pytest.raises(GitHubUnreachableError):
        open_digest(
            lost,
            [("topic", real_papers()[0])],
            title="Digest",
            labels=[],
            readme_url="https://x",
            close_previous=False,
            commit_sha="f" * 40,
        )
