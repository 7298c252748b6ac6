"""``pynsc list accounts``: the accounts of the current (or a given) operator."""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.listing._entities import load_entries, show_entries
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
    context = app.context.with_operator(operator) if operator else app.context
    store = context.store()
    entries = load_entries(store.account_names(), store.account)
    show_entries(app, "Accounts", "account", entries, as_json=as_json)
