"""``pynsc load``: set up a managed operator's account and a user from the account's seed.

``--profile nsc://<operator>?secret=<account seed>&user=<name>`` names a well-known operator
(``synadia``, or ``NAME`` of an ``NSC_<NAME>_OPERATOR=<url>`` variable); ``--url`` gives the
operator JWT's URL (or file) directly, with ``--seed`` and ``--user``. Parses flags and renders;
the rules are :func:`pynsc.actions.load.load_managed_account`'s::

    [ OK ] imported operator "synadia"
    [ OK ] stored account "Acme" from the account server
    [ OK ] stored account key "AD…"
    [ OK ] generated and stored user key "UC…"
    [ OK ] generated and stored user credentials at `~/.local/share/nats/nsc/keys/creds/…`
    [ OK ] made operator "synadia" and account "Acme" current
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option

__all__ = ["load_command"]


@command("load", short_help="Load a managed operator's account and a user from its seed.")
@click.option("--profile", metavar="URL", default=None,
              help="nsc://<operator>?secret=<account seed>&user=<name>, the operator being a "
                   "well-known name (synadia, or NAME of NSC_<NAME>_OPERATOR=<url>).")
@click.option("--url", metavar="URL", default=None,
              help="The operator JWT's URL on its account server (or a file).")
@click.option("--seed", metavar="SEED", default=None,
              help="Seed of the account (SA...) the users are created for.")
@click.option("--user", metavar="NAME", default=None,
              help="Name of the user to create  [default: default]")
@json_option
@pass_app
def load_command(
    app: App,
    *,
    profile: str | None,
    url: str | None,
    seed: str | None,
    user: str | None,
    as_json: bool,
) -> None:
    """Import a managed operator, one of its accounts (the JWT from the operator's account
    server, the seed given), and a new user of that account with its creds; make the operator
    and account current.

    A user that exists already is left alone (with a warning). Nothing is written when the
    operator, the seed or the account server's answer is not right.
    """
    from pynsc.actions.load import load_managed_account

    outcome = load_managed_account(app.nsc, profile=profile, url=url, seed=seed, user=user)
    app.output.report(outcome.report, as_json=as_json)
