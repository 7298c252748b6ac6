"""``pynsc list accounts``: the accounts of the current (or a given) operator.

Parses flags and renders; the rules are :func:`pynsc.actions.listing.list_accounts`'.
"""

from __future__ import annotations

import click

from pynsc.actions import listing
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.listing._entities import show_listing
from pynsc.cli.options import json_option


@command("accounts", short_help="List accounts.")
@click.option(
    "-o", "--operator", "operator", metavar="NAME",
    help="List the accounts of this operator (the current operator is not changed).",
)
@json_option
@pass_app
def list_accounts(app: App, *, operator: str | None, as_json: bool) -> None:
    """List the accounts of the current operator: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    result = listing.list_accounts(app.nsc, operator=operator)
    show_listing(app, "Accounts", result, as_json=as_json)
