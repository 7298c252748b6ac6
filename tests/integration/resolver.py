"""nats-servers with a full nats resolver, alone or as a cluster routed on loopback.

The config is the one ``pynsc generate config --nats-resolver`` writes for the store, with
``allow_delete: true`` (so ``push --prune`` and ``-R`` work); each node gets a copy in its own
directory (so ``dir: './jwt'`` is its own) with ``server_name`` and, for a cluster, a ``cluster``
block routing to every node. :func:`resolver_cluster` starts the nodes and waits, polling each
node's ``/routez``, until every node routes to every other one.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pynsc.push.resolver import lookup_subject

from .configserver import ConfigFileServer, config_servers
from .natsserver import NatsServerError, connect_url, free_port

__all__ = ["ResolverCluster", "node_config", "resolver_cluster"]

CLUSTER_TIMEOUT = 10.0
_POLL = 0.02


def node_config(base_config: str, *, name: str, routes: list[int], port: int | None) -> str:
    """``base_config`` for node ``name``: deletes allowed, a server name, and (with ``port``) a
    cluster block listening there and routing to ``routes``."""
    text = base_config.replace("allow_delete: false", "allow_delete: true")
    if "allow_delete: true" not in text:
        raise AssertionError("the generated config has no nats resolver block")
    lines = [text.rstrip("\n"), f"server_name: {name}"]
    if port is not None:
        route_urls = ", ".join(f'"nats-route://127.0.0.1:{p}"' for p in routes)
        lines.append(
            f'cluster {{ name: "pynsc-test", listen: "127.0.0.1:{port}", '
            f"routes: [{route_urls}] }}"
        )
    return "\n".join(lines) + "\n"


@dataclass
class ResolverCluster:
    """The nodes (``n1``, ``n2`` …) of one resolver cluster, and how to talk to them."""

    nodes: list[ConfigFileServer]
    start: Callable[..., ConfigFileServer]

    @property
    def url(self) -> str:
        """Node 1's client URL."""
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def stop(self, index: int) -> None:
        """Stop node ``index`` (0-based) and wait until the others no longer route to it."""
        node = self.nodes[index]
        node.stop()
        others = [n for i, n in enumerate(self.nodes) if i != index and n.running]
        _wait_routes(others, {n.name for n in others})

    def restart(self, index: int) -> None:
        node = self.nodes[index]
        node.start()
        running = [n for n in self.nodes if n.running]
        _wait_routes(running, {n.name for n in running})

    def lookup(self, index: int, creds: Path, account: str) -> str:
        """What node ``index`` holds for ``account`` (``""``: nothing), asked over
        ``$SYS.REQ.ACCOUNT.<account>.CLAIMS.LOOKUP`` as a system user (``creds``)."""
        return asyncio.run(_lookup(self.nodes[index].url, creds, account))

    def files(self, index: int) -> list[str]:
        """Names of the files in node ``index``'s resolver directory."""
        directory = self.nodes[index].workdir / "jwt"
        return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


async def _lookup(url: str, creds: Path, account: str) -> str:
    client = await connect_url(url, creds)
    try:
        reply = await client.request(lookup_subject(account), b"", timeout=2)
        return reply.data.decode()
    finally:
        await client.close()


def _routes_of(node: ConfigFileServer) -> set[str]:
    try:
        with urllib.request.urlopen(f"{node.monitor_url}/routez", timeout=1) as response:
            body = json.load(response)
    except OSError:
        return set()
    return {str(r.get("remote_name") or r.get("remote_id")) for r in body.get("routes") or ()}


def _wait_routes(nodes: list[ConfigFileServer], names: set[str]) -> None:
    deadline = time.monotonic() + CLUSTER_TIMEOUT
    for node in nodes:
        expected = names - {node.name}
        while not expected <= _routes_of(node):
            if time.monotonic() > deadline:
                raise NatsServerError(
                    f"{node.name} routes to {sorted(_routes_of(node))}, not {sorted(expected)}"
                    f"\n{node.log_tail()}"
                )
            time.sleep(_POLL)


@contextmanager
def resolver_cluster(
    base: Path, config: Path, *, nodes: int = 1, prefix: str = "n"
) -> Iterator[ResolverCluster]:
    """Start ``nodes`` servers from the generated ``config`` under ``base``; stop them after.

    One node runs without a cluster block; more are routed together.
    """
    text = config.read_text(encoding="utf-8")
    ports = [free_port() for _ in range(nodes)] if nodes > 1 else []
    with config_servers(base) as start:
        started = []
        for index in range(nodes):
            name = f"{prefix}{index + 1}"
            node_dir = base / name
            node_dir.mkdir(parents=True, exist_ok=True)
            node_file = node_dir / "server.conf"
            node_file.write_text(
                node_config(text, name=name, routes=ports, port=ports[index] if ports else None),
                encoding="utf-8",
            )
            started.append(start(node_file, name=name))
        if nodes > 1:
            _wait_routes(started, {n.name for n in started})
        yield ResolverCluster(started, start)
