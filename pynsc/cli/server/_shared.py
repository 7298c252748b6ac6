"""What ``server run``, ``status`` and ``stop`` share: ``--dir``, and the lines telling what
``stop`` did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from pynsc.cli.app import App

if TYPE_CHECKING:
    from pynsc.localserver import StopResult
    from pynsc.store.report import Report

F = TypeVar("F", bound=Callable[..., object])


def dir_option(f: F) -> F:
    """``--dir DIR``: where the servers' files and state live, as ``directory``."""
    return click.option(
        "--dir", "directory", metavar="DIR", default=None,
        help="Directory of the servers' files and state (default: .server in the operator's "
             "directory).",
    )(f)  # fmt: skip


def server_dir(app: App, directory: str | None) -> Path:
    """``--dir``, else the current operator's default server directory."""
    if directory:
        return Path(directory).expanduser().absolute()
    from pynsc.localserver import default_dir

    return default_dir(app.context.store())


def stop_entries(report: Report, result: StopResult) -> None:
    """One entry per node: ``stopped``/``killed``, or a warning when it was not running."""
    for stopped in result.nodes:
        node = stopped.node
        if stopped.outcome == "not running":
            report.warn(f"nats-server {node.server_name} (pid {node.pid}) was not running")
        else:
            report.ok(f"{stopped.outcome} nats-server {node.server_name} (pid {node.pid})")
