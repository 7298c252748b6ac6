"""``pynsc generate config``: a nats-server configuration for the current operator.

Parses flags and renders; the rules are :func:`pynsc.actions.serverconfig.generate_config`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.websocket_options import websocket_options

if TYPE_CHECKING:
    from pynsc.store.serverconfig import WebsocketConfig


@command("config", short_help="Generate a nats-server configuration for the operator.")
@click.option("--mem-resolver", is_flag=True,
              help="A MEMORY resolver configuration, preloaded with every account.")
@click.option("--nats-resolver", is_flag=True,
              help="A full nats resolver configuration, preloaded with the system account.")
@click.option("--nats-resolver-cache", is_flag=True,
              help="A cache nats resolver configuration, preloaded with the system account.")
@click.option("--nkey", is_flag=True, hidden=True,
              help="An operator-less configuration listing every user's nkey.")
@click.option("--config-file", default="--", show_default=True, metavar="FILE",
              help="Write the configuration to FILE ('--' is stdout).")
@click.option("--dir", "directory", default=None, hidden=True, metavar="DIR",
              help="Write resolver.conf and the JWTs to DIR (--mem-resolver only).")
@click.option("-F", "--force", is_flag=True, help="Overwrite output files that exist.")
@click.option("--sys-account", default=None, metavar="NAME|KEY",
              help="The system account (default: the operator's system account).")
@websocket_options
@json_option
@pass_app
def generate_config(
    app: App, *, mem_resolver: bool, nats_resolver: bool, nats_resolver_cache: bool, nkey: bool,
    config_file: str, directory: str | None, force: bool, sys_account: str | None,
    websocket: WebsocketConfig | None, as_json: bool,
) -> None:
    """Generate a nats-server configuration holding the operator and its accounts.

    --mem-resolver preloads every account JWT into a MEMORY resolver: regenerate the file and
    reload the server when accounts change. --nats-resolver (or --nats-resolver-cache) sets up
    the nats-based resolver, preloaded with the system account; push the other accounts to it.
    Only operator and account JWTs are read, never user files.

    --websocket PORT adds a websocket listener for browsers (nats.ws); with --jwt-cookie NAME,
    a browser connects with the bearer user JWT a web backend set in that HTTP-only cookie.
    nats-server wants TLS there: --websocket-cert and --websocket-key, or --no-tls.

    The configuration has no listen address: add one in an include or on the command line
    (nats-server -c FILE -p 4222).
    """
    from pynsc.actions.serverconfig import generate_config as generate
    from pynsc.store.serverconfig import ConfigKind

    flags = {
        ConfigKind.MEMORY: mem_resolver,
        ConfigKind.FULL: nats_resolver,
        ConfigKind.CACHE: nats_resolver_cache,
        ConfigKind.NKEY: nkey,
    }
    result = generate(
        app.nsc, [kind for kind, on in flags.items() if on], config_file=config_file,
        directory=directory, force=force, sys_account=sys_account, websocket=websocket,
    )  # fmt: skip
    if not result.written and not as_json:
        result.report.data = result.text
    app.output.report(result.report, as_json=as_json)
