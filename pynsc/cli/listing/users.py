"""``pynsc list users``: the users of the current (or a given) account."""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.listing._entities import load_entries, show_entries
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
    context = app.context.with_operator(operator) if operator else app.context
    store = context.store()
    account_name = (
        store.find_account(account) if account else context.require_account(None)
    )
    entries = load_entries(
        store.user_names(account_name), lambda name: store.user(account_name, name)
    )
    show_entries(app, "Users", "user", entries, as_json=as_json)
