"""``pynsc delete mapping``: remove subject mapping entries of an account.

Parses flags and renders; the rules are :func:`pynsc.actions.mappings.delete_mapping`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import mappings
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("mapping", short_help="Delete a mapping.")
@click.option("-f", "--from", "from_subject", metavar="SUBJECT", default=None,
              help="Map from subject (required).")
@click.option("-t", "--to", "to_subject", metavar="SUBJECT", default=None,
              help="To subject: only that entry is removed; without it, every entry of "
                   "--from is.")
@click.option("--cluster", metavar="NAME", default=None,
              help="Only the entries of this cluster (with --to: the entry of this cluster).")
@account_option
@json_option
@pass_app
def delete_mapping(
    app: App,
    *,
    from_subject: str | None,
    to_subject: str | None,
    cluster: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Delete mapping entries of the current (or -a) account; the account is re-signed by the
    operator."""
    result = mappings.delete_mapping(
        app.nsc, from_subject or "", to_subject, cluster=cluster, account=account
    )
    app.output.report(result.report, as_json=as_json)
