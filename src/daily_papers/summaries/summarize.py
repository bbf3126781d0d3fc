"""Summarise the papers that still lack a summary, within a request limit and a time budget.

Runs once the list of papers is fixed and never changes it: a paper without a summary is
shown exactly as before.  Whatever goes wrong ends as a :class:`SummaryReport` with the
reasons (for a warning and the step summary), never as an exception: a missing entitlement,
a quota, a rejected key or an unreachable endpoint stop the asking at once (every further
request would fail alike); a batch whose answer cannot be used is halved until the one paper
that spoils it is found; an item left out or malformed is asked for alone, once.  What is
not summarised this run is asked for on the next.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from daily_papers import defaults
from daily_papers.bounded_http import Clock
from daily_papers.models import Paper, Summary, TopicOutcome, new_papers, newest_first_key
from daily_papers.summaries import protocol
from daily_papers.summaries.endpoint import Reply, Unreached

__all__ = ["MIN_SECONDS", "Post", "SummaryReport", "needing_summary", "shown_papers", "summarize"]

#: Sends one request document with a time limit in seconds (an ``Endpoint.post``).
Post = Callable[[Mapping[str, Any], float], Reply | Unreached]

#: No request is started with less of the budget left than this: it could not finish.
MIN_SECONDS = 3.0


@dataclass(frozen=True)
class SummaryReport:
    """What summarising did in one run (the result JSON's ``summaries`` block)."""

    provider: str
    model: str
    language: str
    made: Mapping[str, Summary]  # new this run, by versioned id
    requests: int = 0
    cached: int = 0  # papers shown that already had a summary
    pending: int = 0  # papers shown that still have none (asked for next run)
    failures: tuple[tuple[str, str], ...] = ()  # (versioned id, why) of papers that failed
    stopped: str | None = None  # why asking stopped early, if it did
    seconds: float = 0.0

    @property
    def warnings(self) -> tuple[str, ...]:
        """One warning line for the run, or none when everything was summarised."""
        if self.stopped is None and not self.failures:
            return ()
        parts = []
        if self.stopped is not None:
            parts.append(f"summarising stopped: {self.stopped}")
        if self.failures:
            reasons = sorted({why for _key, why in self.failures})
            parts.append(f"{len(self.failures)} not summarised ({'; '.join(reasons[:3])})")
        return (
            "Summaries: "
            + ", ".join(parts)
            + f". {self.pending} papers are shown without a summary and are asked for on the "
            "next run.",
        )

    def to_json(self) -> dict[str, Any]:
        """The result JSON's ``summaries`` block."""
        return {
            "provider": self.provider,
            "model": self.model,
            "language": self.language,
            "summarized": len(self.made),
            "cached": self.cached,
            "pending": self.pending,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "failures": [{"id": key, "reason": why} for key, why in self.failures],
            # The texts themselves, for whatever announces the new papers (notifications).
            "texts": {key: summary.text for key, summary in sorted(self.made.items())},
        }


def shown_papers(outcomes: Sequence[TopicOutcome]) -> list[Paper]:
    """The papers the run shows, the ones new in it first, then the rest newest first: the
    order in which they are summarised when the request limit cannot cover them all."""
    first = [paper for _topic, paper in new_papers(outcomes)]
    rest = sorted((p for o in outcomes for p in o.papers), key=newest_first_key, reverse=True)
    return first + rest


def needing_summary(
    papers: Sequence[Paper], cache: Mapping[str, Summary], *, language: str
) -> tuple[list[Paper], int]:
    """The papers (each once, in the given order) without a summary in ``language``, and how
    many already have one."""
    seen: set[str] = set()
    wanted: list[Paper] = []
    cached = 0
    for paper in papers:
        key = paper.versioned_id
        if key in seen:
            continue
        seen.add(key)
        known = cache.get(key)
        if known is not None and known.language == language:
            cached += 1
        else:
            wanted.append(paper)
    return wanted, cached


def summarize(
    papers: Sequence[Paper],
    cache: Mapping[str, Summary],
    *,
    post: Post,
    clock: Clock,
    provider: str,
    model: str,
    language: str,
    max_requests: int = defaults.SUMMARIZE_MAX_REQUESTS,
    seconds: float = defaults.SUMMARIZE_SECONDS,
    input_tokens: int = defaults.SUMMARIZE_INPUT_TOKENS,
) -> SummaryReport:
    """Ask for the summaries ``papers`` lack (in order: the first ones first)."""
    started = clock()
    ends = started + seconds
    wanted, cached = needing_summary(papers, cache, language=language)
    work: deque[tuple[tuple[Paper, ...], bool]] = deque(
        (batch, False) for batch in protocol.batches(wanted, input_tokens=input_tokens)
    )
    made: dict[str, Summary] = {}
    failures: dict[str, str] = {}
    requests = 0
    stopped: str | None = None
    while work:
        group, alone = work.popleft()
        left = ends - clock()
        if left < MIN_SECONDS:
            stopped = f"the {seconds:g} s time budget is spent"
            break
        if requests >= max_requests:
            stopped = f"the limit of {max_requests} requests per run is reached"
            break
        requests += 1
        document = protocol.request_document(group, model=model, language=language)
        reply = post(document, min(left, defaults.SUMMARIZE_REQUEST_SECONDS))
        if isinstance(reply, Unreached):
            stopped = f"no answer ({reply.reason})"
            break
        body = reply.json()
        outcome: dict[str, Any] | protocol.Failure | None = protocol.classify(
            reply.status, body, reply.retry_after
        )
        if outcome is None:
            outcome = protocol.completion_items(body)
        if isinstance(outcome, protocol.Failure):
            if outcome.stop:
                stopped = outcome.reason
                break
            if len(group) > 1:  # halve the batch: one abstract may spoil it
                half = len(group) // 2
                work.extendleft([(group[half:], False), (group[:half], False)])
            else:
                failures[group[0].versioned_id] = outcome.reason
            continue
        kept, bad = protocol.answered(outcome, group, language=language)
        made.update({key: Summary(text, language, model) for key, text in kept.items()})
        retry = [p for p in group if p.versioned_id in bad]
        if alone or len(group) == 1:
            failures.update({key: failure.reason for key, failure in bad.items()})
        else:
            work.extendleft(((p,), True) for p in reversed(retry))
    for key in made:
        failures.pop(key, None)
    return SummaryReport(
        provider=provider,
        model=model,
        language=language,
        made=made,
        requests=requests,
        cached=cached,
        pending=len(wanted) - len(made),
        failures=tuple(sorted(failures.items())),
        stopped=stopped,
        seconds=clock() - started,
    )
