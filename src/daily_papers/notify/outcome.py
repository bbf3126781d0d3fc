"""What happened to one channel in a run, as the report, the summary and the result JSON show it.

Everything in it is already redacted (the channel's URL with its secrets replaced by ``***``,
the service's answer through the run's redactor), so any report may print it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DRY_RUN", "FAILED", "NOTIFY_FORMATS", "NOTIFY_ON", "SENT", "ChannelOutcome"]

SENT, FAILED, DRY_RUN = "sent", "failed", "dry-run"

NOTIFY_ON = ("new", "always", "failure")
"""``new``: runs with new papers; ``always``: every run; ``failure``: new papers and failures."""

NOTIFY_FORMATS = ("short", "full")
"""``short``: counts, the top titles and "+N more"; ``full``: every paper that fits."""


@dataclass(frozen=True)
class ChannelOutcome:
    """One channel: its kind (``slack``), redacted URL, status and the service's answer."""

    kind: str
    url: str
    status: str  # sent | failed | dry-run
    detail: str = ""  # the service's answer (or why nothing was sent)
    length: int = 0  # characters of the message (title and body)
    limit: int = 0  # the channel's limit
    attempts: int = 0
    title: str = ""  # kept in a dry run, which shows every message instead of sending it
    body: str = ""

    @property
    def failed(self) -> bool:
        """True when the channel did not take the message."""
        return self.status == FAILED

    def to_json(self) -> dict[str, Any]:
        """The result JSON's entry (the message itself only in a dry run)."""
        entry: dict[str, Any] = {
            "kind": self.kind,
            "url": self.url,
            "status": self.status,
            "detail": self.detail,
            "length": self.length,
            "limit": self.limit,
            "attempts": self.attempts,
        }
        if self.status == DRY_RUN:
            entry["message"] = {"title": self.title, "body": self.body}
        return entry
