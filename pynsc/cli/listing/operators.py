"""``pynsc list operators``: the operators of the store root, with their public keys.

Parses flags and renders; the rules are :func:`pynsc.actions.listing.list_operators`'.
"""

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
    from pynsc.actions import listing
    from pynsc.cli.listing._entities import show_listing

    show_listing(app, "Operators", listing.list_operators(app.nsc), as_json=as_json)
