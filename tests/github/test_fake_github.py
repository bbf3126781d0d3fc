"""The fake GitHub must answer like GitHub, or the publishing tests prove nothing.

Checked here: (a) every endpoint against the OpenAPI subset (inside the server via the
``fake_github`` fixture's validation hook, and again here from the client side), (b) response
shapes against real recorded traffic (octokit fixtures, PyGithub ReplayData), (c) every
switchable fault with its real status/message/headers, (d) a PyGithub end-to-end smoke run.
"""

from __future__ import annotations

import ast
import base64
import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import github
import pytest
import requests
from github import Auth, GithubRetry, InputGitTreeElement
from github.ContentFile import ContentFile
from github.Repository import Repository
from openapi_core.testing import MockRequest, MockResponse

from tests.fakes.github_server import (
    MSG_ACTIONS_PR,
    MSG_INTEGRATION,
    MSG_NOT_FAST_FORWARD,
    SPEC_HOST,
    FakeGitHub,
    FakeRepo,
    git_hash,
    openapi,
    spec_cannot_describe,
)

RECORDINGS = Path(__file__).parents[1] / "fixtures" / "github" / "recordings"
README = b"# Papers\n\n<!-- daily-papers:start -->\n<!-- daily-papers:end -->\n"


@pytest.fixture
def repo(fake_github: FakeGitHub) -> FakeRepo:
    return fake_github.add_repo(
        "octo/papers", {"README.md": README, "docs/data.json": b"{}\n", "docs/x/y.txt": b"y"}
    )


@pytest.fixture
def http(fake_github: FakeGitHub) -> Iterator[requests.Session]:
    session = requests.Session()
    session.headers["Authorization"] = f"token {fake_github.token}"
    yield session
    session.close()


