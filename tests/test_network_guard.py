"""The suite-wide guard must refuse anything but loopback (a test that can't fail is a defect)."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkAccessError


def test_non_loopback_connect_is_refused() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkAccessError),
    ):
        sock.connect(("192.0.2.1", 443))


def test_non_loopback_resolution_is_refused() -> None:
    with pytest.raises(NetworkAccessError):
        socket.getaddrinfo("export.arxiv.org", 443)


def test_loopback_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
