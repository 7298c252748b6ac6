"""``pynsc server``: a local nats-server (or cluster) for the current operator (not in nsc)."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "server",
    lazy_subcommands={
        "run": Lazy(
            "pynsc.cli.server.run:server_run",
            "Start a local nats-server (or cluster) for the operator.",
        ),
        "status": Lazy(
            "pynsc.cli.server.status:server_status",
            "Show the local nats-server(s) of the operator.",
        ),
        "stop": Lazy(
            "pynsc.cli.server.stop:server_stop", "Stop the local nats-server(s) of the operator."
        ),
    },
)
def server_group() -> None:
    """Run a local nats-server for the current operator, for development.

    'pynsc server run' starts nats-server on 127.0.0.1 (one node, or a cluster with --cluster N)
    trusting the operator, with a full nats resolver to which every account is pushed; 'status'
    shows it and 'stop' stops it. Its files live in the operator's directory (.server/).
    """
