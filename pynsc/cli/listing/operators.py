"""``pynsc list operators``: the operators of the store root, with their public keys."""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("operators", short_help="List operators.")
@json_option
@pass_app
def list_operators(app: App, *, as_json: bool) -> None:
    """List the operators of the store root: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    from pynsc.cli.listing._entities import load_entries, show_entries
    from pynsc.store import Store, list_operators

    root = app.context.store_root
    entries = load_entries(list_operators(root), lambda name: Store(root, name).operator())
    show_entries(app, "Operators", "operator", entries, as_json=as_json)
