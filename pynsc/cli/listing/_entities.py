"""What ``list operators|accounts|users`` share: the table of a listing, or its JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pynsc.cli.table import Table

if TYPE_CHECKING:
    from pynsc.actions.listing import Listing
    from pynsc.cli.app import App


def _table(title: str, listing: Listing) -> Table:
    table = Table(title)
    if not listing.entries:
        table.add("No entries defined")
        return table
    table.headers = ("Name", "Public Key")
    for entry in listing.entries:
        if entry.error:
            table.add(entry.name, f"error loading jwt - {entry.error}")
            continue
        shown = entry.name
        if entry.jwt_name and entry.jwt_name != entry.name:
            shown = f"{entry.name} ({entry.jwt_name})"
        table.add(shown, entry.public_key)
    return table


def show_listing(app: App, title: str, listing: Listing, *, as_json: bool) -> None:
    """The warnings (stderr) and the table (stdout) of ``listing``, or with ``--json`` its
    report, whose data is ``[{"name", "public_key"}]``."""
    app.output.report(listing.report, as_json=as_json)
    if not as_json:
        app.output.table(_table(title, listing))
