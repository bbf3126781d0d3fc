"""Where a run speaks to people: plain lines on a terminal, workflow commands in Actions.

Remote text (titles, topic names from a file, error bodies) only reaches the streams through
:func:`daily_papers.escape.console_text` or inside stop-commands, so no line of it can act as a
workflow command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from daily_papers import runner
from daily_papers.escape import console_text
from daily_papers.merge import FetchFailure, FetchResult
from daily_papers.models import Topic


@dataclass
class Console:
    """The run's two streams; ``annotations`` when running inside GitHub Actions."""

    out: TextIO
    err: TextIO
    annotations: bool = False

    def say(self, text: str) -> None:
        """One line of trusted text (built from remote text only through ``console_text``)."""
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        """A warning: an annotation in Actions, ``warning: …`` on stderr elsewhere."""
        if self.annotations:
            print(runner.annotation("warning", text), file=self.out, flush=True)
        else:
            print(f"warning: {console_text(text)}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        """An error: an annotation in Actions, ``error: …`` on stderr elsewhere."""
        if self.annotations:
            print(runner.annotation("error", text), file=self.out, flush=True)
        else:
            print(f"error: {console_text(text)}", file=self.err, flush=True)

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

        On a terminal a bar on stderr shows how far the run is; elsewhere (the Actions log,
        a pipe) one line per topic is the whole story.
        """
        bar = _isatty(self.err) and not self.annotations

        def done(index: int, topic: Topic, result: FetchResult) -> None:
            name = console_text(topic.name)
            if bar:
                self.err.write("\r\x1b[K")
            if isinstance(result, FetchFailure):
                self.say(f"[{index}/{total}] {name}: FAILED ({console_text(result.status)})")
            else:
                count = len(result)
                self.say(f"[{index}/{total}] {name}: {count} paper{'s' if count != 1 else ''}")
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
