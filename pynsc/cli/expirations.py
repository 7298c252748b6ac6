"""``pynsc expirations``: when the operator, accounts, users and creds files expire.

Parses flags and renders; what expires, and when, is
:func:`pynsc.actions.listing.expirations`'.
"""

from __future__ import annotations

import time

import click

from pynsc.actions import listing
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.params import DATE_FORMATS, parse_date
from pynsc.cli.table import Table
from pynsc.text import humanized_date, rfc3339

__all__ = ["expirations_command"]


@command("expirations", short_help="Report what expires, and when.")
@click.option("-e", "--within", "within", metavar="DATE", default="1M", show_default=True,
              help=f"Mark what expires before this date: {DATE_FORMATS}.")
@click.option("--skip", is_flag=True, default=False,
              help="Show only what is expired or expires soon.")
@json_option
@pass_app
def expirations_command(app: App, *, within: str, skip: bool, as_json: bool) -> None:
    """Report the expiry of the operator, its accounts, their users and the users' creds files.

    --json prints {"expiration_threshold", "report": [{"resource", "id", "when", "expiry",
    "expiration_date", "expires_soon", "expired"}]} in "data".
    """
    now = int(time.time())
    threshold = parse_date(within, now)
    result = listing.expirations(app.nsc, threshold=threshold, skip=skip, now=now)
    app.output.report(result.report, as_json=as_json)
    if as_json:
        return
    title = humanized_date(threshold, now) if threshold else "Never"
    table = Table(f"Expiration Report ({title})", headers=("Expired", "Resource", "Expiration"))
    for row in result.rows:
        state = "Yes" if row.expired else "Soon" if row.expires_soon else "No"
        expiration = f"{rfc3339(row.expiry)} - {row.when}" if row.expiry else row.when
        table.add(state, row.resource, expiration)
    app.output.table(table)
