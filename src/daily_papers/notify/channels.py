"""The apprise adapter: the only module that imports apprise.

apprise knows about 170 services behind one URL syntax (``slack://…``, ``discord://…``,
``tgram://…``, ``feishu://…``, ``wecombot://…``, ``mailtos://…``, ``json://…``), each
service's message limit and its request shape.  This module opens one apprise service per URL
(refusing a URL it cannot read with an error naming only its position), picks the format the
service shows as written, and turns one send into an :class:`~daily_papers.notify.deliver.Answer`.

apprise logs what it does, the request URL (and so the token) included.  Its log records never
reach the run's handlers: they are collected per call, only warnings and the service's answer are
kept, and those pass through the run's redactor.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence

import apprise
from apprise import NotifyFormat, OverflowMode
from apprise.manager_plugins import NotificationManager

from daily_papers.errors import ConfigError
from daily_papers.escape import one_line
from daily_papers.notify.deliver import Answer
from daily_papers.notify.message import Message
from daily_papers.notify.redact import Redactor, redacted_url
from daily_papers.suggest import did_you_mean

__all__ = ["AppriseChannel", "open_channels"]

#: Services whose own format carries our links safely; every other service gets plain text
#: (Slack's and WeCom's converters pass ``<!channel>``-style markup through, plain text not).
_STYLES = {"discord": "markdown", "feishu": "markdown", "lark": "markdown", "tgram": "html"}
_FORMATS = {"text": NotifyFormat.TEXT, "markdown": NotifyFormat.MARKDOWN, "html": NotifyFormat.HTML}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,15})://")
#: How long the service's answer may be in a report.
_DETAIL_LIMIT = 300


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _quiet_apprise() -> Iterator[_Collect]:
    """apprise's records for the duration, kept away from every other handler."""
    logger = logging.getLogger("apprise")
    handler = _Collect()
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, _ = saved
        logger.setLevel(saved[1])


class AppriseChannel:
    """One service opened from its URL; ``url`` is shown redacted, the real one never."""

    def __init__(self, service: apprise.NotifyBase, scheme: str, url: str, redact: Redactor):
        self._service = service
        self._redact = redact
        self.kind = scheme
        self.url = redacted_url(url)
        self.limit = int(service.body_maxlen)
        self.style = _STYLES.get(scheme, "text")

    def send(self, message: Message, *, timeout: float) -> Answer:
        """One request (apprise's ``notify``); the answer says whether anything came back."""
        self._service.socket_connect_timeout = timeout
        self._service.socket_read_timeout = timeout
        with _quiet_apprise() as log:
            try:
                ok = bool(
                    self._service.notify(
                        body=message.body,
                        title=message.title,
                        body_format=_FORMATS[self.style],
                        overflow=OverflowMode.TRUNCATE,  # sized already; never a flood
                    )
                )
            except Exception as exc:  # a plugin bug must not fail the published run
                return Answer(False, self._redact(f"{type(exc).__name__}: {one_line(str(exc))}"))
        said = [r.getMessage() for r in log.records]
        transport = any("connection error" in line.lower() for line in said)
        if ok:
            return Answer(True, "accepted")
        return Answer(False, self._detail(log.records), transport=transport)

    def _detail(self, records: Sequence[logging.LogRecord]) -> str:
        """The warnings apprise logged and the service's answer body, redacted, one line."""
        parts: list[str] = []
        for record in records:
            text = record.getMessage()
            if record.levelno >= logging.WARNING:
                parts.append(text)
            elif text.startswith(("Response Details", "Socket Exception")):
                parts.append(text.split(":", 1)[-1])
        detail = self._redact(one_line(" ".join(parts))) or "the service refused the message"
        return detail if len(detail) <= _DETAIL_LIMIT else detail[: _DETAIL_LIMIT - 1] + "…"


def open_channels(urls: Sequence[tuple[str, str]], redact: Redactor) -> tuple[AppriseChannel, ...]:
    """One channel per ``(position, url)``; a URL apprise cannot read is a ConfigError that
    names its position ("input `notify` line 2") and never the URL."""
    channels: list[AppriseChannel] = []
    with _quiet_apprise():
        known = _schemas()
        for where, url in urls:
            match = _SCHEME.match(url)
            if match is None:
                raise ConfigError(
                    f"{where} is not a channel URL: it does not start with a service like "
                    "slack://, discord://, tgram://, feishu://, wecombot://, mailtos:// or json://.",
                    "See README: Notifications for each service's URL.",
                )
            scheme = match.group(1).lower()
            if scheme not in known:
                raise ConfigError(
                    f"{where} names a service daily-papers does not know ({scheme}://).",
                    did_you_mean(scheme, sorted(known)) or "See README: Notifications.",
                )
            service = apprise.Apprise.instantiate(url)
            if service is None:
                raise ConfigError(
                    f"{where} is a {scheme}:// URL whose parts do not fit that service "
                    "(a token or an address is missing or malformed).",
                    "Copy the URL again from the service; see README: Notifications.",
                )
            channels.append(AppriseChannel(service, scheme, url, redact))
    return tuple(channels)


def _schemas() -> set[str]:
    """Every URL scheme of the services apprise can reach."""
    manager = NotificationManager()  # type: ignore[no-untyped-call]
    return {str(s).lower() for s in manager.schemas()}  # type: ignore[no-untyped-call]
