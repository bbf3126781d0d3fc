"""`daily-papers update --repo` end to end: ``cli.run`` in-process against both loopback fakes.

These are the scenarios of issue 4 ("Scenarios end to end through the CLI") and issue 6 (digest
issue, Atom feed).  The CLI is driven exactly as ``__main__`` drives it, except that the GitHub
adapter is built through the ``github=`` seam of :func:`daily_papers.cli.run` *without*
PyGithub's request spacing (0.25 s per request, 1 s per write) and with a recording sleeper for
retry waits, so retries still happen (5xx, rate limits) but nobody sleeps.

The working directory is an empty temporary folder: nothing is read locally, so every file the
run needs (README, data file, topics file, template) must come from the fake repository.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import feedparser
import pytest

from daily_papers import cli, defaults
from daily_papers.github.repo import GitHubRepo
from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.fakes.github_server import FakeGitHub, FakeRepo
from tests.helpers import REPO, TOPICS, Result

FULL = REPO
START, END = marker_lines()
BEFORE = "# My papers\n\nSome text a human wrote.\n\n"
AFTER = "\n## Footer\nkept as is\n"
README = BEFORE + START + "\n" + END + AFTER

TOPICS_ALL = ("alpha", "beta", "gamma")
ERROR_400 = "api-2026-error-http400-incorrect-id-format.xml"
DAY1, DAY2, DAY3 = date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)


@dataclass
class World:
    """The two fakes, the repository under test and a runner for the CLI."""

    gh: FakeGitHub
    arxiv: FakeArxiv
    repo: FakeRepo
    tmp: Path
    sleeps: list[float] = field(default_factory=list)

    def connect(self, full_name: str, token: str, api_url: str) -> GitHubRepo:
        """Production settings (retries on) minus PyGithub's spacing; waits are recorded."""
        return GitHubRepo.connect(
            full_name, token=token, api_url=api_url, throttle=False, sleep=self.sleeps.append
        )

    def args(
        self,
        *extra: str,
        keywords: tuple[str, ...] = ("alpha", "beta"),
        branch: str | None = "main",
        readme: str = "README.md",
    ) -> list[str]:
        argv = ["update", readme, "--repo", FULL, "--api-url", self.gh.url]
        argv += ["--arxiv-url", self.arxiv.url, "--arxiv-delay", "0", "--max-count", "5"]
        argv += ["--arxiv-source", "api"]
        argv += ["--result-json", str(self.tmp / "result.json")]
        if branch is not None:
            argv += ["--branch", branch]
        for keyword in keywords:
            argv += ["-k", keyword]
        return [*argv, *extra]

    def run(
        self,
        *extra: str,
        keywords: tuple[str, ...] = ("alpha", "beta"),
        branch: str | None = "main",
        readme: str = "README.md",
        today: date = DAY1,
        env: dict[str, str] | None = None,
    ) -> Result:
        return self.run_argv(
            self.args(*extra, keywords=keywords, branch=branch, readme=readme),
            today=today,
            env=env,
        )

    def run_argv(
        self, argv: list[str], *, today: date = DAY1, env: dict[str, str] | None = None
    ) -> Result:
        result_json = self.tmp / "result.json"
        result_json.unlink(missing_ok=True)
        out, err = io.StringIO(), io.StringIO()
        status = cli.run(
            argv,
            {"GITHUB_TOKEN": self.gh.token} if env is None else env,
            stdout=out,
            stderr=err,
            today=today,
            github=self.connect,
        )
        doc = json.loads(result_json.read_text("utf-8")) if result_json.exists() else None
        return Result(status, out.getvalue(), err.getvalue(), doc)


