"""``pynsc init``: an operator, its system account, an account and a user, in one go.

Parses flags (with ``-i`` and no flag, asks for them) and renders; the rules are
:func:`pynsc.actions.init.init`'s.
"""

from __future__ import annotations

from pathlib import Path

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.prompts import ask

__all__ = ["init_command"]


def _wizard(root: Path) -> tuple[str, str | None, str]:
    """Ask for the store root, the operator and the name (``-i`` with no flags)."""
    from pynsc.actions.operators import well_known_operators
    from pynsc.names import random_name

    directory = ask("enter a configuration directory", flag="-d DIR", default=str(root))
    known = well_known_operators()
    choices = [k.name for k in known] + ["Create Operator", "Other"]
    for index, choice in enumerate(choices, start=1):
        click.echo(f"  {index}) {choice}", err=True)
    picked = ask(
        "Select an operator", flag="-o OPERATOR or -u URL",
        type=click.IntRange(1, len(choices)), default=len(known) + 1,
    )  # fmt: skip
    url: str | None = None
    if picked == len(choices):
        url = ask("Operator URL", flag="-u URL")
    elif picked <= len(known):
        url = known[picked - 1].account_server_url
    question = "name your account and user" if url else "name your operator, account and user"
    name = ask(question, flag="-n NAME", default=random_name())
    return directory, url, name


@command("init", short_help="Create an operator, system account, account and user.")
@click.option(
    "-d", "--dir", "directory", metavar="DIR", default=None,
    help="Store root where the operator directory is created [default: the current one].",
)
@click.option(
    "-n", "--name", default=None,
    help="Name of the operator, account and user ('*' or empty for a random name).",
)
@click.option(
    "-u", "--url", default=None, metavar="FILE|URL",
    help="Import a managed operator from its JWT (a file or an http(s) URL).",
)
@click.option(
    "-o", "--remote-operator", default=None, metavar="NAME",
    help="Import a well-known managed operator (synadia, or NSC_<NAME>_OPERATOR=<url>).",
)
@json_option
@pass_app
def init_command(
    app: App,
    *,
    directory: str | None,
    name: str | None,
    url: str | None,
    remote_operator: str | None,
    as_json: bool,
) -> None:
    """Initialize an environment: an operator, its system account and user, an account and a
    user, with creds, made current.

    With --url or --remote-operator the operator is imported (managed) and only the account
    and user are created. Without any flag, pass -i to be asked for the values.
    """
    from pynsc.actions.init import init

    if all(value is None for value in (directory, name, url, remote_operator)):
        if not app.interactive:
            raise click.UsageError(
                "specify --name NAME ('*' for a random name), or -i to be asked"
            )
        directory, url, name = _wizard(app.nsc.store_root)
    result = init(
        app.nsc, name, url=url, remote_operator=remote_operator, directory=directory,
        save_current=True,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
