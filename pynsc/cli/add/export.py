"""``pynsc add export``: export a stream or a service of an account, publicly or privately.

The new export is checked with the whole account: a change that brings in any validation issue
(an overlap with another export of the same kind, a bad token position, a limit) is refused and
nothing is written. The account JWT is re-signed by the operator (or a signing key).
"""

from __future__ import annotations

import copy

import click

from pynsc.cli._exports import parse_sampling
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, duration_callback, json_option


@command("export", short_help="Add an export to an account.")
@click.option("-n", "--name", "name", metavar="NAME", default=None,
              help="Name of the export (default: the subject).")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject to export (required).")
@click.option("-r", "--service", "service", is_flag=True, default=False,
              help="Export a service (request/reply) instead of a stream.")
@click.option("-p", "--private", "private", is_flag=True, default=False,
              help="Private export: importers need an activation token "
                   "('pynsc generate activation').")
@click.option("--latency", "latency", metavar="SUBJECT", default=None,
              help="Subject to publish service latency metrics to (services only).")
@click.option("--sampling", "sampling", metavar="1-100|header", default=None,
              callback=parse_sampling,
              help="Latency sampling percentage, or 'header' to sample the requests that carry "
                   "tracing headers (with --latency; default: header).")
@click.option("--response-threshold", "response_threshold", metavar="DURATION", default=None,
              callback=duration_callback,
              help="Time after which a service response counts as late: a Go duration such as "
                   "500ms or 2s (services only).")
@click.option("--response-type", "response_type", metavar="TYPE", default=None,
              help="Responses of the service: Singleton (default), Stream or Chunked "
                   "(services only).")
@click.option("--allow-trace", "allow_trace", is_flag=True, default=False,
              help="Let trace messages through the export (services only).")
@click.option("--account-token-position", "account_token_position", metavar="N",
              type=click.IntRange(min=0), default=0,
              help="1-based subject token (a *) that must be the importer's account key "
                   "(public exports only).")
@click.option("--advertise", "advertise", is_flag=True, default=False, hidden=True,
              help="Advertise the export.")
@click.option("--description", "description", metavar="TEXT", default=None,
              help="Describe the export.")
@click.option("--info-url", "info_url", metavar="URL", default=None,
              help="Link to more information about the export.")
@account_option
@json_option
@pass_app
def add_export(
    app: App,
    *,
    name: str | None,
    subject: str | None,
    service: bool,
    private: bool,
    latency: str | None,
    sampling: int | None,
    response_threshold: int | None,
    response_type: str | None,
    allow_trace: bool,
    account_token_position: int,
    advertise: bool,
    description: str | None,
    info_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Add a stream (default) or service (--service) export to the current (or -a) account.

    A public export can be imported by any account; a --private one only with an activation
    token made by 'pynsc generate activation'. The export may not overlap another export of the
    same kind.
    """
    from pynsc.claims import SERVICE, STREAM, Export, ServiceLatency
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._accounts import account_update
    from pynsc.cli._exports import canonical_response_type, check_new_issues, export_report_data
    from pynsc.errors import NscError
    from pynsc.store.report import Report

    if not subject:
        raise NscError(
            "subject is required", hint="pass the subject to export with -s/--subject"
        )
    if response_type is not None and not service:
        raise NscError("response type can only be specified in conjunction with service")
    if private and account_token_position:
        raise NscError("account token position is only valid for public exports")
    if sampling is not None and latency is None:
        raise NscError(
            "sampling requires a latency subject",
            hint="pass the subject for the latency metrics with --latency",
        )

    export = Export(
        name=name or subject,
        subject=subject,
        type=SERVICE if service else STREAM,
        token_req=private,
        account_token_position=account_token_position,
        advertise=advertise,
        allow_trace=allow_trace,
        description=description or "",
        info_url=info_url or "",
    )
    if service:
        export.response_type = canonical_response_type(response_type or "Singleton")
    if latency is not None:
        export.service_latency = ServiceLatency(
            sampling=0 if sampling is None else sampling, results=latency
        )
    if response_threshold is not None:
        export.response_threshold = response_threshold

    report = Report()
    with account_update(app, account, report) as update:
        before = copy.deepcopy(update.claims)
        update.claims.nats.exports.append(export)
        check_new_issues(before, update.claims)

    visibility = "private" if private else "public"
    report.ok(f"added {visibility} {export.type} export {go_quote(export.name)}")
    report.data = export_report_data(update, export)
    app.output.report(report, as_json=as_json)