@pytest.fixture
def world(
    fake_github: FakeGitHub,
    fake_arxiv: FakeArxiv,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    for name, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
    repo = fake_github.add_repo(FULL, {"README.md": README.encode(), "src/app.py": "print(1)\n"})
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # nothing the run needs exists locally
    return World(fake_github, fake_arxiv, repo, tmp_path)


def outside(text: bytes, start: str = START, end: str = END) -> tuple[bytes, bytes]:
    """The bytes before the start marker and from the end marker on."""
    head, _, rest = text.partition(start.encode())
    _, _, tail = rest.partition(end.encode())
    return head, tail


def assert_clean_failure(res: Result, *fragments: str, status: int = 1) -> None:
    assert res.status == status, (res.status, res.out, res.err)
    assert "Traceback" not in res.err
    assert "error: " in res.err, res.err
    assert "test-token" not in res.err + res.out  # the fake's token never leaks
    for fragment in fragments:
        assert fragment in res.err, (fragment, res.err)


# ---------------------------------------------------------------------------------- commit mode


def test_first_commit_is_one_verified_commit_with_readme_and_data(world: World) -> None:
    res = world.run()
    assert res.status == 0, res.err
    commits = world.repo.commits("main")
    assert len(commits) == 2  # ours on top of the initial commit
    ours = commits[0]
    assert ours.parents == (commits[1].sha,)
    assert ours.verified is True
    assert ours.reason == "valid"
    assert ours.message == defaults.COMMIT_MESSAGE
    # README and data file in the same commit; nothing else touched
    assert set(ours.files) == {"README.md", "daily-papers.json", "src/app.py"}
    assert ours.files["src/app.py"] == b"print(1)\n"
    readme = ours.files["README.md"]
    assert outside(readme) == outside(README.encode())
    text = readme.decode()
    assert "## alpha" in text
    assert "## beta" in text
    assert "Last update: 2026-11-26" in text
    data = json.loads(ours.files["daily-papers.json"])
    assert [t["name"] for t in data["topics"]] == ["alpha", "beta"]
    assert res.json is not None
    publish = res.json["publish"]
    assert publish["mode"] == "commit"
    assert publish["operation"] == "committed"
    assert publish["commit_sha"] == ours.sha == world.repo.branch_sha("main")
    assert publish["head_sha"] == ours.sha
    assert res.json["new_papers"] == 10
    assert f"commit sha: {ours.sha}" in res.out
    assert "operation: committed" in res.out


def test_commit_with_change_makes_at_most_six_calls(world: World) -> None:
    res = world.run()
    assert res.status == 0, res.err
    assert res.json is not None
    calls = world.gh.requests
    assert len(calls) <= 6, [(r.method, r.path) for r in calls]
    assert res.json["publish"]["api_calls"] == len(calls)
    assert [r.method for r in calls if r.method != "GET"] == ["POST", "POST", "PATCH"]


def test_default_branch_costs_one_more_call(world: World) -> None:
    res = world.run(branch=None)
    assert res.status == 0, res.err
    assert res.json is not None
    assert res.json["publish"]["api_calls"] == len(world.gh.requests) == 7
    assert world.gh.calls("GET", f"/repos/{FULL}")[0].path == f"/repos/{FULL}"


def test_unchanged_second_run_only_reads(world: World) -> None:
    assert world.run().status == 0
    head = world.repo.branch_sha("main")
    world.gh.reset_log()
    before = world.repo.snapshot()
    res = world.run(today=DAY2)
    assert res.status == 0, res.err
    assert world.gh.requests, "the second run must read the repository"
    assert {r.method for r in world.gh.requests} == {"GET"}
    assert world.gh.writes() == []
    assert world.repo.branch_sha("main") == head
    assert world.repo.snapshot() == before
    assert res.json is not None
    assert res.json["changed"] is False
    assert res.json["publish"]["operation"] == "none"
    assert res.json["publish"]["commit_sha"] is None
    assert res.json["publish"]["api_calls"] == len(world.gh.requests)
    assert "0 new papers" in res.out


def test_concurrent_edit_is_retried_and_survives(world: World) -> None:
    edited = README.replace("Some text a human wrote.", "Edited by a human meanwhile.")
    world.repo.move_branch_before_next_write(
        "main", {"README.md": edited.encode(), "NOTES.md": b"theirs\n"}, message="human edit"
    )
    res = world.run()
    assert res.status == 0, res.err
    ours, theirs, initial = world.repo.commits("main")
    assert theirs.message == "human edit"
    assert ours.parents == (theirs.sha,)
    assert theirs.parents == (initial.sha,)
    assert ours.files["NOTES.md"] == b"theirs\n"
    readme = ours.files["README.md"]
    # re-rendered from the fresh README: their text outside the markers, our block inside
    assert outside(readme) == outside(edited.encode())
    assert "## alpha" in readme.decode()
    assert res.json is not None
    assert res.json["publish"]["operation"] == "committed"
    assert res.json["publish"]["commit_sha"] == ours.sha
    patches = world.gh.calls("PATCH")
    assert [r.status for r in patches] == [422, 200]


def test_readme_over_one_megabyte_round_trips(world: World) -> None:
    filler = "".join(
        f"| row {i} | ünïcödé filler text to pass GitHub's limit |\n" for i in range(20_000)
    )
    text = (BEFORE + filler + START + "\n" + END + AFTER + filler).encode()
    assert len(text) > 1_000_000 == world.gh.large_file_threshold
    world.repo.commit_as_other_user("main", {"README.md": text}, message="huge README")
    res = world.run("--readme-max-bytes", "0")  # the user's own text alone is over the default
    assert res.status == 0, res.err
    assert world.gh.calls("GET", f"/repos/{FULL}/git/blobs/")
    readme = world.repo.file("README.md", "main")
    assert readme is not None
    assert outside(readme) == outside(text)


def test_non_ascii_crlf_bom_readme_is_byte_exact_outside_markers(world: World) -> None:
    before = "\ufeff# Lektüre 論文 📚\r\n\r\nTabs\there, trailing spaces   \r\n\r\n"
    after = "\r\n## Fußnote\r\nno final newline"
    text = (before + START + "\r\n" + END + after).encode("utf-8")
    world.repo.commit_as_other_user("main", {"README.md": text}, message="fancy README")
    res = world.run()
    assert res.status == 0, res.err
    readme = world.repo.file("README.md", "main")
    assert readme is not None
    assert readme.startswith(b"\xef\xbb\xbf")
    assert outside(readme) == outside(text)
    block = readme.partition(START.encode())[2].partition(END.encode())[0]
    assert b"## alpha\r\n" in block
    assert b"\n" not in block.replace(b"\r\n", b"")  # CRLF kept inside the block too
    # a second run sees its own bytes and changes nothing
    world.gh.reset_log()
    assert world.run(today=DAY2).status == 0
    assert world.gh.writes() == []


def test_partial_run_publishes_working_topics_and_exits_3(world: World) -> None:
    world.arxiv.add_route(
        body=fixture_bytes(ERROR_400), search_query=topic_query("beta"), status=400
    )
    res = world.run()
    assert res.status == 3, res.err
    assert "beta" in res.err
    readme = world.repo.file("README.md", "main")
    assert readme is not None
    assert "## alpha" in readme.decode()
    assert res.json is not None
    assert res.json["status"] == "partial"
    assert res.json["publish"]["operation"] == "committed"
    beta = next(t for t in res.json["topics"] if t["name"] == "beta")
    assert beta["failed"] is True
    assert "incorrect id format" in beta["error"]
    assert len(world.repo.commits("main")) == 2


def test_topics_file_and_template_are_read_from_the_repository(world: World) -> None:
    template = (
        "Updated {{ last_update }}\n"
        "{% for topic in topics %}\n"
        "### {{ topic.name | text }}\n"
        "{% for p in topic.papers %}\n"
        "* CUSTOM [{{ p.title | link_text }}]({{ p.url | url }})\n"
        "{% endfor %}\n"
        "{% endfor %}\n"
        "{{ credit }}\n"
    )
    world.repo.commit_as_other_user(
        "main",
        {
            "config/topics.yml": "topics:\n  - alpha\n  - name: Beta\n    keywords: [beta]\n",
            "config/custom.md.j2": template,
        },
        message="config",
    )
    assert not Path("config").exists()  # the CLI must fall back to the repository
    res = world.run(
        "--topics-file", "config/topics.yml", "--template", "config/custom.md.j2", keywords=()
    )
    assert res.status == 0, res.err
    readme = world.repo.file("README.md", "main")
    assert readme is not None
    text = readme.decode()
    assert "### alpha" in text
    assert "### Beta" in text
    assert text.count("* CUSTOM [") == 10
    assert "Updated 2026-11-26" in text


def test_missing_topics_file_everywhere_is_a_usage_error(world: World) -> None:
    before = world.repo.snapshot()
    res = world.run("--topics-file", "config/nope.yml", keywords=())
    assert_clean_failure(res, "config/nope.yml", status=2)
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []


def test_feed_is_committed_in_the_same_commit_and_parses(world: World) -> None:
    res = world.run("--feed", "papers.xml")
    assert res.status == 0, res.err
    ours = world.repo.commits("main")[0]
    assert {"README.md", "daily-papers.json", "papers.xml"} <= set(ours.files)
    assert len(world.repo.commits("main")) == 2
    parsed = feedparser.parse(ours.files["papers.xml"])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    data = json.loads(ours.files["daily-papers.json"])
    ids = {p["id"] for t in data["topics"] for p in t["papers"]}
    assert len(parsed.entries) == len(ids)
    for entry in parsed.entries:
        assert entry.id.split("/abs/", 1)[1] in ids  # the abs URL without version
        assert entry.title
        assert entry.link.startswith("http")
        assert entry.summary
        assert entry.authors
        assert entry.published_parsed is not None
        assert entry.updated_parsed is not None
    # unchanged run: the feed is byte-identical, so nothing is written
    world.gh.reset_log()
    assert world.run("--feed", "papers.xml", today=DAY2).status == 0
    assert world.gh.writes() == []


def test_enterprise_api_url_from_environment_and_custom_message(world: World) -> None:
    with FakeGitHub(api_prefix="/api/v3") as ghes:
        repo = ghes.add_repo(FULL, {"README.md": README})
        argv = world.args("--commit-message", "docs: papers of the day")
        i = argv.index("--api-url")
        del argv[i : i + 2]
        res = world.run_argv(argv, env={"GITHUB_TOKEN": ghes.token, "GITHUB_API_URL": ghes.url})
        assert res.status == 0, res.err
        ours = repo.commits("main")[0]
        assert ours.message == "docs: papers of the day"
        assert ours.verified is True
        assert world.gh.requests == []  # the default fake was never asked
        assert ghes.schema_violations == []
        assert ghes.request_violations == []
    assert res.json is not None
    assert res.json["publish"]["commit_sha"] == ours.sha


# ---------------------------------------------------------------------------------- PR mode


def pr_run(world: World, *extra: str, **kw: Any) -> Result:
    return world.run("--mode", "pull-request", "--label", "papers", *extra, **kw)


def test_pull_request_created(world: World) -> None:
    base = world.repo.branch_sha("main")
    res = pr_run(world)
    assert res.status == 0, res.err
    assert world.repo.branch_sha("main") == base  # the base is never written
    (pull,) = world.repo.pulls
    assert pull.state == "open"
    assert pull.head == defaults.PR_BRANCH
    assert pull.base == "main"
    assert pull.title == defaults.PR_TITLE
    assert pull.labels == ["papers"]
    head = world.repo.commits(defaults.PR_BRANCH)[0]
    assert head.parents == (base,)
    assert {"README.md", "daily-papers.json"} <= set(head.files)
    assert res.json is not None
    publish = res.json["publish"]
    assert publish["operation"] == "created"
    assert publish["pull_request_number"] == pull.number
    assert publish["pull_request_url"] == pull.html_url
    assert publish["pull_request_branch"] == defaults.PR_BRANCH
    assert publish["head_sha"] == head.sha
    assert f"pull request url: {pull.html_url}" in res.out
    # the body lists the new papers, linked
    assert pull.body is not None
    data = json.loads(head.files["daily-papers.json"])
    for topic in data["topics"]:
        for paper in topic["papers"]:
            assert paper["id"] in pull.body


def test_pull_request_options(world: World) -> None:
    res = pr_run(
        world,
        "--pr-branch",
        "bot/papers",
        "--pr-title",
        "Papers of the day",
        "--commit-message",
        "papers: update",
        "--label",
        "automated",
    )
    assert res.status == 0, res.err
    (pull,) = world.repo.pulls
    assert (pull.head, pull.title, sorted(pull.labels)) == (
        "bot/papers",
        "Papers of the day",
        ["automated", "papers"],
    )
    assert world.repo.commits("bot/papers")[0].message == "papers: update"
    assert res.json is not None
    assert res.json["publish"]["pull_request_branch"] == "bot/papers"


def test_pull_request_updated_keeps_one_pr_on_the_same_branch(world: World) -> None:
    assert pr_run(world).status == 0
    (first,) = world.repo.pulls
    res = pr_run(world, keywords=("alpha", "beta", "gamma"), today=DAY2)
    assert res.status == 0, res.err
    assert [p.number for p in world.repo.pulls] == [first.number]
    assert world.repo.pull(first.number).state == "open"
    assert res.json is not None
    assert res.json["publish"]["operation"] == "updated"
    assert res.json["publish"]["pull_request_number"] == first.number
    readme = world.repo.file("README.md", defaults.PR_BRANCH)
    assert readme is not None
    assert "## gamma" in readme.decode()
    assert world.repo.branches() == ["daily-papers/update", "main"]


def test_pull_request_closed_when_nothing_differs(world: World) -> None:
    assert world.run().status == 0  # base now holds alpha+beta
    assert pr_run(world, keywords=("alpha", "beta", "gamma"), today=DAY2).status == 0
    (pull,) = world.repo.pulls
    res = pr_run(world, today=DAY2)
    assert res.status == 0, res.err
    assert world.repo.pull(pull.number).state == "closed"
    assert defaults.PR_BRANCH not in world.repo.branches()
    assert res.json is not None
    assert res.json["publish"]["operation"] == "closed"
    assert res.json["publish"]["pull_request_number"] == pull.number


def test_pull_request_mode_with_nothing_to_do_only_reads(world: World) -> None:
    assert world.run().status == 0
    world.gh.reset_log()
    res = pr_run(world, today=DAY2)
    assert res.status == 0, res.err
    assert world.gh.writes() == []
    assert world.repo.pulls == []
    assert res.json is not None
    assert res.json["publish"]["operation"] == "none"


# ---------------------------------------------------------------------------------- errors


def test_bad_credentials(world: World) -> None:
    world.gh.fail_bad_credentials()
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "bad credentials", "github-token")
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []
    assert res.json is None


