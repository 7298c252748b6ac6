"""``pynsc edit operator``: signing keys, tags, URLs, the system account, strict mode, validity.

Parses flags and renders; the rules are :func:`pynsc.actions.operators.edit_operator`'s (the
operator JWT is re-signed by its identity key, ``-K`` or the keystore's).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, time_options
from pynsc.cli.params import split_list

if TYPE_CHECKING:
    from pynsc.cli.params import TimeFlags

_MISSING = "\0missing"
"""What ``--sk`` holds when given without a value (cobra: ``flag needs an argument``)."""

_TRUE = ("1", "t", "true", "y", "yes", "on")
_FALSE = ("0", "f", "false", "n", "no", "off")


def _bool(ctx: click.Context, param: click.Parameter, value: str | None) -> bool | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise click.BadParameter(f"{value!r} is not a boolean (true or false)")


def _keys(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    if _MISSING in value:
        raise click.UsageError(f"flag needs an argument: {param.opts[0]}", ctx)
    return split_list(value)


def _list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return split_list(value)


@command("operator", short_help="Edit the operator.")
@click.option(
    "--sk", "signing_keys", multiple=True, is_flag=False, flag_value=_MISSING, callback=_keys,
    metavar="KEY", help="Add a signing key: a public key, seed, file, or 'generate' "
    "(comma list or repeated).",
)
@click.option(
    "--rm-sk", "rm_signing_keys", multiple=True, callback=_list, metavar="KEY",
    help="Remove a signing key (comma list or repeated).",
)
@click.option("--tag", "tags", multiple=True, callback=_list, help="Add tags.")
@click.option("--rm-tag", "rm_tags", multiple=True, callback=_list, help="Remove tags.")
@click.option(
    "-u", "--account-jwt-server-url", "account_server_url", default=None, metavar="URL",
    help="Set the account JWT server URL (http/https, or nats/tls/ws/wss for a resolver).",
)
@click.option(
    "--rm-account-jwt-server-url", "rm_account_server_url", is_flag=True, default=False,
    help="Clear the account JWT server URL.",
)
@click.option(
    "--system-account", "system_account", default=None, metavar="NAME|KEY",
    help="Set the system account, by name or public key.",
)
@click.option(
    "-n", "--service-url", "service_urls", multiple=True, callback=_list, metavar="URL",
    help="Add an operator service URL (nats/tls/ws/wss) where clients reach NATS.",
)
@click.option(
    "--rm-service-url", "rm_service_urls", multiple=True, callback=_list, metavar="URL",
    help="Remove an operator service URL.",
)
@click.option(
    "--require-signing-keys", "require_signing_keys", is_flag=False, flag_value="true",
    default=None, callback=_bool, metavar="[=BOOL]",
    help="Require accounts and users to be issued by signing keys (strict mode); "
    "--require-signing-keys=false turns it off.",
)
@time_options
@json_option
@pass_app
def edit_operator(
    app: App,
    /,
    *,
    times: TimeFlags,
    as_json: bool,
    **flags: Any,
) -> None:
    """Edit the current operator (or the one chosen with --operator)."""
    from pynsc.actions import operators

    now = int(time.time())
    changes = operators.OperatorChanges(
        **flags, start=times.start_at(now), expiry=times.expiry_at(now)
    )
    if changes.is_empty() and not app.interactive:
        raise click.UsageError("specify an edit option")
    result = operators.edit_operator(app.nsc, changes)
    app.output.report(result.report, as_json=as_json)
