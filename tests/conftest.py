"""Test-wide guards and fixtures.

No test may reach anything but loopback: :func:`_loopback_only` replaces ``socket.connect``
for the whole run so any other address fails the test immediately (arXiv and GitHub are
served by the loopback fakes in ``tests/fakes``).
"""

from __future__ import annotations

import ast
import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = [
    "tests.fakes.arxiv_server",
    "tests.fakes.github_server",
    "tests.fakes.webhook_server",
    "tests.fakes.models_server",
    "tests.feed_world",
    "tests.action_world",
]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NetworkAccessError(AssertionError):
    """Raised when a test tries to reach a non-loopback address."""


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _is_loopback(address):
        raise NetworkAccessError(f"test tried to reach {address!r}; only loopback is allowed")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_loopback(address):
        raise NetworkAccessError(f"test tried to reach {address!r}; only loopback is allowed")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not _is_loopback(
        (host.decode() if isinstance(host, bytes) else host, 0)
    ):
        raise NetworkAccessError(f"test tried to resolve {host!r}; only loopback is allowed")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _in_the_test_folder(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own temporary folder, as a user runs daily-papers in theirs: a
    local run writes only inside its working directory."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _guarded_getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = _real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = _real_getaddrinfo


# --- the fast default run and the full run ----------------------------------------------------

#: Markers of the tests that start whole tools (act, a fresh venv, Chromium): a minute or more
#: together, so the default run leaves them out and ``pytest --full`` (what CI runs) keeps them.
HEAVY_MARKERS = ("act", "venv", "browser")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="also run the act, setup-venv and browser tests (CI runs this)",
    )


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    _note_fixture_use(config, items)
    if config.getoption("--full") or config.getoption("-m"):
        return
    heavy = [i for i in items if any(i.get_closest_marker(m) for m in HEAVY_MARKERS)]
    if heavy:
        config.hook.pytest_deselected(items=heavy)
        items[:] = [i for i in items if i not in set(heavy)]


# --- no fixture nobody uses ---------------------------------------------------------------------

_UNUSED_FIXTURES: list[str] = []


def _note_fixture_use(config: pytest.Config, items: list[pytest.Item]) -> None:
    """After collecting the whole suite, list the fixtures defined under tests/ that no test
    requests (directly or through another fixture): a fixture left behind by a deleted test
    is dead code that still looks like coverage."""
    tests_dir = config.rootpath / "tests"
    whole_suite = all((config.rootpath / a).resolve() == tests_dir for a in config.args)
    if not whole_suite or config.getoption("-k") or config.getoption("-m"):
        return
    used: set[str] = set()
    for item in items:
        used.update(getattr(item, "fixturenames", ()))
    for path in sorted(tests_dir.rglob("*.py")):
        for name, line in _fixtures_defined_in(path):
            if name not in used:
                _UNUSED_FIXTURES.append(f"{name} ({path.relative_to(config.rootpath)}:{line})")


def _fixtures_defined_in(path: Path) -> Iterator[tuple[str, int]]:
    """The fixtures a test file defines, read from its source (``@pytest.fixture`` and
    ``@pytest.fixture(name=...)``), so the check does not lean on pytest's internals."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) not in ("pytest.fixture", "fixture"):
                continue
            name = node.name
            for keyword in call.keywords if call else ():
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    name = str(keyword.value.value)
            yield name, node.lineno


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _UNUSED_FIXTURES and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _UNUSED_FIXTURES:
        terminalreporter.section("fixtures no test uses (delete them)", red=True)
        for line in sorted(set(_UNUSED_FIXTURES)):
            terminalreporter.line(line)