def test_token_without_contents_write_names_the_permission(world: World) -> None:
    world.gh.token_permissions["contents"] = "read"
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "`contents: write`", "permissions:")
    assert world.repo.snapshot() == before


def test_token_without_pull_requests_write_leaves_no_branch(world: World) -> None:
    world.gh.token_permissions["pull_requests"] = "read"
    before = world.repo.snapshot()
    res = pr_run(world)
    assert_clean_failure(res, "`pull-requests: write`")
    assert world.repo.snapshot() == before  # the pushed branch was deleted again
    assert world.repo.branches() == ["main"]


def test_actions_not_permitted_to_create_prs_names_the_setting(world: World) -> None:
    world.gh.actions_can_create_prs = False
    before = world.repo.snapshot()
    res = pr_run(world)
    assert_clean_failure(
        res, "Allow GitHub Actions to create and approve pull requests", "Workflow permissions"
    )
    assert world.repo.snapshot() == before
    assert world.repo.branches() == ["main"]


def test_repository_not_found(world: World) -> None:
    argv = world.args()
    argv[argv.index(FULL)] = "octo/missing"
    before = world.repo.snapshot()
    res = world.run_argv(argv)
    assert_clean_failure(res, "octo/missing", "not found")
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []


def test_branch_not_found(world: World) -> None:
    before = world.repo.snapshot()
    res = world.run(branch="nope")
    assert_clean_failure(res, "`nope`", "not found", "--branch")
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []


