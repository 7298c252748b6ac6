"""``pynsc add mapping``: add (or change) a weighted subject mapping of an account.

Parses flags and renders; the rules are :func:`pynsc.actions.mappings.add_mapping`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import mappings
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("mapping", short_help="Add (or modify) a mapping entry.")
@click.option("-f", "--from", "from_subject", metavar="SUBJECT", default=None,
              help="Map from this subject (required).")
@click.option("-t", "--to", "to_subject", metavar="SUBJECT", default=None,
              help="To this subject (required).")
@click.option("--weight", type=click.IntRange(0, 255), default=0, show_default=False,
              metavar="1-100", help="Weight of this entry in percent (default: 100).")
@click.option("--cluster", metavar="NAME", default="",
              help="The cluster in which this entry applies.")
@account_option
@json_option
@pass_app
def add_mapping(
    app: App,
    *,
    from_subject: str | None,
    to_subject: str | None,
    weight: int,
    cluster: str,
    account: str | None,
    as_json: bool,
) -> None:
    """Add a mapping entry to the current (or -a) account, or change the one with the same
    --to and --cluster; the account is re-signed by the operator.

    To split traffic, run it once per destination with a weight each.
    """
    result = mappings.add_mapping(
        app.nsc, from_subject or "", to_subject or "", weight=weight, cluster=cluster,
        account=account,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
