"""Publishing scenarios (commit and pull-request mode) against the stateful fake GitHub.

The builder here is a stand-in for the real renderer: it appends one line before the end
marker of whatever README it is given and bumps a counter in the data file, so a retry that
re-reads a concurrently edited README shows up in the final bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from daily_papers.errors import GitHubError
from daily_papers.github.repo import GitHubRepo
from daily_papers.models import FileChange
from daily_papers.publish import (
    Lister,
    Operation,
    PublishResult,
    Reader,
    publish_commit,
    publish_pull_request,
)
from tests.fakes.github_server import FakeGitHub, FakeRepo

START = b"<!-- daily-papers:start -->"
END = b"<!-- daily-papers:end -->"
README = b"# Papers\n\n" + START + b"\n" + END + b"\n\nFooter\n"
FULL = "octo/papers"


def _repo(fake: FakeGitHub) -> GitHubRepo:
    return GitHubRepo.connect(FULL, token=fake.token, api_url=fake.url, retry=False, throttle=False)


class LineBuilder:
    """Appends ``line`` before the end marker; writes ``data.json`` with a run counter."""

    def __init__(self, line: bytes = b"- paper A") -> None:
        self.line = line
        self.calls = 0
        self.readmes: list[bytes | None] = []

    def __call__(self, read: Reader, listing: Lister) -> Sequence[FileChange]:
        self.calls += 1
        old = read("README.md")
        data = read("data.json")
        self.readmes.append(old)
        assert old is not None
        newline = b"\r\n" if b"\r\n" in old else b"\n"
        new = old if self.line in old else old.replace(END, self.line + newline + END)
        new_data = b'{"line": "' + self.line + b'"}\n'
        return [FileChange("README.md", old, new), FileChange("data.json", data, new_data)]


def _snapshot(repo: FakeRepo) -> tuple[object, ...]:
    """Everything a failed publish must leave untouched."""
    return (
        {b: repo.branch_sha(b) for b in repo.branches()},
        [(p.number, p.state, p.title, p.body) for p in repo.pulls],
        repo.files(),
    )


# ------------------------------------------------------------------------------ commit mode


def test_first_commit_writes_readme_and_data_in_one_verified_commit(
    fake_github: FakeGitHub,
) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    parent = remote.branch_sha("main")
    repo = _repo(fake_github)

    result = publish_commit(repo, LineBuilder(), branch="main", message="Update papers")

    assert result.operation == Operation.COMMITTED.value == "committed"
    assert remote.file("README.md") == README.replace(END, b"- paper A\n" + END)
    assert remote.file("data.json") == b'{"line": "- paper A"}\n'
    commit = remote.commits()[0]
    assert commit.sha == result.commit_sha == result.head_sha == remote.branch_sha("main")
    assert commit.parents == (parent,)
    assert commit.message == "Update papers"
    assert commit.verified  # no author/committer sent
    # The request budget: branch, 2 reads, tree (contents inline), commit, ref update.
    assert [(r.method, r.path.split("/", 4)[-1]) for r in fake_github.requests] == [
        ("GET", "branches/main"),
        ("GET", "contents/README.md"),
        ("GET", "contents/data.json"),
        ("POST", "git/trees"),
        ("POST", "git/commits"),
        ("PATCH", "git/refs/heads/main"),
    ]
    assert len(fake_github.requests) == 6
    assert fake_github.calls("PATCH")[0].json["force"] is False


def test_commit_to_default_branch_costs_one_repository_read(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README}, default_branch="trunk")
    publish_commit(_repo(fake_github), LineBuilder(), branch=None, message="m")
    assert remote.file("README.md", "trunk") is not None
    assert b"- paper A" in (remote.file("README.md", "trunk") or b"")
    assert len(fake_github.requests) == 7
    assert fake_github.requests[0].path == f"/repos/{FULL}"


def test_unchanged_makes_no_writes(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    repo = _repo(fake_github)
    publish_commit(repo, LineBuilder(), branch="main", message="m")
    before = _snapshot(remote)
    fake_github.reset_log()

    result = publish_commit(repo, LineBuilder(), branch="main", message="m")

    assert result.operation == "none"
    assert result.commit_sha is None
    assert result.head_sha == remote.branch_sha("main")
    assert fake_github.writes() == []
    assert {r.method for r in fake_github.requests} == {"GET"}
    assert len(fake_github.requests) == 3
    assert _snapshot(remote) == before


def test_concurrent_edit_is_reread_and_survives(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    edited = README.replace(b"Footer", b"Footer edited by a human")
    remote.move_branch_before_next_write("main", files={"README.md": edited})
    builder = LineBuilder()

    result = publish_commit(_repo(fake_github), builder, branch="main", message="m")

    assert result.operation == "committed"
    assert builder.calls == 2
    assert builder.readmes == [README, edited]  # the retry re-read the fresh README
    assert remote.file("README.md") == edited.replace(END, b"- paper A\n" + END)
    ours, theirs = remote.commits()[:2]
    assert ours.parents == (theirs.sha,)
    assert theirs.message != "m"
    assert len(fake_github.requests) == 12


def test_a_retry_lists_folders_at_the_new_head_too(fake_github: FakeGitHub) -> None:
    """The archive's month files are found by listing their folder: a build retried on a
    moved branch must list that branch's folder, or it would miss (and overwrite) a month
    file the other commit added."""
    remote = fake_github.add_repo(FULL, {"README.md": README, "arch/2026-10.jsonl": b"x\n"})
    added = {"README.md": README, "arch/2026-11.jsonl": b"y\n", "arch/sub/2026-12.jsonl": b""}
    remote.move_branch_before_next_write("main", files=added)
    builder = LineBuilder()
    listed: list[Sequence[str]] = []

    def listing_too(read: Reader, listing: Lister) -> Sequence[FileChange]:
        listed.append(listing("arch"))
        return builder(read, listing)

    publish_commit(_repo(fake_github), listing_too, branch="main", message="m")

    assert listed == [
        ("arch/2026-10.jsonl",),
        ("arch/2026-10.jsonl", "arch/2026-11.jsonl"),  # files only, not the subfolder
    ]
    assert _repo(fake_github).list_files("nowhere", remote.branch_sha("main") or "") == ()


def test_branch_that_keeps_moving_fails_without_overwriting(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    builder = LineBuilder()
    edits = 0

    def racing(read: Reader, listing: Lister) -> Sequence[FileChange]:
        nonlocal edits
        changes = builder(read, listing)
        edits += 1
        remote.commit_as_other_user("main", {f"other{edits}.txt": b"x\n"})
        return changes

    with pytest.raises(GitHubError, match="kept moving") as caught:
        publish_commit(_repo(fake_github), racing, branch="main", message="m", max_attempts=3)

    assert "concurrency" in (caught.value.hint or "")
    assert edits == 3
    assert b"- paper A" not in (remote.file("README.md") or b"")
    assert remote.file("other3.txt") == b"x\n"
    assert len(fake_github.calls("PATCH")) == 3


def test_protected_branch_suggests_pull_request_mode(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    remote.protect_branch("main")
    before = _snapshot(remote)

    with pytest.raises(GitHubError) as caught:
        publish_commit(_repo(fake_github), LineBuilder(), branch="main", message="m")

    assert "protected branch `main`" in caught.value.message
    assert "--mode pull-request" in (caught.value.hint or "")
    assert _snapshot(remote) == before


def test_reference_update_failed_is_reported_as_protection(fake_github: FakeGitHub) -> None:
    """Rulesets answer 422 "Reference update failed"; a moved branch says "not a fast forward"."""
    remote = fake_github.add_repo(FULL, {"README.md": README})
    fake_github.inject(
        "PATCH", r"/git/refs/heads/main$", 422, message="Reference update failed", times=None
    )
    before = _snapshot(remote)
    with pytest.raises(GitHubError, match="protected branch") as caught:
        publish_commit(_repo(fake_github), LineBuilder(), branch="main", message="m")
    assert "pull-request" in (caught.value.hint or "")
    assert len(fake_github.calls("PATCH")) == 1  # no blind retries
    assert _snapshot(remote) == before


def test_repeated_not_a_fast_forward_is_a_ref_race_not_protection(
    fake_github: FakeGitHub,
) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    fake_github.inject(
        "PATCH", r"/git/refs/heads/main$", 422, message="Update is not a fast forward", times=None
    )
    before = _snapshot(remote)
    with pytest.raises(GitHubError) as caught:
        publish_commit(_repo(fake_github), LineBuilder(), branch="main", message="m")
    assert "protected" not in str(caught.value)
    assert "kept moving" in caught.value.message
    assert "concurrency" in (caught.value.hint or "")
    assert len(fake_github.calls("PATCH")) == 3
    assert _snapshot(remote) == before


def test_crlf_and_non_ascii_readme_round_trip_byte_exact(fake_github: FakeGitHub) -> None:
    readme = (
        "# Articles récents — 日本語 ✓\r\n\r\n".encode()
        + START
        + b"\r\n"
        + END
        + "\r\nFußnote: naïve café\r\n".encode()
    )
    remote = fake_github.add_repo(FULL, {"README.md": readme})
    line = "- Über φ".encode()
    publish_commit(_repo(fake_github), LineBuilder(line), branch="main", message="m")
    assert remote.file("README.md") == readme.replace(END, line + b"\r\n" + END)


def test_readme_over_one_megabyte_is_read_through_the_blob_api(fake_github: FakeGitHub) -> None:
    big = README.replace(b"Footer", b"F" * 1_100_000)
    remote = fake_github.add_repo(FULL, {"README.md": big})
    builder = LineBuilder()
    publish_commit(_repo(fake_github), builder, branch="main", message="m")
    assert builder.readmes == [big]
    assert fake_github.calls("GET", f"/repos/{FULL}/git/blobs/")
    assert remote.file("README.md") == big.replace(END, b"- paper A\n" + END)


# ------------------------------------------------------------------------------ PR mode


def _publish_pr(
    fake: FakeGitHub,
    builder: LineBuilder,
    body: str = "New papers",
    title: str = "Daily papers",
    pr_branch: str = "daily-papers/update",
) -> PublishResult:
    return publish_pull_request(
        _repo(fake),
        builder,
        base="main",
        pr_branch=pr_branch,
        title=title,
        body=body,
        labels=["papers"],
        commit_message="Update papers",
    )


def test_pull_request_created_from_base_head(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    base_sha = remote.branch_sha("main")

    result = _publish_pr(fake_github, LineBuilder())

    assert result.operation == "created"
    assert remote.branch_sha("main") == base_sha  # base untouched
    pull = remote.pulls[0]
    assert (pull.number, pull.state, pull.head, pull.base) == (
        1,
        "open",
        "daily-papers/update",
        "main",
    )
    assert pull.title == "Daily papers"
    assert pull.body == "New papers"
    assert pull.labels == ["papers"]
    assert "papers" in remote.labels
    assert result.pull_number == 1
    assert result.pull_url == pull.html_url
    head = remote.branch_sha("daily-papers/update")
    assert result.head_sha == result.commit_sha == head
    assert remote.commit(head or "").parents == (base_sha,)
    assert remote.file("README.md", "daily-papers/update") == README.replace(
        END, b"- paper A\n" + END
    )
    assert len(fake_github.requests) == 10


def test_pull_request_updated_not_duplicated(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    _publish_pr(fake_github, LineBuilder())
    first_head = remote.branch_sha("daily-papers/update")
    fake_github.reset_log()

    result = _publish_pr(fake_github, LineBuilder(b"- paper B"), body="Other", title="T2")

    assert result.operation == "updated"
    assert len(remote.pulls) == 1
    pull = remote.pulls[0]
    assert (pull.title, pull.body, pull.state) == ("T2", "Other", "open")
    new_head = remote.branch_sha("daily-papers/update")
    assert new_head != first_head
    assert remote.commit(new_head or "").parents == (remote.branch_sha("main"),)  # rebuilt
    assert b"- paper A" not in (remote.file("README.md", "daily-papers/update") or b"")
    assert (
        fake_github.calls("PATCH", f"/repos/{FULL}/git/refs/heads/daily-papers/update")[0].json[
            "force"
        ]
        is True
    )


def test_identical_rerun_does_not_push_again(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    _publish_pr(fake_github, LineBuilder())
    head = remote.branch_sha("daily-papers/update")
    fake_github.reset_log()

    result = _publish_pr(fake_github, LineBuilder())

    assert result.operation == "updated"
    assert remote.branch_sha("daily-papers/update") == head
    assert not fake_github.calls("POST", f"/repos/{FULL}/git/commits")
    assert not fake_github.calls("PATCH", f"/repos/{FULL}/git/refs")
    assert result.commit_sha == head


def test_stale_pull_request_closed_when_nothing_differs(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    _publish_pr(fake_github, LineBuilder())
    # The same change lands on main some other way (e.g. merged by hand).
    remote.commit_as_other_user("main", remote.files("daily-papers/update"))

    result = _publish_pr(fake_github, LineBuilder())

    assert result.operation == "closed"
    assert result.pull_number == 1
    assert remote.pulls[0].state == "closed"
    assert "daily-papers/update" not in remote.branches()


def test_nothing_differs_and_no_pull_request_is_none(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README.replace(END, b"- paper A\n" + END)})
    remote.commit_as_other_user("main", {"data.json": b'{"line": "- paper A"}\n'})
    result = _publish_pr(fake_github, LineBuilder())
    assert result.operation == "none"
    assert fake_github.writes() == []
    assert remote.pulls == []


def test_body_callable_receives_changes(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    seen: list[str] = []

    def body(changes: Sequence[FileChange]) -> str:
        seen.extend(c.path for c in changes)
        return "generated"

    publish_pull_request(
        _repo(fake_github),
        LineBuilder(),
        base=None,
        title="t",
        body=body,
        labels=[],
        commit_message="c",
    )
    assert seen == ["README.md", "data.json"]
    assert remote.pulls[0].body == "generated"
    assert remote.pulls[0].labels == []


def test_actions_pr_policy_names_setting_and_removes_branch(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    fake_github.forbid_actions_pull_requests()
    before = _snapshot(remote)

    with pytest.raises(GitHubError) as caught:
        _publish_pr(fake_github, LineBuilder())

    err = caught.value
    assert err.status == 403
    assert "not permitted to create pull requests" in err.message
    assert "Allow GitHub Actions to create and approve pull requests" in (err.hint or "")
    assert f"/{FULL}/compare/main...daily-papers/update" in (err.hint or "")
    assert _snapshot(remote) == before  # branch deleted again, no PR
    assert fake_github.calls("DELETE")


def test_pull_request_mode_without_permission_changes_nothing(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    fake_github.token_permissions["pull_requests"] = "read"
    before = _snapshot(remote)
    with pytest.raises(GitHubError) as caught:
        _publish_pr(fake_github, LineBuilder())
    assert "`pull-requests: write`" in caught.value.message
    assert "pull-requests: write" in (caught.value.hint or "")
    assert _snapshot(remote) == before


def test_pr_branch_equal_to_base_is_refused(fake_github: FakeGitHub) -> None:
    fake_github.add_repo(FULL, {"README.md": README})
    with pytest.raises(GitHubError, match="base branch"):
        _publish_pr(fake_github, LineBuilder(), pr_branch="main")
    assert fake_github.writes() == []


# ------------------------------------------------------------------------------ pure helpers


# ------------------------------------------------------------------------------ error table


@pytest.mark.parametrize(
    ("inject", "status", "phrase"),
    [
        (lambda f: f.fail_bad_credentials(), 401, "bad credentials"),
        (lambda f: f.deny_integration(method="POST"), 403, "`contents: write`"),
        (lambda f: f.deny_integration(method="PATCH"), 403, "`contents: write`"),
        (lambda f: f.rate_limit_primary(times=None, reset_in=3600), 403, "limit resets at"),
        (lambda f: f.rate_limit_secondary(times=None, retry_after=None, status=429), 429, "rate"),
        (lambda f: f.server_errors(times=None, method="POST"), 502, "failed while"),
        (lambda f: f.server_errors(times=None, method="PATCH"), 502, "failed while"),
    ],
    ids=["401", "403-post", "403-patch", "primary", "secondary", "5xx-post", "5xx-patch"],
)
def test_commit_mode_errors_change_nothing(
    fake_github: FakeGitHub,
    inject: Callable[[FakeGitHub], object],
    status: int,
    phrase: str,
) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README})
    before = _snapshot(remote)
    inject(fake_github)

    with pytest.raises(GitHubError) as caught:
        publish_commit(_repo(fake_github), LineBuilder(), branch="main", message="m")

    err = caught.value
    assert err.status == status
    assert phrase in err.message
    assert err.hint
    assert fake_github.token not in str(err)
    assert _snapshot(remote) == before
