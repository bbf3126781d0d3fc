"""The ``daily-papers`` command line: ``search``, ``update`` and ``action``.

This module wires the pure core to the real adapters.  It never reads ``os.environ`` or
calls ``sys.exit`` itself: :mod:`daily_papers.__main__` passes the environment in and
turns the returned status into the process exit code, so tests call :func:`run` directly.

Exit statuses: 0 success (changed or unchanged), 1 error (nothing written — except when only
the digest issue failed after the update was published, which is then still reported), 2 usage
error, 3 partial (some topics failed and kept their previous papers; the rest was written).
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, NoReturn, TextIO

from daily_papers import __version__, action_inputs, config, digest, notify, runner, splice
from daily_papers import publish as publishing
from daily_papers import query as arxiv_query
from daily_papers.arxiv_client import DEFAULT_ARXIV_URL, ArxivClient
from daily_papers.errors import ConfigError, DailyPapersError, GitHubError, ReadmeError
from daily_papers.github_repo import GitHubRepo
from daily_papers.models import FileChange, Topic, UpdatePlan
from daily_papers.render import BUILTIN_TEMPLATES, Renderer
from daily_papers.update import (
    FeedSettings,
    Reader,
    UpdateSettings,
    decode_readme,
    fetch_topics,
    plan_update,
)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_COMMIT_MESSAGE = "Update daily papers"
DEFAULT_PR_TITLE = "Update daily papers"
DEFAULT_PR_BRANCH = "daily-papers/update"

log = logging.getLogger("daily_papers")

#: Builds the GitHub adapter from ``(OWNER/NAME, token, API URL)``.  :func:`run` takes one so
#: tests can connect without PyGithub's request spacing (0.25 s/1 s) and retry sleeps.
GitHubConnect = Callable[[str, str, str], GitHubRepo]


def connect_github(full_name: str, token: str, api_url: str) -> GitHubRepo:
    """The production :data:`GitHubConnect`: PyGithub with retries and polite spacing."""
    return GitHubRepo.connect(full_name, token=token, api_url=api_url)


class _ParserExit(Exception):
    """argparse wants to exit (help/version): carry the status out without sys.exit."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so only __main__ exits."""

    #: Where --help/--version go (the stdout handed to :func:`run`, not the process's).
    stream: TextIO | None = None

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message}.")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (self.stream or file or sys.stderr).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message)
        raise _ParserExit(status)


def _add_arxiv_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("arXiv")
    group.add_argument(
        "--arxiv-url",
        help="arXiv API endpoint (default: $DAILY_PAPERS_ARXIV_URL or "
        "https://export.arxiv.org/api/query)",
    )
    group.add_argument(
        "--arxiv-delay",
        type=float,
        default=3.0,
        help="seconds between two arXiv requests (default 3, arXiv's terms of use; lower "
        "only for tests and mirrors)",
    )
    group.add_argument("--page-size", type=int, default=100, help="papers per arXiv request")


