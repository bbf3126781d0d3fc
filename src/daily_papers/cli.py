"""The ``daily-papers`` command line: ``search``, ``update`` and the action's entry point.

This module parses arguments, builds the real adapters and hands a
:class:`~daily_papers.settings.RunSettings` to the orchestrator (:mod:`daily_papers.app`); then
it reports the :class:`~daily_papers.result.RunResult`.  It never reads ``os.environ`` or calls
``sys.exit``: :mod:`daily_papers.__main__` passes the environment in and exits with the status
returned, so tests call :func:`run` directly.

Exit statuses: 0 success (changed or unchanged), 1 error (nothing written — except when only
the digest issue failed after the update was published, which is then still reported), 2 usage
error, 3 partial (some topics failed and kept their previous papers; the rest was written),
130 interrupted (Ctrl-C; nothing was left half-written).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import logging
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TextIO

from daily_papers import action_inputs, defaults, runner, settings
from daily_papers.app import run_update
from daily_papers.arguments import ParserExit, build_parser
from daily_papers.arxiv.client import RUN_BUDGET, ArxivClient
from daily_papers.console import Console
from daily_papers.errors import DailyPapersError
from daily_papers.escape import console_text
from daily_papers.github.repo import GitHubRepo
from daily_papers.models import Paper
from daily_papers.notify.deliver import Notifier
from daily_papers.notify.outcome import DRY_RUN, ChannelOutcome
from daily_papers.notify.redact import Redactor, secret_parts
from daily_papers.query import build as arxiv_query
from daily_papers.result import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, RunResult, result_json
from daily_papers.settings import ArxivSettings, RunSettings, SearchSettings
from daily_papers.summaries import protocol as summary_protocol
from daily_papers.summaries.endpoint import Endpoint
from daily_papers.workspace import DryRun, LocalWorkspace, RepositoryWorkspace, Workspace

log = logging.getLogger("daily_papers")

#: Builds the GitHub adapter from ``(OWNER/NAME, token, API URL)``.  :func:`run` takes one so
#: tests can connect without PyGithub's request spacing (0.25 s/1 s) and retry sleeps.
GitHubConnect = Callable[[str, str, str], GitHubRepo]


def connect_github(full_name: str, token: str, api_url: str) -> GitHubRepo:
    """The production :data:`GitHubConnect`: PyGithub with retries and polite spacing."""
    return GitHubRepo.connect(full_name, token=token, api_url=api_url)


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
        except ParserExit as exc:
            return exc.status
        # Every channel URL is a secret before anything is printed about the run.
        for url in [*getattr(args, "notify", []), env.get(defaults.NOTIFY_ENV, "")]:
            for line in url.splitlines():
                console.redact.add(secret_parts(line))
        if args.command is None:
            stderr.write(parser.format_usage())
            console.error("Give a command; run 'daily-papers --help' for the commands.")
            return EXIT_USAGE
        if args.verbose:
            logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        if args.command == "search":
            console.annotations = env.get("GITHUB_ACTIONS") == "true"
            console.data = True
            return _search(settings.search_settings(vars(args), env), env, console)
        today = today or datetime.now(timezone.utc).date()
        if args.command == "action":
            console.annotations = True
            return _action(env, console, today, github)
        console.annotations = args.github_annotations
        run_settings = settings.update_settings(vars(args), env)
        return update(run_settings, console, today, github).exit_code
    except DailyPapersError as exc:
        console.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        console.error("Interrupted; nothing was left half-written.")
        return EXIT_INTERRUPTED


def _client(arxiv: ArxivSettings, console: Console) -> ArxivClient:
    return ArxivClient(
        base_url=arxiv.url, delay=arxiv.delay, page_size=arxiv.page_size, on_event=console.status
    )


def _search(search: SearchSettings, env: Mapping[str, str], console: Console) -> int:
    text = search.query
    query = arxiv_query.topic_query(text, categories=search.categories, exclude=search.exclude)
    with _client(search.arxiv, console) as client:
        papers = client.search(query, search.max_count, topic=text)
    if search.json:
        # Not inside stop-commands: the output must stay pure JSON for a pipe, and no line of
        # indented JSON can be a workflow command: after its indent each starts with a
        # bracket, a brace, a quote, a digit or a literal (line breaks in text are escaped).
        console.say(json.dumps([p.to_json() for p in papers], indent=2, ensure_ascii=False))
        return EXIT_OK
    width = int(env["COLUMNS"]) if env.get("COLUMNS", "").isdigit() else 100
    with console.untrusted():
        console.say(f"query: {console_text(query)}")
        console.say(f"{len(papers)} paper{'s' if len(papers) != 1 else ''}, newest first")
        for line in search_table(papers, width=max(width, 60)):
            console.say(line)
    return EXIT_OK


def search_table(papers: Sequence[Paper], *, width: int) -> list[str]:
    """Date, id, first author and title in columns, each row cut to ``width`` characters."""
    if not papers:
        return []
    rows = [
        (
            f"{p.published:%Y-%m-%d}",
            p.versioned_id,
            console_text(p.authors[0] + (" et al." if len(p.authors) > 1 else ""))
            if p.authors
            else "",
            console_text(p.title),
        )
        for p in papers
    ]
    header = ("Date", "arXiv id", "First author", "Title")
    id_width = max(len(header[1]), *(len(r[1]) for r in rows))
    author_width = min(24, max(len(header[2]), *(len(r[2]) for r in rows)))
    fixed = 10 + 2 + id_width + 2 + author_width + 2
    title_width = max(10, width - fixed)

    def cut(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1] + "…"

    lines = []
    for date_, pid, author, title in (header, *rows):
        lines.append(
            f"{date_:<10}  {pid:<{id_width}}  {cut(author, author_width):<{author_width}}  "
            f"{cut(title, title_width)}".rstrip()
        )
    lines.insert(1, "-" * min(width, fixed + title_width))
    return lines


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


def _notifier(run: RunSettings, redact: Redactor) -> Notifier | None:
    """The run's channels, opened (and checked) before anything is fetched or written.

    apprise is imported only when channels are configured: its import and service table cost
    about 0.3 s that a run without channels should not pay (benchmarks/RESULTS.md).
    """
    if run.notify is None:
        return None
    from daily_papers.notify.channels import open_channels  # noqa: PLC0415 (see docstring)

    return Notifier(
        open_channels(run.notify.urls, redact),
        on=run.notify.on,
        form=run.notify.form,
        strict=run.notify.strict,
        dry_run=run.dry_run,
        deadline=time.monotonic() + RUN_BUDGET,
    )


def update(run: RunSettings, console: Console, today: date, github: GitHubConnect) -> RunResult:
    """Run ``update`` with real adapters and print its report; returns the result."""
    notifier = _notifier(run, console.redact)
    workspace, repo = _workspace(run, github)
    summarizing = run.summarize
    endpoint = (
        Endpoint(
            summarizing.url,
            summary_protocol.headers(summarizing.provider, summarizing.key),
            clock=time.monotonic,
        )
        if summarizing is not None
        else None
    )
    try:
        with _client(run.arxiv, console) as client:
            result = run_update(
                run,
                workspace,
                client,
                today=today,
                console=console,
                issues=repo,
                requests_made=lambda: dict(client.requests_by_source),
                shortened=lambda: tuple(client.shortened.values()),
                summarize_post=endpoint.post if endpoint is not None else None,
                notifier=notifier,
            )
    except DailyPapersError as exc:
        if notifier is not None:
            told = notifier.after_failure(str(exc), day=today)
            _report_channels(told, console)
        raise
    finally:
        if endpoint is not None:
            endpoint.close()
    if repo is not None:
        result = dataclasses.replace(result, github_requests=repo.api_calls)
    _report(result, console, workspace, data_path=run.data_path)
    if run.result_json:
        document = json.dumps(result_json(result), indent=2, ensure_ascii=False) + "\n"
        document = console.redact(document)
        _write_result(Path(run.result_json), document)
    return result


def _write_result(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.daily-papers.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _report(result: RunResult, console: Console, workspace: Workspace, *, data_path: str) -> None:
    """The CLI's closing lines, all derived from the result."""
    for warning in result.warnings:
        console.warn(warning)
    if isinstance(workspace, DryRun):
        _print_diff(workspace, console, skip=data_path)
    with console.untrusted():
        for outcome in result.outcomes:
            state = f"FAILED ({console_text(outcome.error)})" if outcome.failed else "ok"
            changes = "".join(
                f", {label} {len(ids)}"
                for label, ids in (("dropped", outcome.dropped), ("replaced", outcome.replaced))
                if ids
            )
            console.say(
                f"{console_text(outcome.topic.name)}: fetched {outcome.fetched}, "
                f"new {len(result.new_ids(outcome))}{changes}, kept {outcome.kept} [{state}]"
            )
        for name, count in result.removed_topics:
            console.say(f"{console_text(name)}: no longer configured, {count} papers removed")
    verb = "would change" if result.dry_run else "changed"
    would = "would be " if result.dry_run else ""
    for change in result.files:
        console.say(f"{change.path}: {verb if change.changed else 'unchanged'}")
    requests = result.arxiv_requests
    count = len(result.new_papers)
    operation = "none (dry run)" if result.dry_run else result.publish.operation
    console.say(
        f"{count} new paper{'s' if count != 1 else ''} {would}added; {requests} arXiv "
        f"request{'s' if requests != 1 else ''}; operation: {operation}; "
        f"{result.seconds:.1f} s"
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
    _report_channels(result.notifications, console)


def _report_channels(outcomes: Sequence[ChannelOutcome], console: Console) -> None:
    """One line per channel; a failed one is a warning; a dry run shows each message."""
    for n in outcomes:
        line = f"notify {n.kind} {n.url}: {n.status} ({n.length}/{n.limit} characters)"
        if n.failed:
            console.warn(f"The update stands, but a channel failed: {line}: {n.detail}")
            continue
        console.say(line)
        if n.status == DRY_RUN:
            with console.untrusted():
                console.say(console_text(n.title))
                for body_line in n.body.splitlines():
                    console.say(f"  {console_text(body_line)}")


def _print_diff(dry_run: DryRun, console: Console, *, skip: str) -> None:
    """The diff of what a real run would write; the data file is summarised per topic instead."""
    with console.untrusted():
        for change in dry_run.planned:
            if not change.changed or change.path == skip:
                continue
            old = (change.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
            new = (change.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
            console.out.writelines(
                difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}")
            )
            console.say("")


def _action(env: Mapping[str, str], console: Console, today: date, github: GitHubConnect) -> int:
    """Run as the composite action: inputs from DAILY_PAPERS_*, results to the runner files.

    The tokens (GitHub's, the summarising endpoint's key) are masked before anything else
    is printed, and reach the update only by the name of their environment variables,
    never as an argument.
    """
    for name in action_inputs.SECRET_ENVS:
        secret = env.get(name, "")
        if secret:
            console.say(runner.mask(secret))
    for part in console.redact.parts:  # the channel URLs and their credential parts
        console.out.write(runner.mask(part) + "\n")
    console.out.flush()
    result_path = Path(
        env.get("DAILY_PAPERS_RESULT_JSON")
        or Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "daily-papers-result.json"
    )
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    try:
        run = action_inputs.action_settings(env, result_json=str(result_path))
        result = update(run, console, today, github)
    except DailyPapersError as exc:
        if summary_path:
            runner.append_summary(summary_path, console.redact(runner.failure_summary(exc)))
        raise
    if env.get("GITHUB_OUTPUT"):
        outputs = runner.outputs_from_result(result, result_json=str(result_path))
        runner.write_outputs(
            env["GITHUB_OUTPUT"], {k: console.redact(v) for k, v in outputs.items()}
        )
    if summary_path:
        server, repository = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY")
        repository_url = f"{server}/{repository}" if server and repository else None
        runner.append_summary(
            summary_path,
            console.redact(runner.summary_markdown(result, repository_url=repository_url)),
        )
    return result.exit_code
