"""Notifications through a whole run: the action and the CLI against the loopback fakes.

The channels are real apprise services pointed at the loopback webhook server
(``tests/fakes/webhook_server.py``); arXiv and GitHub are the usual fakes.  Every output a run
produces is searched for every secret part of the channel URLs.
"""

from __future__ import annotations

import io
import json

from daily_papers import cli
from tests.action_world import ACTION_README as README
from tests.action_world import ActionWorld, run_action
from tests.helpers import REPO, TODAY

SLACK = "slack://T0SECRETA/B0SECRETB/SecretTokenC0ffee42"
DISCORD = "discord://112233445566/DiscordS3cretToken_x"
TELEGRAM = "tgram://123456789:TgS3cretBotToken/-100777"
FEISHU = "feishu://feishu-S3cret-7f00"
#: The credential parts that must never be shown (besides the whole URLs).
SECRETS = (
    "T0SECRETA",
    "B0SECRETB",
    "SecretTokenC0ffee42",
    "112233445566",
    "DiscordS3cretToken_x",
    "TgS3cretBotToken",
    "123456789:TgS3cretBotToken",
    "feishu-S3cret-7f00",
)


def _action(
    action_world: ActionWorld, notify: str, **extra: str
) -> tuple[int, str, str, dict[str, str]]:
    return run_action(action_world, DAILY_PAPERS_NOTIFY=notify, **extra)


def _assert_no_secret(out: str, err: str, files: dict[str, str]) -> None:
    # ``::add-mask::`` lines are consumed by the runner, never shown; everything else is.
    shown = "\n".join(line for line in out.splitlines() if not line.startswith("::add-mask::"))
    for where, text in {"stdout": shown, "stderr": err, **files}.items():
        for secret in (*SECRETS, SLACK, DISCORD, TELEGRAM, FEISHU):
            assert secret not in text, (where, secret)


def test_the_action_tells_every_channel_and_shows_no_secret(action_world: ActionWorld) -> None:
    hooks = action_world[2]
    status, out, err, files = _action(
        action_world, "\n".join([SLACK, DISCORD, "", TELEGRAM, FEISHU])
    )
    assert status == 0, out + err
    paths = [r.path.split("/")[1] for r in hooks.requests]
    assert paths == ["slack", "discord", "telegram", "feishu"]
    # each credential part is masked before anything else is printed
    masks = [line for line in out.splitlines() if line.startswith("::add-mask::")]
    assert out.splitlines()[: len(masks)] == masks
    for secret in SECRETS:
        assert f"::add-mask::{secret}" in masks
    _assert_no_secret(out, err, files)
    doc = json.loads(files["result.json"])
    assert [(n["kind"], n["status"]) for n in doc["notifications"]] == [
        ("slack", "sent"),
        ("discord", "sent"),
        ("tgram", "sent"),
        ("feishu", "sent"),
    ]
    assert doc["notifications"][0]["url"] == "slack://***/***/***"
    assert "### Notifications" in files["summary.md"]
    assert "| slack | `slack://***/***/***` | sent |" in files["summary.md"]


def test_a_failing_channel_is_a_warning_and_the_update_stands(action_world: ActionWorld) -> None:
    gh, _arxiv, hooks, _tmp = action_world
    hooks.answer_next(400, b'{"ok":false,"error":"invalid_payload SecretTokenC0ffee42"}')
    status, out, err, files = _action(action_world, f"{SLACK}\n{DISCORD}")
    assert status == 0, out + err
    assert gh.repos[REPO].file("README.md") != README.encode()  # published
    warnings = [line for line in out.splitlines() if line.startswith("::warning")]
    assert any("slack://***/***/***" in w and "failed" in w for w in warnings), warnings
    doc = json.loads(files["result.json"])
    slack, discord = doc["notifications"]
    assert (slack["status"], discord["status"]) == ("failed", "sent")
    assert "400" in slack["detail"] or "Bad Request" in slack["detail"]
    assert "| slack | `slack://***/***/***` | failed |" in files["summary.md"]
    _assert_no_secret(out, err, files)


