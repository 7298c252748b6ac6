"""A local nats-server (or a small cluster) for an operator: what ``pynsc server`` runs.

The servers listen on the loopback interface only and trust the operator: its JWT, its system
account, and a full nats resolver (deletion allowed, a high account limit) preloaded with the
system account; every other account is pushed once the servers answer. State lives in a
directory of the store (default ``<operator dir>/.server``): one subdirectory per node (config,
log, JWTs, JetStream data) and ``state.json`` (:mod:`pynsc.localserver.state`)::

    from pynsc import localserver
    from pynsc.keys import KeyStore
    from pynsc.store import Store

    store = Store.open(root, "O")
    started = localserver.start(store, KeyStore(keys_dir), localserver.ServerSpec(nodes=3))
    print(started.state.url)            # nats://127.0.0.1:4222,nats://127.0.0.1:4223,...
    ...
    localserver.stop(started.state.dir)

The nats-server binary is found by :func:`find_binary`. Nothing here prints or exits; failures
raise :class:`~pynsc.errors.ServerError`.
"""

from __future__ import annotations

from pynsc.localserver.binary import BINARY_ENV, find_binary
from pynsc.localserver.lifecycle import (
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    DIR_NAME,
    MAX_NODES,
    RESOLVER_LIMIT,
    NodeStatus,
    NodeStop,
    ServerSpec,
    ServerStatus,
    Started,
    StopResult,
    default_dir,
    start,
    status,
    stop,
    wait,
)
from pynsc.localserver.state import STATE_FILE, NodeState, ServerState, read_state

__all__ = [
    "BINARY_ENV",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DIR_NAME",
    "MAX_NODES",
    "RESOLVER_LIMIT",
    "STATE_FILE",
    "NodeState",
    "NodeStatus",
    "NodeStop",
    "ServerSpec",
    "ServerState",
    "ServerStatus",
    "Started",
    "StopResult",
    "default_dir",
    "find_binary",
    "read_state",
    "start",
    "status",
    "stop",
    "wait",
]