def test_readme_missing_in_repository(world: World) -> None:
    before = world.repo.snapshot()
    res = world.run(readme="docs/README.md")
    assert_clean_failure(res, "docs/README.md", "not found", status=2)
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []


def test_markers_missing_in_repository_readme(world: World) -> None:
    world.repo.commit_as_other_user("main", {"README.md": b"# no markers\n"}, message="oops")
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "README.md", START, END, status=2)
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []


def test_protected_branch_suggests_pull_request_mode(world: World) -> None:
    world.repo.protect_branch("main")
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "protected", "--mode pull-request")
    assert world.repo.snapshot() == before


def test_primary_rate_limit_far_away_names_the_reset_time(world: World) -> None:
    world.gh.rate_limit_primary(times=None, reset_in=3600)
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "rate limit", "resets at", "UTC")
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []
    assert all(wait <= 60 for wait in world.sleeps)


def test_primary_rate_limit_near_is_waited_for(world: World) -> None:
    world.gh.rate_limit_primary(times=1, reset_in=5)
    res = world.run()
    assert res.status == 0, res.err
    assert world.sleeps, "the client waited for the reset"
    assert 0 < max(world.sleeps) <= 60
    assert res.json is not None
    assert res.json["publish"]["operation"] == "committed"


def test_server_errors_beyond_retries_fail_clearly(world: World) -> None:
    world.gh.server_errors(times=None)
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "server errors", "githubstatus.com")
    assert world.repo.snapshot() == before
    assert world.arxiv.requests == []
    assert len(world.gh.requests) > 1  # retried before giving up
    assert len(world.sleeps) >= 1


