"""``pynsc generate context --context NAME``: a nats CLI context for a user's creds.

Writes ``$XDG_CONFIG_HOME/nats/context/<NAME>.json``:
``{"nsc":"nsc://<operator>/<account>/<user>","url":<first operator service url>,"creds":<path>}``.
The creds file must exist already. Parses flags and renders; the rules are
:func:`pynsc.actions.creds.generate_context`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("context", short_help="Generate a nats CLI context for a user.")
@click.option(
    "-u", "--user", "user", metavar="NAME|KEY", default=None,
    help="The user (default: the account's only user).",
)
@click.option("--context", "context_name", metavar="NAME", default=None,
              help="Name of the nats CLI context (required).")
@account_option
@json_option
@pass_app
def generate_context(
    app: App, *, user: str | None, context_name: str | None, account: str | None, as_json: bool
) -> None:
    """Write a nats CLI context (NAME.json in the nats CLI's context directory) that points at
    a user's creds file and the operator's first service URL."""
    from pynsc.actions import creds
    from pynsc.errors import UsageError

    try:
        result = creds.generate_context(app.nsc, context_name or "", account=account, user=user)
    except UsageError as e:  # shown as the CLI's usage errors are
        raise click.UsageError(e.message) from e
    app.output.report(result.report, as_json=as_json)