@pytest.fixture
def gh(fake_github: FakeGitHub) -> github.Github:
    return github.Github(
        base_url=fake_github.url,
        auth=Auth.Token(fake_github.token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=None,
    )


def check(resp: requests.Response, spec_path: str) -> Any:
    """Validate one response from the client side (independent of the server's own hook)."""
    parsed = urllib.parse.urlsplit(resp.request.url or "")
    args = dict(urllib.parse.parse_qsl(parsed.query))
    openapi().validate_response(
        MockRequest(SPEC_HOST, (resp.request.method or "get").lower(), spec_path, args=args),
        MockResponse(
            resp.content,
            status_code=resp.status_code,
            content_type="application/json",
            headers=dict(resp.headers),
        ),
    )
    return resp.json() if resp.content else None


def contents(r: Repository, path: str, ref: str | None = None) -> ContentFile:
    got = r.get_contents(path, ref=ref) if ref else r.get_contents(path)
    assert isinstance(got, ContentFile), got
    return got


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --------------------------------------------------------------------------------------------
# (a) every endpoint against the OpenAPI subset


def test_every_endpoint_matches_the_openapi_subset(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    R = "/repos/octo/papers"

    def call(method: str, url: str, spec: str, status: int, **kw: Any) -> Any:
        resp = http.request(method, url, **kw)
        assert resp.status_code == status, (method, url, resp.status_code, resp.text)
        return check(resp, spec)

    assert call("GET", f"{fake_github.url}/rate_limit", "/rate_limit", 200)["rate"]["limit"]
    assert call("GET", u, R, 200)["default_branch"] == "main"
    call("GET", f"{fake_github.url}/repos/octo/missing", "/repos/octo/missing", 404)
    readme = call("GET", f"{u}/readme", f"{R}/readme", 200)
    assert base64.b64decode(readme["content"]) == README
    assert readme["sha"] == git_hash("blob", README)
    call("GET", f"{u}/contents/docs/data.json?ref=main", f"{R}/contents/docs%2Fdata.json", 200)
    call("GET", f"{u}/contents/docs%2Fdata.json", f"{R}/contents/docs%2Fdata.json", 200)
    call("GET", f"{u}/contents/nope.md", f"{R}/contents/nope.md", 404)
    branch = call("GET", f"{u}/branches/main", f"{R}/branches/main", 200)
    head = branch["commit"]["sha"]
    call("GET", f"{u}/branches/nope", f"{R}/branches/nope", 404)

    created = call(
        "PUT",
        f"{u}/contents/new/file.md",
        f"{R}/contents/new%2Ffile.md",
        201,
        json={"message": "add", "content": b64(b"new\n")},
    )
    call(
        "PUT",
        f"{u}/contents/new/file.md",
        f"{R}/contents/new%2Ffile.md",
        200,
        json={"message": "edit", "content": b64(b"newer\n"), "sha": created["content"]["sha"]},
    )
    call(
        "PUT",
        f"{u}/contents/new/file.md",
        f"{R}/contents/new%2Ffile.md",
        422,
        json={"message": "edit", "content": b64(b"x")},
    )
    stale = http.put(
        f"{u}/contents/new/file.md",
        json={"message": "edit", "content": b64(b"x"), "sha": created["content"]["sha"]},
    )
    assert stale.status_code == 409  # the spec's 409 oneOf is unsatisfiable: not validated
    assert spec_cannot_describe("put_contents", 409, stale.json())
    call(
        "PUT",
        f"{u}/contents/a.md",
        f"{R}/contents/a.md",
        404,
        json={"message": "m", "content": b64(b"x"), "branch": "nope"},
    )
    current = repo.store.flatten(repo.commit(repo.branch_sha("main") or "").tree)
    call(
        "DELETE",
        f"{u}/contents/new/file.md",
        f"{R}/contents/new%2Ffile.md",
        200,
        json={"message": "rm", "sha": current["new/file.md"].sha},
    )

    blob = call(
        "POST",
        f"{u}/git/blobs",
        f"{R}/git/blobs",
        201,
        json={"content": "héllo\n", "encoding": "utf-8"},
    )
    assert blob["sha"] == git_hash("blob", "héllo\n".encode())
    call(
        "POST",
        f"{u}/git/blobs",
        f"{R}/git/blobs",
        201,
        json={"content": b64(b"\x00\x01"), "encoding": "base64"},
    )
    got = call("GET", f"{u}/git/blobs/{blob['sha']}", f"{R}/git/blobs/{blob['sha']}", 200)
    assert base64.b64decode(got["content"]) == "héllo\n".encode()
    call("GET", f"{u}/git/blobs/{'1' * 40}", f"{R}/git/blobs/{'1' * 40}", 404)
    head = repo.branch_sha("main") or ""  # the contents writes above moved main
    head_commit = call("GET", f"{u}/git/commits/{head}", f"{R}/git/commits/{head}", 200)
    tree = call(
        "POST",
        f"{u}/git/trees",
        f"{R}/git/trees",
        201,
        json={
            "base_tree": head_commit["tree"]["sha"],
            "tree": [
                {"path": "README.md", "mode": "100644", "type": "blob", "sha": blob["sha"]},
                {"path": "docs/data.json", "mode": "100644", "type": "blob", "sha": None},
            ],
        },
    )
    call("POST", f"{u}/git/trees", f"{R}/git/trees", 404, json={"base_tree": "2" * 40, "tree": []})
    listed = call(
        "GET", f"{u}/git/trees/{tree['sha']}?recursive=1", f"{R}/git/trees/{tree['sha']}", 200
    )
    assert {e["path"] for e in listed["tree"]} == {
        "README.md",
        "docs",
        "docs/x",
        "docs/x/y.txt",
        "new",
    } - {"new"}
    commit = call(
        "POST",
        f"{u}/git/commits",
        f"{R}/git/commits",
        201,
        json={"message": "m", "tree": tree["sha"], "parents": [head]},
    )
    call(
        "POST",
        f"{u}/git/commits",
        f"{R}/git/commits",
        422,
        json={"message": "m", "tree": "3" * 40, "parents": [head]},
    )
    call("GET", f"{u}/git/commits/{'4' * 40}", f"{R}/git/commits/{'4' * 40}", 404)

    call("GET", f"{u}/git/ref/heads/main", f"{R}/git/ref/heads%2Fmain", 200)
    call("GET", f"{u}/git/ref/heads/nope", f"{R}/git/ref/heads%2Fnope", 404)
    call("GET", f"{u}/git/matching-refs/heads/", f"{R}/git/matching-refs/heads%2F", 200)
    call(
        "POST",
        f"{u}/git/refs",
        f"{R}/git/refs",
        201,
        json={"ref": "refs/heads/feature", "sha": head},
    )
    call(
        "POST",
        f"{u}/git/refs",
        f"{R}/git/refs",
        422,
        json={"ref": "refs/heads/feature", "sha": head},
    )
    call(
        "PATCH",
        f"{u}/git/refs/heads/feature",
        f"{R}/git/refs/heads%2Ffeature",
        200,
        json={"sha": commit["sha"], "force": False},
    )
    call(
        "PATCH",
        f"{u}/git/refs/heads/feature",
        f"{R}/git/refs/heads%2Ffeature",
        422,
        json={"sha": head, "force": False},
    )
    call(
        "PATCH",
        f"{u}/git/refs/heads/main",
        f"{R}/git/refs/heads%2Fmain",
        200,
        json={"sha": head, "force": True},
    )

    call(
        "POST", f"{u}/pulls", f"{R}/pulls", 422, json={"title": "T", "head": "nope", "base": "main"}
    )
    pr = call(
        "POST",
        f"{u}/pulls",
        f"{R}/pulls",
        201,
        json={"title": "T", "head": "feature", "base": "main", "body": "B"},
    )
    call(
        "POST",
        f"{u}/pulls",
        f"{R}/pulls",
        422,
        json={"title": "T", "head": "octo:feature", "base": "main"},
    )
    assert len(call("GET", f"{u}/pulls?state=all&head=octo:feature", f"{R}/pulls", 200)) == 1
    call("GET", f"{u}/pulls?state=bogus", f"{R}/pulls", 422)
    n = pr["number"]
    call("GET", f"{u}/pulls/{n}", f"{R}/pulls/{n}", 200)
    call("GET", f"{u}/pulls/999", f"{R}/pulls/999", 404)
    call("PATCH", f"{u}/pulls/{n}", f"{R}/pulls/{n}", 200, json={"title": "T2", "body": "B2"})
    call(
        "POST", f"{u}/issues/{n}/labels", f"{R}/issues/{n}/labels", 200, json={"labels": ["papers"]}
    )
    call(
        "PUT",
        f"{u}/issues/{n}/labels",
        f"{R}/issues/{n}/labels",
        200,
        json={"labels": ["papers", "bot"]},
    )
    call("GET", f"{u}/issues/{n}/labels", f"{R}/issues/{n}/labels", 200)
    call(
        "POST", f"{u}/issues/{n}/comments", f"{R}/issues/{n}/comments", 201, json={"body": "hello"}
    )
    call("PATCH", f"{u}/pulls/{n}", f"{R}/pulls/{n}", 200, json={"state": "closed"})

    call("GET", f"{u}/labels", f"{R}/labels", 200)
    call("POST", f"{u}/labels", f"{R}/labels", 201, json={"name": "new", "color": "00ff00"})
    call("POST", f"{u}/labels", f"{R}/labels", 422, json={"name": "bad", "color": "zzzzzz"})
    issue = call(
        "POST",
        f"{u}/issues",
        f"{R}/issues",
        201,
        json={"title": "Digest", "body": "b", "labels": ["digest"]},
    )
    call("GET", f"{u}/issues?state=all&labels=digest", f"{R}/issues", 200)
    m = issue["number"]
    call("GET", f"{u}/issues/{m}", f"{R}/issues/{m}", 200)
    call("GET", f"{u}/issues/999", f"{R}/issues/999", 404)
    call(
        "PATCH",
        f"{u}/issues/{m}",
        f"{R}/issues/{m}",
        200,
        json={"state": "closed", "state_reason": "completed"},
    )
    assert http.delete(f"{u}/git/refs/heads/feature").status_code == 204
    assert fake_github.schema_violations == []
    assert fake_github.request_violations == []


def test_validation_hook_flags_a_broken_response(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = fake_github._repo_json

    def broken(api: str, r: FakeRepo, *, full: bool = True) -> dict[str, Any]:
        data = original(api, r, full=full)
        del data["default_branch"]
        return data

    monkeypatch.setattr(fake_github, "_repo_json", broken)
    assert http.get(f"{fake_github.url}/repos/octo/papers").status_code == 200
    assert any("default_branch" in v for v in fake_github.schema_violations)
    fake_github.schema_violations.clear()


def test_validation_hook_flags_a_malformed_request(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    resp = http.post(f"{fake_github.url}/repos/octo/papers/git/trees", json={"tree": "x"})
    assert resp.status_code == 422
    assert fake_github.request_violations
    fake_github.request_violations.clear()


# --------------------------------------------------------------------------------------------
# (b) shapes against real recordings

# Fields real responses carried in 2017-2022 that today's API no longer sends or that the
# normalised recordings add; everything else must be present with the same JSON type.
# ``state_reason``: GitHub sends null for open issues, but the subset's enum has no null, so the
# fake omits it while null (PyGithub reads both the same way).
RETIRED = {
    "network_count",
    "subscribers_count",
    "organization",
    "license",
    "temp_clone_token",
    "security_and_analysis",
    "state_reason",
}


def shape_problems(real: Any, fake: Any, where: str = "$", depth: int = 3) -> list[str]:
    if real is None or fake is None:
        return []
    if isinstance(real, bool) or isinstance(fake, bool):
        return [] if isinstance(real, bool) == isinstance(fake, bool) else [f"{where}: type"]
    if isinstance(real, (int, float)) and isinstance(fake, (int, float)):
        return []
    if type(real) is not type(fake):
        return [f"{where}: {type(real).__name__} vs {type(fake).__name__}"]
    if isinstance(real, dict) and depth > 0:
        out = [f"{where}.{k}: missing" for k in real if k not in fake and k not in RETIRED]
        for k in real:
            if k in fake:
                out += shape_problems(real[k], fake[k], f"{where}.{k}", depth - 1)
        return out
    if isinstance(real, list) and real and fake and depth > 0:
        return shape_problems(real[0], fake[0], f"{where}[0]", depth - 1)
    return []


def octokit(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (RECORDINGS / f"{name}.normalized-fixture.json").read_text(encoding="utf-8")
    )
    return data


def replay(name: str) -> list[dict[str, Any]]:
    """Parse PyGithub ReplayData: 11 lines per request."""
    lines = (RECORDINGS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    out = []
    for i in range(0, len(lines) - 10, 11):
        out.append(
            {
                "method": lines[i + 1],
                "path": lines[i + 4],
                "body": None if lines[i + 6] == "None" else json.loads(lines[i + 6]),
                "status": int(lines[i + 7]),
                "headers": dict(ast.literal_eval(lines[i + 8])),
                "response": json.loads(lines[i + 9]) if lines[i + 9] else None,
            }
        )
    return out


def test_repository_and_contents_shapes_match_recordings(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    assert shape_problems(octokit("get-repository")[0]["response"], http.get(u).json()) == []
    content = octokit("get-content")
    listing = http.get(f"{u}/contents/").json()
    assert shape_problems(content[0]["response"], listing) == []
    put = octokit("create-file")[0]
    resp = http.put(f"{u}/contents/test.txt", json=put["body"])
    assert resp.status_code == put["status"] == 201
    assert shape_problems(put["response"], resp.json()) == []
    # A PAT made the recorded commit: unsigned. Our default token is the Actions bot.
    assert put["response"]["commit"]["verification"]["reason"] == "unsigned"
    assert resp.json()["commit"]["verification"] == {
        **resp.json()["commit"]["verification"],
        "verified": True,
        "reason": "valid",
    }
    real_headers = {k.lower() for k in put["headers"]}
    ours = {k.lower() for k in resp.headers}
    assert {
        "content-type",
        "etag",
        "x-github-media-type",
        "x-github-request-id",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-resource",
        "x-ratelimit-used",
    } - {"etag"} <= real_headers & ours
    assert resp.headers["Location"].startswith(fake_github.url)


def test_ref_shapes_and_codes_match_recordings(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    head = repo.branch_sha("main")
    recorded = octokit("git-refs")
    listing = http.get(f"{u}/git/refs/")
    assert listing.status_code == recorded[0]["status"]
    assert shape_problems(recorded[0]["response"], listing.json()) == []
    created = http.post(f"{u}/git/refs", json={"ref": "refs/heads/test", "sha": head})
    assert created.status_code == recorded[1]["status"] == 201
    assert shape_problems(recorded[1]["response"], created.json()) == []
    assert created.headers["Location"] == f"{u}/git/refs/heads/test"
    new = repo.commit_as_other_user("main", {"z": "z"})
    patched = http.patch(f"{u}/git/refs/heads/test", json={"sha": new})
    assert patched.status_code == recorded[2]["status"]
    assert shape_problems(recorded[2]["response"], patched.json()) == []
    assert http.delete(f"{u}/git/refs/heads/test").status_code == recorded[4]["status"] == 204
    singular = replay("Repository.testGetGitRef")[0]
    got = http.get(f"{u}/git/ref/heads/main")
    assert shape_problems(singular["response"], got.json()) == []


def test_label_and_error_shapes_match_recordings(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    issue_rec, labels_rec = octokit("add-labels-to-issue")
    issue = http.post(f"{u}/issues", json=issue_rec["body"])
    assert issue.status_code == issue_rec["status"]
    assert shape_problems(issue_rec["response"], issue.json()) == []
    labels = http.post(f"{u}/issues/{issue.json()['number']}/labels", json=labels_rec["body"])
    assert labels.status_code == labels_rec["status"]
    assert [lb["name"] for lb in labels.json()] == [lb["name"] for lb in labels_rec["response"]]
    assert [lb["color"] for lb in labels.json()] == ["ededed"] * 3  # auto-created
    assert shape_problems(labels_rec["response"], labels.json()) == []
    err_rec = octokit("errors")[0]
    err = http.post(f"{u}/labels", json=err_rec["body"])
    assert err.status_code == err_rec["status"] == 422
    assert err.json()["errors"] == err_rec["response"]["errors"]
    assert err.json()["message"] == err_rec["response"]["message"]


def test_pull_and_commit_shapes_match_pygithub_recordings(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    repo.create_branch("topic")
    repo.commit_as_other_user("topic", {"t.md": "t"})
    created_rec = replay("Repository.testCreatePull")[0]
    body = {**created_rec["body"], "head": "octo:topic", "base": "main"}
    created = http.post(f"{u}/pulls", json=body)
    assert created.status_code == created_rec["status"] == 201
    assert shape_problems(created_rec["response"], created.json()) == []
    listed_rec = replay("Repository.testGetPulls")[0]
    assert shape_problems(listed_rec["response"], http.get(f"{u}/pulls").json()) == []
    edit_rec = replay("PullRequest.testEditWithAllArguments")[0]
    edited = http.patch(f"{u}/pulls/1", json={**edit_rec["body"], "base": "main"})
    assert edited.status_code == edit_rec["status"]
    assert shape_problems(edit_rec["response"], edited.json()) == []
    tree_rec, commit_rec = replay("Repository.testCreateGitCommit")
    tree = repo.commit(repo.branch_sha("main") or "").tree
    assert shape_problems(tree_rec["response"], http.get(f"{u}/git/trees/{tree}").json()) == []
    made = http.post(f"{u}/git/commits", json={**commit_rec["body"], "tree": tree})
    assert made.status_code == commit_rec["status"] == 201
    assert shape_problems(commit_rec["response"], made.json()) == []


# --------------------------------------------------------------------------------------------
# (c) faults


def test_missing_or_wrong_token_is_401(fake_github: FakeGitHub, repo: FakeRepo) -> None:
    u = f"{fake_github.url}/repos/octo/papers"
    for headers in ({}, {"Authorization": "token wrong"}, {"Authorization": "Basic x"}):
        resp = requests.get(u, headers=headers, timeout=5)
        assert resp.status_code == 401
        assert resp.json()["message"] == "Bad credentials"
    ok = requests.get(u, headers={"Authorization": f"Bearer {fake_github.token}"}, timeout=5)
    assert ok.status_code == 200
    bad = github.Github(
        base_url=fake_github.url,
        auth=Auth.Token("nope"),
        retry=None,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    with pytest.raises(github.BadCredentialsException):
        bad.get_repo("octo/papers")


def test_bad_credentials_preset(fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github) -> None:
    fault = fake_github.fail_bad_credentials()
    with pytest.raises(github.BadCredentialsException):
        gh.get_repo("octo/papers")
    assert fault.hits == 1


def test_read_only_token_answers_integration_403_on_writes(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    fake_github.token_permissions = {"contents": "read", "pull_requests": "none", "issues": "none"}
    r = gh.get_repo("octo/papers")
    assert contents(r, "README.md").decoded_content == README  # reads still work
    with pytest.raises(github.GithubException) as exc:
        r.create_git_blob("x", "utf-8")
    assert exc.value.status == 403
    assert exc.value.data["message"] == MSG_INTEGRATION
    with pytest.raises(github.GithubException) as exc:
        list(r.get_pulls())
    assert exc.value.status == 403
    assert fake_github.writes()[-1].fault


def test_labels_on_a_pull_need_issues_or_pull_requests_write(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    repo.create_branch("topic")
    pr = repo.add_pull("topic", "main", "T")
    fake_github.token_permissions["issues"] = "none"
    gh.get_repo("octo/papers").get_pull(pr.number).add_to_labels("papers")
    assert repo.pull(pr.number).labels == ["papers"]


def test_deny_integration_preset_targets_one_endpoint(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    fake_github.deny_integration("POST", r"/issues$")
    r = gh.get_repo("octo/papers")
    with pytest.raises(github.GithubException) as exc:
        r.create_issue("x")
    assert (exc.value.status, exc.value.data["message"]) == (403, MSG_INTEGRATION)
    assert r.get_readme().decoded_content == README


def test_actions_may_not_create_pull_requests(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    repo.create_branch("topic")
    repo.commit_as_other_user("topic", {"t": "t"})
    fake_github.actions_can_create_prs = False
    with pytest.raises(github.GithubException) as exc:
        gh.get_repo("octo/papers").create_pull(base="main", head="topic", title="t", body="")
    assert exc.value.status == 403
    assert exc.value.data == {
        "message": MSG_ACTIONS_PR,
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        "status": "403",
    }
    assert repo.pulls == []


def test_duplicate_pull_request_body_is_exact(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    repo.create_branch("daily-papers/update")
    repo.commit_as_other_user("daily-papers/update", {"t": "t"})
    r = gh.get_repo("octo/papers")
    r.create_pull(base="main", head="daily-papers/update", title="t", body="")
    with pytest.raises(github.GithubException) as exc:
        r.create_pull(base="main", head="daily-papers/update", title="t", body="")
    assert exc.value.status == 422
    assert exc.value.data == {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": "A pull request already exists for octo:daily-papers/update.",
            }
        ],
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        "status": "422",
    }
    with pytest.raises(github.GithubException) as exc:
        r.create_pull(base="main", head="missing", title="t", body="")
    assert exc.value.data["errors"] == [
        {"resource": "PullRequest", "field": "head", "code": "invalid"}
    ]


def test_pull_list_ignores_head_without_owner(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    for b in ("a", "b"):
        repo.create_branch(b)
        repo.add_pull(b, "main", f"PR {b}")
    r = gh.get_repo("octo/papers")
    assert [p.number for p in r.get_pulls(state="open", head="a")] == [2, 1]
    assert [p.number for p in r.get_pulls(state="open", head="octo:a")] == [1]


def test_pagination_link_header(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session, gh: github.Github
) -> None:
    for i in range(5):
        repo.add_issue(f"issue {i}")
    resp = http.get(f"{fake_github.url}/repos/octo/papers/issues?per_page=2&page=2")
    assert [i["number"] for i in resp.json()] == [3, 2]
    links = requests.utils.parse_header_links(resp.headers["Link"])
    assert {lk["rel"] for lk in links} == {"next", "last", "prev", "first"}
    assert all(lk["url"].startswith(fake_github.url) for lk in links)
    gh.per_page = 2
    assert len(list(gh.get_repo("octo/papers").get_issues())) == 5


def test_not_found_repo_branch_and_file(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("octo/nope")
    r = gh.get_repo("octo/papers")
    with pytest.raises(github.UnknownObjectException):
        r.get_git_ref("heads/nope")
    with pytest.raises(github.UnknownObjectException) as exc:
        r.get_branch("nope")
    assert exc.value.data["message"] == "Branch not found"
    with pytest.raises(github.UnknownObjectException):
        contents(r, "nope.md")
    with pytest.raises(github.GithubException) as plain:
        contents(r, "README.md", ref="nope")
    # The message lacks "not found", so PyGithub raises the base class, not UnknownObject.
    assert type(plain.value) is github.GithubException
    assert (plain.value.status, plain.value.data["message"]) == (
        404,
        "No commit found for the ref nope",
    )


def test_protected_branch_rejects_ref_update_and_contents_put(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    repo.protect_branch("main")
    r = gh.get_repo("octo/papers")
    ref = r.get_git_ref("heads/main")
    head = r.get_git_commit(ref.object.sha)
    commit = r.create_git_commit("m", head.tree, [head])
    with pytest.raises(github.GithubException) as exc:
        ref.edit(commit.sha)
    assert exc.value.status == 422
    assert exc.value.data["message"] == "Protected branch update failed for refs/heads/main."
    f = contents(r, "README.md")
    with pytest.raises(github.GithubException) as exc:
        r.update_file("README.md", "m", "x", f.sha)
    assert exc.value.status == 409
    assert "required status check" in exc.value.data["message"]
    assert repo.file("README.md") == README
    assert gh.get_repo("octo/papers").get_branch("main").protected


def test_primary_rate_limit(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session, gh: github.Github
) -> None:
    before = int(time.time())
    fake_github.rate_limit_primary(reset_in=120)
    resp = http.get(f"{fake_github.url}/repos/octo/papers")
    assert resp.status_code == 403
    assert resp.headers["X-RateLimit-Remaining"] == "0"
    assert int(resp.headers["X-RateLimit-Reset"]) >= before + 120
    assert resp.json()["message"].startswith("API rate limit exceeded")
    fake_github.rate_limit_primary()
    with pytest.raises(github.RateLimitExceededException):
        gh.get_repo("octo/papers")
    fake_github.rate_limit_primary(status=429)  # PyGithub maps only 403 to RateLimitExceeded
    with pytest.raises(github.GithubException) as exc:
        gh.get_repo("octo/papers")
    assert exc.value.status == 429


def test_secondary_rate_limit_with_and_without_retry_after(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    fake_github.rate_limit_secondary(retry_after=7, status=429)
    fake_github.rate_limit_secondary(retry_after=None)
    first = http.get(f"{fake_github.url}/repos/octo/papers")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "7")
    assert "secondary rate limit" in first.json()["message"]
    second = http.get(f"{fake_github.url}/repos/octo/papers")
    assert second.status_code == 403
    assert "Retry-After" not in second.headers
    assert http.get(f"{fake_github.url}/repos/octo/papers").status_code == 200


def test_pygithub_retries_secondary_limit_after_retry_after(
    fake_github: FakeGitHub, repo: FakeRepo
) -> None:
    fault = fake_github.rate_limit_secondary(retry_after=0, status=403)
    g = github.Github(
        base_url=fake_github.url,
        auth=Auth.Token(fake_github.token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=GithubRetry(total=3, backoff_factor=0),
    )
    assert g.get_repo("octo/papers").full_name == "octo/papers"
    assert fault.hits == 1


def test_server_error_burst_then_success_or_retry_error(
    fake_github: FakeGitHub, repo: FakeRepo
) -> None:
    g = github.Github(
        base_url=fake_github.url,
        auth=Auth.Token(fake_github.token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=GithubRetry(total=3, backoff_factor=0),
    )
    fake_github.server_errors(times=2, status=502)
    assert g.get_repo("octo/papers").default_branch == "main"
    assert [r.status for r in fake_github.requests] == [502, 502, 200]
    fake_github.server_errors(times=None, status=503, path_regex=r"/readme$")
    with pytest.raises(requests.exceptions.RetryError):
        g.get_repo("octo/papers").get_readme()


def test_ref_moves_between_read_and_write(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    r = gh.get_repo("octo/papers")
    ref = r.get_git_ref("heads/main")
    head = r.get_git_commit(ref.object.sha)
    blob = r.create_git_blob("# mine\n", "utf-8")
    tree = r.create_git_tree(
        [InputGitTreeElement("README.md", "100644", "blob", sha=blob.sha)], base_tree=head.tree
    )
    commit = r.create_git_commit("mine", tree, [head])
    repo.move_branch_before_next_write("main", {"OTHER.md": "theirs\n"})
    with pytest.raises(github.GithubException) as exc:
        ref.edit(commit.sha, force=False)
    assert (exc.value.status, exc.value.data["message"]) == (422, MSG_NOT_FAST_FORWARD)
    assert repo.file("OTHER.md") == b"theirs\n"
    assert repo.file("README.md") == README
    assert repo.commits()[0].author["name"] == "Someone Else"
    assert not repo.commits()[0].verified


def test_ref_moves_before_contents_put_gives_409(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    r = gh.get_repo("octo/papers")
    f = contents(r, "README.md")
    repo.move_branch_before_next_write("main", {"README.md": README + b"human\n"})
    with pytest.raises(github.GithubException) as exc:
        r.update_file("README.md", "m", "mine", f.sha)
    assert exc.value.status == 409
    assert exc.value.data["message"] == f"README.md does not match {f.sha}"
    assert "errors" not in exc.value.data
    assert repo.file("README.md") == README + b"human\n"


def test_contents_put_without_sha_on_existing_file_is_422(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    resp = http.put(
        f"{fake_github.url}/repos/octo/papers/contents/README.md",
        json={"message": "m", "content": b64(b"x")},
    )
    assert resp.status_code == 422
    assert resp.json()["message"] == 'Invalid request.\n\n"sha" wasn\'t supplied.'


def test_large_file_has_no_inline_content(fake_github: FakeGitHub, gh: github.Github) -> None:
    fake_github.large_file_threshold = 10
    big = b"0123456789abc"
    repo = fake_github.add_repo("octo/big", {"README.md": big})
    r = gh.get_repo("octo/big")
    c = contents(r, "README.md")
    assert (c.raw_data["content"], c.raw_data["encoding"]) == ("", "none")
    with pytest.raises(AssertionError):  # PyGithub#2312
        _ = c.decoded_content
    assert base64.b64decode(r.get_git_blob(c.sha).content) == big
    assert repo.file("README.md") == big


def test_inject_generic_fault_counts_and_expires(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    fault = fake_github.inject(
        "GET", r"/readme$", 418, message="teapot", times=2, headers={"X-Extra": "1"}
    )
    u = f"{fake_github.url}/repos/octo/papers/readme"
    codes = [http.get(u) for _ in range(3)]
    assert [c.status_code for c in codes] == [418, 418, 200]
    assert codes[0].json()["message"] == "teapot"
    assert codes[0].headers["X-Extra"] == "1"
    assert fault.hits == 2
    assert [r.fault for r in fake_github.requests] == [True, True, False]


def test_every_response_carries_github_headers(
    fake_github: FakeGitHub, repo: FakeRepo, http: requests.Session
) -> None:
    resp = http.get(f"{fake_github.url}/repos/octo/papers")
    for name in (
        "X-GitHub-Request-Id",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Used",
        "X-RateLimit-Reset",
        "X-RateLimit-Resource",
        "ETag",
        "X-GitHub-Media-Type",
        "X-GitHub-Api-Version-Selected",
    ):
        assert name in resp.headers
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    missing = http.get(f"{fake_github.url}/repos/octo/papers/issues/42")
    assert missing.json()["status"] == "404"
    assert "ETag" not in missing.headers


# --------------------------------------------------------------------------------------------
# (d) PyGithub end to end


def test_pygithub_commit_mode_end_to_end(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    r = gh.get_repo("octo/papers")
    ref = r.get_git_ref(f"heads/{r.default_branch}")
    head = r.get_git_commit(ref.object.sha)
    assert contents(r, "README.md", ref=head.sha).decoded_content == README
    new = README.replace(b"<!-- daily-papers:end -->", b"| row |\n<!-- daily-papers:end -->")
    blob = r.create_git_blob(new.decode(), "utf-8")
    tree = r.create_git_tree(
        [InputGitTreeElement("README.md", "100644", "blob", sha=blob.sha)], base_tree=head.tree
    )
    commit = r.create_git_commit("Update papers", tree, [head])
    ref.edit(commit.sha, force=False)
    assert repo.file("README.md") == new
    assert repo.file("docs/x/y.txt") == b"y"
    top = repo.commits()[0]
    assert (top.sha, top.message, top.parents) == (commit.sha, "Update papers", (head.sha,))
    assert (top.verified, top.reason) == (True, "valid")
    assert [w.method for w in fake_github.writes()] == ["POST", "POST", "POST", "PATCH"]


def test_pygithub_custom_author_or_pat_is_unsigned(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    r = gh.get_repo("octo/papers")
    head = r.get_git_commit(repo.branch_sha("main") or "")
    authored = r.create_git_commit(
        "m", head.tree, [head], author=github.InputGitAuthor("Me", "me@example.com")
    )
    assert authored.raw_data["verification"]["reason"] == "unsigned"
    fake_github.token_kind = "pat"
    plain = r.create_git_commit("m2", head.tree, [head])
    assert plain.raw_data["verification"]["verified"] is False


def test_pygithub_pull_request_mode_and_issue(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    r = gh.get_repo("octo/papers")
    base = r.get_git_commit(repo.branch_sha("main") or "")
    tree = r.create_git_tree(
        [InputGitTreeElement("README.md", "100644", "blob", content="changed\n")],
        base_tree=base.tree,
    )
    commit = r.create_git_commit("m", tree, [base])
    r.create_git_ref("refs/heads/daily-papers/update", commit.sha)
    assert list(r.get_pulls(state="open", head="octo:daily-papers/update", base="main")) == []
    pr = r.create_pull(base="main", head="daily-papers/update", title="Papers", body="b")
    pr.add_to_labels("papers")
    found = list(r.get_pulls(state="open", head="octo:daily-papers/update", base="main"))
    assert [p.number for p in found] == [pr.number]
    found[0].edit(title="Papers 2", body="b2")
    assert (repo.pull(pr.number).title, repo.pull(pr.number).labels) == ("Papers 2", ["papers"])
    assert repo.labels["papers"].color == "ededed"
    assert repo.file("README.md", "daily-papers/update") == b"changed\n"
    r.get_git_ref("heads/daily-papers/update").edit(base.sha, force=True)
    r.get_git_ref("heads/daily-papers/update").delete()
    assert repo.pull(pr.number).state == "closed"  # GitHub closes PRs whose head is deleted
    issue = r.create_issue("New papers — 2026-01-01", body="list", labels=["digest"])
    assert [i.number for i in r.get_issues(state="open", labels=[r.get_label("digest")])] == [
        issue.number
    ]
    issue.edit(state="closed")
    assert [(i.title, i.state, i.state_reason) for i in repo.issues] == [
        ("New papers — 2026-01-01", "closed", "completed")
    ]


def test_ghes_prefix_and_percent_encoded_paths(repo: FakeRepo) -> None:
    with FakeGitHub(api_prefix="/api/v3") as fake:
        fake.add_repo("octo/papers", {"docs/README.md": b"x"})
        assert fake.url.endswith("/api/v3")
        g = github.Github(
            base_url=fake.url,
            auth=Auth.Token(fake.token),
            retry=None,
            seconds_between_requests=0,
            seconds_between_writes=0,
        )
        r = g.get_repo("octo/papers")
        assert r.url.startswith(fake.url)
        assert contents(r, "docs/README.md").decoded_content == b"x"
        assert (
            r.get_git_ref("heads/main").url == f"{fake.url}/repos/octo/papers/git/refs/heads/main"
        )
        bare = requests.get(
            f"http://127.0.0.1:{fake.port}/repos/octo/papers",
            headers={"Authorization": f"token {fake.token}"},
            timeout=5,
        )
        assert bare.status_code == 404
        assert fake.schema_violations == []


def test_git_ids_are_real_git_hashes(fake_github: FakeGitHub) -> None:
    # `printf 'hello\n' | git hash-object --stdin` and an empty tree are well-known ids.
    assert git_hash("blob", b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_hash("tree", b"") == "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    repo = fake_github.add_repo("octo/one", {"hello.txt": b"hello\n"})
    # `git mktree` of one 100644 entry hello.txt -> that blob:
    assert repo.commit(repo.branch_sha("main") or "").tree == (
        "aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7"
    )


def test_snapshot_proves_a_failed_publish_changed_nothing(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    before = repo.snapshot()
    fake_github.deny_integration("PATCH", r"/git/refs/")
    r = gh.get_repo("octo/papers")
    ref = r.get_git_ref("heads/main")
    head = r.get_git_commit(ref.object.sha)
    commit = r.create_git_commit("m", head.tree, [head])
    with pytest.raises(github.GithubException):
        ref.edit(commit.sha)
    assert repo.snapshot() == before  # dangling objects don't count, as on GitHub
    repo.add_label("new")
    assert repo.snapshot() != before


def test_empty_repository(fake_github: FakeGitHub, http: requests.Session) -> None:
    empty = fake_github.add_repo("octo/empty", {})
    u = f"{fake_github.url}/repos/octo/empty"
    assert http.get(f"{u}/readme").json()["message"] == "This repository is empty."
    blob = http.post(f"{u}/git/blobs", json={"content": "x", "encoding": "utf-8"})
    assert (blob.status_code, blob.json()["message"]) == (409, "Git Repository is empty.")
    assert empty.files() == {}
    first = http.put(f"{u}/contents/README.md", json={"message": "init", "content": b64(b"hi")})
    assert first.status_code == 201
    assert first.json()["commit"]["parents"] == []
    assert empty.file("README.md") == b"hi"


def test_labels_not_yet_resolvable_then_succeeds(
    fake_github: FakeGitHub, repo: FakeRepo, gh: github.Github
) -> None:
    repo.create_branch("topic")
    number = repo.add_pull("topic", "main", "T").number
    fake_github.labels_not_yet_resolvable()
    pr = gh.get_repo("octo/papers").get_pull(number)
    with pytest.raises(github.GithubException) as exc:
        pr.add_to_labels("papers")
    assert exc.value.status == 422
    assert exc.value.data["message"].startswith("Could not resolve to a node")
    pr.add_to_labels("papers")
    assert repo.pull(number).labels == ["papers"]


def test_parallel_writes_are_serialised(fake_github: FakeGitHub, repo: FakeRepo) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def put(i: int) -> int:
        with requests.Session() as s:
            s.headers["Authorization"] = f"token {fake_github.token}"
            url = f"{fake_github.url}/repos/octo/papers/contents/parallel/{i}.txt"
            return s.put(url, json={"message": f"add {i}", "content": b64(b"%d" % i)}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(put, range(16)))
    assert codes == [201] * 16
    files = repo.files()
    assert {p for p in files if p.startswith("parallel/")} == {
        f"parallel/{i}.txt" for i in range(16)
    }
    assert len(repo.commits()) == 17  # a linear history: no write was lost
