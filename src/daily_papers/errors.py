"""The error hierarchy: every failure a user can act on is one of these.

Each error carries one sentence naming the input, file or permission at fault and, where
there is one, a hint saying how to fix it.  The entry point (``__main__``) catches
:class:`DailyPapersError` once, prints the sentence and exits with ``exit_code``.  Any other
exception is a bug in daily-papers and keeps its traceback.

::

    DailyPapersError                exit 1  (nothing written)
    ├── ConfigError                 exit 2  bad CLI option, input, topics file, template name
    │   └── QueryError              exit 2  a topic that is not a valid arXiv query
    ├── ArxivError                  exit 1  arXiv could not be reached or answered garbage
    │   └── ArxivQueryError         exit 1  arXiv rejected the query (HTTP 400 error feed)
    ├── ReadmeError                 exit 1  README unreadable, markers missing/duplicated
    ├── DataFileError               exit 1  the JSON state file is unreadable or invalid
    ├── TemplateError               exit 1  a template failed to load or render
    └── GitHubError                 exit 1  the GitHub API refused or failed
"""

from __future__ import annotations


class DailyPapersError(Exception):
    """Base of all user-facing errors; ``message`` is one sentence, ``hint`` the fix."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class ConfigError(DailyPapersError):
    """A command-line option, action input or topics file is invalid (a usage error)."""

    exit_code = 2


class QueryError(ConfigError):
    """A topic cannot become a valid arXiv query (unbalanced quotes/parentheses, empty)."""


class ArxivError(DailyPapersError):
    """Fetching from arXiv failed after all retries; names the topic, URL and the answer.

    ``kind`` says what failed, so a caller can tell throttling from an unreachable host and
    compare two failures: ``dns``, ``refused``, ``tls``, ``connection``, ``timeout``,
    ``deadline``, ``oversize``, ``not-atom``, ``malformed``, ``empty-page``, ``budget``,
    ``redirect`` or ``http-<status>`` (``None`` for errors raised before any request).
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        topic: str | None = None,
        url: str | None = None,
        status: int | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.topic = topic
        self.url = url
        self.status = status
        self.kind = kind


class ArxivQueryError(ArxivError):
    """arXiv answered with its Atom error feed (HTTP 400): the query itself is wrong."""


class ReadmeError(DailyPapersError):
    """The README cannot be read, or its markers are missing, duplicated or out of order."""


class DataFileError(DailyPapersError):
    """The data (state) file exists but cannot be read, parsed or understood."""


class TemplateError(DailyPapersError):
    """A template could not be found, loaded or rendered (names the template and line)."""


class GitHubError(DailyPapersError):
    """The GitHub API refused a request or kept failing; the hint names the fix."""

    def __init__(self, message: str, hint: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status
