"""The publishing decisions against the in-memory repository double (no HTTP).

The same scenarios run against the stateful fake GitHub in ``test_publish.py``; here the
double lets a test lose an answer after the write took effect, or move a branch mid-publish.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from daily_papers.errors import GitHubError, GitHubUnreachableError
from daily_papers.models import FileChange
from daily_papers.publish import (
    Build,
    Lister,
    PublishResult,
    Reader,
    publish_commit,
    publish_pull_request,
)
from tests.fakes.memory_repo import MemoryRepo

README = b"# Papers\n<!-- s -->\n<!-- e -->\n"


def add_line(line: bytes) -> Build:
    """A builder that adds ``line`` before the end marker of whatever README it reads."""

    def build(read: Reader, _listing: Lister) -> Sequence[FileChange]:
        old = read("README.md")
        assert old is not None
        new = old if line in old else old.replace(b"<!-- e -->", line + b"\n<!-- e -->")
        return [FileChange("README.md", old, new)]

    return build


def commit(repo: MemoryRepo, line: bytes = b"- paper A") -> PublishResult:
    return publish_commit(repo, add_line(line), branch="main", message="m")


def test_no_change_writes_nothing() -> None:
    repo = MemoryRepo({"README.md": README.replace(b"<!-- e -->", b"- paper A\n<!-- e -->")})
    result = commit(repo)
    assert result.operation == "none"
    assert repo.writes == []


def test_a_change_is_one_commit_on_the_branch() -> None:
    repo = MemoryRepo({"README.md": README, "other.txt": b"x"})
    result = commit(repo)
    assert result.operation == "committed"
    assert repo.branches["main"] == result.commit_sha
    assert b"- paper A" in repo.files("main")["README.md"]
    assert repo.files("main")["other.txt"] == b"x"
    assert repo.writes == ["create_tree", "commit_tree", "update_branch"]


def test_a_race_rebuilds_from_the_new_head_and_keeps_the_other_change() -> None:
    repo = MemoryRepo({"README.md": README})

    def someone_pushes() -> None:
        del repo.before["update_branch"]
        repo.push_other("main", {"notes.md": b"theirs"})

    repo.before["update_branch"] = someone_pushes
    commit(repo)
    files = repo.files("main")
    assert files["notes.md"] == b"theirs"
    assert b"- paper A" in files["README.md"]
    assert repo.writes.count("update_branch") == 2


def test_a_lost_answer_after_the_ref_moved_is_success() -> None:
    repo = MemoryRepo({"README.md": README})
    repo.lose_answer.add("update_branch")
    result = commit(repo)
    assert result.operation == "committed"
    assert repo.branches["main"] == result.commit_sha
    assert repo.writes.count("update_branch") == 1  # settled by reading, not by writing again


def test_a_lost_answer_without_the_ref_moving_is_an_error() -> None:
    repo = MemoryRepo({"README.md": README})
    before = repo.branches["main"]

    def fail() -> None:
        raise GitHubUnreachableError("Could not reach the GitHub API.")

    repo.before["update_branch"] = fail
    with pytest.raises(GitHubUnreachableError):
        commit(repo)
    assert repo.branches["main"] == before


def test_deleting_a_file_goes_in_the_same_commit() -> None:
    repo = MemoryRepo({"README.md": README, "old.bib": b"@misc{}"})

    def build(read: Reader, _listing: Lister) -> Sequence[FileChange]:
        old = read("README.md")
        assert old is not None
        return [
            FileChange("README.md", old, old + b"more\n"),
            FileChange("old.bib", read("old.bib"), None),
        ]

    publish_commit(repo, build, branch="main", message="m")
    assert "old.bib" not in repo.files("main")
    assert repo.writes.count("commit_tree") == 1


def pull(repo: MemoryRepo, labels: Sequence[str] = ()) -> PublishResult:
    return publish_pull_request(
        repo,
        add_line(b"- paper A"),
        base="main",
        title="t",
        body="b",
        labels=labels,
        commit_message="m",
    )


def test_a_lost_answer_to_opening_the_pull_request_finds_it_instead_of_opening_twice() -> None:
    repo = MemoryRepo({"README.md": README})
    repo.lose_answer.add("create_pull")
    result = pull(repo)
    assert result.operation == "created"
    assert len(repo.pulls) == 1
    assert result.pull_number == 1


def test_a_label_that_cannot_be_added_is_a_warning_not_a_failure() -> None:
    repo = MemoryRepo({"README.md": README})
    repo.label_error = GitHubError("GitHub rejected labelling #1 (HTTP 422: invalid label).")
    result = pull(repo, labels=["bad label"])
    assert result.operation == "created"
    assert result.warnings == (
        "Could not label pull request #1: GitHub rejected labelling #1 (HTTP 422: invalid label).",
    )


def test_nothing_to_propose_closes_a_stale_pull_request() -> None:
    repo = MemoryRepo({"README.md": README})
    pull(repo)
    repo.push_other("main", {"README.md": repo.files("daily-papers/update")["README.md"]})
    result = pull(repo)
    assert result.operation == "closed"
    assert repo.pulls[0].state == "closed"
    assert "daily-papers/update" not in repo.branches
