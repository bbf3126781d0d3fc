"""The error hierarchy: every failure a user can act on is one of these.

Each error carries one sentence naming the input, file or permission at fault and, where
there is one, a hint saying how to fix it.  The command line (``cli.run``) catches
:class:`DailyPapersError` once, prints the sentence and returns ``exit_code``, which
``__main__`` exits with.  Any other
exception is a bug in daily-papers and keeps its traceback.  Nothing is written when one is
raised; a run whose topics partly failed is not an error but a result (exit 3).

::

    DailyPapersError                    exit 1
    ├── InputError                      exit 2  the user must fix an input or a file
    │   ├── ConfigError                         an option, action input or topics file
    │   │   └── QueryError                      a topic that is not a valid arXiv query
    │   ├── ReadmeError                         README unreadable, not UTF-8, markers wrong
    │   ├── DataFileError                       the data file is damaged or of an unknown schema
    │   └── TemplateError                       a template failed to load or render
    ├── ArxivError                      exit 1  arXiv could not be reached or answered garbage
    │   └── ArxivQueryError                     arXiv rejected a query (HTTP 400 error feed)
    └── GitHubError                     exit 1  the GitHub API refused or failed
        └── GitHubUnreachableError              no answer: a write may have landed
"""

from __future__ import annotations

from enum import Enum


class DailyPapersError(Exception):
    """Base of all user-facing errors; ``message`` is one sentence, ``hint`` the fix."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class InputError(DailyPapersError):
    """Something the user gave (an option, a file) must be fixed; nothing was written."""

    exit_code = 2


class ConfigError(InputError):
    """A command-line option, action input or topics file is invalid (a usage error)."""


class QueryError(ConfigError):
    """A topic cannot become a valid arXiv query (unbalanced quotes/parentheses, empty)."""


class ArxivErrorKind(str, Enum):
    """What failed when arXiv was asked, so a caller can compare two failures.

    The values are the strings logs and results have always shown (a ``str`` enum: it
    compares, hashes and serialises as its value).
    """

    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    DEADLINE = "deadline"
    OVERSIZE = "oversize"
    NOT_ATOM = "not-atom"
    MALFORMED = "malformed"
    EMPTY_PAGE = "empty-page"
    BUDGET = "budget"
    REDIRECT = "redirect"
    #: arXiv answered an HTTP status that is not a page; ``ArxivError.status`` says which.
    HTTP = "http"

    def __str__(self) -> str:
        return self.value


class ArxivError(DailyPapersError):
    """Fetching from arXiv failed after all retries; names the topic, URL and the answer.

    ``kind`` says what failed, so a caller can tell throttling from an unreachable host and
    compare two failures (``None`` for errors raised before any request).
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        topic: str | None = None,
        url: str | None = None,
        status: int | None = None,
        kind: ArxivErrorKind | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.topic = topic
        self.url = url
        self.status = status
        self.kind = kind


class ArxivQueryError(ArxivError):
    """arXiv answered with its Atom error feed (HTTP 400): the query itself is wrong."""


class ReadmeError(InputError):
    """The README cannot be read, or its markers are missing, duplicated or out of order."""


class DataFileError(InputError):
    """The data (state) file exists but cannot be read, parsed or understood."""


class TemplateError(InputError):
    """A template could not be found, loaded or rendered (names the template and line)."""


class GitHubError(DailyPapersError):
    """The GitHub API refused a request or kept failing; the hint names the fix."""

    def __init__(self, message: str, hint: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


class GitHubUnreachableError(GitHubError):
    """No answer from GitHub (connection refused, reset, timed out).

    After a write this means "unknown", not "failed": the publishing decisions re-read the
    repository to learn whether the write took effect before reporting anything.
    """
