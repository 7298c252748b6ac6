"""``pynsc select account NAME|KEY``: make an account the current one (saved in nsc.json)."""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("account", short_help="Set the current account.")
@click.argument("name", metavar="NAME|KEY")
@json_option
@pass_app
def select_account(app: App, *, name: str, as_json: bool) -> None:
    """Make the account NAME (or with public key KEY) of the current operator the current
    account."""
    from dataclasses import replace

    from pynsc.cli.select import save_selection

    save_selection(
        app, "account",
        lambda context: replace(context, account=context.store().find_account(name)),
        as_json=as_json,
    )  # fmt: skip
