"""``pynsc select operator NAME``: make an operator the current one (saved in nsc.json)."""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("operator", short_help="Set the current operator.")
@click.argument("name", metavar="NAME")
@json_option
@pass_app
def select_operator(app: App, *, name: str, as_json: bool) -> None:
    """Make NAME the current operator; its only account (if it has one) becomes the current
    account."""
    from pynsc.cli.select import save_selection

    save_selection(
        app, "operator", lambda context: context.with_operator(name.strip()), as_json=as_json
    )