def test_secondary_rate_limit_and_short_5xx_burst_are_retried(world: World) -> None:
    world.gh.rate_limit_secondary(times=1, retry_after=2, path_regex=r"/branches/main$")
    world.gh.server_errors(times=2, path_regex=r"/contents/README\.md$")
    res = world.run()
    assert res.status == 0, res.err
    assert world.sleeps[0] == 2  # Retry-After honoured (by the injected sleeper)
    assert all(0 < wait <= 60 for wait in world.sleeps)
    assert res.json is not None
    assert res.json["publish"]["operation"] == "committed"
    # api_calls counts the retried attempts too
    assert res.json["publish"]["api_calls"] == len(world.gh.requests) == 6 + 3


def test_server_error_on_the_ref_update_is_not_retried_and_changes_nothing(world: World) -> None:
    # PyGithub never retries PATCH; the commit object exists but no ref points at it.
    world.gh.server_errors(times=None, method="PATCH", path_regex=r"/git/refs/heads/main$")
    before = world.repo.snapshot()
    res = world.run()
    assert_clean_failure(res, "updating branch `main`", "githubstatus.com")
    assert world.repo.snapshot() == before
    assert len(world.gh.calls("PATCH")) == 1


def test_missing_token_env_is_a_usage_error(world: World) -> None:
    res = world.run("--token-env", "MY_TOKEN", env={"GITHUB_TOKEN": world.gh.token})
    assert_clean_failure(res, "MY_TOKEN", status=2)
    assert world.gh.requests == []
    assert world.arxiv.requests == []


