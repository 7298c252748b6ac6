"""``pynsc generate nkey``: make operator, account, user or curve keys, optionally storing them.

Parses flags and renders; the rules are :func:`pynsc.actions.creds.generate_nkeys`'.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.keys import KeyKind


@command("nkey", short_help="Generate operator, account, user or curve nkeys.")
@click.option("-o", "--operator", is_flag=True, help="Generate an operator key.")
@click.option("-a", "--account", is_flag=True, help="Generate an account key.")
@click.option("-u", "--user", is_flag=True, help="Generate a user key.")
@click.option("-x", "--curve", is_flag=True, help="Generate a curve (xkey) encryption key.")
@click.option(
    "-S", "--store", is_flag=True,
    help="Store the seeds in the keystore and print only the public keys.",
)
@json_option
@pass_app
def nkey_command(
    app: App, *, operator: bool, account: bool, user: bool, curve: bool, store: bool,
    as_json: bool,
) -> None:
    """Generate nkeys: each seed then its public key, one per line.

    With --store the seeds go to the keystore and are never printed.
    """
    from pynsc.actions.creds import generate_nkeys

    wanted = {KeyKind.OPERATOR: operator, KeyKind.ACCOUNT: account, KeyKind.USER: user,
              KeyKind.CURVE: curve}
    result = generate_nkeys(app.nsc, [kind for kind, on in wanted.items() if on],
                            store=store)  # fmt: skip
    if as_json:  # the report object, its data the keys (docs/cli.md)
        app.output.report(result.report, as_json=True)
        return
    for key in result.keys:
        if key.seed is not None:
            app.output.data(key.seed)
        app.output.data(key.public_key)
    app.output.report(result.report, as_json=False)
