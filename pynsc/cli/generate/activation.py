"""``pynsc generate activation``: grant one account the right to import a private export.

Parses flags and renders: the token is printed decorated (``-----BEGIN NATS ACTIVATION
JWT-----``) unless written to a file; the rules are
:func:`pynsc.actions.activations.generate_activation`'s. The store is not changed.
"""

from __future__ import annotations

import datetime as dt
import time

import click

from pynsc.actions import activations
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, output_file_option, time_options
from pynsc.cli.params import TimeFlags

STDOUT = ("--", "-")


@command("activation", short_help="Generate an activation token for a private export.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject to grant: that of a private export, or one it contains (default: "
                   "the account's only private export).")
@click.option("-t", "--target-account", "target_account", metavar="NAME|KEY", default=None,
              help="The importing account: its public key, or the name of a local account "
                   "(required).")
@output_file_option
@click.option("--push", "push", is_flag=True, default=False,
              help="Also post the activation to the operator's account server "
                   "(<account_server_url>/activations).")
@time_options
@account_option
@json_option
@pass_app
def generate_activation(
    app: App,
    *,
    subject: str | None,
    target_account: str | None,
    output_file: str | None,
    push: bool,
    times: TimeFlags,
    account: str | None,
    as_json: bool,
) -> None:
    """Generate an activation token letting --target-account import a private export of the
    current (or -a) account.

    The token is signed by the account or one of its signing keys (-K). Give it to the
    importer, who adds it with 'pynsc add import --token FILE'.
    """
    now = int(time.time())
    to_file = output_file is not None and output_file not in STDOUT
    result = activations.generate_activation(
        app.nsc, target_account=target_account or "", subject=subject, account=account,
        start=_moment(times.start_at(now)), expiry=_moment(times.expiry_at(now)),
        output_file=output_file if to_file else None, push=push, now=now,
    )  # fmt: skip
    if not as_json and result.path is None:
        result.report.data = result.decorated
    app.output.report(result.report, as_json=as_json)


def _moment(unix: int | None) -> dt.datetime | None:
    """A parsed ``--start``/``--expiry`` (0: none) as the library takes it."""
    return dt.datetime.fromtimestamp(unix, tz=dt.timezone.utc) if unix else None
