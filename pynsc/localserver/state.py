"""What ``pynsc server run`` started, kept in ``state.json`` in the server directory.

The file is written atomically (0600) once the processes are spawned and removed when they are
stopped; ``status`` and ``stop`` read it to find them. Format (version 1)::

    {
      "version": 1,
      "operator": "O",
      "dir": "/home/me/.local/share/nats/nsc/stores/O/.server",
      "binary": "/home/me/venv/bin/nats-server",
      "cluster": "",                       // cluster name; "" for one node
      "jetstream": false,
      "started": "2025-01-31T12:00:00Z",
      "nodes": [
        {"name": "n1", "server_name": "O-n1", "host": "127.0.0.1", "port": 4222,
         "http_port": 8222, "cluster_port": 0, "websocket_url": "", "pid": 12345,
         "started": "2025-01-31T12:00:00Z", "dir": ".../n1",
         "config": ".../n1/nats-server.conf", "log": ".../n1/nats-server.log"}
      ]
    }
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pynsc import _json
from pynsc._fs import atomic_write
from pynsc.errors import ServerError

__all__ = ["STATE_FILE", "STATE_VERSION", "NodeState", "ServerState", "read_state",
           "remove_state", "write_state"]  # fmt: skip

STATE_FILE = "state.json"
STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class NodeState:
    """One nats-server process: its name, ports, files and, once spawned, its pid."""

    name: str
    server_name: str
    dir: Path
    port: int
    http_port: int
    cluster_port: int = 0
    host: str = "127.0.0.1"
    pid: int = 0
    started: str = ""
    websocket_url: str = ""
    """``ws://host:port`` (or ``wss://``) when the node listens for websocket clients."""

    @property
    def config(self) -> Path:
        return self.dir / "nats-server.conf"

    @property
    def log(self) -> Path:
        return self.dir / "nats-server.log"

    @property
    def jwt_dir(self) -> Path:
        return self.dir / "jwt"

    @property
    def jetstream_dir(self) -> Path:
        """Where nats-server keeps JetStream data (``store_dir`` is the node's directory)."""
        return self.dir / "jetstream"

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def monitor_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def route_url(self) -> str:
        return f"nats-route://{self.host}:{self.cluster_port}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "server_name": self.server_name,
            "host": self.host,
            "port": self.port,
            "http_port": self.http_port,
            "cluster_port": self.cluster_port,
            "pid": self.pid,
            "started": self.started,
            "url": self.url,
            "monitor_url": self.monitor_url,
            "websocket_url": self.websocket_url,
            "dir": str(self.dir),
            "config": str(self.config),
            "log": str(self.log),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NodeState:
        return cls(
            name=str(data["name"]),
            server_name=str(data["server_name"]),
            dir=Path(data["dir"]),
            port=int(data["port"]),
            http_port=int(data["http_port"]),
            cluster_port=int(data.get("cluster_port", 0)),
            host=str(data.get("host", "127.0.0.1")),
            pid=int(data.get("pid", 0)),
            started=str(data.get("started", "")),
            websocket_url=str(data.get("websocket_url", "")),
        )


@dataclass(frozen=True, slots=True)
class ServerState:
    """Every node started from one server directory, for one operator."""

    operator: str
    dir: Path
    binary: Path
    nodes: tuple[NodeState, ...] = ()
    cluster: str = ""
    jetstream: bool = False
    started: str = ""

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def monitor_urls(self) -> list[str]:
        return [node.monitor_url for node in self.nodes]

    @property
    def websocket_urls(self) -> list[str]:
        """Each node's websocket URL (none when they do not listen for websockets)."""
        return [node.websocket_url for node in self.nodes if node.websocket_url]

    @property
    def pids(self) -> list[int]:
        return [node.pid for node in self.nodes]

    @property
    def url(self) -> str:
        """Every client URL, comma separated (what nats clients and ``pynsc push -u`` take)."""
        return ",".join(self.urls)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "operator": self.operator,
            "dir": str(self.dir),
            "binary": str(self.binary),
            "cluster": self.cluster,
            "jetstream": self.jetstream,
            "started": self.started,
            "nodes": [node.to_dict() for node in self.nodes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerState:
        return cls(
            operator=str(data["operator"]),
            dir=Path(data["dir"]),
            binary=Path(data["binary"]),
            nodes=tuple(NodeState.from_dict(node) for node in data["nodes"]),
            cluster=str(data.get("cluster", "")),
            jetstream=bool(data.get("jetstream", False)),
            started=str(data.get("started", "")),
        )


def read_state(directory: Path) -> ServerState | None:
    """The state in ``directory``, or ``None`` when there is none."""
    path = directory / STATE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ServerError(f"cannot read `{path}`: {e.strerror}") from e
    try:
        data = _json.loads(text)
        version = data.get("version") if isinstance(data, dict) else None
        if version != STATE_VERSION:
            raise ValueError(f"unknown format version {version!r}")
        return ServerState.from_dict(data)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ServerError(
            f"`{path}` is not a pynsc server state file: {e}",
            hint="stop any nats-server still running from that directory by hand, "
            "then delete the file",
        ) from e


def write_state(state: ServerState) -> None:
    """Write ``state`` to ``state.dir`` (atomically, 0600)."""
    text = json.dumps(state.to_dict(), indent=2, ensure_ascii=False) + "\n"
    atomic_write(state.dir / STATE_FILE, text)


def remove_state(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (directory / STATE_FILE).unlink()
