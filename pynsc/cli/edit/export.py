"""``pynsc edit export``: change an export of an account, selected by its subject.

Only the flagged fields change; everything else the export holds (its activation revocations,
account token position, advertise flag, description …) is kept. Changing the visibility or the
kind warns that importers break. As with ``add export``, a change that brings in any validation
issue is refused and nothing is written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from pynsc.cli._exports import parse_edit_sampling
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, duration_callback, json_option

if TYPE_CHECKING:
    from pynsc.claims import Export
    from pynsc.store.report import Report


@dataclass(frozen=True, slots=True)
class _Changes:
    """The flags given (``None``: not given, keep the export's value)."""

    name: str | None = None
    service: bool | None = None
    private: bool | None = None
    latency: str | None = None
    sampling: int | None = None
    rm_latency_sampling: bool = False
    response_threshold: int | None = None
    response_type: str | None = None
    allow_trace: bool | None = None
    description: str | None = None
    info_url: str | None = None

    def is_empty(self) -> bool:
        return self == _Changes()


@command("export", short_help="Edit an export of an account.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject of the export to edit (default: the account's only export).")
@click.option("-n", "--name", "name", metavar="NAME", default=None,
              help="Rename the export.")
@click.option("-r", "--service/--no-service", "service", default=None,
              help="Make the export a service (--service=false: a stream); when a stream and a "
                   "service share the subject, selects the one to edit.")
@click.option("-p", "--private/--no-private", "private", default=None,
              help="Require an activation token to import (--private=false: public).")
@click.option("--latency", "latency", metavar="SUBJECT", default=None,
              help="Subject to publish service latency metrics to (services only).")
@click.option("--sampling", "sampling", metavar="0-100|header", default=None,
              callback=parse_edit_sampling,
              help="Latency sampling percentage, 'header' (requests with tracing headers), or "
                   "0 to stop tracking latency.")
@click.option("--rm-latency-sampling", "rm_latency_sampling", is_flag=True, default=False,
              help="Stop tracking the service's latency.")
@click.option("--response-threshold", "response_threshold", metavar="DURATION", default=None,
              callback=duration_callback,
              help="Time after which a service response counts as late: a Go duration such as "
                   "500ms or 2s; 0 removes it (services only).")
@click.option("--response-type", "response_type", metavar="TYPE", default=None,
              help="Responses of the service: Singleton, Stream or Chunked (services only).")
@click.option("--allow-trace/--no-allow-trace", "allow_trace", default=None,
              help="Let trace messages through the export (services only; "
                   "--allow-trace=false stops it).")
@click.option("--description", "description", metavar="TEXT", default=None,
              help="Describe the export ('' removes the description).")
@click.option("--info-url", "info_url", metavar="URL", default=None,
              help="Link to more information about the export ('' removes it).")
@account_option
@json_option
@pass_app
def edit_export(
    app: App,
    *,
    subject: str | None,
    name: str | None,
    service: bool | None,
    private: bool | None,
    latency: str | None,
    sampling: int | None,
    rm_latency_sampling: bool,
    response_threshold: int | None,
    response_type: str | None,
    allow_trace: bool | None,
    description: str | None,
    info_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Edit an export of the current (or -a) account, selected by --subject.

    Only the flagged fields change. Making an export private, or changing its kind, breaks
    the accounts that import it.
    """
    from pynsc.cli._exports import check_response_type
    from pynsc.errors import NscError

    changes = _Changes(
        name=name, service=service, private=private, latency=latency, sampling=sampling,
        rm_latency_sampling=rm_latency_sampling, response_threshold=response_threshold,
        response_type=None if response_type is None else check_response_type(response_type),
        allow_trace=allow_trace, description=description, info_url=info_url,
    )  # fmt: skip
    if changes.is_empty():
        raise click.UsageError("please specify some options")
    if rm_latency_sampling and (latency is not None or sampling is not None):
        raise NscError("--rm-latency-sampling is exclusive of --latency and --sampling")
    _edit(app, account, subject, changes, as_json=as_json)


def _edit(
    app: App, account: str | None, subject: str | None, changes: _Changes, *, as_json: bool
) -> None:
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._accounts import account_update
    from pynsc.cli._exports import (
        ambiguous,
        check_new_issues,
        export_report_data,
        export_subject,
        matching_exports,
    )
    from pynsc.errors import NscError
    from pynsc.store.report import Report

    report = Report()
    with account_update(app, account, report) as update:
        claims = update.claims
        before = copy.deepcopy(claims)
        exports = claims.nats.exports
        wanted = export_subject(claims, update.name, subject, required="a subject is required")
        found = matching_exports(exports, wanted)
        if len(found) > 1:
            found = matching_exports(exports, wanted, service=changes.service)
            if len(found) != 1:
                raise ambiguous(wanted)
        if not found:
            raise NscError(f"no export with subject {go_quote(wanted)} found")
        export = exports[found[0]]
        _apply(export, changes, report)
        check_new_issues(before, claims)
    report.ok(f"edited {export.type} export {go_quote(export.name)}")
    report.data = export_report_data(update, export)
    app.output.report(report, as_json=as_json)


def _apply(export: Export, changes: _Changes, report: Report) -> None:
    """Apply the flagged changes to ``export``, noting each in ``report``."""
    from pynsc.claims import SERVICE, STREAM
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import NscError

    if changes.name is not None and changes.name != export.name:
        export.name = changes.name
        report.ok(f"changed export name to {export.name}")
    if changes.private is not None and changes.private != export.token_req:
        export.token_req = changes.private
        if export.token_req:
            report.warn("changed export to be private - this will break importers")
        else:
            report.ok("changed export to be public")
    if export.token_req and export.account_token_position:
        raise NscError("account token position is only valid for public exports")
    if changes.service is not None and changes.service != export.is_service:
        export.type = SERVICE if changes.service else STREAM
        report.warn(f"changed export type to {go_quote(export.type)} - this will break importers")
        if export.is_stream:
            _drop_service_settings(export, report)
        else:
            export.response_type = export.response_type or "Singleton"
    if export.is_stream and changes.response_type is not None:
        raise NscError("response type can only be specified in conjunction with service")
    _apply_latency(export, changes, report)
    if changes.response_threshold is not None and (
        changes.response_threshold != export.response_threshold
    ):
        from pynsc.cli.render import go_duration

        export.response_threshold = changes.response_threshold
        report.ok(f"changed response threshold to {go_duration(export.response_threshold)}")
    if changes.response_type is not None:
        old = export.response_type or "Singleton"
        export.response_type = changes.response_type
        if changes.response_type != old:
            report.ok(f"changed response type to {changes.response_type}")
    if changes.allow_trace is not None and changes.allow_trace != export.allow_trace:
        export.allow_trace = changes.allow_trace
        report.ok(f"changed allow trace to {str(export.allow_trace).lower()}")
    if changes.description is not None and changes.description != export.description:
        export.description = changes.description
        report.ok(f"changed description to {go_quote(export.description)}")
    if changes.info_url is not None and changes.info_url != export.info_url:
        export.info_url = changes.info_url
        report.ok(f"changed info url to {go_quote(export.info_url)}")


def _drop_service_settings(export: Export, report: Report) -> None:
    """A service turned into a stream loses what only services may have."""
    dropped = []
    if export.response_type:
        dropped.append("response type")
        export.response_type = ""
    if export.response_threshold:
        dropped.append("response threshold")
        export.response_threshold = 0
    if export.service_latency is not None:
        dropped.append("latency tracking")
        export.service_latency = None
    if export.allow_trace:
        dropped.append("allow trace")
        export.allow_trace = False
    if dropped:
        report.warn(f"removed the service settings a stream cannot have: {', '.join(dropped)}")


def _apply_latency(export: Export, changes: _Changes, report: Report) -> None:
    from pynsc.claims import ServiceLatency
    from pynsc.cli._exports import SAMPLING_OFF, sampling_text
    from pynsc.errors import NscError

    old = export.service_latency
    if changes.rm_latency_sampling or changes.sampling == SAMPLING_OFF:
        if changes.latency is not None:
            raise NscError("--sampling 0 turns latency tracking off: do not pass --latency")
        export.service_latency = None
        if old is not None:
            report.ok("removed latency tracking")
        else:
            report.ok("no need to remove latency tracking as it was not set")
        return
    if changes.latency is None and changes.sampling is None:
        return
    results = changes.latency if changes.latency is not None else (old.results if old else "")
    if not results:
        raise NscError(
            "sampling requires a latency subject",
            hint="pass the subject for the latency metrics with --latency",
        )
    sampling = changes.sampling if changes.sampling is not None else (old.sampling if old else 0)
    export.service_latency = ServiceLatency(sampling=sampling, results=results)
    if old is None or old.sampling != sampling:
        report.ok(f"changed service latency to {sampling_text(sampling)}")
    if old is None or old.results != results:
        report.ok(f"changed service latency subject to {results}")
        if old is not None and old.results:
            report.warn("changed latency subject will break consumers of the report")