def build_parser(stream: TextIO | None = None) -> argparse.ArgumentParser:
    """The full argument parser; ``--help``/``--version`` text goes to ``stream``."""

    class Parser(_Parser):
        pass

    Parser.stream = stream
    parser = Parser(prog="daily-papers", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"daily-papers {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    search = sub.add_parser("search", help="print the newest papers for one query")
    search.add_argument("query", help='a phrase ("language model") or an advanced arXiv query')
    search.add_argument("--max-count", default="10", help="how many papers (1-2000, default 10)")
    search.add_argument("--category", action="append", default=[], help="restrict to a category")
    search.add_argument("--exclude", action="append", default=[], help="exclude a phrase")
    search.add_argument("--json", action="store_true", help="print a JSON array")
    _add_arxiv_options(search)

    update = sub.add_parser("update", help="rewrite the README block between the markers")
    update.add_argument("readme", metavar="README_PATH")
    update.add_argument(
        "-k",
        "--keyword",
        action="append",
        default=[],
        dest="keywords",
        help="a topic: phrase or advanced arXiv query (repeatable)",
    )
    update.add_argument("--topics-file", help="YAML file listing topics")
    update.add_argument("--max-count", default="100", help="papers per topic (1-2000)")
    update.add_argument("--category", action="append", default=[], help="restrict every topic")
    update.add_argument("--exclude", action="append", default=[], help="exclude a phrase")
    update.add_argument(
        "--template",
        default="default",
        help="built-in template (default, compact, list) or a template file",
    )
    update.add_argument("--marker", default="daily-papers", help="marker name")
    update.add_argument(
        "--data-file", help="JSON state file (default: <marker>.json beside the README)"
    )
    update.add_argument("--dry-run", action="store_true", help="print a diff, write nothing")
    update.add_argument("--result-json", help="write the run's result as JSON to this path")
    update.add_argument("--feed", help="also write an Atom feed to this path")
    update.add_argument("--feed-count", default="100", help="entries in the feed")
    update.add_argument(
        "--no-fail-on-partial",
        dest="fail_on_partial",
        action="store_false",
        help="exit 0 instead of 3 when some topics failed",
    )
    update.add_argument(
        "--github-annotations",
        action="store_true",
        help="print warnings and errors as GitHub Actions annotations",
    )
    _add_arxiv_options(update)
    remote = update.add_argument_group("publishing through the GitHub API")
    remote.add_argument("--repo", help="OWNER/NAME: read and publish through the GitHub API")
    remote.add_argument("--branch", help="base branch (default: the repository's default)")
    remote.add_argument("--mode", choices=["commit", "pull-request"], default="commit")
    remote.add_argument(
        "--token-env",
        default="GITHUB_TOKEN",
        help="environment variable holding the token (default GITHUB_TOKEN)",
    )
    remote.add_argument(
        "--api-url", help="GitHub API URL (default $GITHUB_API_URL or https://api.github.com)"
    )
    remote.add_argument("--commit-message", default=DEFAULT_COMMIT_MESSAGE)
    remote.add_argument("--pr-branch", default=DEFAULT_PR_BRANCH)
    remote.add_argument("--pr-title", default=DEFAULT_PR_TITLE)
    remote.add_argument("--label", action="append", default=[], dest="labels")
    remote.add_argument("--issue", action="store_true", help="open a digest issue of new papers")
    remote.add_argument("--issue-title", default="New papers — {date}")
    remote.add_argument("--issue-label", action="append", default=[], dest="issue_labels")
    remote.add_argument("--issue-close-previous", action="store_true")

    sub.add_parser("action", help="run as the GitHub Action (reads DAILY_PAPERS_* inputs)")
    return parser


@dataclass
class Console:
    """Where the CLI writes; knows whether to speak in GitHub Actions annotations."""

    out: TextIO
    err: TextIO
    annotations: bool = False
    warnings: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        if self.annotations:
            print(runner.annotation("warning", text), file=self.out)
        else:
            print(f"warning: {text}", file=self.err)

    def error(self, text: str) -> None:
        if self.annotations:
            print(runner.annotation("error", text), file=self.out)
        else:
            print(f"error: {text}", file=self.err)

    @contextmanager
    def untrusted(self) -> Iterator[None]:
        """Print paper text so that no line of it can act as a workflow command."""
        if not self.annotations:
            yield
            return
        with runner.stop_commands(self.out):
            yield

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        if not self.annotations:
            yield
            return
        with runner.group(title, self.out):
            yield


def run(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    stdout: TextIO,
    stderr: TextIO,
    today: date | None = None,
    github: GitHubConnect = connect_github,
) -> int:
    """Run one command; returns the exit status (see the module docstring)."""
    console = Console(stdout, stderr)
    try:
        parser = build_parser(stdout)
        try:
            args = parser.parse_args(list(argv))
        except _ParserExit as exc:
            return exc.status
        if args.verbose:
            logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        if args.command == "search":
            return _search(args, env, console)
        today = today or datetime.now(timezone.utc).date()
        if args.command == "action":
            console.annotations = True
            return _action(env, console, today, github)
        console.annotations = args.github_annotations
        return _update(args, env, console, today, github)
    except DailyPapersError as exc:
        console.error(str(exc))
        return exc.exit_code


def _client(args: argparse.Namespace, env: Mapping[str, str]) -> ArxivClient:
    if args.arxiv_delay < 0:
        raise ConfigError("--arxiv-delay must be zero or more seconds.")
    if not 1 <= args.page_size <= 2000:
        raise ConfigError("--page-size must be a whole number from 1 to 2000.")
    url = args.arxiv_url or env.get("DAILY_PAPERS_ARXIV_URL") or DEFAULT_ARXIV_URL
    return ArxivClient(base_url=url, delay=args.arxiv_delay, page_size=args.page_size)


def _search(args: argparse.Namespace, env: Mapping[str, str], console: Console) -> int:
    max_count = config.check_max_count(args.max_count)
    text = " ".join(args.query.split())
    if not text:
        raise ConfigError("The search query is empty; give a phrase or an arXiv query.")
    query = arxiv_query.topic_query(text, categories=args.category, exclude=args.exclude)
    with _client(args, env) as client:
        papers = client.search(query, max_count, topic=text)
    if args.json:
        console.say(json.dumps([p.to_json() for p in papers], indent=2, ensure_ascii=False))
        return EXIT_OK
    console.say(f"query: {query}")
    console.say(f"{len(papers)} papers, newest first")
    for paper in papers:
        title = paper.title if len(paper.title) <= 90 else paper.title[:87] + "..."
        authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        console.say(
            f"{paper.published:%Y-%m-%d}  {paper.id}v{paper.version:<3} {title}\n"
            f"{'':16}{authors}  [{paper.primary_category}]  {paper.abs_url}"
        )
    return EXIT_OK


def _default_data_path(readme: str, marker: str) -> str:
    parent = Path(readme).parent
    return str(parent / f"{marker}.json") if str(parent) != "." else f"{marker}.json"


def _load_topics(
    args: argparse.Namespace, read_repo_file: Reader | None
) -> tuple[list[Topic], int]:
    max_count = config.check_max_count(args.max_count)
    topics = config.topics_from_keywords(
        args.keywords, max_count=max_count, categories=args.category, exclude=args.exclude
    )
    if args.topics_file:
        text = _read_input_file(args.topics_file, "topics file", read_repo_file)
        topics += config.topics_from_file(
            text,
            path=args.topics_file,
            max_count=max_count,
            categories=args.category,
            exclude=args.exclude,
        )
    return config.check_topics(topics), max_count


def _read_input_file(path: str, what: str, read_repo_file: Reader | None) -> str:
    """Read a topics file or template locally, else (remote mode) from the repository.

    Reading from the repository lets the action work without an actions/checkout step.
    """
    local = Path(path)
    if local.is_file():
        try:
            return local.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The {what} {path} cannot be read ({exc}).") from None
    if read_repo_file is not None:
        data = read_repo_file(path)
        if data is not None:
            try:
                return str(data.decode("utf-8"))
            except UnicodeDecodeError:
                raise ConfigError(f"The {what} {path} is not valid UTF-8.") from None
    raise ConfigError(f"The {what} {path} does not exist; check the path.")


def _make_renderer(args: argparse.Namespace, read_repo_file: Reader | None) -> Renderer:
    if args.template in BUILTIN_TEMPLATES:
        return Renderer(args.template)
    if Path(args.template).is_file() or read_repo_file is None:
        return Renderer(args.template)
    return Renderer(
        args.template, source=_read_input_file(args.template, "template", read_repo_file)
    )


def _feed_settings(args: argparse.Namespace, repo_url: str | None) -> FeedSettings | None:
    if not args.feed:
        return None
    count = config.check_max_count(args.feed_count, source="--feed-count")
    return FeedSettings(path=args.feed, count=count, title="daily-papers", link=repo_url or "")


def _update(
    args: argparse.Namespace,
    env: Mapping[str, str],
    console: Console,
    today: date,
    github: GitHubConnect = connect_github,
) -> int:
    splice.marker_lines(args.marker)  # validates the marker name before any request
    if args.repo:
        return _update_remote(args, env, console, today, github)
    if args.issue:
        raise ConfigError("--issue needs --repo: digest issues are opened through the GitHub API.")
    readme = Path(args.readme)
    if not readme.is_file():
        raise ReadmeError(f"README {args.readme} does not exist or is not a file; check the path.")
    topics, _ = _load_topics(args, None)
    renderer = _make_renderer(args, None)
    data_path = args.data_file or _default_data_path(args.readme, args.marker)
    settings = UpdateSettings(
        topics=tuple(topics),
        readme_path=args.readme,
        data_path=data_path,
        marker=args.marker,
        feed=_feed_settings(args, None),
    )
    # Validate the README and markers before spending minutes on arXiv.
    _check_markers(settings, _read_local(args.readme))
    with console.group("Fetch arXiv"), _client(args, env) as client:
        fetched = fetch_topics(client, topics)
    plan = plan_update(settings, renderer, fetched, _read_local, today=today)
    if args.dry_run:
        _print_diff(plan, console)
        operation = "none"
    else:
        for change in plan.files:
            if change.changed:
                _write_atomic(Path(change.path), change.new)
        operation = "written" if plan.changed else "none"
    publish = {"mode": "dry-run" if args.dry_run else "local", "operation": operation}
    return _finish(args, console, plan, publish, client_requests=client.requests_made)


def _check_markers(settings: UpdateSettings, readme: bytes | None) -> None:

    if readme is None:
        return
    text = decode_readme(readme, path=settings.readme_path)
    splice.current_block(text, marker=settings.marker, path=settings.readme_path)


def _read_local(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReadmeError(
            f"{path} cannot be read ({exc.strerror}); check its permissions."
        ) from None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a README."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.daily-papers.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _print_diff(plan: UpdatePlan, console: Console) -> None:
    with console.untrusted():
        for change in plan.files:
            if not change.changed:
                continue
            old = (change.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
            new = change.new.decode("utf-8", "replace").splitlines(keepends=True)
            console.out.writelines(
                difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}")
            )
            console.say("")


def _result_json(
    plan: UpdatePlan,
    publish: Mapping[str, Any],
    dry_run: bool,
    issue: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    new = plan.new_papers
    return {
        "changed": plan.changed,
        "dry_run": dry_run,
        "status": "partial" if plan.failed_topics else "success",
        "new_papers": len(new),
        "topics": [
            {
                "name": o.topic.name,
                "fetched": o.fetched,
                "new": len(o.new_ids),
                "kept": o.kept,
                "new_ids": list(o.new_ids),
                "failed": o.failed,
                "error": o.error,
            }
            for o in plan.outcomes
        ],
        "new": [
            {
                "topic": topic.name,
                "id": paper.id,
                "title": paper.title,
                "abs_url": paper.abs_url,
                "published": paper.published.date().isoformat(),
            }
            for topic, paper in new
        ],
        "files": [{"path": f.path, "changed": f.changed} for f in plan.files],
        "warnings": list(plan.warnings),
        "publish": {
            "mode": publish.get("mode"),
            "operation": publish.get("operation", "none"),
            "commit_sha": publish.get("commit_sha"),
            "pull_request_number": publish.get("pull_request_number"),
            "pull_request_url": publish.get("pull_request_url"),
            "pull_request_branch": publish.get("pull_request_branch"),
            "head_sha": publish.get("head_sha"),
            "api_calls": publish.get("api_calls", 0),
        },
        "issue": issue,
    }


def _finish(
    args: argparse.Namespace,
    console: Console,
    plan: UpdatePlan,
    publish: Mapping[str, Any],
    *,
    client_requests: int,
    issue: Mapping[str, Any] | None = None,
) -> int:
    for warning in plan.warnings:
        console.warn(warning)
    with console.untrusted():
        for outcome in plan.outcomes:
            state = f"FAILED ({outcome.error})" if outcome.failed else "ok"
            console.say(
                f"{outcome.topic.name}: fetched {outcome.fetched}, new {len(outcome.new_ids)}, "
                f"kept {outcome.kept} [{state}]"
            )
    for change in plan.files:
        console.say(f"{change.path}: {'changed' if change.changed else 'unchanged'}")
    console.say(
        f"{len(plan.new_papers)} new papers; {client_requests} arXiv requests; "
        f"operation: {publish.get('operation', 'none')}"
    )
    for key in ("commit_sha", "pull_request_url"):
        if publish.get(key):
            console.say(f"{key.replace('_', ' ')}: {publish[key]}")
    if issue:
        console.say(f"digest issue: {issue['url']}")
    if args.result_json:
        doc = _result_json(plan, publish, args.dry_run, issue)
        _write_atomic(
            Path(args.result_json),
            (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        )
    if plan.failed_topics and args.fail_on_partial:
        return EXIT_PARTIAL
    return EXIT_OK


def _update_remote(
    args: argparse.Namespace,
    env: Mapping[str, str],
    console: Console,
    today: date,
    github: GitHubConnect,
) -> int:

    if args.issue and args.issue_close_previous and not args.issue_labels:
        # Checked before publishing: notify.open_digest would only refuse after the commit.
        raise ConfigError(
            "--issue-close-previous needs --issue-label: previous digests are found by it.",
            "Add e.g. `--issue-label daily-papers`.",
        )
    token = env.get(args.token_env, "")
    if not token:
        raise ConfigError(
            f"No GitHub token: the environment variable {args.token_env} is empty; set it "
            "(in Actions: the github-token input) or name another with --token-env."
        )
    api_url = args.api_url or env.get("GITHUB_API_URL") or DEFAULT_API_URL
    repo = github(args.repo, token, api_url)
    base = args.branch or repo.default_branch
    head = repo.head(base)

    def read_at_base(path: str) -> bytes | None:
        return repo.read_file(path, head.commit_sha)

    topics, _ = _load_topics(args, read_at_base)
    renderer = _make_renderer(args, read_at_base)
    data_path = args.data_file or _default_data_path(args.readme, args.marker)
    readme_url = f"{repo.html_url}/blob/{base}/{args.readme}"
    settings = UpdateSettings(
        topics=tuple(topics),
        readme_path=args.readme,
        data_path=data_path,
        marker=args.marker,
        feed=_feed_settings(args, repo.html_url),
    )
    _check_markers_remote(settings, read_at_base)
    with console.group("Fetch arXiv"), _client(args, env) as client:
        fetched = fetch_topics(client, topics)
    plans: list[UpdatePlan] = []

    def build(read: Reader) -> Sequence[FileChange]:
        plan = plan_update(settings, renderer, fetched, read, today=today)
        plans.append(plan)
        return plan.files

    if args.dry_run:
        build(read_at_base)
        _print_diff(plans[-1], console)
        publish = {"mode": "dry-run", "operation": "none", "api_calls": repo.api_calls}
        return _finish(args, console, plans[-1], publish, client_requests=client.requests_made)

    with console.group("Publish"):
        if args.mode == "commit":
            result = publishing.publish_commit(
                repo, build, branch=base, message=args.commit_message, head=head
            )
        else:

            def body(_changes: Sequence[FileChange]) -> str:
                plan = plans[-1]
                return digest.pull_request_body(
                    [(t.name, p) for t, p in plan.new_papers],
                    counts=[(o.topic.name, o.fetched, o.kept) for o in plan.outcomes],
                    readme_url=readme_url,
                    failed_topics=plan.failed_topics,
                )

            result = publishing.publish_pull_request(
                repo,
                build,
                base=base,
                pr_branch=args.pr_branch,
                title=args.pr_title,
                body=body,
                labels=args.labels,
                commit_message=args.commit_message,
                head=head,
            )
    plan = plans[-1]
    issue = None
    issue_error: GitHubError | None = None
    if args.issue and result.operation in ("committed", "created"):
        with console.group("Digest issue"):
            try:
                ref = notify.open_digest(
                    repo,
                    [(t.name, p) for t, p in plan.new_papers],
                    title=digest.digest_title(args.issue_title, today),
                    labels=args.issue_labels,
                    readme_url=readme_url,
                    close_previous=args.issue_close_previous,
                )
            except GitHubError as exc:
                # The update is already published: report it (stdout, --result-json) before
                # failing, so the commit/PR is never lost from the run's outputs.
                issue_error, ref = exc, None
        if ref is not None:
            issue = {"number": ref.number, "url": ref.url}
    publish = {
        "mode": args.mode,
        "operation": result.operation,
        "commit_sha": result.commit_sha,
        "pull_request_number": result.pull_number,
        "pull_request_url": result.pull_url,
        "pull_request_branch": args.pr_branch if args.mode == "pull-request" else None,
        "head_sha": result.head_sha,
        "api_calls": repo.api_calls,
    }
    status = _finish(
        args, console, plan, publish, client_requests=client.requests_made, issue=issue
    )
    if issue_error is not None:
        console.error(f"The update was published, but the digest issue was not: {issue_error}")
        return EXIT_ERROR
    return status


def _check_markers_remote(settings: UpdateSettings, read: Reader) -> None:
    data = read(settings.readme_path)
    if data is None:
        raise ReadmeError(
            f"README {settings.readme_path} was not found in the repository; check "
            "readme-path and branch."
        )
    _check_markers(settings, data)


def _action(env: Mapping[str, str], console: Console, today: date, github: GitHubConnect) -> int:
    """Run as the composite action: inputs from DAILY_PAPERS_*, results to the runner files.

    The token is masked before anything else is printed, and it reaches the update only
    by the name of its environment variable, never as an argument.
    """
    token = env.get("DAILY_PAPERS_GITHUB_TOKEN", "")
    if token:
        console.say(runner.mask(token))
    result_path = Path(
        env.get("DAILY_PAPERS_RESULT_JSON")
        or Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "daily-papers-result.json"
    )
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    try:
        argv = action_inputs.inputs_to_argv(env, result_json=str(result_path))
        status = _update(build_parser().parse_args(argv), env, console, today, github)
    except DailyPapersError as exc:
        if summary_path:
            runner.append_summary(summary_path, f"### daily-papers failed\n\n{exc}\n")
        raise
    result = json.loads(result_path.read_text(encoding="utf-8"))
    if env.get("GITHUB_OUTPUT"):
        runner.write_outputs(
            env["GITHUB_OUTPUT"], runner.outputs_from_result(result, result_json=str(result_path))
        )
    if summary_path:
        server, repository = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY")
        repository_url = f"{server}/{repository}" if server and repository else None
        runner.append_summary(
            summary_path, runner.summary_markdown(result, repository_url=repository_url)
        )
    return status
