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
    from pynsc.cli._accounts import account_update
    from pynsc.cli._exports import ambiguous, export_report_data, export_subject, matching_exports
    from pynsc.errors import NscError
    from pynsc.store.report import Report

    if app.interactive and not click.confirm(
        "deleting an export cannot be undone - continue", default=False, err=True
    ):
        raise click.Abort()
    report = Report()
    with account_update(app, account, report) as update:
        exports = update.claims.nats.exports
        wanted = export_subject(
            update.claims, update.name, subject, required="subject is required"
        )
        found = matching_exports(exports, wanted, service=service)
        if len(found) > 1:
            raise ambiguous(wanted)
        if not found:
            raise NscError(f"no export matching {go_quote(wanted)} found")
        export = exports.pop(found[0])
    report.ok(f"deleted {export.type} export {go_quote(export.subject)}")
    report.data = export_report_data(update, export)
    app.output.report(report, as_json=as_json)
