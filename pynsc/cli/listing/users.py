"""``pynsc list users``: the users of the current (or a given) account.

Parses flags and renders; the rules are :func:`pynsc.actions.listing.list_users`'.
"""

from __future__ import annotations

import click

from pynsc.actions import listing
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.listing._entities import show_listing
from pynsc.cli.options import json_option


@command("users", short_help="List users.")
@click.option(
    "-o", "--operator", "operator", metavar="NAME",
    help="Use this operator (the current operator is not changed).",
)
@click.option(
    "-a", "--account", "account", metavar="NAME|KEY",
    help="List the users of this account (the current account is not changed).",
)
@json_option
@pass_app
def list_users(app: App, *, operator: str | None, account: str | None, as_json: bool) -> None:
    """List the users of the current (or -a) account: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    result = listing.list_users(app.nsc, account=account, operator=operator)
    show_listing(app, "Users", result, as_json=as_json)
