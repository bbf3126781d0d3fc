"""Runner integration: GITHUB_OUTPUT, the step summary and workflow commands."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given
from hypothesis import strategies as st

from daily_papers import runner
from daily_papers.models import FileChange, Paper, Topic, TopicOutcome
from daily_papers.publish import IssueRef, Operation, PublishResult
from daily_papers.ranked_view import ANNOUNCEMENT, RankedView
from daily_papers.result import RunResult
from tests.papers import make_paper


def parse_github_output(text: str) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file the way the runner does (``name<<DELIM`` and ``name=value``)."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
            i += 1
    return outputs


def html(markdown: str) -> str:
    return str(
        cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    )


def _paper(pid: str, title: str, url: str, day: int) -> Paper:
    return dataclasses.replace(
        make_paper(pid, title=title, day=day),
        abs_url=url,
        published=datetime(2024, 1, day, tzinfo=timezone.utc),
    )


FIRST = _paper(
    "2401.00001",
    "A | pipe <script>alert(1)</script> [x](y)",
    "http://arxiv.org/abs/2401.00001v1",
    1,
)
SECOND = _paper("2401.00002", "Second", "http://arxiv.org/abs/2401.00002v2", 2)
LLM = Topic("LLM", "q1")
DIFFUSION = Topic("diffusion", "q2")
OTHERS = tuple(make_paper(f"2312.{i:05d}") for i in range(8))
COMMIT_SHA = "0123456789abcdef0123456789abcdef01234567"

RESULT = RunResult(
    mode="commit",
    outcomes=(
        TopicOutcome(LLM, (FIRST, SECOND, *OTHERS), fetched=10, new_ids=(FIRST.id, SECOND.id)),
        TopicOutcome(DIFFUSION, OTHERS[:5], fetched=5, new_ids=()),
    ),
    files=(FileChange("README.md", b"old", b"new"),),
    publish=PublishResult(Operation.COMMITTED, commit_sha=COMMIT_SHA, head_sha=COMMIT_SHA),
    warnings=("README.md is 600,000 bytes",),
)


def _publish(operation: str, **fields: Any) -> PublishResult:
    return PublishResult(Operation(operation), **fields)


# --- outputs -------------------------------------------------------------------------------


def test_outputs_round_trip_with_multiline_and_delimiter_lookalikes(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=1\n", encoding="utf-8")
    values = {
        "one": "x",
        "multi": "line 1\nEOF\nline 3\nghadelimiter_0\nname=evil",
        "empty": "",
    }
    runner.write_outputs(path, values)
    assert parse_github_output(path.read_text(encoding="utf-8")) == {"earlier": "1", **values}


def test_every_value_gets_its_own_random_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "output"
    runner.write_outputs(path, {"a": "1", "b": "2"})
    delimiters = re.findall(r"<<(ghadelimiter_[0-9a-f-]{36})\n", path.read_text(encoding="utf-8"))
    assert len(delimiters) == 2
    assert delimiters[0] != delimiters[1]


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_any_value_survives_the_output_file(value: str) -> None:
    text = runner.format_output("v", value.replace("\r", ""))
    assert parse_github_output(text) == {"v": value.replace("\r", "")}


@pytest.mark.parametrize("name", ["", "a<<b", "a=b", "a\nb", "1abc"])
def test_bad_output_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invalid output name"):
        runner.format_output(name, "x")


def test_outputs_from_a_commit_result() -> None:
    outputs = runner.outputs_from_result(RESULT, result_json="/tmp/r.json")
    assert outputs == {
        "changed": "true",
        "would-change": "true",
        "new-papers": "2",
        "for-you-papers": "",
        "commit-sha": "0123456789abcdef0123456789abcdef01234567",
        "pull-request-number": "",
        "pull-request-url": "",
        "pull-request-operation": "none",
        "pull-request-branch": "",
        "issue-number": "",
        "issue-url": "",
        "site-dir": "",
        "result-json": "/tmp/r.json",
    }
    assert tuple(outputs) == runner.OUTPUT_NAMES


def test_outputs_from_a_pull_request_result_with_issue() -> None:
    result = dataclasses.replace(
        RESULT,
        mode="pull-request",
        publish=_publish(
            "updated", pull_number=7, pull_url="https://github.com/o/r/pull/7", head_sha="abcdef0"
        ),
        pull_request_branch="daily-papers/update",
        issue=IssueRef(12, "https://github.com/o/r/issues/12"),
    )
    outputs = runner.outputs_from_result(result)
    assert outputs["pull-request-operation"] == "updated"
    assert outputs["pull-request-number"] == "7"
    assert outputs["pull-request-url"] == "https://github.com/o/r/pull/7"
    assert outputs["pull-request-branch"] == "daily-papers/update"
    assert outputs["commit-sha"] == "abcdef0"
    assert (outputs["issue-number"], outputs["issue-url"]) == (
        "12",
        "https://github.com/o/r/issues/12",
    )
    assert outputs["result-json"] == ""


def test_outputs_from_an_unchanged_run() -> None:
    result = dataclasses.replace(
        RESULT,
        outcomes=tuple(dataclasses.replace(o, new_ids=()) for o in RESULT.outcomes),
        files=(FileChange("README.md", b"same", b"same"),),
        publish=_publish("none"),
    )
    outputs = runner.outputs_from_result(result)
    assert (outputs["changed"], outputs["new-papers"], outputs["commit-sha"]) == ("false", "0", "")


def test_the_for_you_papers_output_lists_for_you_best_first() -> None:
    best_first = (SECOND, OTHERS[3], FIRST)
    view = RankedView({}, frozenset(), best_first, 3, ANNOUNCEMENT)
    outputs = runner.outputs_from_result(dataclasses.replace(RESULT, ranking=view))
    assert outputs["for-you-papers"] == f"{SECOND.id} {OTHERS[3].id} {FIRST.id}"
    none_shown = dataclasses.replace(RESULT, ranking=dataclasses.replace(view, for_you=()))
    assert runner.outputs_from_result(none_shown)["for-you-papers"] == ""


# --- workflow commands ---------------------------------------------------------------------


def test_escaping_follows_actions_core() -> None:
    assert runner.escape_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert runner.escape_property("50% a\r\nb:c,d") == "50%25 a%0D%0Ab%3Ac%2Cd"


def test_annotations() -> None:
    assert runner.annotation("warning", "slow") == "::warning::slow"
    assert (
        runner.annotation(
            "error", "line 1\nline 2", title="Markers: missing", file="a,b.md", line=3
        )
        == "::error file=a%2Cb.md,line=3,title=Markers%3A missing::line 1%0Aline 2"
    )
    with pytest.raises(ValueError, match="annotation kind"):
        runner.annotation("fatal", "x")


def test_a_message_cannot_start_a_second_command() -> None:
    line = runner.annotation("notice", "ok\n::set-output name=x::y")
    assert line == "::notice::ok%0A::set-output name=x::y"  # one line, so one command


def test_mask() -> None:
    assert runner.mask("ghs_abc") == "::add-mask::ghs_abc"
    assert runner.mask("a\nb") == "::add-mask::a%0Ab"


def test_group_is_closed_even_on_error() -> None:
    stream = io.StringIO()

    def fail_inside() -> None:
        with runner.group("Fetch: 3 topics", stream):
            stream.write("inside\n")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert stream.getvalue() == "::group::Fetch: 3 topics\ninside\n::endgroup::\n"


def test_stop_commands_wraps_untrusted_text_with_a_random_token() -> None:
    stream = io.StringIO()
    with runner.stop_commands(stream) as token:
        stream.write("::error::forged by a paper title\n")
    with runner.stop_commands(stream) as second:
        pass
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"::stop-commands::{token}"
    assert lines[1] == "::error::forged by a paper title"
    assert lines[2] == f"::{token}::"
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert token != second


# --- step summary --------------------------------------------------------------------------


def test_summary_lists_topics_papers_operation_and_warnings() -> None:
    text = runner.summary_markdown(RESULT, repository_url="https://github.com/o/r")
    page = html(text)
    assert "2 new papers" in text
    assert (
        '<a href="https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567">'
        "<code>0123456</code></a>" in page
    )
    assert (
        '<a href="https://arxiv.org/abs/2401.00002v1">Second</a> (2024-01-02)' in page
    )  # from the id
    # Untrusted title: rendered as literal text, one link, no HTML, no extra table cell.
    assert "<script>" not in page
    assert "A | pipe &lt;script&gt;alert(1)&lt;/script&gt; [x](y)</a>" in page
    assert page.count("<tr>") == 3  # header + 2 topics
    assert all(row.count("<td") == 7 for row in page.split("<tr>")[2:])
    assert "README.md is 600,000 bytes" in page


def test_summary_of_a_pull_request_and_issue() -> None:
    result = dataclasses.replace(
        RESULT,
        mode="pull-request",
        publish=_publish("created", pull_number=7, pull_url="https://github.com/o/r/pull/7"),
        issue=IssueRef(3, "https://github.com/o/r/issues/3"),
    )
    page = html(runner.summary_markdown(result))
    assert 'Pull request created</strong>: <a href="https://github.com/o/r/pull/7">' in page
    assert '<a href="https://github.com/o/r/issues/3">#3</a>' in page


def test_summary_of_a_partial_run_names_the_failed_topic() -> None:
    long = "arXiv did not deliver the papers for topic 'diffusion' from " + "x" * 300
    failed = dataclasses.replace(
        RESULT.outcomes[1], error=long, error_status="HTTP 503 after 5 attempts", fetched=0
    )
    text = runner.summary_markdown(
        dataclasses.replace(RESULT, outcomes=(RESULT.outcomes[0], failed))
    )
    assert text.startswith("## ⚠️")
    assert "Some topics failed and kept their previous papers: diffusion." in text
    row = next(line for line in text.splitlines() if line.startswith("| diffusion"))
    assert row.endswith("| ❌ HTTP 503 after 5 attempts |")
    assert len(row) < 100  # the status cell stays short
    assert f"- **diffusion**: {long}" in text  # the details follow the table


def test_summary_shows_readme_link_duration_dropped_replaced_and_removed_topics() -> None:
    outcome = dataclasses.replace(RESULT.outcomes[0], dropped=("2312.1",), replaced=("2401.00001",))
    result = dataclasses.replace(
        RESULT,
        outcomes=(outcome,),
        readme_url="https://github.com/o/r/blob/main/README.md",
        seconds=12.34,
        removed_topics=(("old topic", 7),),
    )
    page = html(runner.summary_markdown(result))
    assert '<a href="https://github.com/o/r/blob/main/README.md">README</a>' in page
    assert "Took 12.3 s." in page
    row = re.search(r"<tr>\s*<td>LLM</td>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[:5] == ["10", "2", "1", "1", "10"]
    assert "Topic old topic is no longer configured: its 7 papers left the README." in page


def test_failure_summary_shows_marker_lines_as_code_and_escapes_remote_text() -> None:
    from daily_papers.errors import ArxivError, ReadmeError

    text = runner.failure_summary(
        ReadmeError(
            "README.md has no markers; add the two marker lines:\n"
            "<!-- daily-papers:start -->\n<!-- daily-papers:end -->"
        )
    )
    page = html(text)
    assert "<pre><code>&lt;!-- daily-papers:start --&gt;\n&lt;!-- daily-papers:end --&gt;" in page
    hostile = runner.failure_summary(
        ArxivError('arXiv answered 403: <img src=x onerror=alert(1)> <a href="javascript:x">y</a>')
    )
    rendered = html(hostile)
    assert "<img" not in rendered
    assert "<a " not in rendered
    assert "javascript:x" in rendered  # shown as text


@pytest.mark.parametrize(
    ("mode", "publish", "expected"),
    [
        ("dry-run", PublishResult(Operation.NONE), "Dry run"),
        ("commit", PublishResult(Operation.NONE), "No change"),
        ("local", PublishResult(Operation.WRITTEN), "Written</strong>: README.md"),
        ("commit", PublishResult(Operation.COMMITTED, commit_sha="abc1234"), "<code>abc1234"),
    ],
)
def test_summary_operation_lines(mode: str, publish: PublishResult, expected: str) -> None:
    result = dataclasses.replace(RESULT, mode=mode, publish=publish)
    assert expected in html(runner.summary_markdown(result))


def test_summary_caps_papers_per_topic() -> None:
    papers = tuple(
        make_paper(f"2401.{i:05d}", title=f"P{i}")
        for i in range(runner.SUMMARY_PAPERS_PER_TOPIC + 5)
    )
    outcome = TopicOutcome(
        Topic("t", "q"), papers, fetched=len(papers), new_ids=tuple(p.id for p in papers)
    )
    text = runner.summary_markdown(dataclasses.replace(RESULT, outcomes=(outcome,)))
    assert text.count("- [P") == runner.SUMMARY_PAPERS_PER_TOPIC
    assert "… and 5 more" in text


def test_a_non_http_url_is_not_linked() -> None:
    paper = dataclasses.replace(make_paper("2401.00009", title="x"), abs_url="javascript:alert(1)")
    outcome = TopicOutcome(Topic("t", "q"), (paper,), fetched=1, new_ids=(paper.id,))
    text = runner.summary_markdown(dataclasses.replace(RESULT, outcomes=(outcome,)))
    assert "javascript" not in text


def test_append_summary_appends(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    runner.append_summary(path, "one\n")
    runner.append_summary(path, "two\n")
    assert path.read_text(encoding="utf-8") == "one\ntwo\n"


def test_append_summary_stays_within_one_mebibyte(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_bytes(b"x" * 1000 + b"\n")
    runner.append_summary(path, "line é\n" * 200_000)
    data = path.read_bytes()
    assert len(data) <= runner.SUMMARY_LIMIT
    assert data.endswith(b"GitHub accepts at most 1 MiB per step summary._\n")
    assert b"line \xc3\xa9\n\n\n_Summary truncated" in data  # cut at a line, never mid-character


def test_commit_sha_is_empty_when_nothing_was_committed() -> None:
    unchanged = dataclasses.replace(
        RESULT, publish=PublishResult(Operation.NONE, head_sha="a" * 40)
    )
    assert runner.outputs_from_result(unchanged)["commit-sha"] == ""
    closed = dataclasses.replace(
        RESULT, mode="pull-request", publish=PublishResult(Operation.CLOSED, head_sha="b" * 40)
    )
    assert runner.outputs_from_result(closed)["commit-sha"] == ""


def test_a_dry_run_is_not_changed_but_would_change() -> None:
    dry = dataclasses.replace(RESULT, mode="dry-run", publish=PublishResult(Operation.NONE))
    outputs = runner.outputs_from_result(dry)
    assert (outputs["changed"], outputs["would-change"]) == ("false", "true")
    text = runner.summary_markdown(dry)
    assert text.startswith(
        "## 🧪 daily-papers dry run: 2 new papers (would be added), README would change"
    )
    assert "🎉" not in text
