"""When channels hear of a run, what each is sent, and what each answered.

The :class:`Notifier` is built before the run (its channels already checked, so a bad URL
stops the run before anything is fetched) and called once after publishing.  A channel that
fails never fails the run: its outcome is reported (warning, summary row, result JSON) and only
``notify-strict`` turns it into exit 3.  Each channel is tried once, and once more after a
transport error (no answer at all), never past the run's deadline.  A dry run composes every
message and sends none.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from daily_papers import defaults
from daily_papers.late_phase import Fault, isolate
from daily_papers.models import Paper, Topic, TopicOutcome
from daily_papers.notify.message import Digest, Message, NewPaper, compose
from daily_papers.notify.outcome import (
    DRY_RUN,
    FAILED,
    NOTIFY_FORMATS,
    NOTIFY_ON,
    SENT,
    ChannelOutcome,
)
from daily_papers.result import RunResult

__all__ = ["Answer", "Channel", "Notifier", "digest_of"]


@dataclass(frozen=True)
class Answer:
    """A service's answer to one request, redacted; ``transport``: no answer came at all."""

    ok: bool
    detail: str = ""
    transport: bool = False


class Channel(Protocol):
    """One configured channel, as the adapter opens it."""

    @property
    def kind(self) -> str:
        """The service (``slack``, ``discord``, ``tgram``, ``mailtos``, ``json`` …)."""

    @property
    def url(self) -> str:
        """The URL with its secrets replaced by ``***``."""

    @property
    def limit(self) -> int:
        """Characters the service takes in one message."""

    @property
    def style(self) -> str:
        """The message format the service shows as written (``text``, ``markdown``, ``html``)."""

    def send(self, message: Message, *, timeout: float) -> Answer:
        """Send ``message``, waiting at most ``timeout`` seconds per connect and read."""


def digest_of(
    outcomes: Sequence[TopicOutcome],
    new: Sequence[tuple[Topic, Paper]],
    *,
    day: date,
    links: Sequence[tuple[str, str | None]],
) -> Digest:
    """The run's news: each new paper once, with every topic that shows it, in the run's order."""
    shown = [(o.topic.name, {p.id for p in o.papers}) for o in outcomes]
    papers = tuple(
        NewPaper(paper.title, paper.link, tuple(name for name, ids in shown if paper.id in ids))
        for _topic, paper in new
    )
    counts: dict[str, int] = {}
    for paper in papers:
        for name in paper.topics:
            counts[name] = counts.get(name, 0) + 1
    return Digest(
        day=day,
        papers=papers,
        counts=tuple(counts.items()),
        failed=tuple((o.topic.name, o.error_status or "failed") for o in outcomes if o.failed),
        links=tuple((label, url) for label, url in links if url),
    )


class Notifier:
    """The run's channels and choices; ``deadline`` is the run's end on ``clock``."""

    def __init__(
        self,
        channels: Sequence[Channel],
        *,
        on: str = defaults.NOTIFY_ON,
        form: str = defaults.NOTIFY_FORMAT,
        strict: bool = False,
        dry_run: bool = False,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if on not in NOTIFY_ON or form not in NOTIFY_FORMATS:
            raise ValueError(f"notify-on {on!r} or notify-format {form!r} is not known")
        self.channels = tuple(channels)
        self.on, self.form, self.strict, self.dry_run = on, form, strict, dry_run
        self._clock, self._sleep = clock, sleep
        self._deadline = deadline

    def wants(self, *, new: int, failed: bool) -> bool:
        """Whether this run is news for the channels (``notify-on``)."""
        if self.on == "always":
            return True
        return new > 0 or (failed and self.on == "failure")

    def after_run(self, result: RunResult, *, day: date, site_url: str | None = None) -> RunResult:
        """``result`` with each channel's outcome, after telling them (if the run is news)."""
        new = result.new_papers
        outcomes: tuple[ChannelOutcome, ...] = ()
        faults: tuple[Fault, ...] = ()
        if self.wants(new=len(new), failed=bool(result.failed_topics)):
            issue = result.issue.url if result.issue else None
            links = (("README", result.readme_url), ("digest issue", issue), ("site", site_url))

            def digest(some: Sequence[tuple[Topic, Paper]]) -> Digest:
                made = digest_of(result.outcomes, some, day=day, links=links)
                for channel in self.channels:  # what breaks on a paper breaks here, unsent
                    compose(made, style=channel.style, form=self.form, limit=channel.limit)
                return made

            made, _kept, faults = isolate("notifications", new, digest, lambda pair: pair[1].id)
            if made is not None:
                outcomes = self.tell(made)
        return dataclasses.replace(
            result,
            notifications=outcomes,
            notify_strict=self.strict,
            late_faults=result.late_faults + faults,
            warnings=result.warnings + tuple(f.warning() for f in faults),
        )

    def after_failure(
        self, reason: str, *, day: date, readme_url: str | None = None
    ) -> tuple[ChannelOutcome, ...]:
        """Tell the channels that the run stopped (only with ``notify-on: failure``/``always``)."""
        if self.on == "new":
            return ()
        return self.tell(Digest(day=day, failure=reason, links=(("README", readme_url or ""),)))

    def tell(self, digest: Digest) -> tuple[ChannelOutcome, ...]:
        """Compose and send (or in a dry run only compose) one message per channel."""
        return tuple(self._one(channel, digest) for channel in self.channels)

    def _left(self) -> float:
        return float("inf") if self._deadline is None else self._deadline - self._clock()

    def _one(self, channel: Channel, digest: Digest) -> ChannelOutcome:
        message = compose(digest, style=channel.style, form=self.form, limit=channel.limit)
        base = ChannelOutcome(
            channel.kind, channel.url, DRY_RUN, length=message.length, limit=channel.limit
        )
        if self.dry_run:
            return dataclasses.replace(
                base, detail="not sent (dry run)", title=message.title, body=message.body
            )
        answer, attempts = Answer(False, "the run's time budget is spent; not sent"), 0
        while attempts < 2:
            left = self._left()
            if left <= 0:
                break
            attempts += 1
            answer = channel.send(message, timeout=min(defaults.NOTIFY_TIMEOUT, left))
            if answer.ok or not answer.transport or attempts == 2:
                break
            if self._left() <= defaults.NOTIFY_RETRY_PAUSE:
                break
            self._sleep(defaults.NOTIFY_RETRY_PAUSE)
        status = SENT if answer.ok else FAILED
        return dataclasses.replace(base, status=status, detail=answer.detail, attempts=attempts)
