"""GitHub Actions runner integration: outputs, the step summary and workflow commands.

Everything here is built from explicit file paths and streams, never from the environment at
import time, so tests drive it with temporary files (pip-audit's action opened
``GITHUB_STEP_SUMMARY`` at import and crashed outside a runner).  The entry point reads
``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` and passes the paths in.

Reference: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from daily_papers.errors import DailyPapersError
from daily_papers.escape import escape_cell, escape_link_text, escape_text, escape_url
from daily_papers.models import Paper
from daily_papers.notify.outcome import DRY_RUN, ChannelOutcome
from daily_papers.result import RunResult
from daily_papers.summaries.summarize import SummaryReport

SUMMARY_LIMIT = 1024 * 1024
"""The runner refuses a step summary over 1 MiB ("supports content up to a size of 1024k")."""

SUMMARY_PAPERS_PER_TOPIC = 30
"""New papers listed per topic in the summary; the rest are counted.  A first run over many
topics would otherwise blow the 1 MiB limit, and the README has the full list anyway."""

ANNOTATION_KINDS = ("error", "warning", "notice")

OUTPUT_NAMES = (
    "changed",
    "would-change",
    "new-papers",
    "for-you-papers",
    "commit-sha",
    "pull-request-number",
    "pull-request-url",
    "pull-request-operation",
    "pull-request-branch",
    "issue-number",
    "issue-url",
    "site-dir",
    "result-json",
)
"""The outputs ``action.yml`` declares, in order (the metadata test checks they match)."""

_OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_TRUNCATION_NOTE = "\n\n_Summary truncated: GitHub accepts at most 1 MiB per step summary._\n"


# --- workflow commands -------------------------------------------------------------------


def escape_data(value: str) -> str:
    """Escape a command's message like ``@actions/core`` (``%``, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property (``file=``, ``title=``): also ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(
    kind: str,
    message: str,
    *,
    title: str | None = None,
    file: str | None = None,
    line: int | None = None,
) -> str:
    """One ``::error``/``::warning``/``::notice`` line (without the newline).

    The message is escaped, so a multi-line or ``::``-laden message stays one annotation.
    """
    if kind not in ANNOTATION_KINDS:
        raise ValueError(f"annotation kind must be one of {ANNOTATION_KINDS}, not {kind!r}")
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
    if line is not None:
        props.append(f"line={line}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def mask(value: str) -> str:
    """The ``::add-mask::`` line that makes the runner replace ``value`` by ``***`` in logs."""
    return f"::add-mask::{escape_data(value)}"


@contextlib.contextmanager
def group(title: str, stream: TextIO) -> Iterator[None]:
    """Fold what is printed inside into a collapsible log group (one per phase)."""
    stream.write(f"::group::{escape_data(title)}\n")
    stream.flush()
    try:
        yield
    finally:
        stream.write("::endgroup::\n")
        stream.flush()


@contextlib.contextmanager
def stop_commands(stream: TextIO) -> Iterator[str]:
    """Suspend workflow-command processing while untrusted text (paper titles) is printed.

    A title whose line starts with ``::`` could otherwise set outputs or add annotations.  The
    token is random per use, so the text cannot contain the line that resumes processing.
    Yields the token.
    """
    token = uuid.uuid4().hex
    stream.write(f"::stop-commands::{token}\n")
    stream.flush()
    try:
        yield token
    finally:
        stream.write(f"::{token}::\n")
        stream.flush()


# --- GITHUB_OUTPUT -----------------------------------------------------------------------


def format_output(name: str, value: str) -> str:
    """``name<<DELIM`` / value / ``DELIM`` with a fresh random delimiter.

    The delimiter form is used for every value: it is correct for one-line values too, and with
    a fixed delimiter like ``EOF`` a value containing that line would end early and smuggle in
    further outputs.
    """
    if not _OUTPUT_NAME.fullmatch(name):
        raise ValueError(f"invalid output name {name!r}")
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    if delimiter in value:  # pragma: no cover - a collision with a fresh UUID
        raise ValueError("output value contains the delimiter")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def write_outputs(path: str | Path, outputs: Mapping[str, str]) -> None:
    """Append ``outputs`` to the ``GITHUB_OUTPUT`` file at ``path``."""
    text = "".join(format_output(name, value) for name, value in outputs.items())
    with Path(path).open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def outputs_from_result(result: RunResult, *, result_json: str | None = None) -> dict[str, str]:
    """The action's outputs; missing values are ``""``.

    ``pull-request-operation`` is ``created``/``updated``/``closed``/``none`` in pull-request
    mode (as in peter-evans/create-pull-request) and ``none`` otherwise.  ``commit-sha`` is the
    commit made in commit mode, or the head of the pull request branch when one was created or
    updated; empty when nothing was published.  In a dry run ``changed`` is ``false`` and
    ``would-change`` says whether a real run would change something.  ``for-you-papers`` lists
    the ids the result JSON's ``ranking.for_you`` lists, so a later step can act on them
    without reading that file.
    """
    publish = result.publish
    view = result.ranking
    pr_mode = result.mode == "pull-request"
    operation = publish.operation if pr_mode else "none"
    pr_open = operation in ("created", "updated")
    issue = result.issue
    return {
        "changed": "true" if result.changed else "false",
        "would-change": "true" if result.would_change else "false",
        "new-papers": str(len(result.new_papers)),
        "for-you-papers": " ".join(p.id for p in view.for_you) if view is not None else "",
        "commit-sha": _text(publish.commit_sha or (publish.head_sha if pr_open else None)),
        "pull-request-number": _text(publish.pull_number),
        "pull-request-url": _text(publish.pull_url),
        "pull-request-operation": operation,
        "pull-request-branch": _text(result.pull_request_branch),
        "issue-number": _text(issue.number if issue else None),
        "issue-url": _text(issue.url if issue else None),
        "site-dir": _text(result.site_dir),
        "result-json": result_json or "",
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


# --- GITHUB_STEP_SUMMARY ------------------------------------------------------------------


def append_summary(path: str | Path, markdown: str) -> None:
    """Append to the step summary, cut at a line so the file stays within 1 MiB."""
    target = Path(path)
    used = target.stat().st_size if target.exists() else 0
    room = SUMMARY_LIMIT - used
    data = markdown.encode("utf-8")
    if len(data) > room:
        note = _TRUNCATION_NOTE.encode("utf-8")
        keep = max(0, room - len(note))
        cut = data[:keep]
        cut = cut[: cut.rfind(b"\n") + 1] if b"\n" in cut else b""
        data = cut + note if len(cut) + len(note) <= room else b""
    with target.open("ab") as handle:
        handle.write(data)


_SHA = re.compile(r"[0-9a-f]{7,64}")


def _link(text: str, url: str | None) -> str:
    label = escape_link_text(text)
    if url and url.startswith(("https://", "http://")):
        return f"[{label}]({escape_url(url)})"
    return label


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_markdown(result: RunResult, *, repository_url: str | None = None) -> str:
    """The job summary: a status line, the operation, per-topic counts, new papers, warnings.

    ``repository_url`` (``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY``) turns a commit sha into a
    link.  New papers are listed per topic, at most :data:`SUMMARY_PAPERS_PER_TOPIC` each.
    Status cells stay short; the full failure sentences follow the table.
    """
    new = result.new_papers
    icon = "⚠️" if result.failed_topics else "🎉"
    papers = _plural(len(new), "new paper")
    if result.dry_run:
        state = "would change" if result.would_change else "would stay unchanged"
        headline = f"## 🧪 daily-papers dry run: {papers} (would be added), README {state}"
    else:
        state = "changed" if result.changed else "unchanged"
        headline = f"## {icon} daily-papers: {papers}, README {state}"
    lines = [headline, ""]
    if result.failed_topics:
        failed = ", ".join(escape_text(name) for name in result.failed_topics)
        lines += [f"Some topics failed and kept their previous papers: {failed}.", ""]
    lines += [_operation_line(result, repository_url), ""]
    if result.arxiv_requests:
        route = "the announcement feeds" if result.route == "feeds" else "API searches"
        lines += [f"**arXiv**: {_plural(result.arxiv_requests, 'request')}, by {route}.", ""]
    if result.readme_url:
        lines += [f"**README**: {_link('README', result.readme_url)}.", ""]
    if result.issue is not None:
        lines += [f"**Digest issue**: {_link(f'#{result.issue.number}', result.issue.url)}.", ""]
    if result.issue_error:
        lines += [f"**Digest issue failed**: {escape_text(result.issue_error)}", ""]

    if result.outcomes:
        lines += [
            "| Topic | Fetched | New | Dropped | Replaced | Kept | Status |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for o in result.outcomes:
            status = "❌ " + escape_cell(o.error_status or "failed") if o.failed else "ok"
            lines.append(
                f"| {escape_cell(o.topic.name)} | {o.fetched} | {len(result.new_ids(o))} | "
                f"{len(o.dropped)} | {len(o.replaced)} | {o.kept} | {status} |"
            )
        lines.append("")
        details = [o for o in result.outcomes if o.failed]
        for o in details:
            lines.append(f"- **{escape_text(o.topic.name)}**: {escape_text(o.error)}")
        if details:
            lines.append("")
    for name, count in result.removed_topics:
        lines += [
            f"Topic {escape_text(name)} is no longer configured: its "
            f"{_plural(count, 'paper')} left the README.",
            "",
        ]

    by_topic: dict[str, list[Paper]] = {}
    for topic, paper in new:
        by_topic.setdefault(topic.name, []).append(paper)
    for name, found in by_topic.items():
        lines += [f"### {escape_text(name)} ({len(found)} new)", ""]
        for paper in found[:SUMMARY_PAPERS_PER_TOPIC]:
            lines.append(f"- {_link(paper.title, paper.link)} ({paper.published:%Y-%m-%d})")
        if len(found) > SUMMARY_PAPERS_PER_TOPIC:
            lines.append(f"- … and {len(found) - SUMMARY_PAPERS_PER_TOPIC} more")
        lines.append("")

    if result.summaries is not None:
        lines += summaries_section(result.summaries)
    if result.warnings:
        lines += ["### Warnings", ""]
        lines += [f"- {escape_text(w)}" for w in result.warnings]
        lines.append("")
    lines += notifications_markdown(result.notifications)
    lines.append(f"_Took {result.seconds:.1f} s._")
    return "\n".join(lines) + "\n"


def notifications_markdown(outcomes: Sequence[ChannelOutcome]) -> list[str]:
    """One row per channel (kind, redacted URL, status, size, the service's answer); in a dry
    run each message follows in a code block, as the channel would receive it."""
    if not outcomes:
        return []
    lines = [
        "### Notifications",
        "",
        "| Channel | URL | Status | Characters | Answer |",
        "|---|---|---|---|---|",
    ]
    for n in outcomes:
        lines.append(
            f"| {escape_cell(n.kind)} | `{n.url.replace('`', '')}` | {escape_cell(n.status)} | "
            f"{n.length} / {n.limit} | {escape_cell(n.detail)} |"
        )
    lines.append("")
    for n in outcomes:
        if n.status != DRY_RUN:
            continue
        text = f"{n.title}\n\n{n.body}"
        fence = "~" * max(3, 1 + max((len(r) for r in re.findall("~+", text)), default=0))
        lines += [f"{escape_text(n.kind)} ({n.length} of {n.limit} characters):", "", fence]
        lines += [text, fence, ""]
    return lines


#: Papers whose summary failed listed in the job summary; the result JSON has them all.
SUMMARY_FAILURES_SHOWN = 20


def summaries_section(report: SummaryReport) -> list[str]:
    """The job summary's lines about the one-line summaries: counts, then why any failed."""
    status = "ok" if report.stopped is None else "stopped: " + escape_cell(report.stopped)
    lines = [
        f"### Summaries ({escape_text(report.provider)}, {escape_text(report.model)}, "
        f"{escape_text(report.language)})",
        "",
        "| New | Kept | Left for the next run | Requests | Seconds | Status |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {len(report.made)} | {report.cached} | {report.pending} | {report.requests} | "
        f"{report.seconds:.1f} | {status} |",
        "",
    ]
    if report.failures:
        lines += ["| Paper | Why it has no summary |", "| --- | --- |"]
        for key, why in report.failures[:SUMMARY_FAILURES_SHOWN]:
            lines.append(f"| {escape_cell(key)} | {escape_cell(why)} |")
        if len(report.failures) > SUMMARY_FAILURES_SHOWN:
            lines.append(f"| … | and {len(report.failures) - SUMMARY_FAILURES_SHOWN} more |")
        lines.append("")
    return lines


_CODE_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def failure_summary(error: DailyPapersError) -> str:
    """The job summary of a run that stopped with an error.

    The sentence is escaped (it may quote an arXiv or GitHub answer); lines that are HTML
    comments (the marker lines a README must contain) are shown as a code block, so GitHub
    displays them instead of hiding them.
    """
    text_lines: list[str] = []
    code_lines: list[str] = []
    for line in str(error).splitlines():
        (code_lines if _CODE_LINE.match(line) else text_lines).append(line)
    parts = ["### ❌ daily-papers failed", "", escape_text(" ".join(text_lines))]
    if code_lines:
        fence = "```"
        parts += ["", fence, *(line.strip().replace("`", "'") for line in code_lines), fence]
    return "\n".join(parts) + "\n"


def _operation_line(result: RunResult, repository_url: str | None) -> str:
    publish = result.publish
    operation = publish.operation
    sha = publish.commit_sha
    if result.dry_run:
        return "**Dry run**: nothing was written or published."
    if operation == "committed" and sha and _SHA.fullmatch(sha):
        if repository_url:
            return f"**Committed** [`{sha[:7]}`]({escape_url(f'{repository_url}/commit/{sha}')})."
        return f"**Committed** `{sha[:7]}`."
    if operation in ("created", "updated", "closed"):
        number = publish.pull_number
        label = f"pull request #{number}" if number is not None else "pull request"
        return f"**Pull request {operation}**: {_link(label, publish.pull_url)}."
    if operation == "written":
        files = ", ".join(escape_text(f.path) for f in result.files if f.changed)
        return f"**Written**: {files or 'files'}."
    return "**No change**: nothing to publish."
