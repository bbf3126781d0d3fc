"""The pure core: what a message says, in which format, and that it always fits its limit."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers import defaults
from daily_papers.models import Topic, TopicOutcome
from daily_papers.notify.deliver import Answer, Notifier, digest_of
from daily_papers.notify.message import Digest, NewPaper, compose
from daily_papers.notify.redact import Redactor, redacted_url, secret_parts
from tests.papers import make_paper

DAY = date(2026, 12, 7)
LINKS = (("README", "https://github.com/o/r#readme"), ("site", "https://o.github.io/r/"))


def _papers(count: int) -> tuple[NewPaper, ...]:
    return tuple(
        NewPaper(f"Title {n}", f"https://arxiv.org/abs/2612.{n:05d}", ("A",)) for n in range(count)
    )


def test_short_lists_the_top_papers_then_counts_the_rest() -> None:
    digest = Digest(DAY, _papers(25), counts=(("A", 25),), links=LINKS)
    message = compose(digest, style="text", form="short", limit=10_000)
    assert message.title == "daily-papers: 25 new papers — 2026-12-07"
    assert message.body.count("• Title") == defaults.NOTIFY_SHORT_PAPERS
    assert message.body.splitlines()[0] == "A: 25"
    assert message.body.endswith(
        "+15 more: README: https://github.com/o/r#readme · site: https://o.github.io/r/"
    )


def test_full_lists_everything_that_fits() -> None:
    digest = Digest(DAY, _papers(25), counts=(("A", 25),), links=LINKS)
    assert compose(digest, style="markdown", form="full", limit=10_000).body.count("• [") == 25
    tight = compose(digest, style="markdown", form="full", limit=700)
    assert tight.length <= 700
    assert 0 < tight.body.count("• [") < 25
    assert "more: [README]" in tight.body


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(0, 60),
    limit=st.integers(40, 3000),
    style=st.sampled_from(["text", "markdown", "html"]),
    title=st.text(min_size=0, max_size=300),
)
def test_a_message_never_exceeds_its_limit(count: int, limit: int, style: str, title: str) -> None:
    papers = tuple(
        NewPaper(title or "t", "https://arxiv.org/abs/1", ("A", "B")) for _ in range(count)
    )
    digest = Digest(DAY, papers, counts=(("A", count),), links=LINKS)
    assert compose(digest, style=style, form="full", limit=limit).length <= limit


def test_a_failed_run_says_why() -> None:
    digest = Digest(DAY, failure="arXiv did not answer (HTTP 503).", links=LINKS[:1])
    message = compose(digest, style="text", form="short", limit=2000)
    assert message.title == "daily-papers failed — 2026-12-07"
    assert "The run stopped before publishing: arXiv did not answer (HTTP 503)." in message.body


def test_failed_topics_are_named() -> None:
    digest = Digest(DAY, _papers(1), counts=(("A", 1),), failed=(("B", "HTTP 503"),))
    body = compose(digest, style="text", form="short", limit=2000).body
    assert "1 topic failed and kept its papers: B (HTTP 503)" in body


def test_html_escapes_titles_and_links() -> None:
    digest = Digest(DAY, (NewPaper('<b>x</b> & "q"', 'https://a.b/?x="y"', ("A",)),))
    body = compose(digest, style="html", form="short", limit=2000).body
    assert '<a href="https://a.b/?x=&quot;y&quot;">&lt;b&gt;x&lt;/b&gt; &amp; "q"</a>' in body


def test_no_news_is_said_plainly() -> None:
    body = compose(Digest(DAY), style="text", form="short", limit=2000).body
    assert body.startswith("No new papers today.")


@pytest.mark.parametrize(
    ("on", "new", "failed", "wanted"),
    [
        ("new", 0, True, False),
        ("new", 2, False, True),
        ("always", 0, False, True),
        ("failure", 0, True, True),
        ("failure", 0, False, False),
    ],
)
def test_notify_on(on: str, new: int, failed: bool, wanted: bool) -> None:
    assert Notifier((), on=on).wants(new=new, failed=failed) is wanted


def test_secret_parts_cover_each_services_credentials() -> None:
    parts = set(secret_parts("mailtos://me:hunter22@smtp.example.com:587?to=lab@example.com"))
    assert {"me:hunter22", "hunter22"} <= parts
    assert "smtp.example.com" not in parts
    assert {"T0AAAA", "B0BBBB", "XXsecretXX"} <= set(
        secret_parts("slack://T0AAAA/B0BBBB/XXsecretXX")
    )
    assert "123:ABCdef" in secret_parts("tgram://123:ABCdef/555")
    assert "S3cretKey" in secret_parts("json://hooks.example.org/in?key=S3cretKey&mode=post")


def test_redacted_urls_keep_what_is_not_secret() -> None:
    assert redacted_url("json://hooks.example.org/in?key=S3cretKey&method=post") == (
        "json://hooks.example.org/in?key=***&method=post"
    )
    assert redacted_url("mailtos://me:pw1234@smtp.example.com") == "mailtos://***@smtp.example.com"


def test_the_redactor_replaces_longest_first() -> None:
    redact = Redactor(secret_parts("discord://4242424242/Tok3nTok3n"))
    assert redact("POST discord://4242424242/Tok3nTok3n then Tok3nTok3n") == "POST *** then ***"


def test_digest_of_lists_a_paper_once_with_every_topic_showing_it() -> None:
    shared, only = make_paper("2611.00001", title="Shared"), make_paper("2611.00002")
    a, b = Topic("A", "a"), Topic("B", "b")
    outcomes = [
        TopicOutcome(a, (shared, only), 2, new_ids=(shared.id, only.id)),
        TopicOutcome(b, (shared,), 1, new_ids=()),
        TopicOutcome(Topic("C", "c"), (), 0, new_ids=(), error="x", error_status="HTTP 503"),
    ]
    digest = digest_of(outcomes, [(a, shared), (a, only)], day=DAY, links=[("README", None)])
    assert [(p.title, p.topics) for p in digest.papers] == [
        ("Shared", ("A", "B")),
        (only.title, ("A",)),
    ]
    assert digest.counts == (("A", 2), ("B", 1))
    assert digest.failed == (("C", "HTTP 503"),)
    assert digest.links == ()


class _Stalling:
    """A channel whose every request times out, on a clock the test moves."""

    kind, url, limit, style = "json", "json://hooks.example.org/x", 1000, "text"

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.timeouts: list[float] = []

    def send(self, message: object, *, timeout: float) -> Answer:
        self.timeouts.append(timeout)
        self.clock[0] += timeout
        return Answer(False, "timed out", transport=True)


def test_the_retry_stays_inside_the_runs_deadline() -> None:
    clock = [0.0]
    channel = _Stalling(clock)
    notifier = Notifier(
        [channel],
        deadline=20.0,
        clock=lambda: clock[0],
        sleep=lambda s: clock.__setitem__(0, clock[0] + s),
    )
    (outcome,) = notifier.tell(Digest(DAY, _papers(1)))
    assert channel.timeouts == [
        defaults.NOTIFY_TIMEOUT,
        20.0 - defaults.NOTIFY_TIMEOUT - defaults.NOTIFY_RETRY_PAUSE,
    ]
    assert (outcome.status, outcome.attempts) == ("failed", 2)
    (late,) = notifier.tell(Digest(DAY, _papers(1)))  # the deadline has passed: not even tried
    assert (late.status, late.attempts) == ("failed", 0)
    assert "time budget" in late.detail