# ---------------------------------------------------------------------------------- digest issue


def issue_args(*extra: str) -> tuple[str, ...]:
    return ("--issue", "--issue-label", "daily-papers", *extra)


def test_digest_issue_opened_once_then_none_then_previous_closed(world: World) -> None:
    res = world.run(*issue_args())
    assert res.status == 0, res.err
    (first,) = world.repo.issues
    assert first.state == "open"
    assert first.labels == ["daily-papers"]
    assert first.title == "New papers — 2026-11-26"
    assert first.body is not None
    assert first.body.count("arxiv.org/abs/") >= 10
    assert res.json is not None
    assert res.json["issue"] == {"number": first.number, "url": first.html_url}
    # nothing new: no issue
    res = world.run(*issue_args(), today=DAY2)
    assert res.status == 0, res.err
    assert len(world.repo.issues) == 1
    assert res.json is not None
    assert res.json["issue"] is None
    # new papers (a new topic), closing the previous digest
    res = world.run(*issue_args("--issue-close-previous"), keywords=TOPICS_ALL, today=DAY3)
    assert res.status == 0, res.err
    old, new = sorted(world.repo.issues, key=lambda i: i.number)
    assert old.number == first.number
    assert old.state == "closed"
    assert new.state == "open"
    assert new.title == "New papers — 2026-11-28"
    assert res.json is not None
    assert res.json["issue"]["number"] == new.number


def test_digest_in_pr_mode_only_when_the_pr_is_created(world: World) -> None:
    res = pr_run(world, *issue_args())
    assert res.status == 0, res.err
    assert res.json is not None
    assert res.json["publish"]["operation"] == "created"
    assert len(world.repo.issues) == 1
    res = pr_run(world, *issue_args(), keywords=TOPICS_ALL, today=DAY2)
    assert res.status == 0, res.err
    assert res.json is not None
    assert res.json["publish"]["operation"] == "updated"
    assert len(world.repo.issues) == 1
    assert res.json["issue"] is None


def test_digest_without_issues_write_is_a_clear_error(world: World) -> None:
    world.gh.token_permissions["issues"] = "read"
    res = world.run(*issue_args())
    assert_clean_failure(res, "`issues: write`", "was published")
    assert world.repo.issues == []
    # the commit went in before the digest failed: it is still reported, not lost
    ours = world.repo.commits("main")[0]
    assert res.json is not None
    assert res.json["publish"]["operation"] == "committed"
    assert res.json["publish"]["commit_sha"] == ours.sha
    assert res.json["issue"] is None
    assert f"commit sha: {ours.sha}" in res.out


