"""``pynsc delete export``: remove an export of an account, selected by its subject.

The account JWT is re-signed without it; accounts that import it lose access once the new JWT
reaches the servers.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("export", short_help="Delete an export of an account.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject of the export to delete (default: the account's only export).")
@click.option("-r", "--service/--no-service", "service", default=None,
              help="Only when a stream and a service share the subject: delete the service "
                   "(--service=false: the stream).")
@account_option
@json_option
@pass_app
def delete_export(
    app: App, *, subject: str | None, service: bool | None, account: str | None, as_json: bool
) -> None:
    """Delete an export of the current (or -a) account."""
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._accounts import store_account
    from pynsc.cli._exports import ambiguous, export_data, export_subject, matching_exports
    from pynsc.errors import NscError
    from pynsc.store import ops
    from pynsc.store.report import Report

    if app.interactive and not click.confirm(
        "deleting an export cannot be undone - continue", default=False, err=True
    ):
        raise click.Abort()
    context = app.context
    store = context.store()
    keystore = app.keystore
    report = Report()
    with store.lock():
        account_name = context.require_account(account)
        claims = store.account(account_name)
        exports = claims.nats.exports
        wanted = export_subject(claims, account_name, subject, required="subject is required")
        found = matching_exports(exports, wanted, service=service)
        if len(found) > 1:
            raise ambiguous(wanted)
        if not found:
            raise NscError(f"no export matching {go_quote(wanted)} found")
        export = exports.pop(found[0])
        signer = ops.operator_signer(
            store, keystore, store.operator(), private_key=app.private_key,
            current_issuer=claims.iss, account_key=claims.sub,
        )  # fmt: skip
        token = store_account(store, account_name, ops.sign_account(claims, signer), report)
    report.ok(f"deleted {export.type} export {go_quote(export.subject)}")
    report.data = {
        "account": account_name,
        "public_key": claims.sub,
        "export": export_data(export),
        "jwt": token,
    }
    app.output.report(report, as_json=as_json)
