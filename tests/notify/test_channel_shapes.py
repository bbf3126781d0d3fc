"""Each service's request as it leaves apprise, against the documented shapes, over loopback.

The shapes and their sources are in ``tests/fixtures/notify``.  Titles are hostile: Markdown,
HTML and mention markup must arrive as text in each service's format.  Failure answers (500,
400 with a body, a stalled server) become a failed channel with the service's answer, and only
a transport failure is retried.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from daily_papers.notify.channels import open_channels
from daily_papers.notify.deliver import Notifier
from daily_papers.notify.message import Digest, NewPaper
from daily_papers.notify.redact import Redactor, secret_parts
from tests.fakes.webhook_server import FakeWebhooks

SHAPES: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "notify" / "shapes.json").read_text("utf-8")
)
URLS = {
    "slack": "slack://T0AAAA1/B0BBBB2/CCCCsecret33",
    "discord": "discord://998877665544/DiscordTok3n",
    "tgram": "tgram://123456789:TgTok3nXY/-100555",
    "feishu": "feishu://feishuTok3n77",
    "wecombot": "wecombot://WeComKey55",
}
HOSTILE = "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) @everyone <!channel> & _u_"
LINK = "https://arxiv.org/abs/2611.00001"


def _digest(count: int = 3) -> Digest:
    papers = [NewPaper(HOSTILE, LINK, ("LLM", "RLHF"))]
    papers += [
        NewPaper(f"Paper number {n}", f"https://arxiv.org/abs/2611.{n:05d}", ("LLM",))
        for n in range(2, count + 1)
    ]
    return Digest(
        day=date(2026, 12, 7),
        papers=tuple(papers),
        counts=(("LLM", count), ("RLHF", 1)),
        links=(("README", "https://github.com/o/r#readme"),),
    )


def _notifier(kind: str, **options: Any) -> Notifier:
    url = URLS[kind]
    return Notifier(open_channels([("notify line 1", url)], Redactor(secret_parts(url))), **options)


def _dig(payload: Any, path: list[Any]) -> Any:
    for key in path:
        payload = payload[key]
    return payload


@pytest.mark.parametrize("kind", sorted(URLS))
def test_the_request_has_the_documented_shape(kind: str, fake_webhooks: FakeWebhooks) -> None:
    (outcome,) = _notifier(kind).tell(_digest())
    assert outcome.status == "sent", outcome
    (request,) = fake_webhooks.requests
    shape = SHAPES[kind]
    assert request.method == shape["method"]
    assert re.match(shape["path"], request.path), request.path
    payload = request.json()
    types = {"str": str, "int": int, "list": list, "dict": dict}
    for name, type_name in shape["fields"].items():
        assert isinstance(payload[name], types[type_name]), (name, payload)
    text = _dig(payload, shape["item"])
    assert "Paper number 3" in text
    assert len(text) <= outcome.limit
    assert outcome.length <= outcome.limit


def test_slack_gets_plain_text_so_markup_in_titles_is_inert(fake_webhooks: FakeWebhooks) -> None:
    _notifier("slack").tell(_digest())
    payload = fake_webhooks.requests[0].json()
    assert payload["mrkdwn"] is False
    text = payload["attachments"][0]["text"]
    assert "&lt;!channel&gt;" in text
    assert "<!channel>" not in text
    assert "&lt;script&gt;" in text


def test_discord_escapes_markdown_and_defuses_mentions(fake_webhooks: FakeWebhooks) -> None:
    _notifier("discord").tell(_digest())
    content = fake_webhooks.requests[0].json()["content"]
    assert "@\u200beveryone" in content
    assert "@everyone" not in content
    assert "\\*\\*Bold\\*\\*" in content
    assert "<script>" not in content
    assert "\\[x\\](javascript" in content  # the title's link is text, not a link
    assert f"]({LINK})" in content  # ours is a link


def test_telegram_gets_html_with_only_our_link_tags(fake_webhooks: FakeWebhooks) -> None:
    _notifier("tgram").tell(_digest())
    payload = fake_webhooks.requests[0].json()
    assert payload["parse_mode"] == "HTML"
    text = payload["text"]
    assert "&lt;script&gt;" in text
    tags = set(re.findall(r"</?([a-zA-Z]+)", text))
    assert tags <= {"a", "b"}, tags
    assert f'<a href="{LINK}">' in text


def test_feishu_card_escapes_its_markup(fake_webhooks: FakeWebhooks) -> None:
    _notifier("feishu").tell(_digest())
    card = fake_webhooks.requests[0].json()["card"]
    content = card["elements"][0]["text"]["content"]
    assert card["elements"][0]["text"]["tag"] == "lark_md"
    assert "<script>" not in content
    assert "&lt;script&gt;" in content


def test_the_same_paper_under_two_topics_is_listed_once_with_both(
    fake_webhooks: FakeWebhooks,
) -> None:
    _notifier("discord").tell(_digest())
    content = fake_webhooks.requests[0].json()["content"]
    assert content.count("alert(1)") == 2  # the title's two mentions, in one line
    assert "(LLM, RLHF)" in content


def test_a_huge_digest_is_one_message_within_the_limit(fake_webhooks: FakeWebhooks) -> None:
    (outcome,) = _notifier("discord", form="full").tell(_digest(400))
    (request,) = fake_webhooks.requests  # never split into a flood
    content = request.json()["content"]
    assert len(content) <= 2000
    assert outcome.length <= 2000
    assert re.search(r"\+\d+ more: \[README\]", content)


def test_a_500_is_a_failure_with_the_answer_and_no_retry(fake_webhooks: FakeWebhooks) -> None:
    fake_webhooks.answer_next(500, b"upstream exploded")
    (outcome,) = _notifier("discord").tell(_digest())
    assert outcome.status == "failed"
    assert outcome.attempts == 1
    assert "500" in outcome.detail
    assert len(fake_webhooks.requests) == 1


def test_a_400_reports_the_services_body_redacted(fake_webhooks: FakeWebhooks) -> None:
    fake_webhooks.answer_next(400, b'{"ok":false,"error":"invalid_token CCCCsecret33"}')
    (outcome,) = _notifier("slack").tell(_digest())
    assert outcome.status == "failed"
    assert "invalid_token" in outcome.detail
    assert "CCCCsecret33" not in outcome.detail
    assert "***" in outcome.detail


def test_a_timeout_is_retried_once(
    fake_webhooks: FakeWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("daily_papers.defaults.NOTIFY_TIMEOUT", 0.3)
    fake_webhooks.stall_next(1.5)
    fake_webhooks.stall_next(1.5)
    sleeps: list[float] = []
    (outcome,) = _notifier("discord", sleep=sleeps.append).tell(_digest())
    assert outcome.status == "failed"
    assert outcome.attempts == 2
    assert len(sleeps) == 1
    assert len(fake_webhooks.requests) == 2


def test_a_timeout_then_success_is_sent(
    fake_webhooks: FakeWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("daily_papers.defaults.NOTIFY_TIMEOUT", 0.3)
    fake_webhooks.stall_next(1.5)
    (outcome,) = _notifier("discord", sleep=lambda _s: None).tell(_digest())
    assert (outcome.status, outcome.attempts) == ("sent", 2)


def test_feishu_refusing_with_http_200_is_a_failure(fake_webhooks: FakeWebhooks) -> None:
    fake_webhooks.answer_next(200, b'{"code":9499,"msg":"Bad Request","data":{}}')
    (outcome,) = _notifier("feishu").tell(_digest())
    assert outcome.status == "failed"
    assert "9499" in outcome.detail


class _Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Mailbox]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def test_email_reaches_a_local_smtp_server(smtp: tuple[int, _Mailbox]) -> None:
    port, box = smtp
    url = f"mailto://127.0.0.1:{port}/?to=lab@example.com&from=papers@example.com"
    notifier = Notifier(open_channels([("notify line 1", url)], Redactor(secret_parts(url))))
    (outcome,) = notifier.tell(_digest())
    assert outcome.status == "sent", outcome
    (envelope,) = box.envelopes
    assert envelope.rcpt_tos == ["lab@example.com"]
    assert envelope.mail_from == "papers@example.com"
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert str(mail["Subject"]) == "daily-papers: 3 new papers — 2026-12-07"
    assert mail["To"] == "lab@example.com"
    # plain text only: no HTML part in which a title's markup could act
    assert [part.get_content_type() for part in mail.walk()] == ["text/plain"]
    assert "Paper number 3 (LLM) https://arxiv.org/abs/2611.00003" in mail.get_content()


def test_email_to_a_closed_port_is_a_transport_failure_retried_once() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    url = f"mailto://127.0.0.1:{port}/?to=lab@example.com&from=papers@example.com"
    sleeps: list[float] = []
    notifier = Notifier(
        open_channels([("notify line 1", url)], Redactor(secret_parts(url))), sleep=sleeps.append
    )
    (outcome,) = notifier.tell(_digest())
    assert (outcome.status, outcome.attempts, len(sleeps)) == ("failed", 2, 1)
