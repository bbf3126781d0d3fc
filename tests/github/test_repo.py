"""The PyGithub adapter against the fake GitHub: reads, writes, retries and the error table.

Every error test checks the sentence, the hint, that the token never leaks, and (where a
write was attempted) that the fake repository is unchanged.
"""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timezone

import pytest

from daily_papers.errors import GitHubError
from daily_papers.github.repo import GitHubRepo
from daily_papers.github.transport import MAX_RATE_LIMIT_WAIT
from daily_papers.publish import Head, IssueRef, NotFastForward, PullRef
from tests.fakes.github_server import FakeGitHub, FakeRepo

FULL = "octo/papers"
README = b"# Papers\n"


def commit(repo: GitHubRepo, head: Head, files: dict[str, bytes | None], message: str) -> str:
    """One commit on ``head``: the tree, then the commit (what publishing does)."""
    return repo.commit_tree(head, repo.create_tree(head, files), message)


class Sleeps:
    """Records the waits the adapter asks for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _repo(
    fake: FakeGitHub,
    full_name: str = FULL,
    *,
    retry: bool = False,
    sleep: Sleeps | None = None,
    token: str | None = None,
    api_url: str | None = None,
) -> GitHubRepo:
    return GitHubRepo.connect(
        full_name,
        token=token or fake.token,
        api_url=api_url or fake.url,
        retry=retry,
        throttle=False,
        sleep=sleep or Sleeps(),
    )


@pytest.fixture
def remote(fake_github: FakeGitHub) -> FakeRepo:
    return fake_github.add_repo(FULL, {"README.md": README})


def _assert_clean(err: GitHubError, fake: FakeGitHub) -> None:
    text = f"{err.message} {err.hint or ''}"
    assert fake.token not in text
    assert err.message.endswith(".")


# ------------------------------------------------------------------------------ basics


def test_connect_makes_no_request_and_derives_urls(fake_github: FakeGitHub) -> None:
    repo = _repo(fake_github)
    assert repo.api_calls == 0
    assert fake_github.requests == []
    assert repo.full_name == FULL
    assert repo.html_url == f"{fake_github.url}/{FULL}"
    assert repo.compare_url("main", "daily-papers/update") == (
        f"{fake_github.url}/{FULL}/compare/main...daily-papers/update"
    )


def test_public_github_and_enterprise_web_urls() -> None:
    public = GitHubRepo.connect(FULL, token="t", retry=False, throttle=False)
    assert public.html_url == "https://github.com/octo/papers"
    ghes = GitHubRepo.connect(FULL, token="t", api_url="https://ghe.example/api/v3/")
    assert ghes.html_url == "https://ghe.example/octo/papers"


def test_bad_repository_name_or_empty_token_is_a_clear_error() -> None:
    with pytest.raises(GitHubError, match="OWNER/NAME"):
        GitHubRepo.connect("papers", token="t")
    with pytest.raises(GitHubError, match="No GitHub token") as caught:
        GitHubRepo.connect(FULL, token="")
    assert "GITHUB_TOKEN" in (caught.value.hint or "")


def test_head_and_default_branch(fake_github: FakeGitHub) -> None:
    remote = fake_github.add_repo(FULL, {"README.md": README}, default_branch="trunk")
    repo = _repo(fake_github)
    assert repo.default_branch == "trunk"
    assert repo.default_branch == "trunk"  # cached
    head = repo.head("trunk")
    commit = remote.commit(remote.branch_sha("trunk") or "")
    assert head == Head("trunk", commit.sha, commit.tree)
    assert repo.find_head("missing") is None
    assert repo.api_calls == len(fake_github.requests) == 3


def test_enterprise_api_prefix_works() -> None:
    fake = FakeGitHub(api_prefix="/api/v3").start()
    try:
        fake.add_repo(FULL, {"README.md": README})
        repo = _repo(fake)
        head = repo.head("main")
        assert repo.read_file("README.md", head.commit_sha) == README
    finally:
        fake.stop()


def test_read_file_missing_is_none(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    repo = _repo(fake_github)
    head = repo.head("main")
    assert repo.read_file("data/papers.json", head.commit_sha) is None


def test_read_file_over_threshold_uses_blob_api(fake_github: FakeGitHub) -> None:
    big = bytes(range(256)) * 5000  # 1.28 MB, not UTF-8
    fake_github.add_repo(FULL, {"big.bin": big})
    repo = _repo(fake_github)
    head = repo.head("main")
    assert repo.read_file("big.bin", head.commit_sha) == big
    assert [r.path.split("/")[4] for r in fake_github.requests[1:]] == ["contents", "git"]


def test_create_commit_with_non_utf8_file_goes_through_a_blob(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    repo = _repo(fake_github)
    head = repo.head("main")
    data = b"\xff\xfe binary \x00"
    sha = commit(repo, head, {"a.bin": data, "README.md": b"new\n"}, "msg")
    repo.update_branch("main", sha, force=False)
    assert remote.file("a.bin") == data
    assert remote.file("README.md") == b"new\n"
    assert len(fake_github.calls("POST", f"/repos/{FULL}/git/blobs")) == 1


def test_update_branch_not_fast_forward(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    repo = _repo(fake_github)
    head = repo.head("main")
    sha = commit(repo, head, {"README.md": b"ours\n"}, "msg")
    remote.commit_as_other_user("main", {"README.md": b"theirs\n"})
    with pytest.raises(NotFastForward):
        repo.update_branch("main", sha, force=False)
    assert remote.file("README.md") == b"theirs\n"


def test_branches_create_force_update_delete(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    repo = _repo(fake_github)
    head = repo.head("main")
    repo.create_branch("daily-papers/update", head.commit_sha)
    other = commit(repo, head, {"README.md": b"x\n"}, "m")
    repo.update_branch("daily-papers/update", other, force=True)
    assert remote.branch_sha("daily-papers/update") == other
    repo.delete_branch("daily-papers/update")
    repo.delete_branch("daily-papers/update")  # already gone: fine
    assert remote.branches() == ["main"]


# ------------------------------------------------------------------------------ PRs, labels


def test_pull_lifecycle(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    repo = _repo(fake_github)
    head = repo.head("main")
    sha = commit(repo, head, {"README.md": b"x\n"}, "m")
    repo.create_branch("upd", sha)
    remote.add_pull("upd", "other-base", "unrelated")  # different base: not ours
    assert repo.find_open_pull("upd", "main") is None
    created = repo.create_pull("main", "upd", "T", "B")
    assert created == PullRef(2, remote.pull(2).html_url, sha)
    assert repo.find_open_pull("upd", "main") == created
    edited = repo.edit_pull(2, title="T2", body="B2")
    assert edited.number == 2
    assert (remote.pull(2).title, remote.pull(2).body) == ("T2", "B2")
    repo.add_labels(2, ["papers", "automated"])
    assert remote.pull(2).labels == ["papers", "automated"]
    repo.close_pull(2)
    assert remote.pull(2).state == "closed"
    assert repo.find_open_pull("upd", "main") is None
    list_call = fake_github.calls("GET", f"/repos/{FULL}/pulls")[0]
    assert list_call.query["head"] == "octo:upd"


def test_create_pull_that_already_exists_returns_it(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    remote.create_branch("upd")
    existing = remote.add_pull("upd", "main", "old")
    body = {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": "A pull request already exists for octo:upd.",
            }
        ],
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        "status": "422",
    }
    fake_github.inject("POST", r"/pulls$", 422, body=body)
    found = _repo(fake_github).create_pull("main", "upd", "T", "B")
    assert found.number == existing.number
    assert len(remote.pulls) == 1


def test_labels_retried_while_pull_is_not_resolvable(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    remote.create_branch("upd")
    pull = remote.add_pull("upd", "main", "t")
    fake_github.inject(
        "POST",
        r"/issues/\d+/labels$",
        422,
        message="Could not resolve to a node with the global id of 'PR_x'.",
        times=2,
    )
    sleeps = Sleeps()
    _repo(fake_github, sleep=sleeps).add_labels(pull.number, ["papers"])
    assert remote.pull(pull.number).labels == ["papers"]
    assert sleeps.waits == [1.0, 2.0]


# ------------------------------------------------------------------------------ issues


def test_issue_methods(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    repo = _repo(fake_github)
    remote.add_issue("old digest", labels=("daily-papers",))
    remote.add_issue("unlabelled")
    remote.create_branch("upd")
    pr = remote.add_pull("upd", "main", "a PR")
    repo.add_labels(pr.number, ["daily-papers"])  # PRs are listed by /issues too
    created = repo.create_issue("New papers — 2026-11-26", "body", ["daily-papers"])
    assert created == IssueRef(created.number, remote.issue(created.number).html_url, "body")
    assert remote.issue(created.number).labels == ["daily-papers"]
    found = repo.find_open_issues("daily-papers")
    assert [i.number for i in found] == [created.number, 1]
    assert [i.body for i in found] == ["body", ""]  # bodies come with the listing, no extra GET
    repo.close_issue(1)
    assert remote.issue(1).state == "closed"
    assert [i.number for i in repo.find_open_issues("daily-papers")] == [created.number]
    recent = repo.find_recent_issues()  # whatever the labels, newest first, no PRs
    assert [i.number for i in recent] == [created.number, 2]
    assert recent[0].body == "body"


def test_issue_without_permission_names_issues_write(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    fake_github.token_permissions["issues"] = "read"
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github).create_issue("t", "b", [])
    assert caught.value.status == 403
    assert "`issues: write`" in caught.value.message
    assert "fork" in (caught.value.hint or "")
    assert remote.issues == []
    _assert_clean(caught.value, fake_github)


# ------------------------------------------------------------------------------ error table


def test_bad_credentials(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github, token="ghs_wrongtokenvalue").head("main")
    err = caught.value
    assert err.status == 401
    assert "bad credentials" in err.message
    assert "github-token" in (err.hint or "")
    assert "GITHUB_TOKEN" in (err.hint or "")
    assert "ghs_wrongtokenvalue" not in str(err)


def test_integration_403_names_permissions(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    fake_github.deny_integration(method="POST")
    before = remote.files(), remote.branches()
    repo = _repo(fake_github)
    head = repo.head("main")
    with pytest.raises(GitHubError) as caught:
        commit(repo, head, {"README.md": b"x\n"}, "m")
    err = caught.value
    assert err.status == 403
    assert "`contents: write`" in err.message
    for needed in ("contents: write", "pull-requests: write", "issues: write", "permissions:"):
        assert needed in (err.hint or "")
    assert (remote.files(), remote.branches()) == before
    _assert_clean(err, fake_github)


def test_missing_repository(fake_github: FakeGitHub) -> None:
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github, "octo/nope").head("main")
    assert caught.value.status == 404
    assert "repository `octo/nope` was not found" in caught.value.message
    with pytest.raises(GitHubError, match="repository `octo/nope`"):
        _ = _repo(fake_github, "octo/nope").default_branch


def test_missing_branch(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github).head("nope")
    assert caught.value.status == 404
    assert "branch `nope` was not found in octo/papers" in caught.value.message
    assert "--branch" in (caught.value.hint or "")


def test_protected_branch_error(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    remote.protect_branch("main")
    repo = _repo(fake_github)
    head = repo.head("main")
    sha = commit(repo, head, {"README.md": b"x\n"}, "m")
    with pytest.raises(GitHubError) as caught:
        repo.update_branch("main", sha, force=False)
    assert "protected branch `main`" in caught.value.message
    assert "--mode pull-request" in (caught.value.hint or "")
    assert remote.file("README.md") == README


def test_primary_rate_limit_far_reset_fails_naming_reset(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    fault = fake_github.rate_limit_primary(times=None, reset_in=3600)
    reset_header = {k.lower(): v for k, v in fault.headers.items()}["x-ratelimit-reset"]
    sleeps = Sleeps()
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github, retry=True, sleep=sleeps).head("main")
    err = caught.value
    assert "rate limit" in err.message
    reset = datetime.fromtimestamp(int(reset_header), timezone.utc)
    assert reset.strftime("%Y-%m-%d %H:%M") in err.message
    assert sleeps.waits == []
    _assert_clean(err, fake_github)


def test_primary_rate_limit_near_reset_waits_and_succeeds(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    fake_github.rate_limit_primary(times=1, reset_in=5)
    sleeps = Sleeps()
    repo = _repo(fake_github, retry=True, sleep=sleeps)
    assert repo.head("main").branch == "main"
    assert len(sleeps.waits) == 1
    assert 0 < sleeps.waits[0] <= MAX_RATE_LIMIT_WAIT
    assert repo.api_calls == len(fake_github.requests) == 2


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_rate_limit_honours_retry_after(
    fake_github: FakeGitHub, remote: FakeRepo, status: int
) -> None:
    fake_github.rate_limit_secondary(times=1, retry_after=7, status=status)
    sleeps = Sleeps()
    assert _repo(fake_github, retry=True, sleep=sleeps).head("main").branch == "main"
    assert sleeps.waits == [7.0]


def test_secondary_rate_limit_with_long_retry_after_fails(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    fake_github.rate_limit_secondary(times=None, retry_after=900, status=429)
    sleeps = Sleeps()
    with pytest.raises(GitHubError) as caught:
        _repo(fake_github, retry=True, sleep=sleeps).head("main")
    assert "rate limit" in caught.value.message
    assert "900" in caught.value.message
    assert sleeps.waits == []


def test_server_errors_are_retried_then_succeed(fake_github: FakeGitHub, remote: FakeRepo) -> None:
    fake_github.server_errors(times=2, status=502)
    sleeps = Sleeps()
    repo = _repo(fake_github, retry=True, sleep=sleeps)
    assert repo.head("main").branch == "main"
    assert repo.api_calls == len(fake_github.requests) == 3
    assert all(w <= 4 for w in sleeps.waits)


def test_server_errors_after_retries_name_the_api(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    fake_github.server_errors(times=None, status=503)
    repo = _repo(fake_github, retry=True, sleep=Sleeps())
    with pytest.raises(GitHubError) as caught:
        repo.head("main")
    assert fake_github.url in caught.value.message
    assert "server errors" in caught.value.message
    assert repo.api_calls == len(fake_github.requests) == 4  # 1 + 3 retries
    _assert_clean(caught.value, fake_github)


def test_server_error_without_retries_or_on_patch(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    repo = _repo(fake_github, retry=True, sleep=Sleeps())
    head = repo.head("main")
    sha = commit(repo, head, {"README.md": b"x\n"}, "m")
    fake_github.server_errors(times=1, status=500, method="PATCH")  # PATCH is never retried
    with pytest.raises(GitHubError) as caught:
        repo.update_branch("main", sha, force=False)
    assert caught.value.status == 500
    assert fake_github.url in caught.value.message
    assert remote.file("README.md") == README


def test_unreachable_api_names_the_url() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    repo = GitHubRepo.connect(FULL, token="secret-token", api_url=url, retry=False, throttle=False)
    with pytest.raises(GitHubError) as caught:
        repo.head("main")
    assert f"Could not reach the GitHub API at {url}" in caught.value.message
    assert "secret-token" not in str(caught.value)


def test_secondary_rate_limit_without_retry_after_waits_a_minute(
    fake_github: FakeGitHub, remote: FakeRepo
) -> None:
    # docs (rate limits): without retry-after, wait at least one minute before retrying.
    fake_github.rate_limit_secondary(times=1, retry_after=None, status=403)
    sleeps = Sleeps()
    assert _repo(fake_github, retry=True, sleep=sleeps).head("main").branch == "main"
    assert sleeps.waits == [MAX_RATE_LIMIT_WAIT]


def test_token_never_logged(
    fake_github: FakeGitHub, remote: FakeRepo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    repo = _repo(fake_github, retry=True, sleep=Sleeps())
    head = repo.head("main")
    fake_github.server_errors(times=None, method="PATCH")
    sha = commit(repo, head, {"README.md": b"x\n"}, "m")
    with pytest.raises(GitHubError):
        repo.update_branch("main", sha, force=False)
    with pytest.raises(GitHubError):
        _repo(fake_github, token="ghs_other_secret").head("main")
    assert caplog.records  # PyGithub and the adapter did log at DEBUG
    assert fake_github.token not in caplog.text
    assert "ghs_other_secret" not in caplog.text
