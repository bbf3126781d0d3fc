"""How the GitHub adapter talks HTTP: bounded retries, request counting, no blind repeats.

PyGithub's :class:`github.GithubRetry.GithubRetry` retries 5xx answers and connection errors
(GET and POST; never PATCH) and rate-limited 403s.  Here it is bounded to :data:`RETRY_TOTAL`
attempts with a short exponential backoff, any rate-limit or ``Retry-After`` wait is capped at
:data:`MAX_RATE_LIMIT_WAIT` seconds, and every request is counted (``api_calls``).

A POST that creates something visible (an issue, a pull request) is never repeated blindly: if
its answer was lost, a second POST could open a duplicate.  Those requests fail on the first
transport error instead, and the publishing decisions re-read GitHub to learn whether the first
one took effect.  Creating trees and commits is content-addressed and safe to repeat.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import github
from github import Auth
from github.GithubException import RateLimitExceededExceedsMaxWait
from github.GithubRetry import GithubRetry
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse

logger = logging.getLogger(__name__)

#: Attempts for a request failing with 5xx or a connection error.  With :data:`RETRY_BACKOFF`
#: 1 s the waits are 0 s, 2 s, 4 s.
RETRY_TOTAL = 3
RETRY_BACKOFF = 1.0
#: Longest wait (seconds) for a rate-limit reset or ``Retry-After`` before failing instead.
MAX_RATE_LIMIT_WAIT = 60.0
#: Requests whose repetition would create a second object: ``POST …/issues`` and ``POST …/pulls``.
_UNSAFE_TO_REPEAT = re.compile(r"/repos/[^/]+/[^/]+/(?:issues|pulls)/?(?:\?.*)?$")


def is_unsafe_to_repeat(method: str | None, url: str | None) -> bool:
    """True for a POST that creates an issue or a pull request (see the module docstring)."""
    return (
        (method or "").upper() == "POST" and bool(url) and bool(_UNSAFE_TO_REPEAT.search(str(url)))
    )


class _CountingToken(Auth.Token):
    """``Auth.Token`` that counts the requests PyGithub sends (it authenticates every request)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.calls = 0

    def authentication(self, headers: dict[str, str]) -> None:
        self.calls += 1
        super().authentication(headers)


class _RetryCounter:
    """Shared between the immutable Retry copies urllib3 makes; counts repeated attempts."""

    def __init__(self) -> None:
        self.retries = 0


class _BoundedRetry(GithubRetry):
    """``GithubRetry`` whose waits are counted, capped and done by an injected sleeper.

    urllib3 copies the Retry object on every attempt (``new``), so the counter and sleeper are
    passed along.  A ``Retry-After`` beyond ``max_rate_limit_wait`` fails instead of blocking
    (PyGithub only caps the waits it computes itself from ``X-RateLimit-Reset``).
    """

    def __init__(
        self,
        *,
        counter: _RetryCounter,
        sleeper: Callable[[float], None],
        **kwargs: Any,
    ) -> None:
        self._counter = counter
        self._sleeper = sleeper
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> _BoundedRetry:
        kw.update(counter=self._counter, sleeper=self._sleeper)
        return super().new(**kw)

    def increment(
        self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        """Count down one attempt, except for a POST that must not be repeated: fail at once."""
        response = kwargs.get("response") or (args[0] if args else None)
        lost = response is None or getattr(response, "status", 0) >= 500
        if lost and is_unsafe_to_repeat(method, url):
            # No answer, or a server error: the object may exist now.  A rate-limit answer
            # means GitHub did nothing, so those are still retried.
            error = kwargs.get("error") or (args[1] if len(args) > 1 else None)
            raise MaxRetryError(kwargs.get("_pool"), str(url), error)  # type: ignore[arg-type]
        return super().increment(method, url, *args, **kwargs)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        self._counter.retries += 1
        wait: float | None = None
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response)
        if wait is None:
            wait = self.get_backoff_time()
        if self.max_rate_limit_wait is not None and wait > self.max_rate_limit_wait:
            headers = dict(response.headers) if response is not None else None
            status = response.status if response is not None else 429
            raise RateLimitExceededExceedsMaxWait(status, None, headers, wait=wait)
        if wait > 0:
            logger.info("GitHub asked to wait; retrying in %.0f s", wait)
            self._sleeper(wait)


@dataclass(frozen=True)
class Connection:
    """A configured PyGithub client plus what counts its requests."""

    gh: github.Github
    token: _CountingToken
    retries: _RetryCounter

    @property
    def api_calls(self) -> int:
        """HTTP requests sent so far, including transport retries."""
        return self.token.calls + self.retries.retries


def connect(
    api_url: str,
    token: str,
    *,
    retry: bool = True,
    throttle: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> Connection:
    """A lazy PyGithub client for ``api_url``; makes no request yet.

    ``retry=False`` disables the transport retries and ``throttle=False`` PyGithub's spacing of
    requests (0.25 s) and writes (1 s), both for tests.  ``sleep`` does the retry waits.
    """
    auth = _CountingToken(token)
    counter = _RetryCounter()
    retry_obj: GithubRetry | None = None
    if retry:
        retry_obj = _BoundedRetry(
            counter=counter,
            sleeper=sleep,
            total=RETRY_TOTAL,
            backoff_factor=RETRY_BACKOFF,
            max_rate_limit_wait=MAX_RATE_LIMIT_WAIT,
            secondary_rate_wait=MAX_RATE_LIMIT_WAIT,
        )
    spacing: dict[str, Any] = (
        {} if throttle else {"seconds_between_requests": 0, "seconds_between_writes": 0}
    )
    gh = github.Github(
        base_url=api_url.rstrip("/"), auth=auth, retry=retry_obj, lazy=True, **spacing
    )
    return Connection(gh=gh, token=auth, retries=counter)
