"""The two bounds every request to an untrusted server needs, shared by arXiv's exchange and
the summarising endpoint: a watchdog that ends an exchange at its deadline, and the adapter
that puts every socket (proxied ones too) under it; plus reading ``Retry-After``.

A read timeout only bounds the gap between two socket reads, so a server that drips its answer
is stopped only by shutting its socket down from another thread when the deadline passes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["WATCHDOG_POLL", "Clock", "Watchdog", "WatchedAdapter", "parse_retry_after"]

#: Real seconds between two looks of the watchdog at the clock: a deadline is kept to
#: within this much, and an idle request costs twenty wake-ups a second.
WATCHDOG_POLL = 0.05
#: A monotonic clock in seconds (``time.monotonic`` in production).
Clock = Callable[[], float]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    ``None`` when absent or unreadable; never negative.  ``now`` must be timezone-aware
    (RFC 9110 §10.2.3).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


class Watchdog:
    """Shuts down the registered sockets when a request's deadline passes on the clock.

    urllib3 reads the status line and headers in many small reads, so this is the one way to
    end a drip-fed answer on time, in any phase.  The thread looks at the injected clock every
    :data:`WATCHDOG_POLL` real seconds; ``fired`` says whether it shut the sockets this time.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.fired = False

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def arm(self, ends: float) -> None:
        """Watch until the clock reads ``ends`` (or :meth:`disarm`)."""
        self.disarm()
        self.fired = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(ends, self._stop), daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def watching(self, ends: float) -> Iterator[None]:
        """:meth:`arm` for the block, then :meth:`disarm`."""
        self.arm(ends)
        try:
            yield
        finally:
            self.disarm()

    def disarm(self) -> None:
        # Joined, not just stopped: a run leaves no thread behind, so the site phase may
        # fork (see daily_papers.site.render.can_fork_index).
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _watch(self, ends: float, stop: threading.Event) -> None:
        while not stop.wait(WATCHDOG_POLL):
            if self._clock() >= ends:
                self._fire()
                return

    def _fire(self) -> None:
        self.fired = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


def _watched_pools(
    register: Callable[[socket.socket], None],
) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose new sockets are handed to ``register`` (the watchdog)."""

    class WatchedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class WatchedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            register(sock)
            return sock

    class WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    return {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, with every connection (proxied too) under the watchdog."""

    def __init__(self, register: Callable[[socket.socket], None]) -> None:
        self._pools = _watched_pools(register)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager
