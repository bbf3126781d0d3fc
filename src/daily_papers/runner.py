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
from typing import Any, TextIO

SUMMARY_LIMIT = 1024 * 1024
"""The runner refuses a step summary over 1 MiB ("supports content up to a size of 1024k")."""

SUMMARY_PAPERS_PER_TOPIC = 30
"""New papers listed per topic in the summary; the rest are counted.  A first run over many
topics would otherwise blow the 1 MiB limit, and the README has the full list anyway."""

ANNOTATION_KINDS = ("error", "warning", "notice")

OUTPUT_NAMES = (
    "changed",
    "new-papers",
    "commit-sha",
    "pull-request-number",
    "pull-request-url",
    "pull-request-operation",
    "pull-request-branch",
    "issue-number",
    "issue-url",
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


def outputs_from_result(
    result: Mapping[str, Any], *, result_json: str | None = None
) -> dict[str, str]:
    """The action's outputs from the ``--result-json`` document; missing values are ``""``.

    ``pull-request-operation`` is ``created``/``updated``/``closed``/``none`` in pull-request
    mode (as in peter-evans/create-pull-request) and ``none`` otherwise.  ``commit-sha`` is the
    commit made in commit mode, or the head of the pull request branch when one was created or
    updated; empty when nothing was published.
    """
    publish: Mapping[str, Any] = result.get("publish") or {}
    issue: Mapping[str, Any] = result.get("issue") or {}
    pr_mode = publish.get("mode") == "pull-request"
    operation = str(publish.get("operation") or "none") if pr_mode else "none"
    pr_open = operation in ("created", "updated")
    head = publish.get("head_sha")
    return {
        "changed": "true" if result.get("changed") else "false",
        "new-papers": str(int(result.get("new_papers") or 0)),
        "commit-sha": _text(publish.get("commit_sha") or (head if pr_open else None)),
        "pull-request-number": _text(publish.get("pull_request_number")),
        "pull-request-url": _text(publish.get("pull_request_url")),
        "pull-request-operation": operation,
        "pull-request-branch": _text(publish.get("pull_request_branch")),
        "issue-number": _text(issue.get("number")),
        "issue-url": _text(issue.get("url")),
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


_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_WHITESPACE = re.compile(r"\s+")
_SHA = re.compile(r"[0-9a-f]{7,64}")


def markdown_text(value: str) -> str:
    """Untrusted text as inert Markdown: one line, every ASCII punctuation backslash-escaped.

    CommonMark lets any ASCII punctuation be escaped, so ``<script>``, ``|``, ``[x](y)``,
    ``*`` and entities all render literally, also inside table cells.
    """
    return _MD_SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", value).strip())


def _link(text: str, url: object) -> str:
    label = markdown_text(text)
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"[{label}]({safe})"
    return label


def summary_markdown(result: Mapping[str, Any], *, repository_url: str | None = None) -> str:
    """The job summary: a status line, per-topic counts and new papers, the operation, warnings.

    ``repository_url`` (``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY``) turns a commit sha into a
    link.  New papers are listed per topic, at most :data:`SUMMARY_PAPERS_PER_TOPIC` each.
    """
    topics: Sequence[Mapping[str, Any]] = result.get("topics") or []
    new: Sequence[Mapping[str, Any]] = result.get("new") or []
    warnings: Sequence[str] = result.get("warnings") or []
    publish: Mapping[str, Any] = result.get("publish") or {}
    count = int(result.get("new_papers") or 0)
    partial = result.get("status") == "partial"
    icon = "⚠️" if partial else "🎉"
    papers = "paper" if count == 1 else "papers"
    state = "changed" if result.get("changed") else "unchanged"
    lines = [f"## {icon} daily-papers: {count} new {papers}, README {state}", ""]
    if partial:
        failed = [markdown_text(str(t.get("name", ""))) for t in topics if t.get("failed")]
        lines += [f"Some topics failed and kept their previous papers: {', '.join(failed)}.", ""]
    lines += [_operation_line(publish, result, repository_url), ""]
    issue: Mapping[str, Any] = result.get("issue") or {}
    if issue.get("number") is not None:
        label = f"#{issue.get('number')}"
        lines += [f"**Digest issue**: {_link(label, issue.get('url'))}.", ""]

    if topics:
        lines += ["| Topic | Fetched | New | Kept | Status |", "| --- | ---: | ---: | ---: | --- |"]
        for topic in topics:
            status = "❌ " + markdown_text(str(topic.get("error") or "failed"))
            lines.append(
                f"| {markdown_text(str(topic.get('name', '')))} | {int(topic.get('fetched') or 0)}"
                f" | {int(topic.get('new') or 0)} | {int(topic.get('kept') or 0)}"
                f" | {status if topic.get('failed') else 'ok'} |"
            )
        lines.append("")

    by_topic: dict[str, list[Mapping[str, Any]]] = {}
    for paper in new:
        by_topic.setdefault(str(paper.get("topic", "")), []).append(paper)
    for name, entries in by_topic.items():
        lines += [f"### {markdown_text(name)} ({len(entries)} new)", ""]
        for paper in entries[:SUMMARY_PAPERS_PER_TOPIC]:
            date = markdown_text(str(paper.get("published") or ""))
            lines.append(f"- {_link(str(paper.get('title', '')), paper.get('abs_url'))} ({date})")
        if len(entries) > SUMMARY_PAPERS_PER_TOPIC:
            lines.append(f"- … and {len(entries) - SUMMARY_PAPERS_PER_TOPIC} more")
        lines.append("")

    if warnings:
        lines += ["### Warnings", ""]
        lines += [f"- {markdown_text(str(w))}" for w in warnings]
        lines.append("")
    return "\n".join(lines)


def _operation_line(
    publish: Mapping[str, Any], result: Mapping[str, Any], repository_url: str | None
) -> str:
    mode = publish.get("mode")
    operation = publish.get("operation") or "none"
    sha = publish.get("commit_sha")
    if mode == "dry-run" or result.get("dry_run"):
        return "**Dry run**: nothing was written or published."
    if operation == "committed" and isinstance(sha, str) and _SHA.fullmatch(sha):
        short = sha[:7]
        if repository_url:
            return f"**Committed** [`{short}`]({repository_url}/commit/{sha})."
        return f"**Committed** `{short}`."
    if operation in ("created", "updated", "closed"):
        number = publish.get("pull_request_number")
        url = publish.get("pull_request_url")
        label = f"pull request #{number}" if number is not None else "pull request"
        link = f"[{label}]({url})" if isinstance(url, str) and url.startswith("http") else label
        return f"**Pull request {operation}**: {link}."
    if operation == "written":
        files = [markdown_text(str(f.get("path", ""))) for f in result.get("files") or []]
        return f"**Written**: {', '.join(files) or 'files'}."
    return "**No change**: nothing to publish."
