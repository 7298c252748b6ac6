"""``pynsc revocations add-activation|delete-activation|list-activations``: revoke the
activations an export granted to other accounts.

Parses flags and renders; the rules are :mod:`pynsc.actions.revocations`' (the export is chosen
by ``--subject``, its subject or one it contains, among the stream exports, or the service
exports with ``--service``; without ``--subject`` the only one of that kind).
"""

from __future__ import annotations

from typing import Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.revocations._common import at_option, render_revocations


def _export_options(f: Any) -> Any:
    f = click.option(
        "--service", "service", is_flag=True, default=False,
        help="The export is a service (default: a stream).",
    )(f)  # fmt: skip
    return click.option(
        "-s", "--subject", "subject", metavar="SUBJECT", default=None,
        help="Subject of the export, or a subject it contains (default: the only export).",
    )(f)  # fmt: skip


def _target_option(f: Any) -> Any:
    return click.option(
        "-t", "--target-account", "target", metavar="KEY|NAME|*", default=None,
        help="Public key (or local name) of the importing account, or '*' for every account.",
    )(f)  # fmt: skip


@command("add-activation", short_help="Revoke an account's access to an export.")
@_export_options
@_target_option
@at_option("Revoke the account's activations issued at or before this time")
@account_option
@json_option
@pass_app
def add_activation(
    app: App,
    *,
    subject: str | None,
    service: bool,
    target: str | None,
    at: int | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Revoke the activations an export of the current (or -a) account granted to an account
    (-t KEY, or '*' for every account), issued at or before --at.

    The account JWT is re-signed by the operator; push it to take effect. An existing later
    revocation time is kept.
    """
    from pynsc.actions import revocations

    result = revocations.revoke_activation(
        app.nsc, target or "", account=account, subject=subject, service=service, at=at
    )
    app.output.report(result.report, as_json=as_json)


@command("delete-activation", short_help="Remove an account's revocation from an export.")
@_export_options
@_target_option
@account_option
@json_option
@pass_app
def delete_activation(
    app: App,
    *,
    subject: str | None,
    service: bool,
    target: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Remove the revocation of an account (-t KEY, or '*') from an export of the current (or
    -a) account. The account JWT is re-signed by the operator."""
    from pynsc.actions import revocations

    result = revocations.delete_activation_revocation(
        app.nsc, target or "", account=account, subject=subject, service=service
    )
    app.output.report(result.report, as_json=as_json)


@command("list-activations", short_help="List the accounts revoked from an export.")
@_export_options
@account_option
@json_option
@pass_app
def list_activations(
    app: App, *, subject: str | None, service: bool, account: str | None, as_json: bool
) -> None:
    """List the revocations of an export of the current (or -a) account: account public key,
    its local name, and the time before which its activations are revoked (UTC).

    --json prints {"ok", "messages", "data"} with data {"account", "export": {"name",
    "subject", "type"}, "revocations": [{"public_key", "name", "at"}]}.
    """
    from pynsc.actions import revocations

    result = revocations.activation_revocations(
        app.nsc, account=account, subject=subject, service=service
    )
    render_revocations(app, result, what="Account", as_json=as_json)
