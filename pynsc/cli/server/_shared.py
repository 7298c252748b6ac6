"""What ``server run``, ``status`` and ``stop`` share: ``--dir``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def dir_option(f: F) -> F:
    """``--dir DIR``: where the servers' files and state live, as ``directory``."""
    return click.option(
        "--dir", "directory", metavar="DIR", default=None,
        help="Directory of the servers' files and state (default: .server in the operator's "
             "directory).",
    )(f)  # fmt: skip
