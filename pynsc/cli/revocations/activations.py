"""``pynsc revocations add-activation|delete-activation|list-activations``: revoke the
activations an export granted to other accounts.

An export's ``revocations`` map importing account keys (or ``*``, every account) to a time; an
activation for that account issued at or before it is revoked. The export is chosen by
``--subject`` (its subject, or a subject it contains) among the stream exports, or the service
exports with ``--service``; without ``--subject`` the only one of that kind.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.revocations._common import ALL, at_option
from pynsc.errors import NotFoundError, NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, Export
    from pynsc.store import Store


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


def _kind(service: bool) -> str:
    from pynsc.claims import SERVICE, STREAM

    return SERVICE if service else STREAM


def _label(export: Export) -> str:
    return export.name or export.subject


def select_export(
    claims: AccountClaims, account: str, subject: str | None, service: bool
) -> Export:
    """The stream (or service) export of ``claims`` that ``subject`` names.

    An export whose subject is ``subject`` wins over one that only contains it.
    """
    from pynsc.claims.subjects import go_quote, is_contained_in

    if not claims.nats.exports:
        raise NotFoundError(f"account {go_quote(account)} doesn't have exports")
    kind = _kind(service)
    candidates = [e for e in claims.nats.exports if e.type == kind]
    if not candidates:
        hint = "add --service" if not service else "leave out --service for stream exports"
        raise NotFoundError(f"account {go_quote(account)} doesn't have {kind} exports", hint=hint)
    if subject is None or not subject.strip():
        if len(candidates) == 1:
            return candidates[0]
        raise click.UsageError("a subject is required")
    wanted = subject.strip()
    exact = next((e for e in candidates if e.subject == wanted), None)
    if exact is not None:
        return exact
    for export in candidates:
        if is_contained_in(wanted, export.subject):
            return export
    raise NotFoundError(
        "unable to locate export",
        hint=f"no {kind} export of account {go_quote(account)} contains {go_quote(wanted)}",
    )


def _target_key(store: Store, target: str | None) -> str:
    """The importing account's key: ``*``, an account public key, or a local account's name."""
    from pynsc.keys import KeyKind, is_public_key

    if target is None or not target.strip():
        raise click.UsageError("target-account cannot be empty")
    value = target.strip()
    if value == ALL or is_public_key(value, KeyKind.ACCOUNT):
        return value
    if store.has_account(value):
        return store.account(value).sub
    raise NscError(f'{value} is not a valid "account" public key')


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
    from pynsc.cli._accounts import account_update
    from pynsc.cli.revocations._common import go_time, revoke
    from pynsc.store.report import Report

    when = int(time.time()) if at is None else at
    report = Report()
    with account_update(app, account, report) as update:
        key = _target_key(update.store, target)
        export = select_export(update.claims, update.name, subject, service)
        in_force = revoke(export.revocations, key, when)
    if key == ALL:
        report.ok(
            f'revoked all activations for "{_label(export)}" issued before {go_time(in_force)}'
        )
    else:
        report.ok(f'revoked activation "{_label(export)}" for account {key}')
    if in_force != when:
        report.warn(f"kept the existing later revocation time {go_time(in_force)}")
    report.data = _data(update.name, export, public_key=key, at=in_force, jwt=update.token)
    app.output.report(report, as_json=as_json)


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
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    kind = _kind(service)
    report = Report()
    with account_update(app, account, report) as update:
        account_name = update.name
        key = _target_key(update.store, target)
        export = select_export(update.claims, account_name, subject, service)
        if key not in export.revocations:
            who = "all accounts" if key == ALL else f"account {key}"
            raise NotFoundError(
                f"{kind} export {_label(export)} has no revocation for {who}",
                hint=f"list them with 'pynsc revocations list-activations -a {account_name}"
                f"{' --service' if service else ''} -s {export.subject}'",
            )
        del export.revocations[key]
    if key == ALL:
        report.ok(f"deleted {kind} {_label(export)} revocation for all accounts")
    else:
        report.ok(f"deleted {kind} {_label(export)} revocation for account {key}")
    report.data = _data(account_name, export, public_key=key, jwt=update.token)
    app.output.report(report, as_json=as_json)


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
    from pynsc.cli.revocations._common import list_revocations

    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    claims = store.account(account_name)
    export = select_export(claims, account_name, subject, service)
    kind = _kind(service)
    if not export.revocations:
        raise NscError(f"{kind} {_label(export)} has no revocations")
    list_revocations(
        app, export.revocations, what="Account",
        title=f"Revoked Accounts for {kind} {_label(export)}",
        names=store.account_names, key_of=lambda name: store.account(name).sub,
        data=_data(account_name, export), as_json=as_json,
    )  # fmt: skip


def _data(account: str, export: Export, **more: Any) -> dict[str, Any]:
    return {
        "account": account,
        "export": {"name": export.name, "subject": export.subject, "type": export.type},
        **more,
    }