def test_close_previous_without_label_fails_before_any_request(world: World) -> None:
    res = world.run("--issue", "--issue-close-previous")
    assert_clean_failure(res, "--issue-label", status=2)
    assert world.gh.requests == []
    assert world.arxiv.requests == []


def test_issue_without_repo_is_a_usage_error(world: World, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(
        [
            "update",
            str(readme),
            "-k",
            "alpha",
            "--issue",
            "--arxiv-url",
            world.arxiv.url,
            "--arxiv-source",
            "api",
        ],
        {},
        stdout=out,
        stderr=err,
        today=DAY1,
    )
    assert status == 2
    assert "--issue needs --repo" in err.getvalue()
    assert readme.read_text(encoding="utf-8") == README
    assert world.arxiv.requests == []


def test_a_label_that_cannot_be_added_reaches_every_report(world: World) -> None:
    """A publish warning reaches the CLI, the result JSON, the job summary and an annotation."""
    world.gh.inject("POST", r"/issues/\d+/labels$", 422, message="Validation Failed", times=None)
    res = pr_run(world)
    assert res.status == 0, res.err
    assert res.json is not None
    warning = next(w for w in res.json["warnings"] if w.startswith("Could not label"))
    assert "pull request #1" in warning
    assert f"warning: {warning}" in res.err
    assert res.json["publish"]["operation"] == "created"

    summary, output = world.tmp / "summary.md", world.tmp / "output.txt"
    world.gh.clear_faults()
    world.repo.commit_as_other_user("main", {"src/app.py": "print(2)\n"})
    world.gh.inject("POST", r"/issues/\d+/labels$", 422, message="Validation Failed", times=None)
    env = {
        "DAILY_PAPERS_GITHUB_TOKEN": world.gh.token,
        "DAILY_PAPERS_KEYWORDS": "alpha\nbeta",
        "DAILY_PAPERS_MAX_COUNT": "4",
        "DAILY_PAPERS_MODE": "pull-request",
        "DAILY_PAPERS_PR_LABELS": "papers",
        "DAILY_PAPERS_REPOSITORY": FULL,
        "DAILY_PAPERS_BRANCH": "main",
        "DAILY_PAPERS_API_URL": world.gh.url,
        "DAILY_PAPERS_ARXIV_API_URL": world.arxiv.url,
        "DAILY_PAPERS_ARXIV_SOURCE": "api",
        "DAILY_PAPERS_INTERNAL_BE_CAREFUL_ARXIV_DELAY": "0",
        "DAILY_PAPERS_RESULT_JSON": str(world.tmp / "action.json"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
    }
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(["action"], env, stdout=out, stderr=err, today=DAY2, github=world.connect)
    assert status == 0, out.getvalue() + err.getvalue()
    annotations = [line for line in out.getvalue().splitlines() if line.startswith("::warning")]
    assert any("Could not label pull request #1" in line for line in annotations)
    assert "Could not label pull request \\#1" in summary.read_text("utf-8")
    doc = json.loads((world.tmp / "action.json").read_text("utf-8"))
    assert any(w.startswith("Could not label") for w in doc["warnings"])


def test_a_pull_request_rerun_counts_new_against_what_the_pr_shows(world: World) -> None:
    first = pr_run(world)
    assert first.json is not None
    assert first.json["new_papers"] == 10
    again = pr_run(world, today=DAY2)  # nothing new since the PR was opened
    assert again.status == 0, again.err
    assert again.json is not None
    assert again.json["new_papers"] == 0
    assert "0 new papers added" in again.out
    more = pr_run(world, keywords=("alpha", "beta", "gamma"), today=DAY3)
    assert more.json is not None
    assert more.json["new_papers"] == 5  # gamma's papers only
    (pull,) = world.repo.pulls
    body = world.repo.pull(pull.number).body or ""
    assert "adds **15 new papers**" in body  # still everything the PR proposes
    assert "Since the last update of this pull request: 5 new papers." in body


def test_a_template_comes_from_the_repository_even_when_a_local_file_has_its_name(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.repo.commit_as_other_user("main", {"papers.md.j2": "FROM THE REPOSITORY\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "papers.md.j2").write_text("FROM THE RUNNER'S DISK\n", encoding="utf-8")
    res = world.run("--template", "papers.md.j2")
    assert res.status == 0, res.err
    readme = (world.repo.file("README.md") or b"").decode()
    assert "FROM THE REPOSITORY" in readme
    assert "RUNNER'S DISK" not in readme