def test_notify_strict_turns_a_failed_channel_into_exit_3(action_world: ActionWorld) -> None:
    action_world[2].answer_next(500, b"boom")
    status, out, err, files = _action(action_world, DISCORD, DAILY_PAPERS_NOTIFY_STRICT="true")
    assert status == 3, out + err
    assert json.loads(files["result.json"])["changed"] is True


def test_a_malformed_url_names_its_line_and_nothing_is_fetched(action_world: ActionWorld) -> None:
    gh, arxiv, hooks, _tmp = action_world
    status, out, err, files = _action(action_world, f"{SLACK}\nslack://only-one-part-S3cretX")
    assert status == 2, out + err
    assert "input `notify` line 2" in out
    assert "::add-mask::only-one-part-S3cretX" in out
    shown = [line for line in out.splitlines() if not line.startswith("::add-mask::")]
    assert not any("only-one-part" in line for line in [*shown, err, files["summary.md"]])
    assert arxiv.requests == []
    assert hooks.requests == []
    assert gh.repos[REPO].file("README.md") == README.encode()


def test_a_dry_run_renders_every_message_and_sends_nothing(action_world: ActionWorld) -> None:
    hooks = action_world[2]
    status, out, err, files = _action(
        action_world, f"{DISCORD}\n{TELEGRAM}", DAILY_PAPERS_MODE="dry-run"
    )
    assert status == 0, out + err
    assert hooks.requests == []
    assert "notify discord discord://***/***: dry-run (" in out
    assert "/2000 characters)" in out
    assert "/4096 characters)" in out
    assert "discord (" in files["summary.md"]
    assert "of 2000 characters" in files["summary.md"]
    doc = json.loads(files["result.json"])
    assert all(n["status"] == "dry-run" and n["message"]["body"] for n in doc["notifications"])
    _assert_no_secret(out, err, files)


def test_notify_on_failure_reports_a_run_that_stopped(action_world: ActionWorld) -> None:
    _gh, arxiv, hooks, _tmp = action_world
    status, out, err, files = _action(
        action_world,
        DISCORD,
        DAILY_PAPERS_NOTIFY_ON="failure",
        DAILY_PAPERS_README_PATH="MISSING.md",
    )
    assert status == 2, out + err
    assert arxiv.requests == []
    (request,) = hooks.requests
    content = request.json()["content"]
    assert content.startswith("daily-papers failed — 2026-11-26")
    assert "The run stopped before publishing: " in content
    assert "MISSING.md" in content
    _assert_no_secret(out, err, files)


def test_the_cli_takes_repeated_notify_and_names_a_bad_one_by_its_place(
    action_world: ActionWorld,
) -> None:
    _gh, arxiv, hooks, tmp = action_world
    argv = ["update", "README.md", "-k", "alpha", "--arxiv-url", arxiv.url, "--arxiv-delay", "0"]
    argv += ["--arxiv-source", "api", "--max-count", "3"]
    (tmp / "README.md").write_text(README, encoding="utf-8")
    hook = f"json://127.0.0.1:{hooks.port}/lab-hook?token=LabS3cret99"
    out, err = io.StringIO(), io.StringIO()
    status = cli.run([*argv, "--notify", hook], {}, stdout=out, stderr=err, today=TODAY)
    assert status == 0, err.getvalue()
    (request,) = hooks.requests
    assert request.path == "/lab-hook"
    assert request.json()["title"].startswith("daily-papers: 3 new papers")
    assert "LabS3cret99" not in out.getvalue() + err.getvalue()
    assert "notify json json://127.0.0.1:" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    bad = [*argv, "--notify", hook, "--notify", "discord://LabS3cret77"]
    assert cli.run(bad, {}, stdout=out, stderr=err, today=TODAY) == 2
    assert "--notify #2 is a discord:// URL" in err.getvalue()
    assert "LabS3cret77" not in out.getvalue() + err.getvalue()
    assert len(hooks.requests) == 1  # nothing sent, nothing fetched for the bad run
