"""The websocket flags of ``generate config`` and ``server run``: ``--websocket PORT``,
``--websocket-host``, ``--jwt-cookie``, ``--no-tls``, ``--websocket-cert``, ``--websocket-key``,
handed to the command as ``websocket`` (a :class:`~pynsc.store.serverconfig.WebsocketConfig`,
or ``None`` without ``--websocket``). What makes a valid block is the library's business."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["websocket_options"]

_NEEDS_PORT = {
    "websocket_host": "--websocket-host",
    "jwt_cookie": "--jwt-cookie",
    "no_tls": "--no-tls",
    "websocket_cert": "--websocket-cert",
    "websocket_key": "--websocket-key",
}


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(os.path.expanduser(value)).absolute()


def websocket_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The websocket flags on a command; it receives them as ``websocket``."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pynsc.store.serverconfig import WebsocketConfig

        port: int | None = kwargs.pop("websocket_port")
        given = {name: kwargs.pop(name) for name in _NEEDS_PORT}
        websocket = None
        if port is None:
            extra = [flag for name, flag in _NEEDS_PORT.items() if given[name]]
            if extra:
                raise click.UsageError(f"{extra[0]} needs --websocket PORT")
        else:
            websocket = WebsocketConfig(
                port=port, host=given["websocket_host"], jwt_cookie=given["jwt_cookie"],
                no_tls=given["no_tls"], cert_file=_path(given["websocket_cert"]),
                key_file=_path(given["websocket_key"]),
            )  # fmt: skip
        return f(*args, websocket=websocket, **kwargs)

    decorators = [
        click.option("--websocket", "websocket_port", type=click.IntRange(1, 65535),
                     default=None, metavar="PORT",
                     help="Add a websocket listener on PORT, for browsers (nats.ws)."),
        click.option("--websocket-host", metavar="HOST", default=None,
                     help="The websocket listener's interface (default: all; 127.0.0.1 for "
                          "'server run')."),
        click.option("--jwt-cookie", metavar="NAME", default=None,
                     help="Take a websocket client's user JWT from this cookie of its upgrade "
                          "request (a bearer JWT a web backend set HttpOnly)."),
        click.option("--no-tls", is_flag=True, default=False,
                     help="No TLS on the websocket listener (tests on loopback, or behind a "
                          "proxy terminating TLS); else pass --websocket-cert and -key."),
        click.option("--websocket-cert", metavar="FILE", default=None,
                     help="The websocket listener's TLS certificate (PEM)."),
        click.option("--websocket-key", metavar="FILE", default=None,
                     help="The private key of --websocket-cert (PEM)."),
    ]  # fmt: skip
    command: Callable[..., Any] = wrapper
    for add in reversed(decorators):
        command = add(command)
    return command
