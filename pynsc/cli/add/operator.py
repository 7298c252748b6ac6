"""``pynsc add operator NAME``: create a local operator, or import a managed one from its JWT.

Parses flags, asks for the name with ``-i``, and renders; the rules are those of
:func:`pynsc.actions.operators.add_operator` and :func:`~pynsc.actions.operators.import_operator`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option, time_options
from pynsc.cli.prompts import ask

if TYPE_CHECKING:
    from pynsc.cli.params import TimeFlags


@command("operator", short_help="Add a local operator, or import a managed one.")
@name_option("operator")
@click.option(
    "-u", "--url", default=None, metavar="FILE|URL|NAME",
    help="Import the operator JWT from a file, an http(s) URL or a well-known operator name.",
)
@click.option(
    "--generate-signing-key", "generate_signing_key", is_flag=True, default=False,
    help="Also generate and store an operator signing key.",
)
@click.option(
    "-s", "--sys", "system", is_flag=True, default=False,
    help="Also create the system account SYS and its user sys (signed by the signing key "
    "when one is generated).",
)
@click.option(
    "--force", is_flag=True, default=False,
    help="On import (-u), overwrite an operator of the same name.",
)
@time_options
@json_option
@pass_app
def add_operator(
    app: App,
    *,
    name: str | None,
    url: str | None,
    generate_signing_key: bool,
    system: bool,
    force: bool,
    times: TimeFlags,
    as_json: bool,
) -> None:
    """Add an operator and make it the current one.

    A local operator gets a new identity key (or the one given with -K, which is stored). With
    --url the operator JWT is imported instead: the store is managed, its accounts are
    self-signed and exchanged with the operator's account server. NAME '*' picks a random name.
    """
    from pynsc.actions import operators

    if url:
        if system:
            raise click.UsageError(
                "importing an operator is not compatible with system account generation"
            )
        if generate_signing_key:
            raise click.UsageError("signing key can not be added when importing the operator")
        if not times.is_empty():
            raise click.UsageError("--start and --expiry cannot be used when importing")
        if app.private_key:
            raise click.UsageError("-K cannot be used when importing an operator")
        result = operators.import_operator(
            app.nsc, url, name=name, force=force, save_current=True
        )
    else:
        if force:
            raise click.UsageError("force only works with -u")
        if not name and app.interactive:
            name = ask("operator name", flag="-n NAME")
        now = int(time.time())
        result = operators.add_operator(
            app.nsc, name or "", key=app.private_key, signing_key=generate_signing_key,
            system_account=system, start=times.start_at(now), expiry=times.expiry_at(now),
            save_current=True,
        )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
