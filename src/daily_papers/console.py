"""Where a run speaks to people: plain lines on a terminal, workflow commands in Actions.

Standard output carries what a command produces (the papers of ``search``, its JSON, the
report and diff of ``update``); progress, retry notices and status lines go to standard
error, so ``daily-papers search --json | jq`` keeps working while arXiv throttles.  In
Actions, where both streams are the step's log, status lines stay on standard output beside
the log groups they belong to, unless standard output carries data (``search``).

Remote text (titles, topic names from a file, error bodies) only reaches the streams through
:func:`daily_papers.escape.console_text` or inside stop-commands, so no line of it can act as a
workflow command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from daily_papers import runner
from daily_papers.escape import console_text
from daily_papers.merge import FetchFailure, FetchResult
from daily_papers.models import Topic
from daily_papers.notify.redact import Redactor


@dataclass
class Console:
    """The run's two streams; ``annotations`` when running inside GitHub Actions.

    ``data`` says that standard output carries the command's data (``search``): status lines
    then go to standard error in Actions too.
    """

    out: TextIO
    err: TextIO
    annotations: bool = False
    data: bool = False
    #: Every line passes through it: notification URLs are secrets (``notify.redact``).
    redact: Redactor = field(default_factory=Redactor)

    def say(self, text: str) -> None:
        """One line of the command's output (remote text only through ``console_text``)."""
        print(self.redact(text), file=self.out, flush=True)

    @property
    def status_stream(self) -> TextIO:
        """Where :meth:`status` lines go: the log in Actions, else (or beside data) stderr."""
        return self.out if self.annotations and not self.data else self.err

    def status(self, text: str) -> None:
        """A progress, retry or status line: never on standard output beside data."""
        print(self.redact(text), file=self.status_stream, flush=True)

    def warn(self, text: str) -> None:
        """A warning: an annotation in Actions, ``warning: …`` on stderr elsewhere."""
        if self.annotations:
            print(runner.annotation("warning", self.redact(text)), file=self.out, flush=True)
        else:
            print(f"warning: {console_text(self.redact(text))}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        """An error: an annotation in Actions, ``error: …`` on stderr elsewhere."""
        if self.annotations:
            print(runner.annotation("error", self.redact(text)), file=self.out, flush=True)
        else:
            print(f"error: {console_text(self.redact(text))}", file=self.err, flush=True)

    @contextmanager
    def untrusted(self) -> Iterator[None]:
        """Print paper text so that no line of it can act as a workflow command."""
        if not self.annotations:
            yield
            return
        with runner.stop_commands(self.out):
            yield

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        """A collapsible log group in Actions; nothing elsewhere."""
        if not self.annotations:
            yield
            return
        with runner.group(title, self.out):
            yield

    def topic_progress(self, total: int) -> Callable[[int, Topic, FetchResult], None]:
        """A callback printing each topic's outcome as soon as it is fetched.

        The lines are status lines (see :meth:`status`).  On a terminal a bar below them shows
        how far the run is; elsewhere (the Actions log, a pipe) one line per topic is the
        whole story.
        """
        bar = self.status_stream is self.err and _isatty(self.err)

        def done(index: int, topic: Topic, result: FetchResult) -> None:
            name = console_text(topic.name)
            if bar:
                self.err.write("\r\x1b[K")
            if isinstance(result, FetchFailure):
                self.status(f"[{index}/{total}] {name}: FAILED ({console_text(result.status)})")
            else:
                count = len(result)
                self.status(f"[{index}/{total}] {name}: {count} paper{'s' if count != 1 else ''}")
            if bar and index < total:
                filled = round(BAR_WIDTH * index / total)
                self.err.write(f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {index}/{total}")
                self.err.flush()

        return done


#: Characters of the terminal progress bar.
BAR_WIDTH = 30


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
