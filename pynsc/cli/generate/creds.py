"""``pynsc generate creds``: print (or write) a user's creds file from its JWT and stored seed."""

from __future__ import annotations

from pathlib import Path

import click

from pynsc.cli._users import resolve_user
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, output_file_option
from pynsc.cli.output import display_path
from pynsc.errors import KeyStoreError
from pynsc.keys import format_creds, write_creds
from pynsc.store.report import Report

STDOUT = ("--", "-")


@command("creds", short_help="Generate a creds file for a user.")
@click.option("-n", "--name", "name", metavar="NAME|KEY",
              help="The user (default: the account's only user).")
@output_file_option
@account_option
@json_option
@pass_app
def generate_creds(
    app: App, *, name: str | None, output_file: str | None, account: str | None, as_json: bool
) -> None:
    """Print the creds file of a user of the current (or -a) account: its JWT and seed.

    The user's seed must be in the keystore. With -o FILE the creds are written to FILE
    (0600, atomically) instead; --json puts them in "data".
    """
    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    user = resolve_user(store, account_name, name, required="user is required")
    token = store.user_token(account_name, user)
    public_key = store.user(account_name, user).sub
    pair = app.keystore.get(public_key)
    if pair is None or pair.seed is None:
        raise KeyStoreError(
            f'the seed of user "{user}" ({public_key}) is not in the keystore',
            hint="import it with 'pynsc import keys' or pass its creds to 'pynsc import user'",
        )
    creds = format_creds(token, pair.seed)
    report = Report()
    if output_file is None or output_file in STDOUT:
        report.data = creds
        if as_json:
            report.data = {"account": account_name, "name": user, "creds": creds}
        app.output.report(report, as_json=as_json)
        return
    path = write_creds(Path(output_file).expanduser().absolute(), creds)
    report.ok(f"generated {display_path(path)}")
    report.data = {"account": account_name, "name": user, "path": str(path)}
    app.output.report(report, as_json=as_json)
