"""The ``daily-papers`` command line: ``search``, ``update`` and the action's entry point.

This module parses arguments, builds the real adapters and hands a
:class:`~daily_papers.settings.RunSettings` to the orchestrator (:mod:`daily_papers.app`); then
it reports the :class:`~daily_papers.result.RunResult`.  It never reads ``os.environ`` or calls
``sys.exit``: :mod:`daily_papers.__main__` passes the environment in and exits with the status
returned, so tests call :func:`run` directly.

Exit statuses: 0 success (changed or unchanged), 1 error (nothing written — except when only
the digest issue failed after the update was published, which is then still reported), 2 usage
error, 3 partial (some topics failed and kept their previous papers; the rest was written).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, NoReturn, TextIO

from daily_papers import __version__, action_inputs, defaults, runner, settings
from daily_papers import query as arxiv_query
from daily_papers.app import run_update
from daily_papers.arxiv_client import ArxivClient
from daily_papers.console import Console
from daily_papers.errors import ConfigError, DailyPapersError
from daily_papers.escape import console_text
from daily_papers.github_repo import GitHubRepo
from daily_papers.render import DEFAULT_COLUMNS, TABLE_COLUMNS
from daily_papers.result import EXIT_OK, RunResult, result_json
from daily_papers.settings import ArxivSettings, RunSettings
from daily_papers.workspace import DryRun, LocalWorkspace, RepositoryWorkspace, Workspace

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
        default=defaults.ARXIV_DELAY,
        help="seconds between two arXiv requests (default 3, arXiv's terms of use; lower "
        "only for tests and mirrors)",
    )
    group.add_argument(
        "--page-size", default=str(defaults.ARXIV_PAGE_SIZE), help="papers per arXiv request"
    )


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
    search.add_argument(
        "--max-count", default=str(defaults.SEARCH_COUNT), help="how many papers (1-2000)"
    )
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
    update.add_argument(
        "--max-count", default=str(defaults.MAX_COUNT), help="papers per topic (1-2000)"
    )
    update.add_argument("--category", action="append", default=[], help="restrict every topic")
    update.add_argument("--exclude", action="append", default=[], help="exclude a phrase")
    update.add_argument(
        "--template",
        default=defaults.TEMPLATE,
        help="built-in template (default, compact, list) or a template file",
    )
    update.add_argument(
        "--columns",
        default=",".join(DEFAULT_COLUMNS),
        help=f"columns of the default table, from {', '.join(TABLE_COLUMNS)}",
    )
    update.add_argument("--bibtex", help="also write a BibTeX file of the papers shown")
    update.add_argument("--marker", default=defaults.MARKER, help="marker name")
    update.add_argument(
        "--data-file", help="JSON state file (default: <marker>.json beside the README)"
    )
    update.add_argument("--dry-run", action="store_true", help="print a diff, write nothing")
    update.add_argument("--result-json", help="write the run's result as JSON to this path")
    update.add_argument("--feed", help="also write an Atom feed to this path")
    update.add_argument(
        "--feed-count", default=str(defaults.FEED_COUNT), help="entries in the feed"
    )
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
    remote.add_argument("--mode", choices=settings.MODES, default="commit")
    remote.add_argument(
        "--token-env",
        default=defaults.TOKEN_ENV,
        help="environment variable holding the token (default GITHUB_TOKEN)",
    )
    remote.add_argument(
        "--api-url", help="GitHub API URL (default $GITHUB_API_URL or https://api.github.com)"
    )
    remote.add_argument("--commit-message", default=defaults.COMMIT_MESSAGE)
    remote.add_argument("--pr-branch", default=defaults.PR_BRANCH)
    remote.add_argument("--pr-title", default=defaults.PR_TITLE)
    remote.add_argument("--label", action="append", default=[], dest="labels")
    remote.add_argument("--issue", action="store_true", help="open a digest issue of new papers")
    remote.add_argument("--issue-title", default=defaults.ISSUE_TITLE)
    remote.add_argument("--issue-label", action="append", default=[], dest="issue_labels")
    remote.add_argument("--issue-close-previous", action="store_true")

    sub.add_parser("action", help="run as the GitHub Action (reads DAILY_PAPERS_* inputs)")
    return parser


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
        return update(settings.update_settings(args, env), console, today, github).exit_code
    except DailyPapersError as exc:
        console.error(str(exc))
        return exc.exit_code


def _client(arxiv: ArxivSettings) -> ArxivClient:
    return ArxivClient(base_url=arxiv.url, delay=arxiv.delay, page_size=arxiv.page_size)


def _search(args: argparse.Namespace, env: Mapping[str, str], console: Console) -> int:
    max_count = settings.check_count(args.max_count, source="--max-count")
    text = " ".join(args.query.split())
    if not text:
        raise ConfigError("The search query is empty; give a phrase or an arXiv query.")
    query = arxiv_query.topic_query(text, categories=args.category, exclude=args.exclude)
    with _client(settings.arxiv_settings(args, env)) as client:
        papers = client.search(query, max_count, topic=text)
    if args.json:
        console.say(json.dumps([p.to_json() for p in papers], indent=2, ensure_ascii=False))
        return EXIT_OK
    console.say(f"query: {console_text(query)}")
    console.say(f"{len(papers)} papers, newest first")
    for paper in papers:
        title = paper.title if len(paper.title) <= 90 else paper.title[:87] + "..."
        authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        console.say(
            f"{paper.published:%Y-%m-%d}  {paper.id}v{paper.version:<3} {console_text(title)}\n"
            f"{'':16}{console_text(authors)}  [{paper.primary_category}]  {paper.link}"
        )
    return EXIT_OK


def _workspace(run: RunSettings, github: GitHubConnect) -> tuple[Workspace, GitHubRepo | None]:
    """The local directory, or the repository branch; wrapped for a dry run."""
    repo: GitHubRepo | None = None
    workspace: Workspace
    if run.repository is None:
        workspace = LocalWorkspace(Path.cwd())
    else:
        repository = run.repository
        repo = github(repository.full_name, repository.token, repository.api_url)
        workspace = RepositoryWorkspace(repo, repository)
    return (DryRun(workspace) if run.dry_run else workspace), repo


def update(run: RunSettings, console: Console, today: date, github: GitHubConnect) -> RunResult:
    """Run ``update`` with real adapters and print its report; returns the result."""
    workspace, repo = _workspace(run, github)
    with _client(run.arxiv) as client:
        result = run_update(
            run,
            workspace,
            client,
            today=today,
            console=console,
            issues=repo,
            requests_made=lambda: client.requests_made,
        )
    if repo is not None:
        result = dataclasses.replace(result, github_requests=repo.api_calls)
    _report(result, console, workspace)
    if run.result_json:
        document = json.dumps(result_json(result), indent=2, ensure_ascii=False) + "\n"
        _write_result(Path(run.result_json), document)
    return result


def _write_result(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.daily-papers.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _report(result: RunResult, console: Console, workspace: Workspace) -> None:
    """The CLI's closing lines, all derived from the result."""
    for warning in result.warnings:
        console.warn(warning)
    if isinstance(workspace, DryRun):
        _print_diff(workspace, console)
    with console.untrusted():
        for outcome in result.outcomes:
            state = f"FAILED ({console_text(outcome.error)})" if outcome.failed else "ok"
            console.say(
                f"{console_text(outcome.topic.name)}: fetched {outcome.fetched}, "
                f"new {len(outcome.new_ids)}, kept {outcome.kept} [{state}]"
            )
    verb = "would change" if result.dry_run else "changed"
    for change in result.files:
        console.say(f"{change.path}: {verb if change.changed else 'unchanged'}")
    requests = result.arxiv_requests
    console.say(
        f"{len(result.new_papers)} new papers; {requests} arXiv "
        f"request{'s' if requests != 1 else ''}; operation: {result.publish.operation}"
    )
    if result.publish.commit_sha:
        console.say(f"commit sha: {result.publish.commit_sha}")
    if result.publish.pull_url:
        console.say(f"pull request url: {result.publish.pull_url}")
    if result.issue:
        console.say(f"digest issue: {result.issue.url}")
    if result.issue_error:
        console.error(
            f"The update was published, but the digest issue was not: {result.issue_error}"
        )


def _print_diff(dry_run: DryRun, console: Console) -> None:
    with console.untrusted():
        for change in dry_run.planned:
            if not change.changed:
                continue
            old = (change.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
            new = (change.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
            console.out.writelines(
                difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}")
            )
            console.say("")


def _action(env: Mapping[str, str], console: Console, today: date, github: GitHubConnect) -> int:
    """Run as the composite action: inputs from DAILY_PAPERS_*, results to the runner files.

    The token is masked before anything else is printed, and it reaches the update only
    by the name of its environment variable, never as an argument.
    """
    token = env.get(action_inputs.TOKEN_ENV, "")
    if token:
        console.say(runner.mask(token))
    result_path = Path(
        env.get("DAILY_PAPERS_RESULT_JSON")
        or Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "daily-papers-result.json"
    )
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    try:
        argv = action_inputs.inputs_to_argv(env, result_json=str(result_path))
        run = settings.update_settings(build_parser().parse_args(argv), env)
        result = update(run, console, today, github)
    except DailyPapersError as exc:
        if summary_path:
            runner.append_summary(summary_path, runner.failure_summary(exc))
        raise
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
    return result.exit_code
